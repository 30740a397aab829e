import './vscode/install';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from '../../src/log/logger';
import { VscodeNetwork } from '../../src/host/vscodeNetwork';

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const note = (level: string) => (message: string | Error): void => {
    lines.push(`${level}: ${message instanceof Error ? message.message : message}`);
  };
  return { lines, trace: note('trace'), debug: note('debug'), info: note('info'), warn: note('warn'), error: note('error') };
}

/** An app root holding a stand-in for the `@vscode/proxy-agent` VS Code ships (a real module file, loaded by require). */
function appRootWithAgent(source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'vscode-app-root-'));
  const dir = join(root, 'node_modules', '@vscode', 'proxy-agent');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), source);
  return root;
}

describe('VS Code network helpers (the proxy agent VS Code ships)', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('loads the OS certificates through VS Code’s loader once, passing http.systemCertificatesNode', async () => {
    const root = appRootWithAgent(`
      exports.calls = [];
      exports.loadSystemCertificates = async (params) => { exports.calls.push(params.loadSystemCertificatesFromNode()); return ['PEM-A', 'PEM-B']; };
    `);
    roots.push(root);
    const log = recordingLog();
    const network = new VscodeNetwork(log, () => root);
    assert.deepEqual(await network.systemCertificates(true), ['PEM-A', 'PEM-B']);
    assert.deepEqual(await network.systemCertificates(true), ['PEM-A', 'PEM-B']);
    await network.systemCertificates(false);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stand-in module the network helper loaded
    const agent = require(join(root, 'node_modules', '@vscode', 'proxy-agent')) as { calls: boolean[] };
    assert.deepEqual(agent.calls, [true, false], 'one load per mode');
    assert.ok(log.lines.some((line) => /^info: Loaded 2 certificates from the operating system's store through VS Code in \d+ ms\.$/.test(line)), log.lines.join('\n'));
  });

  it('asks VS Code’s resolver for the proxy and logs its choice without credentials', async () => {
    const root = appRootWithAgent(`
      exports.resolveProxyURL = async (url) => url.includes('openrouter') ? 'http://alice:s3cret-pw@proxy.corp:3128' : undefined;
    `);
    roots.push(root);
    const log = recordingLog();
    const network = new VscodeNetwork(log, () => root);
    assert.equal(await network.resolveProxy('https://openrouter.ai'), 'http://alice:s3cret-pw@proxy.corp:3128');
    assert.equal(await network.resolveProxy('https://elsewhere.example'), undefined);
    assert.deepEqual(log.lines, [
      "info: VS Code's proxy settings choose the proxy http://proxy.corp:3128 for https://openrouter.ai.",
      "info: VS Code's proxy settings choose a direct connection for https://elsewhere.example.",
    ]);
  });

  it('without VS Code’s proxy agent: no resolver, and Node’s own system store where Node has one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vscode-app-root-'));
    roots.push(root);
    const log = recordingLog();
    const network = new VscodeNetwork(log, () => root);
    assert.equal(await network.resolveProxy('https://openrouter.ai'), undefined);
    const certificates = await network.systemCertificates(true);
    const nodeHasStore = typeof (await import('node:tls') as { getCACertificates?: unknown }).getCACertificates === 'function';
    assert.equal(certificates.length > 0, nodeHasStore);
    assert.ok(log.lines.some((line) => line.startsWith("debug: VS Code's proxy agent was not found under")));
  });

  it('reports a loader failure, trusts no extra CAs, and tries again next time', async () => {
    const root = appRootWithAgent(`
      let failures = 1;
      exports.loadSystemCertificates = async () => { if (failures-- > 0) throw new Error('keychain locked'); return ['PEM-C']; };
    `);
    roots.push(root);
    const log = recordingLog();
    const network = new VscodeNetwork(log, () => root);
    assert.deepEqual(await network.systemCertificates(true), []);
    assert.ok(log.lines.includes("warn: The operating system's certificates could not be loaded (keychain locked); only Node's built-in CAs are trusted."));
    assert.deepEqual(await network.systemCertificates(true), ['PEM-C']);
  });
});
