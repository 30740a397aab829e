// The typed messages between the chat view (extension side) and its webview (browser side).
// Imported with `import type` by both, so nothing here may exist at run time except types.

import type { AgentChoices, AgentTaskFigures, AnswerCitation, AnswerStats, AnswerStatus, ChatAction, ChatMode, ChatRouting, ChatTurn, ContextNotice, Conversation, ErrorNotice, ToolCallView, TurnAttachment } from '../chat/conversation';
import type { AgentPanelState } from './chatAgent';

// The conversation the messages carry is the chat's own model: the page reads it from here, as the rest of the protocol.
export type * from '../chat/conversation';
export type * from './chatAgent';

/** One entry of the panel's model chooser, from the same catalogue as the model picker. */
export interface ModelOption {
  id: string;
  name: string;
  favourite: boolean;
  free: boolean;
  /** USD per 1M tokens in / out, compact enough for a narrow chooser (e.g. "$3/$15"); absent for free models. */
  priceLabel?: string;
  /** The same price spelled out for a tooltip (e.g. "$3 in / $15 out per 1M tokens"). */
  priceDetail?: string;
  /** The model accepts a reasoning effort (`reasoning` among its supported parameters). */
  reasoning?: boolean;
  /** The efforts the model takes, least first, from its catalogue metadata (`none` only where it may stop reasoning). */
  efforts?: Array<NonNullable<ChatRouting['reasoningEffort']>>;
}

/** A provider serving the chosen model (its endpoints), for the routing panel's pin and exclude. */
export interface ProviderChoice {
  name: string;
  /** Price, context and speed in a line. */
  summary: string;
}

/** What the panel shows of an attachment: never its content. */
export type AttachmentChip = Omit<TurnAttachment, 'text'>;

/** The composer's figures for the request Enter would send now, from the catalog's prices. */
export interface SendEstimate {
  model: string;
  modelName: string;
  inputTokens: number;
  /** Prompt price × input tokens (+ per-image price), USD; absent when the catalog has no price. */
  costUsd?: number;
  contextLength?: number;
  /** Set when the conversation plus attachments exceed the model's context length. */
  contextWarning?: string;
  /** Set when the question has images and the model reads text only. */
  imageRefusal?: string;
  /** Attachments marked for the prompt cache with this model. */
  cacheableAttachments: number;
  /** Web search is on: the most its searches can add, USD (included in `costUsd` when that is known). */
  webSearchUsd?: number;
  /** The request carries PDFs: the engine it names for them. */
  pdfEngine?: 'native' | 'cloudflare-ai' | 'mistral-ocr';
  /** OCR's per-page price for those PDFs, USD (included in `costUsd` when that is known). */
  pdfUsd?: number;
}

export interface ChatSummary {
  id: string;
  title: string;
  updatedAt: number;
  turnCount: number;
}

/** Everything the panel shows; sent whole after `ready` and after switching chats. */
export interface ChatSnapshot {
  conversation: Conversation;
  history: ChatSummary[];
  models: ModelOption[];
  selectedModel: string | undefined;
  hasKey: boolean;
  busy: boolean;
  /** The chips waiting in the composer for the next question. */
  attachments?: AttachmentChip[];
  /** The `openrouter.routing.*` settings in force: what a chat without its own choices uses. */
  routingDefaults?: Required<ChatRouting>;
  /** Agent mode's tools and limits; absent when the chat offers no Agent mode. */
  agent?: AgentPanelState;
}

/** The files one answer changed (workspace-relative names), and which of them Undo has put back. */
export interface AnswerChanges {
  turnId: string;
  files: Array<{ path: string; change: 'edited' | 'created' | 'deleted'; undone: boolean }>;
}

export type ExtensionMessage =
  | { type: 'snapshot'; snapshot: ChatSnapshot }
  | { type: 'models'; models: ModelOption[]; selectedModel: string | undefined }
  | { type: 'history'; history: ChatSummary[] }
  | { type: 'keyState'; hasKey: boolean }
  | { type: 'turnAdded'; turn: ChatTurn }
  | { type: 'turnRemoved'; turnId: string }
  | { type: 'answerDelta'; turnId: string; content?: string; reasoning?: string }
  | { type: 'answerProcessing'; turnId: string }
  /** The conversation is being (or was) condensed or shortened to fit the model before this answer. */
  | { type: 'answerContext'; turnId: string; context: ContextNotice }
  /** Attempt `attempt` of the request failed for `reason`; the next one starts in `waitMs`. */
  | { type: 'answerRetry'; turnId: string; attempt: number; reason: string; waitMs: number }
  | { type: 'answerEnd'; turnId: string; status: Exclude<AnswerStatus, 'streaming'>; error?: ErrorNotice; stats?: AnswerStats }
  | { type: 'answerStats'; turnId: string; stats: AnswerStats }
  /** The answer's cited web sources so far (the whole list each time). */
  | { type: 'answerCitations'; turnId: string; citations: AnswerCitation[] }
  /** The request could not start: the input keeps the text; the reason shows next to it. */
  | { type: 'sendRejected'; text: string; error: ErrorNotice }
  /** Puts text into the input (Ask About Selection), focused with the caret at the end. */
  | { type: 'draft'; text: string }
  /** The composer's pending attachments; `consumeAt` when they answer an `@` typed in the input (remove it); `problem` when one was refused. */
  | { type: 'attachments'; attachments: AttachmentChip[]; consumeAt?: boolean; problem?: string }
  /** Tokens, cost and warnings for what Enter would send now; none when the composer is empty. */
  | { type: 'estimate'; estimate: SendEstimate | undefined }
  /** A title-bar command asks for one of the panel's sections (toggled: a second click closes it). */
  | { type: 'togglePanel'; panel: ChatPanelSection }
  /** The current chat's routing choices after validation; `problems` lists what was ignored; `answer` when it replies to `setRouting`. */
  | { type: 'routing'; routing: ChatRouting; defaults?: Required<ChatRouting>; problems: string[]; answer?: boolean }
  /** A tool call started, changed (a question, its answer) or ended: replaces the call with the same id. */
  | { type: 'toolCall'; turnId: string; call: ToolCallView }
  | { type: 'agentProgress'; turnId: string; agent: AgentTaskFigures }
  /** The chat's mode and Agent choices after validation (and the tools, when they changed). */
  | { type: 'agentState'; mode: ChatMode; choices: AgentChoices; state?: AgentPanelState; problems: string[] }
  /** The answers of chat `chatId` that changed files (after every snapshot, and when a checkpoint changes). */
  | { type: 'answerChanges'; chatId: string; changes: AnswerChanges[] }
  /** The providers serving `modelId`, or why they are not known (`problem`). */
  | { type: 'providers'; modelId: string; providers: ProviderChoice[]; problem?: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  /** Opens the attachment picker (from an `@` typed in the input, or the attach button). */
  | { type: 'attach'; trigger: 'at' | 'button' }
  | { type: 'removeAttachment'; id: string }
  /** An image pasted or dropped into the panel, as a data URL. */
  | { type: 'addImage'; name: string; mimeType: string; dataUrl: string }
  /** A PDF dropped into the panel, as a data URL. */
  | { type: 'addPdf'; name: string; dataUrl: string }
  /** The input's text changed: the estimate follows it. */
  | { type: 'draftChanged'; text: string }
  | { type: 'retry'; turnId: string }
  | { type: 'newChat' }
  | { type: 'openChat'; chatId: string }
  | { type: 'deleteChat'; chatId: string }
  | { type: 'selectModel'; modelId: string }
  | { type: 'setSystemPrompt'; text: string }
  /** The routing panel wants the providers serving the chosen model. */
  | { type: 'listProviders' }
  /** Replaces the current chat's routing choices; `{}` resets them to the settings. */
  | { type: 'setRouting'; routing: ChatRouting }
  | { type: 'copyCode'; code: string }
  /** Copies the whole answer, as the markdown the model wrote. */
  | { type: 'copyAnswer'; turnId: string }
  /** Answers again from the question before this answer (later turns are dropped): same model, or one the user picks. */
  | { type: 'regenerate'; turnId: string; pickModel?: boolean }
  /** Replaces this question with `text` and answers it again; every turn after it is dropped. */
  | { type: 'editAndResend'; turnId: string; text: string }
  | { type: 'insertCode'; code: string }
  /** Apply the answer's code block number `index` (whose text the panel shows as `code`) to its file, as a reviewed diff. */
  | { type: 'applyCode'; turnId: string; index: number; code: string }
  | { type: 'openLink'; href: string }
  /** Puts back every file this answer changed (asking about files changed since). */
  | { type: 'undoAnswerChanges'; turnId: string }
  | { type: 'runAction'; action: ChatAction }
  /** Switches this chat between Ask and Agent, or changes its Agent choices (validated by the extension). */
  | { type: 'setAgent'; mode?: ChatMode; choices?: Omit<AgentChoices, 'maxTaskCostUsd'> & { maxTaskCostUsd?: number | null } }
  /** The user's answer to a tool's question. */
  | { type: 'confirmTool'; turnId: string; callId: string; accept: boolean };

/** The panel's sections a title-bar command opens and closes. */
export type ChatPanelSection = 'history' | 'routing' | 'system';

/** The webview's own persisted UI state (getState/setState). Never holds the key. */
export interface WebviewUiState {
  draft: string;
  historyOpen: boolean;
  systemPromptOpen: boolean;
  routingOpen?: boolean;
}
