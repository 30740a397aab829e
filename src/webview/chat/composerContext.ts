// The composer's context, browser side: attachment chips (removable by mouse or keyboard), the attach
// button, `@` in the input opening the extension's picker, pasted or dropped images, and the line
// estimating what Enter would send. The extension holds the attachments; this shows them.
import { chipIcon, chipKindLabel } from './attachmentChips';
import { h } from '../shared/dom';
import { formatUsd } from '../../util/usd';
import type { AttachmentChip, ExtensionMessage, SendEstimate } from '../../protocols/chat';
import type { VsCodeApi } from './vscodeApi';

export interface ComposerSlots {
  chips: HTMLElement;
  tools: HTMLElement;
  estimate: HTMLElement;
}

/** Draft changes are sent this long after the last keystroke: the estimate follows typing without a message per key. */
const draftDelayMs = 150;
/** Larger images are refused by the extension anyway; reading them here would only hold the page up. */
const maxImageBytes = 5 * 1024 * 1024;

export class ComposerContext {
  private chips: AttachmentChip[] = [];
  private problem: string | undefined;
  /** Where the `@` that opened the picker was typed; removed once the picker attached something. */
  private atPosition: number | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly chipList = h('ul', { class: 'chip-list', 'aria-label': 'Attachments' });
  private readonly problemLine = h('div', { class: 'attach-problem', role: 'alert', hidden: true });
  private readonly attachButton = h(
    'button',
    { type: 'button', id: 'attach', class: 'icon-only', 'aria-label': 'Attach a file, the selection or an image (or type @)', title: 'Attach a file, the selection or an image (or type @)' },
    h('span', { class: 'codicon codicon-attach', 'aria-hidden': 'true' }),
  );

  constructor(
    private readonly slots: ComposerSlots,
    private readonly input: HTMLTextAreaElement,
    private readonly vscode: VsCodeApi,
  ) {
    slots.chips.append(this.chipList, this.problemLine);
    slots.tools.append(this.attachButton);
    this.attachButton.addEventListener('click', () => this.vscode.postMessage({ type: 'attach', trigger: 'button' }));
    this.chipList.addEventListener('click', (event) => this.onChipClick(event));
    this.chipList.addEventListener('keydown', (event) => this.onChipKey(event));
    input.addEventListener('input', (event) => this.onInput(event));
    input.addEventListener('keydown', (event) => this.onInputKey(event));
    input.addEventListener('paste', (event) => this.onPaste(event));
    const composer = input.closest('footer') ?? input;
    composer.addEventListener('dragover', (event) => {
      if ([...(event.dataTransfer?.items ?? [])].some((item) => item.kind === 'file')) event.preventDefault();
    });
    composer.addEventListener('drop', (event) => this.onDrop(event));
    window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => this.onMessage(event.data));
    this.render();
  }

  private onMessage(message: ExtensionMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.chips = message.snapshot.attachments ?? [];
        this.problem = undefined;
        this.render();
        this.draftSoon();
        break;
      case 'attachments':
        this.chips = message.attachments;
        this.problem = message.problem;
        if (message.consumeAt) this.removeAt();
        this.atPosition = undefined;
        this.render();
        if (message.consumeAt || message.problem) this.input.focus();
        break;
      case 'estimate':
        this.renderEstimate(message.estimate);
        break;
      case 'turnAdded':
      case 'turnRemoved':
      case 'models':
      case 'draft':
        // The conversation, the model or the input changed: the estimate is taken again.
        this.draftSoon();
        break;
      default:
        break;
    }
  }

  private onInput(event: Event): void {
    this.draftSoon();
    if (!(event instanceof InputEvent) || event.data !== '@') return;
    const at = (this.input.selectionStart ?? 0) - 1;
    const before = at > 0 ? this.input.value[at - 1] : undefined;
    if (this.input.value[at] !== '@' || (before !== undefined && !/\s/.test(before))) return;
    this.atPosition = at;
    this.vscode.postMessage({ type: 'attach', trigger: 'at' });
  }

  /** Backspace at the very start of the input moves to the last chip, as in other chat inputs. */
  private onInputKey(event: KeyboardEvent): void {
    if (event.key !== 'Backspace' || this.input.selectionStart !== 0 || this.input.selectionEnd !== 0 || this.chips.length === 0) return;
    event.preventDefault();
    this.focusChip(this.chips.length - 1);
  }

  private removeAt(): void {
    const at = this.atPosition;
    if (at === undefined || this.input.value[at] !== '@') return;
    this.input.value = this.input.value.slice(0, at) + this.input.value.slice(at + 1);
    this.input.setSelectionRange(at, at);
    // Lets the panel save the draft and size the input again, as for typed text.
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private draftSoon(): void {
    if (this.draftTimer !== undefined) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => {
      this.draftTimer = undefined;
      this.vscode.postMessage({ type: 'draftChanged', text: this.input.value });
    }, draftDelayMs);
  }

  private onChipClick(event: MouseEvent): void {
    const button = event.target instanceof Element ? event.target.closest('button[data-remove]') : null;
    if (button instanceof HTMLElement && button.dataset.remove) this.remove(button.dataset.remove);
  }

  private onChipKey(event: KeyboardEvent): void {
    const chip = event.target instanceof Element ? event.target.closest<HTMLElement>('li.chip') : null;
    if (!chip?.dataset.id) return;
    const index = this.chips.findIndex((c) => c.id === chip.dataset.id);
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      this.remove(chip.dataset.id);
    } else if (event.key === 'ArrowLeft' && index > 0) {
      event.preventDefault();
      this.focusChip(index - 1);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      if (index < this.chips.length - 1) this.focusChip(index + 1);
      else this.input.focus();
    }
  }

  /** Removes at once on screen (the extension confirms with the new list); the focus goes to a neighbour or the input. */
  private remove(id: string): void {
    const index = this.chips.findIndex((c) => c.id === id);
    if (index < 0) return;
    this.chips = this.chips.filter((c) => c.id !== id);
    this.vscode.postMessage({ type: 'removeAttachment', id });
    this.render();
    if (this.chips.length === 0) this.input.focus();
    else this.focusChip(Math.min(index, this.chips.length - 1));
  }

  private focusChip(index: number): void {
    this.chipList.querySelectorAll<HTMLElement>('li.chip')[index]?.focus();
  }

  private onPaste(event: ClipboardEvent): void {
    const images = [...(event.clipboardData?.files ?? [])].filter((file) => file.type.startsWith('image/'));
    if (images.length === 0) return;
    event.preventDefault();
    images.forEach((file) => this.readImage(file));
  }

  private onDrop(event: DragEvent): void {
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    const images = files.filter((file) => file.type.startsWith('image/'));
    const pdfs = files.filter((file) => file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf'));
    if (images.length + pdfs.length < files.length) this.showProblem('Only images and PDFs can be dropped here. Attach files with @ or the attach button.');
    images.forEach((file) => this.readImage(file));
    pdfs.forEach((file) => this.readPdf(file));
  }

  /** The extension checks the data itself (type, size, pages); the page only reads the file. */
  private readPdf(file: File): void {
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      if (typeof reader.result === 'string') this.vscode.postMessage({ type: 'addPdf', name: file.name, dataUrl: reader.result.replace(/^data:[^;,]*;/, 'data:application/pdf;') });
    });
    reader.addEventListener('error', () => this.showProblem(`${file.name} could not be read.`));
    reader.readAsDataURL(file);
  }

  private readImage(file: File): void {
    const name = file.name || `pasted image.${file.type.replace('image/', '')}`;
    if (file.size > maxImageBytes) {
      this.showProblem(`${name} is ${(file.size / (1024 * 1024)).toFixed(1)} MB; images are sent up to 5.0 MB. Resize or crop it and attach it again.`);
      return;
    }
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      if (typeof reader.result === 'string') this.vscode.postMessage({ type: 'addImage', name, mimeType: file.type, dataUrl: reader.result });
    });
    reader.addEventListener('error', () => this.showProblem(`${name} could not be read.`));
    reader.readAsDataURL(file);
  }

  private showProblem(problem: string): void {
    this.problem = problem;
    this.render();
  }

  private render(): void {
    this.chipList.replaceChildren(
      ...this.chips.map((chip) =>
        h(
          'li',
          { class: `chip chip-${chip.kind}`, 'data-id': chip.id, tabindex: '0', title: `${chip.detail} · about ${chip.tokens.toLocaleString('en-US')} tokens`, 'aria-label': `${chipKindLabel(chip)} ${chip.label}, about ${chip.tokens.toLocaleString('en-US')} tokens. Delete removes it.` },
          chipIcon(chip),
          h('span', { class: 'chip-label' }, chip.label),
          h('button', { type: 'button', class: 'chip-remove', 'data-remove': chip.id, 'aria-label': `Remove ${chip.label}`, title: `Remove ${chip.label}`, tabindex: '-1' }, h('span', { class: 'codicon codicon-close', 'aria-hidden': 'true' })),
        ),
      ),
    );
    this.chipList.hidden = this.chips.length === 0;
    this.problemLine.textContent = this.problem ?? '';
    this.problemLine.hidden = this.problem === undefined;
    this.slots.chips.hidden = this.chips.length === 0 && this.problem === undefined;
  }

  private renderEstimate(estimate: SendEstimate | undefined): void {
    const slot = this.slots.estimate;
    slot.classList.toggle('warning', Boolean(estimate?.contextWarning || estimate?.imageRefusal));
    if (!estimate) {
      slot.replaceChildren();
      slot.removeAttribute('title');
      delete slot.dataset.tokens;
      delete slot.dataset.costUsd;
      return;
    }
    // The exact figures, for anyone reading the page (the text rounds the cost).
    slot.dataset.tokens = String(estimate.inputTokens);
    if (estimate.costUsd !== undefined) slot.dataset.costUsd = String(estimate.costUsd);
    else delete slot.dataset.costUsd;
    const parts = [`≈ ${estimate.inputTokens.toLocaleString('en-US')} tokens`];
    if (estimate.costUsd !== undefined) parts.push(formatUsd(estimate.costUsd));
    if (estimate.contextLength) parts.push(`${Math.min(999, Math.ceil((estimate.inputTokens / estimate.contextLength) * 100))}% of context`);
    if (estimate.cacheableAttachments > 0) parts.push(`${estimate.cacheableAttachments} cacheable`);
    if (estimate.webSearchUsd !== undefined) parts.push(`web search up to ${formatUsd(estimate.webSearchUsd)}`);
    if (estimate.pdfEngine) parts.push(estimate.pdfEngine === 'mistral-ocr' ? `PDF OCR ${formatUsd(estimate.pdfUsd)}` : estimate.pdfEngine === 'native' ? 'PDF read by the model' : 'PDF text engine (free)');
    const warnings = [estimate.imageRefusal, estimate.contextWarning].filter((w): w is string => Boolean(w));
    slot.replaceChildren(h('span', { class: 'estimate-figures' }, parts.join(' · ')), ...warnings.map((w) => h('span', { class: 'estimate-warning' }, w)));
    const search = estimate.webSearchUsd !== undefined ? ` Web search is on: the model decides how many searches to run (a few at most, ${formatUsd(estimate.webSearchUsd)} in all), included above.` : '';
    slot.title = `Estimated input for ${estimate.modelName}${estimate.costUsd !== undefined ? ', at its prompt price' : ''}. The answer's tokens come on top.${search}`;
  }
}
