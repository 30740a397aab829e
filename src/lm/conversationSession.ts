// The OpenRouter `session_id` for requests from the editor's chat, which gives a model provider no
// handle for the conversation a request belongs to (only `requestInitiator`, even in the proposed API).
//
// Why not a hash of the first user message: the editor's chat usually opens every conversation with
// injected context (environment and workspace details, instructions) as its first user message, the
// same for every conversation in a workspace, so that hash put unrelated conversations in one session.
//
// What this uses instead: everything the user side said before the model first answered, that is the
// injected context AND the user's own first request. On the first request of a conversation that is
// all of its user messages; on every later request (tool rounds, next turns) the same messages come
// back unchanged before the first assistant message, so the id stays the same through the conversation
// and differs between conversations whose first request differs. Two conversations that open with the
// very same request in the same workspace still share an id; that only groups them in OpenRouter's
// logs. If the editor re-renders the injected context differently on a later turn, the id changes: the
// conversation then shows as two sessions, which is harmless (OpenRouter's own sticky routing still
// keeps a prompt cache warm without a session id).
import { createHash } from 'node:crypto';
import { MessageRole, recognisePart } from './messages';
import type { RequestMessageLike } from './messages';

export function conversationSessionId(messages: readonly RequestMessageLike[]): string | undefined {
  const firstAnswer = messages.findIndex((message) => message.role === MessageRole.Assistant);
  const opening = (firstAnswer === -1 ? messages : messages.slice(0, firstAnswer)).filter((message) => message.role === MessageRole.User);
  const texts = opening.map((message) =>
    message.content
      .map((part) => {
        const recognised = recognisePart(part);
        return recognised.kind === 'text' ? recognised.text : '';
      })
      .join(''),
  );
  if (!texts.some((text) => text !== '')) return undefined;
  const hash = createHash('sha256');
  // Length-prefixed, so ["ab", "c"] and ["a", "bc"] differ.
  for (const text of texts) hash.update(`${text.length}:${text}`);
  return `vscode-${hash.digest('hex').slice(0, 32)}`;
}
