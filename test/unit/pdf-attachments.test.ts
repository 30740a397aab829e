import assert from 'node:assert/strict';
import { pdfAttachment, pdfPageCount, pdfProblem, OCR_PRICE_PER_PAGE_USD } from '../../src/chat/attachments/pdfAttachment';
import { sendEstimate } from '../../src/chat/attachments/sendEstimate';
import type { ChatSession } from '../../src/chat/chatSession';
import type { OpenRouterProvider } from '../../src/openrouter';
import type { Model } from '../../src/openrouter/types';
import type { AssistantTurn } from '../../src/protocols/chat';
import type { Emulator } from '../emulator';
import { useChatSessionRig } from './fixtures/chatSessionRig';

/** A small PDF with `pages` page objects and its page tree, as a writer lays them out uncompressed. */
function samplePdf(pages: number): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const pageObjects = Array.from({ length: pages }, (_, i) => `${i + 3} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n`).join('');
  return new TextEncoder().encode(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [${kids}] /Count ${pages} >>\nendobj\n${pageObjects}trailer\n<< /Root 1 0 R >>\n%%EOF\n`);
}

const textOnly = 'openai/gpt-4o-mini';
const readsFiles = 'openai/gpt-4.1-nano';

describe('PDF attachments (file parts, the file-parser engine, loopback emulator)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let session: ChatSession;
  let selected = textOnly;

  const rig = useChatSessionRig({
    folderPrefix: 'pdf-',
    deps: () => ({ selectedModel: () => selected, modelReadsFiles: (id) => id === readsFiles }),
  });
  beforeEach(() => {
    selected = textOnly;
    ({ emulator, provider, session } = rig());
  });

  async function sendPdf(pages: number): Promise<{ body: { messages: Array<{ content: unknown }>; plugins?: unknown }; turn: AssistantTurn }> {
    const read = pdfAttachment('spec.pdf', 'docs/spec.pdf', samplePdf(pages));
    assert.ok(read.ok);
    await session.send('summarise it', { attachments: [read.attachment], imageData: new Map([[read.attachment.id, read.dataUrl]]) });
    await session.idle;
    const body = emulator.requests().filter((r) => r.path === '/chat/completions').at(-1)!.body as { messages: Array<{ content: unknown }>; plugins?: unknown };
    return { body, turn: session.current.turns.at(-1) as AssistantTurn };
  }

  it('counts the pages of a PDF and refuses what is not one', () => {
    assert.equal(pdfPageCount(samplePdf(3)), 3);
    assert.match(pdfProblem('notes.pdf', new TextEncoder().encode('hello'))!, /not a PDF/);
  });

  it('a text-only model gets the PDF as a file part with the free text engine named, and no OCR on the bill', async () => {
    const { body, turn } = await sendPdf(4);
    const file = (body.messages.at(-1)!.content as Array<{ type: string; file?: { filename: string; file_data: string } }>).find((p) => p.type === 'file');
    assert.equal(file?.file?.filename, 'spec.pdf');
    assert.match(file!.file!.file_data, /^data:application\/pdf;base64,/);
    assert.deepEqual(body.plugins, [{ id: 'file-parser', pdf: { engine: 'cloudflare-ai' } }]);
    const billed = emulator.generations().find((g) => g.id === turn.generationId)!;
    assert.equal(turn.stats?.costUsd, billed.total_cost);
    assert.ok(billed.total_cost < 4 * OCR_PRICE_PER_PAGE_USD, 'no per-page OCR charge');
  });

  it('OCR only when the chat chose it, billed per page', async () => {
    await session.setRouting({ pdfEngine: 'mistral-ocr' });
    const { body, turn } = await sendPdf(5);
    assert.deepEqual(body.plugins, [{ id: 'file-parser', pdf: { engine: 'mistral-ocr' } }]);
    const billed = emulator.generations().find((g) => g.id === turn.generationId)!;
    assert.equal(turn.stats?.costUsd, billed.total_cost);
    assert.ok(billed.total_cost >= 5 * OCR_PRICE_PER_PAGE_USD, 'five pages of OCR are on the bill');
  });

  it('a model that reads files gets the engine native', async () => {
    selected = readsFiles;
    await session.setRouting({ pdfEngine: 'mistral-ocr' });
    const { body } = await sendPdf(2);
    assert.deepEqual(body.plugins, [{ id: 'file-parser', pdf: { engine: 'native' } }]);
  });

  it('the emulator charges OCR when no engine is named for a text-only model, as OpenRouter does by default', async () => {
    const read = pdfAttachment('scan.pdf', 'scan.pdf', samplePdf(10));
    assert.ok(read.ok);
    const chunks = [];
    for await (const chunk of provider.streamExecute({ model: textOnly, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'file', file: { filename: 'scan.pdf', file_data: read.dataUrl } }] }] })) chunks.push(chunk);
    assert.ok(chunks.at(-1)!.usage!.cost! >= 10 * OCR_PRICE_PER_PAGE_USD);
    await assert.rejects(
      (async () => {
        for await (const _ of provider.streamExecute({ model: textOnly, messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'scan.pdf', file_data: read.dataUrl } }] }], plugins: [{ id: 'file-parser', pdf: { engine: 'native' } }] }));
      })(),
      /does not read files natively/,
    );
  });

  it('the send estimate names the engine and adds OCR per page only when chosen', () => {
    const model = { id: textOnly, name: 'mini', pricing: { prompt: '0.000001', completion: '0.000002' } } as unknown as Model;
    const input = { modelId: textOnly, model, messages: [{ role: 'user' as const, content: 'summarise' }], newImages: 0, cacheableAttachments: 0 };
    const free = sendEstimate({ ...input, pdf: { pages: 10, engine: 'cloudflare-ai' } });
    const ocr = sendEstimate({ ...input, pdf: { pages: 10, engine: 'mistral-ocr' } });
    assert.equal(free.pdfEngine, 'cloudflare-ai');
    assert.equal(free.pdfUsd, undefined);
    assert.equal(ocr.pdfUsd, 10 * OCR_PRICE_PER_PAGE_USD);
    assert.ok(Math.abs(ocr.costUsd! - free.costUsd! - 10 * OCR_PRICE_PER_PAGE_USD) < 1e-12);
  });
});
