// The token estimate of one message of VS Code's chat (text, tool calls and results, images), from the shared
// text estimate.
import { estimateTextTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD } from '../models/tokenEstimate';
import { recognisePart, toolResultText } from './messages';
import type { RequestMessageLike } from './messages';

export function estimateMessageTokens(message: string | RequestMessageLike): number {
  if (typeof message === 'string') return estimateTextTokens(message);
  let total = MESSAGE_OVERHEAD;
  for (const raw of message.content) {
    const part = recognisePart(raw);
    if (part.kind === 'text') total += estimateTextTokens(part.text);
    else if (part.kind === 'toolCall') total += estimateTextTokens(part.name) + estimateTextTokens(JSON.stringify(part.input ?? {})) + MESSAGE_OVERHEAD;
    else if (part.kind === 'toolResult') {
      const { text, images } = toolResultText(part.content);
      total += estimateTextTokens(text) + images.length * IMAGE_TOKENS + MESSAGE_OVERHEAD;
    } else if (part.kind === 'data') total += part.mimeType.startsWith('image/') ? IMAGE_TOKENS : Math.ceil(part.data.byteLength / 4);
  }
  return total;
}
