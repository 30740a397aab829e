import assert from 'node:assert/strict';
import { SseDecoder, type SseEvent } from '../../src/openrouter/sse';
import { ParseError } from '../../src/openrouter/errors';

interface Decoded {
  events: SseEvent[];
  comments: string[];
}

function decode(bytes: Uint8Array, chunkSize: number, maxEventChars?: number): Decoded {
  const out: Decoded = { events: [], comments: [] };
  const decoder = new SseDecoder({
    onEvent: (event) => out.events.push(event),
    onComment: (comment) => out.comments.push(comment),
    maxEventChars,
  });
  for (let i = 0; i < bytes.length; i += chunkSize) decoder.push(bytes.subarray(i, i + chunkSize));
  decoder.end();
  return out;
}

const chunk = (content: string): string => JSON.stringify({ id: 'gen-1', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const usage = JSON.stringify({ id: 'gen-1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cost: 0.00012 } });

/** Text chosen so splits land inside 2-, 3- and 4-byte UTF-8 sequences. */
const texts = ['héllo wörld', '日本語のテキスト', 'emoji 🦊🚀 done', 'Ωmega'];

function stream(eol: string): string {
  return [
    `: OPENROUTER PROCESSING${eol}${eol}`,
    ...texts.map((text, i) => (i % 2 === 0 ? `data: ${chunk(text)}${eol}${eol}` : `data:${chunk(text)}${eol}${eol}`)),
    `: OPENROUTER PROCESSING${eol}`,
    `data: ${usage}${eol}${eol}`,
    `data: [DONE]${eol}${eol}`,
  ].join('');
}

const expectedData = [...texts.map(chunk), usage, '[DONE]'];

describe('SSE decoder', () => {
  for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
    it(`decodes ${name} streams fed in chunks of every size from 1 byte up`, () => {
      const bytes = new TextEncoder().encode(stream(eol));
      for (let size = 1; size <= bytes.length; size++) {
        const { events, comments } = decode(bytes, size);
        assert.deepEqual(events.map((e) => e.data), expectedData, `chunk size ${size}`);
        assert.deepEqual(comments, ['OPENROUTER PROCESSING', 'OPENROUTER PROCESSING'], `chunk size ${size}`);
      }
    });
  }

  it('decodes a stream mixing CR, LF and CRLF line ends', () => {
    const text = `data: a\r\rdata: b\n\ndata: c\r\n\r\n: ping\r\ndata: d\r\n\n`;
    const bytes = new TextEncoder().encode(text);
    for (let size = 1; size <= bytes.length; size++) {
      const { events, comments } = decode(bytes, size);
      assert.deepEqual(events.map((e) => e.data), ['a', 'b', 'c', 'd'], `chunk size ${size}`);
      assert.deepEqual(comments, ['ping']);
    }
  });

  it('keeps a multi-byte character whole when a read ends in its middle', () => {
    const bytes = new TextEncoder().encode('data: 🦊\n\n');
    // The fox is 4 bytes starting at offset 6: cut after each of its first three bytes.
    for (const cut of [7, 8, 9]) {
      const decoded: string[] = [];
      const decoder = new SseDecoder({ onEvent: (e) => decoded.push(e.data) });
      decoder.push(bytes.subarray(0, cut));
      decoder.push(bytes.subarray(cut));
      decoder.end();
      assert.deepEqual(decoded, ['🦊']);
    }
  });

  it('joins multi-line data with newlines', () => {
    const { events } = decode(new TextEncoder().encode('data: {"a":\ndata: 1}\n\n'), 3);
    assert.deepEqual(events.map((e) => e.data), ['{"a":\n1}']);
  });

  it('delivers several events that arrive in one read, in order', () => {
    const { events } = decode(new TextEncoder().encode('data: 1\n\ndata: 2\n\ndata: 3\n\n'), 1024);
    assert.deepEqual(events.map((e) => e.data), ['1', '2', '3']);
  });

  it('keeps the event name and id, and ignores unknown fields', () => {
    const { events } = decode(new TextEncoder().encode('event: message\nid: 7\nfoo: bar\ndata: x\n\n'), 2);
    assert.deepEqual(events, [{ event: 'message', id: '7', data: 'x' }]);
  });

  it('drops an event that the stream ends before closing, as the spec says', () => {
    const { events } = decode(new TextEncoder().encode('data: 1\n\ndata: half'), 4);
    assert.deepEqual(events.map((e) => e.data), ['1']);
  });

  it('refuses an event larger than the limit with a ParseError instead of buffering it', () => {
    const huge = `data: ${'x'.repeat(5000)}\n\n`;
    assert.throws(() => decode(new TextEncoder().encode(huge), 512, 1024), (error: unknown) => error instanceof ParseError && /exceeded 1024/.test(error.message));
  });

  it('refuses an endless line without a newline', () => {
    const decoder = new SseDecoder({ onEvent: () => {}, maxEventChars: 1000 });
    const piece = new TextEncoder().encode('y'.repeat(100));
    assert.throws(() => {
      for (let i = 0; i < 100; i++) decoder.push(piece);
    }, ParseError);
  });
});
