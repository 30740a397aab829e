// The typed messages between the Compare Models panel (extension side) and its webview (browser side).
// Imported with `import type` by both, so nothing here may exist at run time except types.

/** One model of a comparison, with what the panel shows about it. */
export interface CompareModel {
  id: string;
  name: string;
  /** USD per 1M tokens, in / out, formatted (e.g. "$3 / $15 per 1M"), or "free". */
  priceLabel: string;
}

export type ColumnStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'error';

/** The figures of one column. Every field is optional: a stopped column may never get some of them. */
export interface ColumnStats {
  /** Request sent → first content token, ms. */
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
  /** Output tokens: counted chunks while streaming (`source: 'live'`), then OpenRouter's count. */
  completionTokens?: number;
  promptTokens?: number;
  costUsd?: number;
  /** The provider OpenRouter routed to (from /generation). */
  provider?: string;
  /** The model that answered, when OpenRouter names it. */
  servedModel?: string;
  /** Where the token and cost figures came from; `pending` while /generation is asked. */
  source: 'live' | 'usage' | 'generation' | 'pending' | 'unavailable';
}

export interface ColumnError {
  message: string;
  advice: string;
}

export interface ColumnState {
  model: CompareModel;
  status: ColumnStatus;
  text: string;
  stats: ColumnStats;
  error?: ColumnError;
  /** Set when a retry of this column's request is waiting (the normal per-request policy). */
  retry?: { attempt: number; reason: string; waitMs: number };
}

/** The cost of a whole comparison before it is sent. */
export interface CompareEstimate {
  /** Sum over the models; undefined when some model's price is unknown. */
  totalUsd: number | undefined;
  /** Estimated prompt tokens of one request (the same prompt goes to every model). */
  promptTokens: number;
  /** The output length assumed per model for the estimate. */
  assumedOutputTokens: number;
  perModel: Array<{ modelId: string; usd: number | undefined }>;
}

export interface CompareAttachmentInfo {
  name: string;
  /** Rough token count of this attachment (in the estimate). */
  tokens: number;
}

/** Everything the panel shows; sent whole after `ready`. */
export interface CompareSnapshot {
  prompt: string;
  attachments: CompareAttachmentInfo[];
  models: CompareModel[];
  columns: ColumnState[];
  running: boolean;
  estimate: CompareEstimate;
  /** The model set on screen is saved as a favourite. */
  favouriteSet: boolean;
  hasKey: boolean;
}

export type CompareExtensionMessage =
  | { type: 'snapshot'; snapshot: CompareSnapshot }
  | { type: 'estimate'; estimate: CompareEstimate }
  | { type: 'columnDelta'; column: number; text: string; stats: ColumnStats }
  | { type: 'columnStats'; column: number; stats: ColumnStats }
  | { type: 'columnRetry'; column: number; attempt: number; reason: string; waitMs: number }
  | { type: 'columnEnd'; column: number; status: Exclude<ColumnStatus, 'waiting' | 'streaming'>; stats: ColumnStats; error?: ColumnError }
  | { type: 'favouriteSet'; saved: boolean }
  /** The comparison could not start (no key, budget declined, nothing to send); the reason shows by the Send button. */
  | { type: 'rejected'; message: string };

export type CompareWebviewMessage =
  | { type: 'ready' }
  /** The prompt as typed, for the estimate (debounced by the page). */
  | { type: 'promptChanged'; prompt: string }
  | { type: 'send'; prompt: string }
  | { type: 'stop'; column: number }
  | { type: 'stopAll' }
  | { type: 'copy'; column: number }
  /** A code block's Copy button inside a column. */
  | { type: 'copyCode'; code: string }
  | { type: 'continueInChat'; column: number }
  /** A link in an answer was activated: the extension shows its address and opens it only when the user agrees. */
  | { type: 'openLink'; href: string }
  | { type: 'chooseModels' }
  | { type: 'toggleFavouriteSet' };

/** The page's own persisted UI state (getState/setState). */
export interface CompareUiState {
  draft: string;
}
