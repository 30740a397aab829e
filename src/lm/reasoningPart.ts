// An answer's `reasoning_details` carried through VS Code's chat history: reported as a data part with a
// private mime type on the response, they come back in the next request's assistant message (the stable API
// keeps data parts both ways), where they are sent back unmodified. Plain data, unit-tested without VS Code.
import { storedReasoningDetails, type ReasoningDetail } from '../answer/reasoningDetails';

/** The private mime type of the part; nothing else reads it, and it is never sent to a model as content. */
export const REASONING_DETAILS_MIME = 'application/vnd.openrouter.reasoning-details+json';

export function encodeReasoningDetails(details: readonly ReasoningDetail[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(details));
}

/** The details in a part's bytes; undefined when they are not a JSON array of reasoning blocks. */
export function decodeReasoningDetails(data: Uint8Array): ReasoningDetail[] | undefined {
  try {
    return storedReasoningDetails(JSON.parse(new TextDecoder().decode(data)));
  } catch {
    return undefined;
  }
}
