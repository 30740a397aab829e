import type { Conversation } from '../../src/chat/conversation';

/** A saved chat of one question (`words` long, with images of these attachment ids) and its answer. */
export function savedChat(id: string, words = 1, updatedAt = Date.now(), imageIds: string[] = []): Conversation {
  const attachments = imageIds.map((imageId) => ({ id: imageId, kind: 'image' as const, label: `${imageId}.png`, detail: `${imageId}.png`, path: `${imageId}.png`, bytes: 10, tokens: 765, mimeType: 'image/png' }));
  return {
    id,
    title: `Chat ${id}`,
    createdAt: updatedAt,
    updatedAt,
    systemPrompt: '',
    turns: [
      { role: 'user', id: `${id}-u`, content: 'word '.repeat(words), createdAt: updatedAt, ...(attachments.length ? { attachments } : {}) },
      { role: 'assistant', id: `${id}-a`, content: 'answer', reasoning: '', model: 'm', status: 'done', createdAt: updatedAt },
    ],
  };
}
