import assert from 'node:assert/strict';
import { ImageStore } from '../../src/chat/attachments/imageStore';
import { checkTextFile, formatBytes, imageProblem, maxImageBytes, maxTextBytes, parseImageDataUrl, textTooLarge } from '../../src/chat/attachments/limits';
import { attachmentText, buildRequestMessages, cacheBreakpoints, keepTextOnce, withoutAttachmentText } from '../../src/chat/attachments/promptBuilder';
import { cacheStyle } from '../../src/chat/attachments/promptCache';
import { countMessages, sendEstimate } from '../../src/chat/attachments/sendEstimate';
import { estimateTextTokens } from '../../src/models/tokenEstimate';
import type { ChatContentPart, Model } from '../../src/openrouter/types';
import type { TurnAttachment, UserTurn } from '../../src/protocols/chat';
import { cacheText } from '../../src/webview/chat/format';

function file(text: string, fields: Partial<TurnAttachment> = {}): TurnAttachment {
  return { id: `a-${Math.random().toString(36).slice(2)}`, kind: 'file', label: 'pool.ts', detail: 'src/pool.ts', path: 'src/pool.ts', bytes: text.length, tokens: estimateTextTokens(text), text, languageId: 'typescript', ...fields };
}

function image(id = 'img-1'): TurnAttachment {
  return { id, kind: 'image', label: 'diagram.png', detail: 'diagram.png · 1 KB PNG', path: 'diagram.png', bytes: 1024, tokens: 765, mimeType: 'image/png' };
}

function question(content: string, attachments?: TurnAttachment[]): UserTurn {
  return { role: 'user', id: `u-${content}`, content, createdAt: 0, ...(attachments ? { attachments } : {}) };
}

const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('chat context: size limits', () => {
  it('refuses a text file over the limit by its size, naming the file, its size and the way out', () => {
    assert.equal(textTooLarge('small.ts', maxTextBytes), undefined);
    const problem = textTooLarge('huge.log', 3 * 1024 * 1024);
    assert.match(problem!, /^huge\.log is 3\.0 MB; the chat attaches text files up to 256 KB\. Select the part you need/);
  });

  it('reads UTF-8 text, and refuses binary content (a NUL byte, or bytes that are not UTF-8)', () => {
    const text = checkTextFile('a.ts', new TextEncoder().encode('const café = 1;\n'));
    assert.deepEqual(text, { ok: true, text: 'const café = 1;\n' });
    const nul = checkTextFile('a.out', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
    assert.equal(nul.ok, false);
    assert.match((nul as { problem: string }).problem, /^a\.out is not a text file/);
    const latin1 = checkTextFile('old.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    assert.equal(latin1.ok, false);
  });

  it('takes PNG, JPEG, WebP and GIF images up to 5 MB, and says why not otherwise', () => {
    assert.equal(imageProblem('a.png', 'image/png', 1000), undefined);
    assert.match(imageProblem('a.bmp', 'image/bmp', 1000)!, /a\.bmp is image\/bmp; the chat sends PNG, JPEG, WebP and GIF images/);
    assert.match(imageProblem('big.jpg', 'image/jpeg', maxImageBytes + 1)!, /big\.jpg is 5\.0 MB; images are sent up to 5\.0 MB/);
  });

  it('reads the type and decoded size from a data URL, and rejects anything else', () => {
    assert.deepEqual(parseImageDataUrl(pixel), { mimeType: 'image/png', bytes: 70 });
    assert.equal(parseImageDataUrl('data:image/png;base64,abc'), undefined, 'not a whole number of base64 quads');
    assert.equal(parseImageDataUrl('https://example.com/a.png'), undefined);
    assert.equal(formatBytes(1536), '1.5 KB');
  });
});

describe('chat context: image data kept for follow-ups', () => {
  it('keeps images in memory up to a bound, letting the oldest go first (never the one just added)', () => {
    const store = new ImageStore(100);
    store.set('a', 'x'.repeat(40));
    store.set('b', 'y'.repeat(40));
    assert.equal(store.size, 2);
    store.set('c', 'z'.repeat(40));
    assert.deepEqual([store.get('a'), store.get('b')?.length, store.get('c')?.length], [undefined, 40, 40]);
    store.set('huge', 'w'.repeat(500));
    assert.deepEqual([store.size, store.get('huge')?.length], [1, 500], 'a single image over the bound is still kept');
    const messages = buildRequestMessages({ systemPrompt: '', turns: [question('Look', [image('a')])] }, { imageData: (id) => store.get(id) });
    assert.match(JSON.stringify(messages), /it is not sent again/, 'an image let go is named, not sent');
  });
});

describe('chat context: prompt building', () => {
  it('fences an attachment with its path, in a fence longer than any backtick run inside it', () => {
    const text = attachmentText(file('const a = "```";\n'));
    assert.equal(text, 'File: src/pool.ts\n````typescript\nconst a = "```";\n````');
    const selection = attachmentText(file('x', { kind: 'selection', path: 'src/pool.ts (lines 3–4)', languageId: 'ts' }));
    assert.equal(selection, 'Selection: src/pool.ts (lines 3–4)\n```ts\nx\n```');
  });

  it('sends a question with attachments as content parts: files first, the question, then images', () => {
    const attached = [file('export const size = 10;\n'), image()];
    const messages = buildRequestMessages({ systemPrompt: 'Be brief.', turns: [] }, { modelId: 'openai/gpt-4o', imageData: (id) => (id === 'img-1' ? pixel : undefined) }, question('What is size?', attached));
    assert.equal(messages[0]!.content, 'Be brief.');
    const parts = messages[1]!.content as ChatContentPart[];
    assert.deepEqual(
      parts.map((p) => p.type),
      ['text', 'text', 'image_url'],
    );
    assert.match((parts[0] as { text: string }).text, /^File: src\/pool\.ts\n```typescript\nexport const size = 10;\n```$/);
    assert.equal((parts[1] as { text: string }).text, 'What is size?');
    assert.deepEqual(parts[2], { type: 'image_url', image_url: { url: pixel } });
    assert.equal(JSON.stringify(messages).includes('cache_control'), false, 'OpenAI caches by itself: nothing is marked');
  });

  it('keeps a question without attachments a plain string, and leaves out answers that never started', () => {
    const messages = buildRequestMessages({
      systemPrompt: '',
      turns: [question('Hi'), { role: 'assistant', id: 'a', content: '', reasoning: '', model: 'm', status: 'error', createdAt: 0 }],
    });
    assert.deepEqual(messages, [{ role: 'user', content: 'Hi' }]);
  });

  it('an image without data (reopened from history) or for a text-only model becomes a note, never an image part', () => {
    const turns = [question('Look', [image()])];
    const fromHistory = buildRequestMessages({ systemPrompt: '', turns });
    assert.deepEqual((fromHistory[0]!.content as ChatContentPart[])[1], { type: 'text', text: '[The image diagram.png was attached here; it is not sent again.]' });
    const textOnly = buildRequestMessages({ systemPrompt: '', turns }, { imagesAllowed: false, imageData: () => pixel });
    assert.equal(JSON.stringify(textOnly).includes('image_url'), false);
  });

  it('marks large attachments with a cache breakpoint for Anthropic and Gemini only, at most the last four', () => {
    const large = 'x'.repeat(5000);
    const small = file('tiny');
    const bigOnes = [1, 2, 3, 4, 5].map((n) => file(`${large}${n}`, { id: `big-${n}` }));
    const turns = [question('one', [small, ...bigOnes.slice(0, 2)]), question('two', bigOnes.slice(2))];
    assert.deepEqual([...cacheBreakpoints(turns, 'anthropic/claude-sonnet-4.5')], ['big-2', 'big-3', 'big-4', 'big-5']);
    assert.equal(cacheBreakpoints(turns, 'openai/gpt-4o').size, 0);
    const messages = buildRequestMessages({ systemPrompt: '', turns }, { modelId: 'google/gemini-2.5-pro' });
    const marked = messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((p) => p.cache_control);
    assert.equal(marked.length, 4);
    assert.deepEqual(marked[0]!.cache_control, { type: 'ephemeral' });
    assert.equal(cacheStyle('deepseek/deepseek-chat'), 'automatic');
    assert.equal(cacheStyle('meta-llama/llama-3.3-70b-instruct'), 'none');
  });

  it('a file attached again unchanged is kept once, in the newest attachment; every request still carries each copy', () => {
    const turns: UserTurn[] = [];
    for (const q of ['one', 'two', 'three']) {
      const next = question(q, [file('export const same = 1;\n', { id: `same-${q}` })]);
      keepTextOnce(turns, next.attachments!);
      turns.push(next);
    }
    const changed = question('four', [file('export const same = 2;\n', { id: 'changed' })]);
    keepTextOnce(turns, changed.attachments!);
    turns.push(changed);
    assert.deepEqual(
      turns.map((t) => ({ text: t.attachments![0]!.text, sameAs: t.attachments![0]!.sameAs })),
      [{ text: undefined, sameAs: 'same-three' }, { text: undefined, sameAs: 'same-three' }, { text: 'export const same = 1;\n', sameAs: undefined }, { text: 'export const same = 2;\n', sameAs: undefined }],
    );
    const sent = buildRequestMessages({ systemPrompt: '', turns }).map((m) => ((m.content as ChatContentPart[])[0] as { text: string }).text);
    assert.deepEqual(sent.slice(0, 3), Array(3).fill('File: src/pool.ts\n```typescript\nexport const same = 1;\n```'));
    assert.match(sent[3]!, /same = 2/);
  });

  it('the panel gets chips without the attachment text (history keeps it, the webview never needs it)', () => {
    const turn = question('q', [file('secret source')]);
    const chip = withoutAttachmentText(turn);
    assert.equal(JSON.stringify(chip).includes('secret source'), false);
    assert.equal(turn.attachments![0]!.text, 'secret source', 'the original is untouched');
  });
});

describe('chat context: the estimate before sending', () => {
  const model: Model = { id: 'vendor/small', name: 'Vendor: Small', context_length: 1000, pricing: { prompt: '0.000002', image: '0.001' }, architecture: { input_modalities: ['text'] } };

  it('counts the request it will send and prices it at the catalog prompt price', () => {
    const messages = buildRequestMessages({ systemPrompt: 'Be brief.', turns: [] }, {}, question('Explain pools', [file('const pool = new Pool();\n')]));
    const estimate = sendEstimate({ modelId: model.id, model, messages, newImages: 0, cacheableAttachments: 0 });
    const expected = countMessages(messages).tokens;
    assert.equal(estimate.inputTokens, expected);
    assert.ok(expected > 10);
    assert.equal(estimate.costUsd, expected * 0.000002);
    assert.equal(estimate.contextLength, 1000);
    assert.equal(estimate.contextWarning, undefined);
    assert.equal(estimate.modelName, 'Vendor: Small');
  });

  it('warns when the conversation plus attachments exceed the context, and refuses images for a text-only model by name', () => {
    const messages = buildRequestMessages({ systemPrompt: '', turns: [] }, { imagesAllowed: false }, question('Read this', [file('word '.repeat(2000)), image()]));
    const estimate = sendEstimate({ modelId: model.id, model, messages, newImages: 1, cacheableAttachments: 0 });
    assert.ok(estimate.inputTokens > 1000);
    assert.match(estimate.contextWarning!, /^About [\d,]+ tokens: more than Vendor: Small reads \(1,000-token context\)/);
    assert.match(estimate.imageRefusal!, /^Vendor: Small reads text only: remove the image or choose a model that reads images\./);
  });

  it('adds the per-image price for images sent to a vision model', () => {
    const vision: Model = { ...model, architecture: { input_modalities: ['text', 'image'] } };
    const messages = buildRequestMessages({ systemPrompt: '', turns: [] }, { imageData: () => pixel }, question('What is this?', [image()]));
    const estimate = sendEstimate({ modelId: vision.id, model: vision, messages, newImages: 1, cacheableAttachments: 0 });
    assert.equal(countMessages(messages).images, 1);
    assert.equal(estimate.imageRefusal, undefined);
    assert.equal(estimate.costUsd, estimate.inputTokens * 0.000002 + 0.001);
  });

  it('counts a long text the same on every keystroke (long texts are counted once and remembered)', () => {
    const long = `${'const x = "é";\n'.repeat(2000)}`;
    const messages = [{ role: 'user' as const, content: [{ type: 'text' as const, text: long }, { type: 'text' as const, text: 'short' }] }];
    const expected = 4 + estimateTextTokens(long) + estimateTextTokens('short');
    assert.equal(countMessages(messages).tokens, expected);
    assert.equal(countMessages(messages).tokens, expected, 'the remembered count is the same');
    assert.equal(countMessages([{ role: 'user', content: `${long}!` }]).tokens, 4 + estimateTextTokens(`${long}!`), 'a changed text is counted again');
  });

  it('the footer names cached tokens and the saving, or what writing to the cache cost', () => {
    assert.equal(cacheText({ cachedTokens: 1200, cacheDiscountUsd: 0.0032 }), '1200 cached, saved $0.0032');
    assert.equal(cacheText({ cacheWriteTokens: 1200, cacheDiscountUsd: -0.0009 }), '1200 written to cache (+$0.0009)');
    assert.equal(cacheText({}), undefined);
  });
});
