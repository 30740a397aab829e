// Server-sent events from raw bytes: streaming UTF-8 decoding, then eventsource-parser for the framing.
import type { EventSourceParser } from 'eventsource-parser';
import { loadEventSourceParser } from './lazyPackages';
import { ParseError } from './errors';

/** Largest event or unterminated line accepted; beyond it the stream is refused rather than buffered. */
export const DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024;

export interface SseEvent {
  event?: string;
  id?: string;
  data: string;
}

export interface SseDecoderOptions {
  onEvent: (event: SseEvent) => void;
  /** Comment lines (`: OPENROUTER PROCESSING`): not data, but proof the server is alive. */
  onComment?: (comment: string) => void;
  maxEventChars?: number;
}

/** Bytes in, events out. Splits may fall anywhere: inside a line, a CRLF pair, or a UTF-8 character. */
export class SseDecoder {
  private readonly text = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private failure: ParseError | undefined;
  private endsWithCr = false;

  constructor(options: SseDecoderOptions) {
    const limit = options.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS;
    this.parser = loadEventSourceParser().createParser({
      maxBufferSize: limit,
      // The parser's message already has this shape; handing it on saves an object per event.
      onEvent: options.onEvent,
      onComment: (comment) => options.onComment?.(comment),
      onError: (error) => {
        // Unknown fields and bad `retry` values are ignored, as the SSE spec says; only size is fatal.
        if (error.type === 'max-buffer-size-exceeded') {
          this.failure = new ParseError(`A stream event exceeded ${limit} characters; the stream was refused.`);
        }
      },
    });
  }

  push(bytes: Uint8Array): void {
    this.feed(this.text.decode(bytes, { stream: true }));
  }

  /** Flushes a trailing partial UTF-8 sequence; an event not closed by a blank line is dropped, per spec. */
  end(): void {
    this.feed(this.text.decode());
    // The parser holds a final CR back in case an LF follows; at the end nothing will, so close that line.
    if (this.endsWithCr) this.feed('\n');
  }

  private feed(chunk: string): void {
    if (this.failure) throw this.failure;
    if (chunk === '') return;
    this.endsWithCr = chunk.endsWith('\r');
    this.parser.feed(chunk);
    if (this.failure) throw this.failure;
  }
}
