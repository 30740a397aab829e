// The composer's context, extension side: the attachments waiting for the next question (chips), the
// `@` picker, pasted images, the estimate Enter would cost, and the checks before a question is sent.
import type { ContextStrategy } from '../../answer';
import type { ContentGate } from '../../exclusion/contentGate';
import type { Log } from '../../log/logger';
import type { ModelCatalog } from '../../models/modelCatalog';
import { Disposable } from '../../util/dispose';
import { errorText } from '../../util/errorText';
import type { TurnAttachment, UserTurn } from '../conversation';
import type { AttachmentChip, ExtensionMessage } from '../../protocols/chat';
import type { ChatSession } from '../chatSession';
import { imageAttachment, type ReadResult } from './attachmentReader';
import { pickAttachment } from './attachmentPicker';
import { maxAttachments, parseImageDataUrl, tooManyAttachments } from './limits';
import { cacheBreakpoints } from './promptBuilder';
import { imageRefusal, imageRefusalAdvice, modelReadsImages, sendEstimate, type PdfEstimate } from './sendEstimate';
import { modelReadsFiles, ocrPages, pdfAttachment, pdfBytesOf, pdfEngineFor, type PdfParser } from './pdfAttachment';

export interface ContextControllerDeps {
  session: ChatSession;
  catalog: ModelCatalog;
  post(message: ExtensionMessage): void;
  /** Shows the chat view (after the picker, so the user can type on). */
  reveal(): Promise<void>;
  log: Log;
  /** What is never attached (excluded files, links out of the workspace) and the secrets cut from what is. */
  gate: ContentGate;
  /** `openrouter.chat.contextOverflow`, for what the estimate says will happen to older turns. */
  overflow?(): ContextStrategy;
}

/** An attachment as Compare Models takes it. */
export type HandedOverAttachment = { kind: 'text'; name: string; text: string } | { kind: 'image'; name: string; dataUrl: string };

export class ChatContextController extends Disposable {
  private pending: TurnAttachment[] = [];
  private readonly imageData = new Map<string, string>();
  private draft = '';

  constructor(private readonly deps: ContextControllerDeps) {
    super();
    this._register(deps.catalog.onDidChange((change) => (change === 'recent' ? undefined : this.postEstimate())));
  }

  get chips(): AttachmentChip[] {
    return this.pending.map(({ text: _text, ...chip }) => chip);
  }

  /** False only for a model the catalog knows reads text only (unknown models are given the benefit). */
  readsImages(modelId: string): boolean {
    const model = this.deps.catalog.find(modelId);
    return model ? modelReadsImages(model) : true;
  }

  async attach(trigger: 'at' | 'button' | 'command'): Promise<void> {
    let result: ReadResult | undefined;
    try {
      result = await pickAttachment(this.deps.gate);
    } catch (error) {
      result = { ok: false, problem: `The file could not be read: ${errorText(error)}` };
    }
    if (trigger !== 'at' || result) await this.deps.reveal();
    if (!result) return;
    this.add(result, trigger === 'at');
  }

  /** A pasted or dropped image: its type and size are read from the data itself, not from what the page says. */
  addImage(name: string, dataUrl: string): void {
    const parsed = parseImageDataUrl(dataUrl);
    const label = name.trim().slice(0, 120) || 'pasted image';
    if (!parsed) return this.add({ ok: false, problem: `${label} could not be read as an image.` }, false);
    this.add(imageAttachment(label, label, parsed.mimeType, dataUrl, parsed.bytes), false);
  }

  /** A dropped PDF: its type and pages are read from the data itself, not from what the page says. */
  addPdf(name: string, dataUrl: string): void {
    const label = name.trim().slice(0, 120) || 'dropped.pdf';
    const bytes = pdfBytesOf(dataUrl);
    this.add(bytes ? pdfAttachment(label, label, bytes) : { ok: false, problem: `${label} could not be read as a PDF.` }, false);
  }

  remove(id: string): void {
    const before = this.pending.length;
    this.pending = this.pending.filter((a) => a.id !== id);
    this.imageData.delete(id);
    if (this.pending.length !== before) this.changed();
  }

  /**
   * The draft and the attachments waiting in the composer, for Compare Models: text attachments with their
   * path, images as data URLs. The composer keeps them (the user may still send them here).
   */
  handOver(): { prompt: string; attachments: HandedOverAttachment[] } {
    const attachments: HandedOverAttachment[] = [];
    for (const a of this.pending) {
      const dataUrl = a.kind === 'image' ? this.imageData.get(a.id) : undefined;
      if (dataUrl) attachments.push({ kind: 'image', name: a.label, dataUrl });
      else if (a.kind !== 'image' && a.text !== undefined) attachments.push({ kind: 'text', name: a.path || a.label, text: a.text });
    }
    return { prompt: this.draft, attachments };
  }

  /** The chat's routing changed (web search on or off): the estimate is taken again. */
  routingChanged(): void {
    this.postEstimate();
  }

  draftChanged(text: string): void {
    this.draft = text;
    this.postEstimate();
  }

  /** Sends the question with the chips: refused before anything goes out when the model cannot read its images. */
  async send(text: string): Promise<void> {
    const modelId = this.deps.catalog.selectedModelId;
    if (modelId && this.pending.some((a) => a.kind === 'image') && !this.readsImages(modelId)) {
      this.deps.post({
        type: 'sendRejected',
        text,
        error: { kind: 'other', message: imageRefusal(modelId, this.deps.catalog.find(modelId)), advice: imageRefusalAdvice, action: { label: 'Choose Model', action: 'selectModel' } },
      });
      return;
    }
    const accepted = await this.deps.session.send(text, { attachments: this.pending, imageData: this.imageData });
    if (!accepted) return;
    this.pending = [];
    this.imageData.clear();
    this.draft = '';
    this.changed();
  }

  private add(result: ReadResult, consumeAt: boolean): void {
    if (!result.ok) {
      this.deps.post({ type: 'attachments', attachments: this.chips, consumeAt, problem: result.problem });
      return;
    }
    if (this.pending.length >= maxAttachments) {
      this.deps.post({ type: 'attachments', attachments: this.chips, consumeAt, problem: tooManyAttachments() });
      return;
    }
    const { attachment, dataUrl } = result;
    // The same file or selection twice is one attachment: the newer text replaces the older.
    this.pending = this.pending.filter((a) => a.kind === 'image' || a.kind !== attachment.kind || a.path !== attachment.path);
    this.pending.push(attachment);
    if (dataUrl) this.imageData.set(attachment.id, dataUrl);
    this.deps.log.debug(`Attached ${attachment.kind} ${attachment.path} (${attachment.bytes} bytes, ~${attachment.tokens} tokens).`);
    this.changed(consumeAt);
  }

  private changed(consumeAt = false): void {
    this.deps.post({ type: 'attachments', attachments: this.chips, ...(consumeAt ? { consumeAt } : {}) });
    this.postEstimate();
  }

  private postEstimate(): void {
    const modelId = this.deps.catalog.selectedModelId;
    if (!modelId || (this.draft.trim() === '' && this.pending.length === 0)) {
      this.deps.post({ type: 'estimate', estimate: undefined });
      return;
    }
    const next: UserTurn = { role: 'user', id: 'next', content: this.draft, createdAt: 0, ...(this.pending.length ? { attachments: this.pending } : {}) };
    const messages = this.deps.session.messagesWith(next, modelId, this.imageData);
    const routing = this.deps.session.current.routing;
    this.deps.post({
      type: 'estimate',
      estimate: sendEstimate({
        modelId,
        model: this.deps.catalog.find(modelId),
        messages,
        newImages: this.pending.filter((a) => a.kind === 'image').length,
        webSearch: routing?.webSearch === true,
        pdf: this.pdfEstimate(modelId, [...this.deps.session.current.turns.flatMap((t) => (t.role === 'user' ? (t.attachments ?? []) : [])), ...this.pending], routing?.pdfEngine),
        ...(this.deps.overflow ? { overflow: this.deps.overflow() } : {}),
        cacheableAttachments: [...cacheBreakpoints([...this.deps.session.current.turns, next], modelId)].filter((id) => this.pending.some((a) => a.id === id)).length,
      }),
    });
  }

  /** The PDFs the request would carry: their pages and the engine it names for them. */
  private pdfEstimate(modelId: string, attachments: readonly TurnAttachment[], chosen: PdfParser | undefined): PdfEstimate | undefined {
    const pages = ocrPages(attachments);
    return pages > 0 ? { pages, engine: pdfEngineFor(modelReadsFiles(this.deps.catalog.find(modelId)), chosen) } : undefined;
  }
}
