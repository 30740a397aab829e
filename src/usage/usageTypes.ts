// What the local usage record holds: one entry per finished generation this extension made. No vscode import.

/** Which part of the extension made the request. */
export const usageSources = ['chat', 'compare', 'vscode-chat', 'completion'] as const;
export type UsageSource = (typeof usageSources)[number];

/** A finished generation as a feature reports it (costs and tokens from the usage chunk or `/generation`). */
export interface GenerationRecord {
  source: UsageSource;
  /** The model that answered (`/generation`'s `model`, else the one asked for). */
  model: string;
  /** The provider that served it, when known. */
  provider?: string;
  /** OpenRouter's generation id (`gen-…`): a record seen twice for the same id counts once. */
  generationId?: string;
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  /** USD; undefined when neither the stream nor `/generation` said. */
  costUsd?: number;
  /** From sending the request to the end of the answer, ms. */
  latencyMs?: number;
  /** When the request was sent or the answer ended (epoch ms; the UTC day it falls on counts); now when left out. */
  at?: number;
  timeToFirstTokenMs?: number;
  /** How the answer ended: a stopped or failed answer that cost something counts all the same. */
  status?: 'done' | 'stopped' | 'error';
  /** The user's prompt: kept only when `openrouter.usage.recordPrompts` is on, cut to 500 characters. */
  prompt?: string;
}

/** One line of the record on disk. */
export interface UsageEntry {
  /** Unique per entry (the generation id when there is one). */
  id: string;
  at: number;
  source: UsageSource;
  model: string;
  provider?: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costUsd: number;
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  status?: 'done' | 'stopped' | 'error';
  prompt?: string;
}

export const PROMPT_KEPT_CHARS = 500;
/** Entries older than this many days are dropped (their files deleted). */
export const RETENTION_DAYS = 90;
