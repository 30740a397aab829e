// The request's messages for a conversation: each question with its attachments as content parts (text
// files fenced with their path, images as data-URL image parts), and cache breakpoints where the model
// takes them. Pure: the session, the estimate and the unit tests build the same messages.
import { assistantMessage, storedReasoningDetails, withSummary } from '../../answer';
import type { ChatContentPart, ChatMessage } from '../../openrouter/types';
import type { ChatTurn, TurnAttachment, UserTurn } from '../conversation';
import { cacheStyle, maxCacheBreakpoints, minCacheableTokens } from './promptCache';

export interface PromptOptions {
  /** Where the request goes: decides the cache breakpoints. */
  modelId?: string;
  /** False for a text-only model: earlier images become a note instead of an image part. */
  imagesAllowed?: boolean;
  /** Image data URLs by attachment id; an image whose data is gone (past the bounds on kept images) is not resent. */
  imageData?(id: string): string | undefined;
  /** Filled with the turn id each message came from (the summary's messages: the last turn it replaces). */
  owners?: Array<string | undefined>;
}

export interface PromptSource {
  systemPrompt: string;
  turns: readonly ChatTurn[];
  /** The turns up to `throughTurnId` are sent as this summary (the conversation was condensed to fit the model). */
  condensed?: { throughTurnId: string; summary: string };
}

/** A text attachment as the model reads it: what it is and where from, then the text in a fence it cannot close. */
export function attachmentText(attachment: TurnAttachment, text = attachment.text ?? ''): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const heading = attachment.kind === 'selection' ? 'Selection' : 'File';
  return `${heading}: ${attachment.path}\n${fence}${attachment.languageId ?? ''}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}`;
}

/** Ids of the attachments that get a cache breakpoint: large text ones, the last few (they cover the longest prefix). */
export function cacheBreakpoints(turns: readonly ChatTurn[], modelId: string | undefined): Set<string> {
  if (!modelId || cacheStyle(modelId) !== 'breakpoints') return new Set();
  const large = turns.flatMap((turn) => (turn.role === 'user' ? (turn.attachments ?? []) : [])).filter((a) => a.kind !== 'image' && a.kind !== 'pdf' && a.tokens >= minCacheableTokens);
  return new Set(large.slice(-maxCacheBreakpoints).map((a) => a.id));
}

/** Attachment texts by id, so an attachment kept once (`sameAs`) reads the text where it is kept. */
function textsById(turns: readonly ChatTurn[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const turn of turns) if (turn.role === 'user') for (const a of turn.attachments ?? []) if (a.text !== undefined) texts.set(a.id, a.text);
  return texts;
}

function resolvedText(attachment: TurnAttachment, texts: ReadonlyMap<string, string>): string {
  return attachment.text ?? texts.get(attachment.sameAs ?? '') ?? '(The text of this attachment is no longer in the chat history.)';
}

/**
 * Keeps one copy of a text attached again with the same path and content: the earlier attachment gives its
 * text to the new one (`sameAs`), so history holds it once and trimming the oldest turns keeps it longest.
 */
export function keepTextOnce(turns: readonly ChatTurn[], attachments: readonly TurnAttachment[]): void {
  const earlier = turns.flatMap((turn) => (turn.role === 'user' ? (turn.attachments ?? []) : [])).filter((a) => !attachments.includes(a));
  for (const attachment of attachments) {
    if (attachment.kind === 'image' || attachment.text === undefined) continue;
    const given = new Set<string>();
    for (const old of earlier) {
      if (old.text === undefined || old.path !== attachment.path || old.text !== attachment.text) continue;
      delete old.text;
      old.sameAs = attachment.id;
      given.add(old.id);
    }
    // Repeats that pointed at a copy given away now point at the one that holds the text.
    for (const old of earlier) if (old.sameAs !== undefined && given.has(old.sameAs)) old.sameAs = attachment.id;
  }
}

function userContent(turn: UserTurn, options: PromptOptions, breakpoints: ReadonlySet<string>, texts: ReadonlyMap<string, string>): string | ChatContentPart[] {
  const attachments = turn.attachments ?? [];
  if (attachments.length === 0) return turn.content;
  const parts: ChatContentPart[] = [];
  for (const attachment of attachments) {
    if (attachment.kind === 'image' || attachment.kind === 'pdf') continue;
    parts.push({ type: 'text', text: attachmentText(attachment, resolvedText(attachment, texts)), ...(breakpoints.has(attachment.id) ? { cache_control: { type: 'ephemeral' } } : {}) });
  }
  parts.push({ type: 'text', text: turn.content });
  for (const attachment of attachments) {
    if (attachment.kind === 'pdf') {
      parts.push(pdfPart(attachment, options.imageData?.(attachment.id)));
      continue;
    }
    if (attachment.kind !== 'image') continue;
    const data = options.imagesAllowed === false ? undefined : options.imageData?.(attachment.id);
    if (data) parts.push({ type: 'image_url', image_url: { url: data } });
    else parts.push({ type: 'text', text: `[The image ${attachment.label} was attached here; it is not sent again.]` });
  }
  return parts;
}

/** A PDF as a `file` part (any model: OpenRouter parses it for those without file input), or a note once its data is gone. */
function pdfPart(attachment: TurnAttachment, data: string | undefined): ChatContentPart {
  if (data) return { type: 'file', file: { filename: attachment.label, file_data: data } };
  return { type: 'text', text: `[The PDF ${attachment.label} was attached here; it is not sent again.]` };
}

/**
 * System prompt, then every turn (answers that never started are left out; answers keep their reasoning
 * details, sent back unmodified), then `next` when given. Turns a summary replaces are sent as that summary.
 */
export function buildRequestMessages(source: PromptSource, options: PromptOptions = {}, next?: UserTurn): ChatMessage[] {
  const all = next ? [...source.turns, next] : source.turns;
  const through = source.condensed ? all.findIndex((t) => t.id === source.condensed!.throughTurnId) : -1;
  const turns = through >= 0 ? all.slice(through + 1) : all;
  const breakpoints = cacheBreakpoints(turns, options.modelId);
  const texts = textsById(all);
  const messages: ChatMessage[] = [];
  const owners = options.owners ?? [];
  const push = (message: ChatMessage, owner: string | undefined): void => {
    messages.push(message);
    owners.push(owner);
  };
  const system = source.systemPrompt.trim();
  if (system) push({ role: 'system', content: system }, undefined);
  if (through >= 0) for (const message of withSummary({ head: [], recent: [] }, source.condensed!.summary)) push(message, source.condensed!.throughTurnId);
  for (const turn of turns) {
    if (turn.role === 'assistant') {
      if (turn.content !== '') push(assistantMessage(turn.content, undefined, storedReasoningDetails(turn.reasoningDetails)), turn.id);
      continue;
    }
    push({ role: 'user', content: userContent(turn, options, breakpoints, texts) }, turn.id);
  }
  return messages;
}

/** The turn as the panel may see it: attachment chips without their text, answers without their reasoning blocks (only requests need them). */
export function withoutAttachmentText<T extends ChatTurn>(turn: T): T {
  if (turn.role === 'assistant') {
    if (!turn.reasoningDetails) return turn;
    const { reasoningDetails: _details, ...shown } = turn;
    return shown as T;
  }
  if (turn.role !== 'user' || !turn.attachments) return turn;
  return { ...turn, attachments: turn.attachments.map(({ text: _text, ...chip }) => chip) };
}
