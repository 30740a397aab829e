import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/openrouter/redact';
import { Logger, createRecordingLogger } from '../../src/log/logger';
import type { LogSink } from '../../src/log/logger';

/** A stand-in for a LogOutputChannel: records what reached it; `logLevel` uses vscode.LogLevel numbers. */
function fakeChannel(logLevel: number): LogSink & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return {
    lines,
    logLevel,
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    show: () => undefined,
    dispose: () => undefined,
  } as unknown as LogSink & { lines: string[] };
}

describe('logger', () => {
  it('tags each line with its component', () => {
    const channel = fakeChannel(1);
    new Logger(channel).forComponent('net').info('GET /models 200');
    assert.deepEqual(channel.lines, ['info [net] GET /models 200']);
  });

  it('never writes a registered secret or anything shaped like a key', () => {
    const channel = fakeChannel(1);
    const logger = new Logger(channel);
    logger.addSecret('my-custom-secret-value');
    const log = logger.forComponent('key');
    log.error('failed with my-custom-secret-value and sk-or-v1-0123456789abcdef and Bearer abc.def');
    const line = channel.lines[0] ?? '';
    assert.doesNotMatch(line, /my-custom-secret-value|0123456789abcdef|abc\.def/);
    assert.match(line, /\[REDACTED\]/);
    assert.doesNotMatch(JSON.stringify(logger.tail()), /0123456789abcdef/);
  });

  it('respects the channel level', () => {
    const channel = fakeChannel(3);
    const log = new Logger(channel).forComponent('c');
    log.debug('hidden');
    log.info('shown');
    assert.deepEqual(channel.lines, ['info [c] shown']);
  });

  it('writes nothing when the channel is off', () => {
    const channel = fakeChannel(0);
    new Logger(channel).forComponent('c').error('x');
    assert.deepEqual(channel.lines, []);
  });

  it('lets the openrouter.logLevel setting make it quieter', () => {
    const channel = fakeChannel(1);
    const logger = new Logger(channel);
    logger.setLevel('warning');
    const log = logger.forComponent('c');
    log.info('hidden');
    log.warn('shown');
    assert.deepEqual(channel.lines, ['warn [c] shown']);
  });

  it('keeps a tail of what it wrote, with levels', () => {
    const logger = createRecordingLogger();
    logger.forComponent('a').warn('one');
    logger.forComponent('b').error(Object.assign(new Error('boom'), { status: 502 }));
    assert.deepEqual(logger.tail(), [
      { level: 'warn', component: 'a', message: 'one' },
      { level: 'error', component: 'b', message: 'Error (502): boom' },
    ]);
  });

  it('redacts keys inside longer text and leaves other text alone (the one redactor the provider uses too)', () => {
    assert.equal(redactSecrets('key=sk-or-v1-abc123-def456 done'), 'key=[REDACTED] done');
    assert.equal(redactSecrets('GET /models 200'), 'GET /models 200');
  });
});
