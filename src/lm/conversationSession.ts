// A stable OpenRouter `session_id` for requests from the editor's chat, which gives a model provider
// no handle for the conversation a request belongs to (only `requestInitiator`, even in the proposed
// API). Each request carries the whole conversation so far, and its first user message stays the same
// on every turn: the id is a hash of it, so all requests of one conversation share an id, and a new
// conversation gets a new one. Two conversations that open with the very same words share an id,
// which only groups them in OpenRouter's logs and keeps them on the same cached provider.
import { createHash } from 'node:crypto';
import { MessageRole, recognisePart } from './messages';
import type { RequestMessageLike } from './messages';

export function conversationSessionId(messages: readonly RequestMessageLike[]): string | undefined {
  const first = messages.find((message) => message.role === MessageRole.User && message.content.some((part) => recognisePart(part).kind === 'text'));
  if (!first) return undefined;
  const text = first.content.map((part) => {
    const recognised = recognisePart(part);
    return recognised.kind === 'text' ? recognised.text : '';
  });
  return `vscode-${createHash('sha256').update(text.join('')).digest('hex').slice(0, 32)}`;
}
