/**
 * A new id for one conversation. Keep it with the conversation (it is persisted with the chat history)
 * and send it on every request of that conversation, so OpenRouter groups them and can keep the
 * conversation on the provider that holds its prompt cache.
 */
export function newSessionId(): string {
  return `chat-${crypto.randomUUID()}`;
}
