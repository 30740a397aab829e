// The chat's model of a conversation: its turns, what each answer holds (figures, citations, notices, tool calls) and
// the chat's own choices (routing, mode). Stored in the chat's history and carried whole by the chat's protocol
// (src/protocols/chat.ts), so the webview reads it too: types only, no `vscode` import, nothing that exists at run time.
import type { ErrorNotice } from '../answer/errorNoticeTypes';
import type { ProviderPreferences } from '../routing/providerPreferences';
export type { ChatAction, ErrorKind, ErrorNotice } from '../answer/errorNoticeTypes';

/**
 * One chat's routing choices (OpenRouter provider routing, fallbacks, reasoning effort, the finer provider
 * preferences). Each field present replaces the `openrouter.routing.*` setting of the same name for this chat only.
 */
export interface ChatRouting extends ProviderPreferences {
  sort?: 'none' | 'price' | 'throughput' | 'latency';
  /** Preferred providers, tried first in this order. */
  order?: string[];
  only?: string[];
  ignore?: string[];
  allowFallbacks?: boolean;
  dataCollection?: 'allow' | 'deny';
  zeroDataRetention?: boolean;
  fallbackModels?: string[];
  reasoningEffort?: 'default' | 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  /** Most tokens an answer may have (`max_tokens`, capped at the model's); 0 = the model's maximum. */
  maxOutputTokens?: number;
  /** OpenRouter's web search server tool for this chat's answers (off unless chosen). */
  webSearch?: boolean;
  /** How PDFs are read by a model without file input: the free text engine, or paid OCR when chosen. */
  pdfEngine?: 'cloudflare-ai' | 'mistral-ocr';
}

/** Numbers shown under an answer. Every field is optional: a stopped answer may never get them. */
export interface AnswerStats {
  model?: string;
  provider?: string;
  promptTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
  /** What the reasoning tokens cost at the model's listed output (or reasoning) price, USD; part of `costUsd`. */
  reasoningCostUsd?: number;
  costUsd?: number;
  /** Request sent → first content or reasoning token, ms. */
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
  /** Prompt tokens read from the provider's prompt cache (`prompt_tokens_details.cached_tokens`). */
  cachedTokens?: number;
  /** Prompt tokens written to the prompt cache by this request. */
  cacheWriteTokens?: number;
  /** What caching changed the cost by, USD (the generation's `cache_discount`: positive saved, negative paid to write). */
  cacheDiscountUsd?: number;
  /** Bring your own key: what the provider charged that key, USD (within `costUsd`, beside OpenRouter's fee). */
  byokUpstreamUsd?: number;
  /** Web searches OpenRouter ran for the answer (billed within `costUsd`). */
  webSearches?: number;
  /** A stopped answer: whether its provider keeps billing after a stop (OpenRouter's streaming guide). */
  afterStop?: string;
  /** Where the token and cost figures came from. */
  source: 'usage' | 'generation' | 'pending' | 'unavailable';
}

/** A web source an answer cites (its `url_citation` annotations): an http(s) address and a title. */
export interface AnswerCitation {
  url: string;
  title: string;
}

export type AnswerStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface UserTurn {
  role: 'user';
  id: string;
  content: string;
  /** Files, selections and images sent with the question (text kept, image data not). */
  attachments?: TurnAttachment[];
  createdAt: number;
}

export type AttachmentKind = 'file' | 'selection' | 'image' | 'pdf';

/** A piece of context sent with a question. In history: text files keep their (size-limited) text, images only their name. */
export interface TurnAttachment {
  id: string;
  kind: AttachmentKind;
  /** The chip's text: the file name, with the lines for a selection. */
  label: string;
  /** The workspace-relative path (or untitled name) and size, for the tooltip and the prompt. */
  detail: string;
  /** Path shown to the model in the attachment's header. */
  path: string;
  bytes: number;
  /** Estimated input tokens. */
  tokens: number;
  text?: string;
  /** The same text was attached again later: it is kept once, in that later attachment (this id). */
  sameAs?: string;
  languageId?: string;
  mimeType?: string;
  /** A PDF's pages (what the OCR engine bills). */
  pages?: number;
}

/** What was done before an answer so the conversation fit the model's context (see the chat's context fit). */
export interface ContextNotice {
  action: 'condensing' | 'condensed' | 'dropped' | 'too-long';
  /** Earlier messages condensed or left out. */
  olderMessages: number;
  /** Tool results cut to size. */
  cutToolResults?: number;
  /** The summary sent in their place. */
  summary?: string;
  /** Why the older messages were left out rather than condensed. */
  reason?: string;
  /** The summary request's own figures (tokens, cost). */
  stats?: AnswerStats;
  /** Estimated prompt tokens before, and the budget they had to fit. */
  estimateTokens: number;
  limitTokens: number;
}

export interface AssistantTurn {
  role: 'assistant';
  id: string;
  content: string;
  reasoning: string;
  /** The answer's structured reasoning (`reasoning_details`), sent back unmodified with it in later requests. */
  reasoningDetails?: Array<Record<string, unknown>>;
  /** The conversation was condensed or shortened before this answer. */
  context?: ContextNotice;
  /** The model asked for; `stats.model` is the one that answered. */
  model: string;
  status: AnswerStatus;
  error?: ErrorNotice;
  stats?: AnswerStats;
  generationId?: string;
  /** The web sources the answer cites, numbered in this order. */
  citations?: AnswerCitation[];
  /** While streaming: the attempt that failed, why, and when the next one starts (epoch ms). */
  retry?: { attempt: number; reason: string; retryAt: number };
  createdAt: number;
  /** Agent mode: every tool call of the task, in order. */
  toolCalls?: ToolCallView[];
  /** Agent mode: the task's steps, tokens and cost so far, and its limits. */
  agent?: AgentTaskFigures;
}

export type ChatTurn = UserTurn | AssistantTurn;

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  systemPrompt: string;
  /** Sent as `session_id` on every request of this conversation (OpenRouter groups and caches by it). */
  sessionId?: string;
  /** This chat's routing choices over the settings; absent means the settings apply as they are. */
  routing?: ChatRouting;
  /** The turns up to `throughTurnId` are sent as this summary (the conversation was condensed to fit the model). */
  condensed?: { throughTurnId: string; summary: string };
  /** Ask (absent) or Agent. */
  mode?: ChatMode;
  agent?: AgentChoices;
  turns: ChatTurn[];
}

/** Ask answers a question; Agent lets the model use tools until the task is done. */
export type ChatMode = 'ask' | 'agent';

/** One chat's Agent mode choices; each field absent means the default. */
export interface AgentChoices {
  /** Tools turned off for this chat, by name. */
  disabledTools?: string[];
  /** Edits are applied without review in this chat (commands are always confirmed). */
  autoApply?: boolean;
  /** The most one task of this chat may cost, USD (absent: `openrouter.agent.maxTaskCostUsd`). */
  maxTaskCostUsd?: number;
}

/** A question a tool asks before it acts, shown as a card in the conversation. */
export interface ToolQuestion {
  title: string;
  /** Shown verbatim in a code block, never as markdown. */
  code?: string;
  detail?: string;
  acceptLabel: string;
}

/** One tool call as the conversation shows it. */
export interface ToolCallView {
  callId: string;
  name: string;
  /** The arguments as the model sent them (shown collapsed). */
  arguments: string;
  status: 'running' | 'done' | 'error';
  summary?: string;
  durationMs?: number;
  /** Whether the user confirmed it (absent when nothing was asked). */
  confirmed?: boolean;
  /** The question waiting for the user's answer. */
  question?: ToolQuestion;
  changedFiles?: string[];
}

/** A task's figures so far, under the running answer and kept with it. */
export interface AgentTaskFigures {
  steps: number;
  maxSteps: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  maxCostUsd: number;
  /** What ended the task when a limit did (steps, cost cap, budget). */
  limitMessage?: string;
  /** Why some tools were not offered (Restricted Mode). */
  note?: string;
}
