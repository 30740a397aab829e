import assert from 'node:assert/strict';
import { CURSOR_MARK, buildPrompt, clipAroundCursor, fimStyleFor, pathComment } from '../../src/completions/fimPrompt';
import { estimateTextTokens } from '../../src/models/tokenEstimate';

const context = { prefix: 'function add(a, b) {\n  return ', suffix: ';\n}\n', languageId: 'typescript', path: 'src/math.ts' };
const options = { model: 'mistralai/codestral-2508', contextTokens: 2048, maxTokens: 64, singleLine: true };

describe('completion prompt', () => {
  it('asks Codestral to fill in the middle through /completions with prompt and suffix, the path in a comment first', () => {
    const prompt = buildPrompt(context, options);
    assert.equal(prompt.kind, 'text');
    assert.ok(prompt.kind === 'text');
    assert.equal(prompt.request.prompt, `// Path: src/math.ts\n${context.prefix}`);
    assert.equal(prompt.request.suffix, context.suffix);
    assert.equal(prompt.request.max_tokens, 64);
    assert.deepEqual(prompt.request.stop, ['\n']);
  });

  it('wraps prefix and suffix in the model family\'s own fill-in-the-middle tokens where it has them', () => {
    const qwen = buildPrompt(context, { ...options, model: 'qwen/qwen-2.5-coder-32b-instruct' });
    assert.ok(qwen.kind === 'text');
    assert.equal(qwen.request.prompt, `<|fim_prefix|>// Path: src/math.ts\n${context.prefix}<|fim_suffix|>${context.suffix}<|fim_middle|>`);
    assert.equal(qwen.request.suffix, undefined);
    const deepseek = buildPrompt(context, { ...options, model: 'deepseek/deepseek-coder' });
    assert.ok(deepseek.kind === 'text' && deepseek.request.prompt.startsWith('<｜fim▁begin｜>') && deepseek.request.prompt.endsWith('<｜fim▁end｜>'));
  });

  it('asks any other model, in a chat, for the text at the cursor mark only', () => {
    const prompt = buildPrompt(context, { ...options, model: 'openai/gpt-4o-mini', singleLine: false });
    assert.equal(prompt.kind, 'chat');
    assert.ok(prompt.kind === 'chat');
    const [system, user] = prompt.request.messages;
    assert.match(String(system?.content), /exactly the text to insert/);
    assert.equal(user?.content, `File src/math.ts (typescript):\n${context.prefix}${CURSOR_MARK}${context.suffix}`);
    assert.deepEqual(prompt.request.stop, ['\n\n\n']);
  });

  it('picks the format by model family', () => {
    assert.equal(fimStyleFor('mistralai/codestral-2508'), 'suffix');
    assert.equal(fimStyleFor('qwen/qwen-2.5-coder-32b-instruct'), 'qwen');
    assert.equal(fimStyleFor('bigcode/starcoder2-15b'), 'starcoder');
    assert.equal(fimStyleFor('qwen/qwen3-coder'), 'chat');
    assert.equal(fimStyleFor('anthropic/claude-sonnet-4.5'), 'chat');
  });

  it('names the file in the language\'s own comment syntax', () => {
    assert.equal(pathComment('python', 'a.py'), '# Path: a.py\n');
    assert.equal(pathComment('sql', 'q.sql'), '-- Path: q.sql\n');
    assert.equal(pathComment('html', 'i.html'), '<!-- Path: i.html -->\n');
    assert.equal(pathComment('plaintext', 'notes.txt'), '');
  });

  it('keeps the whole lines nearest the cursor within the token budget, three quarters of it before the cursor', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `const value${i} = ${i};`);
    const prefix = `${lines.join('\n')}\nconst last = `;
    const suffix = `;\n${lines.join('\n')}`;
    const clipped = clipAroundCursor(prefix, suffix, 400);
    assert.ok(estimateTextTokens(clipped.prefix) <= 300, `prefix ${estimateTextTokens(clipped.prefix)} tokens`);
    assert.ok(estimateTextTokens(clipped.suffix) <= 100, `suffix ${estimateTextTokens(clipped.suffix)} tokens`);
    assert.ok(estimateTextTokens(clipped.prefix) > 250, 'the budget is used');
    assert.ok(clipped.prefix.endsWith('const value1999 = 1999;\nconst last = '), 'the lines just before the cursor are kept');
    assert.ok(clipped.prefix.startsWith('const value'), 'cut at a line start');
    assert.ok(clipped.suffix.startsWith(';\nconst value0 = 0;'));
    assert.ok(clipped.suffix.endsWith(';'), 'cut at a line end');
    const small = clipAroundCursor('a\nb', 'c\nd', 400);
    assert.deepEqual(small, { prefix: 'a\nb', suffix: 'c\nd' });
  });

  it('cuts a single line longer than the budget, keeping the end nearest the cursor', () => {
    const clipped = clipAroundCursor(`${'x'.repeat(10_000)}END`, '', 100);
    assert.ok(clipped.prefix.endsWith('END'));
    assert.ok(estimateTextTokens(clipped.prefix) <= 75);
  });
});
