// The first message the extension sent with the page (src/util/pageMessage.ts), handed to the page's message
// listeners as if it had been posted, once they are all listening: the page draws its state without a round trip.
import { firstMessageId } from '../../util/pageMessage';

/** Delivers the page's first message, if it came with one; the block is removed so it is delivered once. */
export function deliverFirstMessage(): void {
  const block = document.getElementById(firstMessageId);
  if (!block) return;
  block.remove();
  let data: unknown;
  try {
    data = JSON.parse(block.textContent ?? '');
  } catch {
    return;
  }
  window.dispatchEvent(new MessageEvent('message', { data }));
}
