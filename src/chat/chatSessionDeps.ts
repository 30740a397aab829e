// What the chat session is given: the provider, the key and model in force, the routing, the history, the
// panel's channel, the budget question and the usage record. No vscode import.
import type { Log } from '../log/logger';
import type { ChatRequest, Model } from '../openrouter/types';
import type { ContextStrategy } from '../answer/condense';
import type { Provider } from '../host/providerHost';
import type { RoutingOverrides } from '../routing';
import type { GenerationRecord } from '../usage/usageTypes';
import type { ChatRouting, TurnAttachment } from './conversation';
import type { AttachmentChip, ExtensionMessage, ModelOption } from '../protocols/chat';
import type { ChatHistory } from './chatHistory';
import type { NoticeContext } from '../answer/errorNotice';
import type { AgentTool } from '../agent/agentTool';
import type { PricedModel } from '../agent/stepCost';

export interface ChatSessionDeps {
  /** Read per request: the host may have rebuilt the provider since. */
  provider(): Pick<Provider, 'streamExecute' | 'getGenerationStats'>;
  hasKey(): Promise<boolean>;
  selectedModel(): string | undefined;
  models(): ModelOption[];
  /** OpenRouter routing fields (provider, models, reasoning, session_id) for a request, with this chat's overrides. */
  routing?(model: string, sessionId: string, overrides?: RoutingOverrides): Partial<ChatRequest>;
  /** The routing settings in force, shown in the panel as what "default" means. */
  routingDefaults?(): Required<ChatRouting>;
  history: ChatHistory;
  post(message: ExtensionMessage): void;
  /** After every answer (credits changed). */
  onAnswerFinished(): void;
  /** The balance and the model's output price, for explaining a 402. */
  noticeContext?(model: string): NoticeContext;
  /** Asked before every request (the budget guard); false sends nothing. */
  confirmSend?(): Promise<boolean>;
  /** Each answer's final figures (usage chunk or /generation), for the usage record. */
  onGeneration?(record: GenerationRecord): void;
  log: Log;
  /** Waits between /generation attempts while it answers 404. */
  generationRetryDelaysMs?: readonly number[];
  newSessionId?(): string;
  /** False for a model known to read text only: images from earlier questions are then not resent. */
  modelReadsImages?(modelId: string): boolean;
  /** True for a model that reads PDFs itself (`file` among its input modalities); others get OpenRouter's parser. */
  modelReadsFiles?(modelId: string): boolean;
  /** The attachments waiting in the composer, for the snapshot. */
  composerAttachments?(): AttachmentChip[];
  /** The model's catalogue entry: its context and output limits, and its price for the reasoning's share. */
  catalogModel?(modelId: string): Model | undefined;
  /** `openrouter.chat.contextOverflow`: condense or drop older turns that no longer fit the model. */
  contextOverflow?(): ContextStrategy;
  /** Agent mode's tools and limits; without them the chat offers Ask only. */
  agent?: AgentChatDeps;
}

/** What Agent mode needs from the editor: the tools, the workspace's trust, the limits and the model prices. */
export interface AgentChatDeps {
  /** Every tool there is now (the extension's own, other extensions', MCP servers'). */
  tools(): readonly AgentTool[];
  /** False in Restricted Mode: no tool that writes or runs commands is offered. */
  trusted(): boolean;
  limits(): { maxSteps: number; maxTaskCostUsd: number; toolTimeoutSeconds: number };
  /** The catalogue's entry for a model, for its prices. */
  model(id: string): PricedModel | undefined;
}

/** A question's attachments; image data is kept beside the chat's history file, for follow-ups in later sessions. */
export interface SendAttachments {
  attachments: TurnAttachment[];
  imageData: ReadonlyMap<string, string>;
}
