import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayKey } from '../../src/usage/usageDays';
import { UsageFolder } from '../../src/usage/usageFolder';
import { nodeFileStore } from '../../src/storage/nodeFileStore';
import { UsageRecorder } from '../../src/usage/usageRecorder';
import type { UsageEntry } from '../../src/usage/usageTypes';

const DAY = 24 * 60 * 60 * 1000;
const quiet = { warn() {}, debug() {} };

function entry(id: string, at: number, costUsd = 0.01, model = 'openai/gpt-4o-mini'): UsageEntry {
  return { id, at, source: 'chat', model, promptTokens: 1, completionTokens: 1, cachedTokens: 0, costUsd };
}

describe('usage record (files shared by windows)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'usage-record-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives a reload: a new recorder on the same folder reads what the last one wrote', async () => {
    const before = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir), keepPrompts: () => false, log: quiet });
    await before.record({ source: 'chat', model: 'a/x', generationId: 'gen-1', costUsd: 0.25, promptTokens: 100, completionTokens: 40, cachedTokens: 20, provider: 'OpenAI', latencyMs: 812.4 });
    await before.record({ source: 'vscode-chat', model: 'b/y', costUsd: 0.5 });
    const after = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir), keepPrompts: () => false, log: quiet });
    const entries = await after.entries();
    assert.equal(entries.length, 2);
    assert.deepEqual(
      { ...entries[0], at: 0 },
      { id: 'gen-1', at: 0, source: 'chat', model: 'a/x', provider: 'OpenAI', promptTokens: 100, completionTokens: 40, cachedTokens: 20, costUsd: 0.25, latencyMs: 812 },
    );
    assert.equal(entries[1]!.source, 'vscode-chat');
    assert.deepEqual(await after.spend(), { day: 0.75, month: 0.75 });
  });

  it('keeps no prompt text unless the user opted in, and then only its first 500 characters', async () => {
    let keep = false;
    const recorder = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir), keepPrompts: () => keep, log: quiet });
    await recorder.record({ source: 'chat', model: 'a/x', prompt: 'my secret plans', costUsd: 0.1 });
    keep = true;
    await recorder.record({ source: 'chat', model: 'a/x', prompt: 'p'.repeat(800), costUsd: 0.1 });
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')).join('');
    assert.doesNotMatch(files, /secret plans/);
    const [first, second] = await recorder.entries();
    assert.equal(first!.prompt, undefined);
    assert.equal(second!.prompt, 'p'.repeat(500));
  });

  it('counts a generation reported twice (two windows polling the same answer) once', async () => {
    const left = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir, 'left'), keepPrompts: () => false, log: quiet });
    const right = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir, 'right'), keepPrompts: () => false, log: quiet });
    await left.record({ source: 'chat', model: 'a/x', generationId: 'gen-same', costUsd: 1 });
    await left.record({ source: 'chat', model: 'a/x', generationId: 'gen-same', costUsd: 1 });
    await right.record({ source: 'chat', model: 'a/x', generationId: 'gen-same', costUsd: 1 });
    assert.equal((await left.entries()).length, 1);
    assert.deepEqual(await right.spend(), { day: 1, month: 1 });
  });

  it('ignores a line another window is still writing, and reads it once it is whole', async () => {
    const now = Date.now();
    const file = join(dir, `${dayKey(now)}.other.jsonl`);
    mkdirSync(dir, { recursive: true });
    const line = JSON.stringify(entry('gen-half', now, 0.3));
    writeFileSync(file, `${JSON.stringify(entry('gen-whole', now, 0.2))}\n${line.slice(0, 20)}`);
    const folder = new UsageFolder(nodeFileStore, dir);
    assert.deepEqual((await folder.read(dayKey(now))).map((e) => e.id), ['gen-whole']);
    appendFileSync(file, `${line.slice(20)}\nnot json\n{"id":1}\n`);
    assert.deepEqual((await folder.read(dayKey(now))).map((e) => e.id).sort(), ['gen-half', 'gen-whole'], 'the finished line counts; damaged ones do not');
  });

  it('deletes the files of days older than 90 days and keeps the rest', async () => {
    const now = Date.UTC(2026, 10, 30, 12);
    const folder = new UsageFolder(nodeFileStore, dir, 'w');
    await folder.append(entry('old', now - 90 * DAY));
    await folder.append(entry('kept', now - 89 * DAY));
    await folder.append(entry('today', now));
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    assert.equal(await folder.prune(now), 1);
    assert.equal(existsSync(join(dir, `${dayKey(now - 90 * DAY)}.w.jsonl`)), false);
    assert.deepEqual((await folder.read('2000-01-01')).map((e) => e.id), ['kept', 'today']);
    assert.ok(existsSync(join(dir, 'notes.txt')), 'files that are not the record are left alone');
    const recorder = new UsageRecorder({ folder, keepPrompts: () => false, log: quiet, now: () => now + 91 * DAY });
    assert.deepEqual(await recorder.entries(), [], 'reading prunes too');
    assert.deepEqual(readdirSync(dir).sort(), ['notes.txt']);
  });

  it('two processes recording into the folder at the same time lose none of each other’s entries', async function () {
    this.timeout(60_000);
    const writer = (prefix: string): Promise<number | null> =>
      new Promise((resolve, reject) => {
        const child = fork(join(__dirname, 'fixtures', 'usageWriter.ts'), [dir, prefix, '300'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
        child.on('error', reject);
        child.on('exit', resolve);
      });
    // This process reads while both write: every read parses, and a read never sees fewer entries than the one before.
    const reader = new UsageFolder(nodeFileStore, dir);
    let reading = true;
    let reads = 0;
    let lastCount = 0;
    const readLoop = (async () => {
      while (reading) {
        const count = (await reader.read('2000-01-01')).length;
        assert.ok(count >= lastCount, `a later read saw ${count} entries after ${lastCount}`);
        lastCount = count;
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const codes = await Promise.all([writer('left'), writer('right')]);
    reading = false;
    await readLoop;
    assert.deepEqual(codes, [0, 0]);
    const entries = await new UsageFolder(nodeFileStore, dir).read('2000-01-01');
    assert.equal(new Set(entries.map((e) => e.id)).size, 600, `all six hundred entries are there, found ${entries.length}`);
    assert.equal(entries.length, 600);
    assert.equal(entries.filter((e) => e.model === 'left/model').length, 300);
    assert.ok(reads > 0);
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      assert.ok(text.endsWith('\n'), `${name} ends with a whole line`);
      for (const line of text.trim().split('\n')) JSON.parse(line);
    }
  });
});
