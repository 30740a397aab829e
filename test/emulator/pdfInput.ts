// PDFs in a chat request, from OpenRouter's "PDF Inputs" guide (`guides/overview/multimodal/pdfs.mdx`) and its
// constants (`snippets/exports/constants.mdx`): `file` content parts `{filename, file_data}` (a base64 data URL
// or an address); the `file-parser` plugin's `pdf.engine` is `native` (models whose input modalities include
// `file`), `cloudflare-ai` (free; `pdf-text` is its old name) or `mistral-ocr` ($2 per 1,000 pages). Named or
// not, a model with file input reads the file itself; without a named engine, a model without file input
// gets the default engine, `mistral-ocr`, and pays per page.
import type { Usage } from './completion';
import type { EmulatedModel } from './models';

export const OCR_USD_PER_PAGE = 2 / 1000;
const engines = ['native', 'cloudflare-ai', 'mistral-ocr', 'pdf-text'] as const;

export interface PdfRun {
  /** The engine that read the files (`pdf-text` reported as `cloudflare-ai`). */
  engine: 'native' | 'cloudflare-ai' | 'mistral-ocr';
  /** The engine the request named, if any. */
  named?: string;
  files: number;
  pages: number;
  costUsd: number;
}

interface PartLike {
  type?: unknown;
  file?: { filename?: unknown; file_data?: unknown };
}

/** Pages of a base64 PDF: its page objects, or its page tree's count; an address counts as one page. */
function pagesOf(fileData: string): number {
  const match = /^data:application\/pdf;base64,(.*)$/s.exec(fileData);
  if (!match) return 1;
  const text = Buffer.from(match[1]!, 'base64').toString('latin1');
  const objects = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const tree = [...text.matchAll(/\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
  return Math.max(1, objects, ...tree);
}

/** What the request's PDFs cost and which engine read them; a string is a 400's message. */
export function readPdfs(body: { messages?: unknown; plugins?: unknown }, model: EmulatedModel): PdfRun | string | undefined {
  const parts = (Array.isArray(body.messages) ? body.messages : []).flatMap((m: { content?: unknown }) => (Array.isArray(m?.content) ? (m.content as PartLike[]) : [])).filter((p) => p?.type === 'file');
  if (parts.length === 0) return undefined;
  let pages = 0;
  for (const part of parts) {
    if (typeof part.file?.filename !== 'string' || typeof part.file?.file_data !== 'string') return 'A file content part needs file.filename and file.file_data';
    pages += pagesOf(part.file.file_data);
  }
  const plugin = (Array.isArray(body.plugins) ? body.plugins : []).find((p: { id?: unknown }) => p?.id === 'file-parser') as { pdf?: { engine?: unknown } } | undefined;
  const named = plugin?.pdf?.engine;
  if (named !== undefined && (typeof named !== 'string' || !(engines as readonly string[]).includes(named))) return `Invalid PDF engine: ${String(named)}`;
  const readsFiles = model.architecture.input_modalities.includes('file');
  if (named === 'native' && !readsFiles) return `${model.id} does not read files natively; choose the cloudflare-ai or mistral-ocr engine`;
  const engine: PdfRun['engine'] = readsFiles ? 'native' : named === 'mistral-ocr' || named === undefined ? 'mistral-ocr' : 'cloudflare-ai';
  const costUsd = engine === 'mistral-ocr' ? Number((pages * OCR_USD_PER_PAGE).toFixed(12)) : 0;
  return { engine, ...(typeof named === 'string' ? { named } : {}), files: parts.length, pages, costUsd };
}

/** Usage with the OCR pages billed (the native and text engines cost only their tokens). */
export function withPdfs(usage: Usage, run: PdfRun | undefined): Usage {
  return run && run.costUsd > 0 ? { ...usage, cost: Number((usage.cost + run.costUsd).toFixed(12)) } : usage;
}
