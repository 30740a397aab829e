// What a question was sent with, under it in the conversation: one read-only chip per attachment.
import { h } from '../shared/dom';
import type { AttachmentChip } from '../../protocols/chat';

export function chipKindLabel(chip: Pick<AttachmentChip, 'kind'>): string {
  return chip.kind === 'image' ? 'Image' : chip.kind === 'pdf' ? 'PDF' : chip.kind === 'selection' ? 'Selection' : 'File';
}

/** The chip's leading icon: images and PDFs get VS Code's media and PDF icons (the font names only the glyphs the panel uses). */
export function chipIcon(chip: Pick<AttachmentChip, 'kind'>): HTMLElement | null {
  if (chip.kind !== 'image' && chip.kind !== 'pdf') return null;
  return h('span', { class: `codicon codicon-${chip.kind === 'pdf' ? 'file-pdf' : 'file-media'} chip-icon`, 'aria-hidden': 'true' });
}

export function turnAttachmentList(attachments: readonly AttachmentChip[] | undefined): HTMLElement | null {
  if (!attachments?.length) return null;
  return h(
    'ul',
    { class: 'chip-list turn-attachments', 'aria-label': 'Sent with this message' },
    ...attachments.map((chip) => h('li', { class: `chip chip-${chip.kind}`, title: chip.detail }, chipIcon(chip), h('span', { class: 'chip-label' }, chip.label), h('span', { class: 'visually-hidden' }, ` (${chipKindLabel(chip)})`))),
  );
}
