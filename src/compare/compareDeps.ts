// What the Compare Models feature is given by the composition root. The usage record and the budget
// guard belong to the usage feature (src/usage); compare needs one method of each.
import type * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import type { ContentGate } from '../exclusion/contentGate';
import type { ProviderHost } from '../host/providerHost';
import type { Log } from '../log/logger';
import type { ModelCatalog } from '../models/modelCatalog';
import type { ChatRequest } from '../openrouter/types';
import type { GenerationRecord, UsageSource } from '../usage/usageTypes';
import type { PanelAssets } from '../util/panelAssets';

/** The local usage record (src/usage): every column's generation goes into it. */
export interface UsageSink {
  record(generation: GenerationRecord): void | Promise<void>;
}

/** The budget guard (src/usage), asked once before a comparison is sent; false when the user declined. */
export interface BudgetGate {
  confirmSend(source: UsageSource): Promise<boolean>;
}

/** Carries a prompt and one model's answer into the sidebar chat as a new conversation. */
export type ContinueInChat = (seed: { prompt: string; answer: string; model: string }) => Promise<void>;

export interface CompareDeps {
  /** The panels' scripts and sheets (media/). */
  pages: PanelAssets;
  globalState: vscode.Memento;
  providerHost: ProviderHost;
  keys: ApiKeyStore;
  catalog: ModelCatalog;
  /** OpenRouter routing fields (the `openrouter.routing.*` settings) for one request. */
  routing?: (model: string, sessionId: string | undefined) => Partial<ChatRequest>;
  usage?: UsageSink;
  budget?: BudgetGate;
  continueInChat: ContinueInChat;
  /** The chat composer's draft and attachments: what the command's argument leaves out comes from them. */
  chatComposer?: () => { prompt: string; attachments: unknown[] };
  /** What is never sent: excluded attachments are dropped, secrets cut from attachments and the prompt. */
  gate: ContentGate;
  /** After a comparison ended (credits changed). */
  onFinished?: () => void;
  log: Log;
  /** Registers the state command the integration tests read (outside production only). */
  internalCommands: boolean;
}
