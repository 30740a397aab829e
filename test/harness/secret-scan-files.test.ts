import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MANAGEMENT_KEY, TEST_KEY, TEST_KEYS, canaryKey } from '../emulator/accounts';
import { countSecrets, describeScan, filesBelow, scanForSecrets } from '../secretScan';

describe('secret scan of a run folder and captured output', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'secret-scan-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const plant = (relative: string, content: string | Buffer): string => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };

  it('finds planted keys in nested text and binary files, in UTF-16 and URL-encoded, and names only the files', () => {
    plant('logs/20260101/exthost1/output.log', `[info] GET /credits Authorization: Bearer ${TEST_KEY}\n`);
    // A database page: the key between arbitrary bytes, as SQLite stores a value.
    plant('User/globalStorage/state.vscdb', Buffer.concat([randomBytes(4096), Buffer.from(MANAGEMENT_KEY), Buffer.from([0]), randomBytes(512)]));
    plant('User/workspaceStorage/x/utf16.bin', Buffer.from(`key=${TEST_KEY}`, 'utf16le'));
    plant('tmp/url.txt', `proxy=http://user:${encodeURIComponent(`${TEST_KEY}/`)}@127.0.0.1`);
    plant('User/settings.json', '{ "openrouter.model": "emulator/echo" }');

    const report = scanForSecrets({ files: filesBelow(dir), base: dir });

    assert.equal(report.files, 5);
    assert.equal(report.occurrences, 4);
    assert.deepEqual(
      report.findings.map((finding) => finding.where),
      [path.join('User', 'globalStorage', 'state.vscdb'), path.join('User', 'workspaceStorage', 'x', 'utf16.bin'), path.join('logs', '20260101', 'exthost1', 'output.log'), path.join('tmp', 'url.txt')],
    );
    const line = describeScan(report);
    assert.match(line, /^secrets: 4 occurrences in 5 files and 0 outputs \(found in: /);
    for (const key of TEST_KEYS) assert.ok(!line.includes(key) && !JSON.stringify(report).includes(key), 'the report never holds a key');
  });

  it('finds a per-test canary by its shape in captured streams, and counts each occurrence', () => {
    const canary = canaryKey();
    const gateway = canaryKey('gateway');
    const report = scanForSecrets({
      texts: [
        { where: 'server stdout', text: `ok\nerror: ${canary} rejected; again ${canary}\n` },
        { where: 'browser console', text: Buffer.from(`token ${gateway}`) },
        { where: 'host log', text: 'nothing here but sk-or-v1-tes...est and sk-or-v1-CANARY-short' },
      ],
    });
    assert.deepEqual(report.findings, [
      { where: 'server stdout', occurrences: 2 },
      { where: 'browser console', occurrences: 1 },
    ]);
    assert.equal(report.outputs, 3);
    assert.ok(!describeScan(report).includes(canary));
  });

  it('reports zero for a clean folder, and leaves out exactly what it is told to skip', () => {
    plant('logs/main.log', 'started\n');
    const secretStore = plant('home/.local/share/keyrings/store.json', JSON.stringify({ key: TEST_KEY }));
    symlinkSync(secretStore, path.join(dir, 'logs', 'link-to-store'));

    const files = filesBelow(dir, (file) => file === path.dirname(secretStore));
    const report = scanForSecrets({ files, base: dir });

    assert.deepEqual(files, [path.join(dir, 'logs', 'main.log')], 'the skipped folder and symlinks are not read');
    assert.equal(describeScan(report), 'secrets: 0 occurrences in 1 files and 0 outputs');
    assert.equal(scanForSecrets({ files: filesBelow(dir), base: dir }).occurrences, 1, 'without the skip the planted key is found');
  });

  it('does not count a file that vanished between listing and reading', () => {
    const file = plant('tmp/lock', TEST_KEY);
    rmSync(file);
    assert.deepEqual(scanForSecrets({ files: [file] }), { occurrences: 0, files: 0, outputs: 0, findings: [] });
    assert.equal(countSecrets(''), 0);
  });
});
