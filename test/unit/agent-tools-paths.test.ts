import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInside, linkRefusal, normalizeRelativePath, realTarget } from '../../src/agent/tools/workspacePaths';

describe('agent tools: which paths the model may name', () => {
  it('accepts relative paths and cleans them', () => {
    assert.deepEqual(normalizeRelativePath('src/index.ts'), { ok: true, relative: 'src/index.ts' });
    assert.deepEqual(normalizeRelativePath('./src//a.ts'), { ok: true, relative: 'src/a.ts' });
    assert.deepEqual(normalizeRelativePath('src\\win\\b.ts'), { ok: true, relative: 'src/win/b.ts' });
    assert.deepEqual(normalizeRelativePath(''), { ok: true, relative: '' });
    assert.deepEqual(normalizeRelativePath('.'), { ok: true, relative: '' });
  });

  it('refuses paths that leave the workspace, with a reason the model can act on', () => {
    for (const path of ['../secret.txt', 'src/../../x', '..', '/etc/passwd', '\\\\server\\share', 'C:\\Windows\\win.ini', 'c:/x', '~/.ssh/id_rsa', 'file:///etc/passwd', 'a\0b']) {
      const checked = normalizeRelativePath(path);
      assert.equal(checked.ok, false, path);
      if (!checked.ok) assert.match(checked.reason, /relative to the workspace folder/, path);
    }
  });

  it('refuses a `..` segment even when it would stay inside (never resolved)', () => {
    assert.equal(normalizeRelativePath('src/../README.md').ok, false);
  });

  it('tells inside from a sibling folder with the same prefix', () => {
    assert.equal(isInside('/ws/project/a.ts', '/ws/project'), true);
    assert.equal(isInside('/ws/project', '/ws/project/'), true);
    assert.equal(isInside('/ws/project-secrets/a.ts', '/ws/project'), false);
    assert.equal(isInside('C:\\ws\\p\\a.ts', 'C:\\ws\\p'), true);
  });
});

describe('agent tools: symbolic links', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'agent-paths-')));
    workspace = join(root, 'workspace');
    outside = join(root, 'outside');
    mkdirSync(join(workspace, 'src'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(workspace, 'src', 'a.ts'), 'a');
    writeFileSync(join(outside, 'credentials'), 'secret');
    symlinkSync(join(outside, 'credentials'), join(workspace, 'creds-link'));
    symlinkSync(outside, join(workspace, 'linked-folder'));
    symlinkSync(join(workspace, 'src', 'a.ts'), join(workspace, 'inner-link.ts'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a link to a file outside the workspace', async () => {
    assert.match((await linkRefusal(join(workspace, 'creds-link'), workspace, 'creds-link', realpath)) ?? '', /symbolic link that leads outside/);
  });

  it('refuses a file under a linked folder outside, existing or to be created', async () => {
    assert.ok(await linkRefusal(join(workspace, 'linked-folder', 'credentials'), workspace, 'linked-folder/credentials', realpath));
    assert.ok(await linkRefusal(join(workspace, 'linked-folder', 'new', 'file.txt'), workspace, 'linked-folder/new/file.txt', realpath));
  });

  it('allows a link that stays inside, and files not yet created', async () => {
    assert.equal(await linkRefusal(join(workspace, 'inner-link.ts'), workspace, 'inner-link.ts', realpath), undefined);
    assert.equal(await linkRefusal(join(workspace, 'src', 'new', 'b.ts'), workspace, 'src/new/b.ts', realpath), undefined);
  });

  it('resolves a missing file through its nearest existing folder', async () => {
    assert.equal(await realTarget(join(workspace, 'linked-folder', 'x', 'y'), realpath), join(outside, 'x', 'y'));
  });
});
