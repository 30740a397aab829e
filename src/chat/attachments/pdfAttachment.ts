// PDFs in the chat, from OpenRouter's "PDF Inputs" guide: sent as `file` content parts (a base64 data URL),
// read natively by models whose input modalities include `file`, otherwise parsed by OpenRouter's
// `file-parser` plugin. With no engine named, a model without file input gets the paid OCR engine
// (mistral-ocr, $2 per 1,000 pages), so the request always names one: `native`, the free `cloudflare-ai`
// text engine by default, or `mistral-ocr` only when the user chose it. Pure, no vscode import.
import type { ChatMessage, ChatRequest, Model } from '../../openrouter/types';
import type { TurnAttachment } from '../conversation';
import { formatBytes } from './limits';

export const PDF_MIME = 'application/pdf';
/** Larger PDFs are refused before reading: a request carries the whole file, base64-encoded. */
export const maxPdfBytes = 10 * 1024 * 1024;
/** USD per page for the OCR engine (OpenRouter: $2 per 1,000 pages). */
export const OCR_PRICE_PER_PAGE_USD = 0.002;
/** A rough count for the estimate: a page of prose is a few hundred tokens. */
export const PDF_PAGE_TOKENS = 600;

export type PdfEngine = 'native' | 'cloudflare-ai' | 'mistral-ocr';
/** What the user may choose for models that cannot read files themselves. */
export type PdfParser = Exclude<PdfEngine, 'native'>;
export const DEFAULT_PDF_PARSER: PdfParser = 'cloudflare-ai';

export function modelReadsFiles(model: Pick<Model, 'architecture'> | undefined): boolean {
  return model?.architecture?.input_modalities?.includes('file') === true;
}

/** The engine a request names: the model's own reading when it has it, else the chosen parser (free by default). */
export function pdfEngineFor(readsFiles: boolean, chosen: PdfParser | undefined): PdfEngine {
  return readsFiles ? 'native' : (chosen ?? DEFAULT_PDF_PARSER);
}

export function fileParserPlugin(engine: PdfEngine): { id: 'file-parser'; pdf: { engine: PdfEngine } } {
  return { id: 'file-parser', pdf: { engine } };
}

/** The request's `plugins` when it carries PDFs: the engine always named, so the paid default never applies by omission. */
export function pdfRequestFields(messages: readonly ChatMessage[], readsFiles: boolean, chosen: PdfParser | undefined): Pick<ChatRequest, 'plugins'> {
  return hasFileParts(messages) ? { plugins: [fileParserPlugin(pdfEngineFor(readsFiles, chosen))] } : {};
}

/** True when some message carries a file part (a PDF attached now or earlier in the chat). */
export function hasFileParts(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => Array.isArray(m.content) && m.content.some((part) => part.type === 'file'));
}

/** Pages of a PDF: the page objects it lists, or its page tree's count when they sit in compressed streams. */
export function pdfPageCount(bytes: Uint8Array): number {
  const text = new TextDecoder('latin1').decode(bytes);
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => Number(m[1] ?? m[2]));
  return Math.max(1, pages, ...counts);
}

/** Why this file cannot be attached as a PDF, or undefined when it can. */
export function pdfProblem(name: string, bytes: Uint8Array): string | undefined {
  if (bytes.byteLength === 0) return `${name} is empty.`;
  if (bytes.byteLength > maxPdfBytes) return `${name} is ${formatBytes(bytes.byteLength)}; PDFs are sent up to ${formatBytes(maxPdfBytes)}. Attach the pages you need as a smaller PDF.`;
  if (new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0) return `${name} is not a PDF (it does not start like one).`;
  return undefined;
}

export type PdfRead = { ok: true; attachment: TurnAttachment; dataUrl: string } | { ok: false; problem: string };

/** A PDF as the chat keeps it: a chip with its pages, and the data URL the request sends. */
export function pdfAttachment(name: string, path: string, bytes: Uint8Array): PdfRead {
  const problem = pdfProblem(name, bytes);
  if (problem) return { ok: false, problem };
  const pages = pdfPageCount(bytes);
  const dataUrl = `data:${PDF_MIME};base64,${Buffer.from(bytes).toString('base64')}`;
  const attachment: TurnAttachment = {
    id: crypto.randomUUID(),
    kind: 'pdf',
    label: name,
    detail: `${path} · ${formatBytes(bytes.byteLength)} · ${pages} page${pages === 1 ? '' : 's'}`,
    path,
    bytes: bytes.byteLength,
    tokens: pages * PDF_PAGE_TOKENS,
    pages,
    mimeType: PDF_MIME,
  };
  return { ok: true, attachment, dataUrl };
}

/** A data URL's bytes when it is a base64 PDF; undefined for anything else. */
export function pdfBytesOf(dataUrl: string): Uint8Array | undefined {
  const match = /^data:application\/pdf;base64,([A-Za-z0-9+/]*={0,2})$/.exec(dataUrl);
  return match ? new Uint8Array(Buffer.from(match[1]!, 'base64')) : undefined;
}

/** Pages the OCR engine would bill in these messages' file parts (every PDF is parsed again on each request). */
export function ocrPages(attachments: readonly TurnAttachment[]): number {
  return attachments.filter((a) => a.kind === 'pdf').reduce((sum, a) => sum + (a.pages ?? 1), 0);
}
