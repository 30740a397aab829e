// What Compare Models may send: attachments from excluded paths are dropped, and secrets are cut from the
// attachments' text and from the prompt (src/exclusion decides both).
import type { ContentGate } from '../exclusion/contentGate';
import type { CompareAttachment } from './compareRequest';

/** The attachments that may be sent, secrets removed; `dropped` says, per attachment left out, why. */
export async function screenAttachments(gate: ContentGate, attachments: readonly CompareAttachment[]): Promise<{ attachments: CompareAttachment[]; dropped: string[] }> {
  const kept: CompareAttachment[] = [];
  const dropped: string[] = [];
  for (const attachment of attachments) {
    const exclusion = gate.isExcludedPath(attachment.name);
    if (exclusion) {
      dropped.push(gate.explain(attachment.name, exclusion));
      continue;
    }
    if (attachment.kind === 'image') kept.push(attachment);
    else kept.push({ ...attachment, text: (await gate.stripSecrets(attachment.text, `Compare Models attachment ${attachment.name}`)).text });
  }
  return { attachments: kept, dropped };
}
