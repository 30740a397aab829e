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
    assert.equal(await session.send('[[chunks:4]] how fast'), true);
    await answered();
    const matches = lines.map((line) => timingLine.exec(line)).filter((m) => m !== null);
    assert.equal(matches.length, 1, lines.join('\n'));
    const [, beforeRequest, afterToken, firstToken] = matches[0]!.map(Number);
    // The first token came at least the server's wait after the request left.
    assert.ok(beforeRequest! >= 0, `request sent after ${beforeRequest} ms`);
    assert.ok(firstToken! >= beforeRequest! + serverDelayMs - 1, `first token after ${firstToken} ms`);
    assert.ok(afterToken! >= 0 && afterToken! < serverDelayMs, `handed to the panel after ${afterToken} ms`);
  });

  it('writes one line for each answer: regenerate counts from its own click', async () => {
    const { session, posted } = rig();
    await session.send('[[chunks:2]] first');
    await answered();
    const answer = posted.find((m) => m.type === 'turnAdded' && m.turn.role === 'assistant');
    assert.ok(answer && answer.type === 'turnAdded');
    await session.regenerate(answer.turn.id);
    await answered();
    const firstTokens = lines.map((line) => timingLine.exec(line)).filter((m) => m !== null).map((m) => Number(m[3]));
    assert.equal(firstTokens.length, 2, lines.join('\n'));
    // Counted from the regenerate, not from the first question (which was at least one answer earlier).
    for (const ms of firstTokens) assert.ok(ms >= serverDelayMs - 1 && ms < 10 * serverDelayMs, `first token after ${ms} ms`);
  });

  it('writes no timing line for an answer that never got a token', async () => {
    const { session, emulator } = rig();
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 400 } });
    await session.send('refused');
    await session.settled();
    assert.equal(lines.filter((line) => line.startsWith('Chat timing:')).length, 0, lines.join('\n'));
  });
});
