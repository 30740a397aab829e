// The typed messages between the chat view (extension side) and its webview (browser side).
// Imported with `import type` by both, so nothing here may exist at run time except types.

import type { ChatMode, AgentChoices, AgentPanelState, ToolCallView, AgentTaskFigures } from './chatAgent';

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

/**
 * One chat's routing choices (OpenRouter provider routing, fallbacks, reasoning effort). Each field
 * present replaces the `openrouter.routing.*` setting of the same name for this chat only.
 */
export interface ChatRouting {
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
  /** Only providers serving these quantization levels (`int8`, `fp8`…). */
  quantizations?: string[];
  /** The most this chat pays, USD per million prompt / completion tokens (`max_price`); 0: no limit. */
  maxPriceIn?: number;
  maxPriceOut?: number;
  /** Prefer providers at least this fast (tokens/s, median) / at most this slow to start (seconds, median); 0: none. */
  minThroughput?: number;
  maxLatency?: number;
  /** Only providers that support every parameter the request sends. */
  requireParameters?: boolean;
}

/** A provider serving the chosen model (its endpoints), for the routing panel's pin and exclude. */
export interface ProviderChoice {
  name: string;
  /** Price, context and speed in a line. */
  summary: string;
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

export type ErrorKind = 'stream' | 'credits' | 'rate-limit' | 'network' | 'timeout' | 'auth' | 'no-key' | 'config' | 'parse' | 'cancelled' | 'other';

/** What the webview may ask the extension to run on the user's behalf (a closed list). */
export type ChatAction = 'setApiKey' | 'selectModel' | 'openCredits' | 'openSettings' | 'openProxySettings' | 'showLog';

/** An error shown inline under the answer it ended, with what the user can do about it. */
export interface ErrorNotice {
  kind: ErrorKind;
  message: string;
  advice: string;
  /** Seconds OpenRouter asked to wait before retrying (429), when it said. */
  retryAfterSeconds?: number;
  /** When that wait ends (epoch ms), for a countdown that stays right when the chat is shown again later. */
  retryAt?: number;
  action?: { label: string; action: ChatAction };
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
