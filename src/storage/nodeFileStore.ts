// The storage seam on Node's file system: the only place the records' files meet `node:fs`. A browser build
// hands the records another FileStore instead of this file.
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStore, StoredInfo, WriteOptions } from './fileStore';

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

export const nodeFileStore: FileStore = {
  join: (...parts) => join(...parts),

  async list(folder) {
    try {
      return await readdir(folder);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  async info(path): Promise<StoredInfo | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info) return undefined;
    const kind = info.isFile() ? 'file' : info.isDirectory() ? 'folder' : 'other';
    return { kind, mtimeMs: info.mtimeMs, size: info.size, shared: (info.mode & 0o077) !== 0 };
  },

  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  async writeText(path, text, options) {
    await writeFile(path, text, { encoding: 'utf8', ...fileMode(options) });
  },

  async replaceText(path, text, options) {
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, text, { encoding: 'utf8', ...fileMode(options) });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  },

  async appendText(path, text) {
    await appendFile(path, text, { encoding: 'utf8', flag: 'a' });
  },

  async rename(from, to) {
    try {
      await rename(from, to);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  },

  async remove(path) {
    await rm(path, { recursive: true, force: true });
  },

  async makeFolder(path, options) {
    await mkdir(path, { recursive: true, ...(options?.private ? { mode: FOLDER_MODE } : {}) });
  },

  async restrict(path, kind) {
    // A file system without Unix modes (or a file another window removed) keeps what it has.
    await chmod(path, kind === 'folder' ? FOLDER_MODE : FILE_MODE).catch(() => undefined);
  },

  writerName: () => `${process.pid}-${randomBytes(4).toString('hex')}`,
};

function fileMode(options: WriteOptions | undefined): { mode?: number } {
  return options?.private ? { mode: FILE_MODE } : {};
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}
