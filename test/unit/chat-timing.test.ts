import assert from 'node:assert/strict';
import type { Log } from '../../src/log/logger';
import { useChatSessionRig } from './fixtures/chatSessionRig';

const timingLine = /^Chat timing: request sent ([\d.]+) ms after the question arrived · first token handed to the panel ([\d.]+) ms after it was read · first token ([\d.]+) ms after the question$/;

describe('chat timing line in the log', () => {
  let lines: string[] = [];
  const log: Log = { trace() {}, debug() {}, info: (line: string) => lines.push(line), warn() {}, error() {} };
  // The emulator waits this long before answering, so the first token comes at least that long after the request.
  const serverDelayMs = 80;
  const rig = useChatSessionRig({ emulator: { serverDelayMs }, folderPrefix: 'chat-timing-', deps: () => ({ log }) });

  beforeEach(() => {
    lines = [];
  });

  async function answered(): Promise<void> {
    const { session, posted } = rig();
    await session.settled();
    assert.ok(posted.some((m) => m.type === 'answerEnd' && m.status === 'done'), 'the answer ended');
  }

  it('says, per answer, how long the extension took before the request and after the first token', async () => {
    const { session } = rig();
    const asked = performance.now();
    assert.equal(await session.send('[[chunks:4]] how fast'), true);
    await answered();
    const elapsed = performance.now() - asked;
    const matches = lines.map((line) => timingLine.exec(line)).filter((m) => m !== null);
    assert.equal(matches.length, 1, lines.join('\n'));
    const [, beforeRequest, afterToken, firstToken] = matches[0]!.map(Number);
    assert.ok(beforeRequest! >= 0, `request sent after ${beforeRequest} ms`);
    // The first token came after the server's wait, which began once the request had left. Node's timers may fire
    // up to a millisecond or so early, so only most of the wait is asked for: without it, the line would say ~1 ms.
    assert.ok(firstToken! >= beforeRequest! + 0.75 * serverDelayMs, `first token after ${firstToken} ms, request sent after ${beforeRequest} ms`);
    // ... and within the time the test itself saw pass between asking and the answer's end.
    // (The line rounds to 0.1 ms.)
    assert.ok(firstToken! <= elapsed + 0.05, `first token after ${firstToken} ms, answer done after ${elapsed} ms`);
    // The token was handed to the panel after it was read and before the answer ended.
    assert.ok(afterToken! >= 0 && firstToken! + afterToken! <= elapsed + 0.1, `handed to the panel ${afterToken} ms after it was read`);
  });

  it('writes one line for each answer: regenerate counts from its own click', async () => {
    const { session, posted } = rig();
    await session.send('[[chunks:2]] first');
    await answered();
    const answer = posted.find((m) => m.type === 'turnAdded' && m.turn.role === 'assistant');
    assert.ok(answer && answer.type === 'turnAdded');
    const clicked = performance.now();
    await session.regenerate(answer.turn.id);
    await answered();
    const sinceClick = performance.now() - clicked;
    const firstTokens = lines.map((line) => timingLine.exec(line)).filter((m) => m !== null).map((m) => Number(m[3]));
    assert.equal(firstTokens.length, 2, lines.join('\n'));
    for (const ms of firstTokens) assert.ok(ms >= 0.75 * serverDelayMs, `first token after ${ms} ms`);
    // Counted from the regenerate: from the first question it would be longer than the test saw since the click,
    // as that question's whole answer (the server's wait included) came before it.
    assert.ok(firstTokens[1]! <= sinceClick + 0.05, `regenerated answer's first token after ${firstTokens[1]} ms, ${sinceClick} ms since the click`);
  });

  it('writes no timing line for an answer that never got a token', async () => {
    const { session, emulator } = rig();
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 400 } });
    await session.send('refused');
    await session.settled();
    assert.equal(lines.filter((line) => line.startsWith('Chat timing:')).length, 0, lines.join('\n'));
  });
});
