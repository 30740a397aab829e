// Which paths a tool may touch, decided without VS Code so it is unit-tested under plain Node: a path the model
// names must be relative and stay inside the workspace folder, also after following symbolic links.

export type PathCheck = { ok: true; relative: string } | { ok: false; reason: string };

/**
 * The model's path as a clean relative path ('' for the folder itself), or why it is refused: absolute paths,
 * `~`, drive letters, URIs and any `..` segment are refused, never resolved.
 */
export function normalizeRelativePath(input: string): PathCheck {
  const raw = input.trim();
  const refuse = (why: string): PathCheck => ({ ok: false, reason: `${JSON.stringify(input)} ${why} Give a path relative to the workspace folder, like src/index.ts.` });
  if (raw.includes('\0')) return refuse('contains a NUL character.');
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) return refuse('is a URI or a drive path, not a workspace path.');
  if (raw.startsWith('/') || raw.startsWith('\\')) return refuse('is an absolute path: only files inside the workspace can be used.');
  if (raw.startsWith('~')) return refuse('points into a home folder: only files inside the workspace can be used.');
  const segments = raw.replace(/\\/g, '/').split('/');
  if (segments.includes('..')) return refuse('leaves the workspace folder (`..`).');
  const relative = segments.filter((segment) => segment !== '' && segment !== '.').join('/');
  return { ok: true, relative };
}

/** Whether `path` is `root` or inside it (both absolute, already real paths). */
export function isInside(path: string, root: string): boolean {
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  const base = root.endsWith(sep) ? root.slice(0, -1) : root;
  return path === base || path.startsWith(base + sep);
}

export type RealPath = (path: string) => Promise<string>;

/**
 * Where `absolute` really leads: its real path, or for a file not yet there (a file to create) the real path
 * of its nearest existing parent with the rest appended. Undefined when even the root cannot be resolved.
 */
export async function realTarget(absolute: string, realpath: RealPath): Promise<string | undefined> {
  const sep = absolute.includes('\\') && !absolute.includes('/') ? '\\' : '/';
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = await realpath(current);
      return [real.endsWith(sep) ? real.slice(0, -1) : real, ...missing].join(sep);
    } catch {
      const cut = current.lastIndexOf(sep);
      if (cut <= 0) return undefined;
      missing.unshift(current.slice(cut + 1));
      current = current.slice(0, cut);
    }
  }
}

/** Why `absolute` (inside `root` by name) may not be used because a link leads out of `root`, or undefined. */
export async function linkRefusal(absolute: string, root: string, relative: string, realpath: RealPath): Promise<string | undefined> {
  const realRoot = await realTarget(root, realpath);
  const real = await realTarget(absolute, realpath);
  if (!realRoot || !real) return `${relative || '.'} could not be resolved inside the workspace.`;
  if (isInside(real, realRoot)) return undefined;
  return `${relative} is, or lies under, a symbolic link that leads outside the workspace folder: it is not used.`;
}
