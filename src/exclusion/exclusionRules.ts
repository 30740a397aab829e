// Which paths are never sent to a model: glob patterns matched against a file's workspace-relative and absolute
// path. No vscode import: unit-tested under Node; the editor glue is contentGate.ts.
import type Picomatch from 'picomatch';

/**
 * Files that commonly hold credentials. A pattern without a slash matches the file's name in any folder, as in
 * .gitignore. Users may edit the list (user settings only); a workspace may only add to it.
 */
export const DEFAULT_EXCLUSION_PATTERNS: readonly string[] = [
  '.env*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.kdbx',
  '**/.git/**',
  '.npmrc',
  '.yarnrc.yml',
  '.pypirc',
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.htpasswd',
  '**/secrets/**',
  '**/.ssh/**',
  '**/.aws/**',
  '**/.docker/config.json',
  '**/.kube/config',
  // VS Code's own settings, wherever the user data folder is (the proxy password lives in http.proxy).
  '**/User/settings.json',
  '**/User/profiles/*/settings.json',
  '**/User/globalStorage/**',
];

/** URI schemes whose documents are never sent: VS Code's own settings and state. */
export const EXCLUDED_SCHEMES: readonly string[] = ['vscode-userdata', 'vscode-settings', 'output'];

/** What untitled (never saved) buffers may be used for. */
export type UntitledPolicy = 'exclude' | 'attachOnly' | 'allow';
export const DEFAULT_UNTITLED_POLICY: UntitledPolicy = 'attachOnly';

export interface ExclusionRules {
  /** The user's list (defaults unless the user changed them) and any a workspace added. */
  patterns: readonly string[];
  allowOutsideWorkspace: boolean;
  untitled: UntitledPolicy;
}

/** Why something is not sent: the pattern (or rule) and the setting that holds it, for the status item and the log. */
export interface Exclusion {
  /** The glob that matched, or a rule name (`outside the workspace`, `untitled buffer`, `vscode-userdata:`). */
  pattern: string;
  setting: string;
  /** Where a link leads, when the link itself was allowed but its target is not. */
  target?: string;
}

let picomatch: typeof Picomatch | undefined;

function loadPicomatch(): typeof Picomatch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred require keeps activation cheap
  picomatch ??= require('picomatch') as typeof Picomatch;
  return picomatch;
}

const matchers = new Map<string, (path: string) => boolean>();

function matcher(pattern: string): (path: string) => boolean {
  let test = matchers.get(pattern);
  if (!test) {
    // `nocase`: Windows and macOS file systems ignore case, and `.ENV` is still a .env file.
    const glob = loadPicomatch()(pattern, { dot: true, nocase: true });
    // A pattern without a slash matches the last segment anywhere (`.env*` catches `app/.env.local`).
    test = pattern.includes('/') ? glob : (path) => glob(path.slice(path.lastIndexOf('/') + 1));
    matchers.set(pattern, test);
  }
  return test;
}

/** The first pattern matching any of the given paths (relative and absolute forms of one file). */
export function matchingPattern(paths: readonly string[], patterns: readonly string[]): string | undefined {
  const normalized = paths.map((path) => path.replace(/\\/g, '/'));
  for (const pattern of patterns) {
    const trimmed = pattern.trim();
    if (!trimmed) continue;
    const test = matcher(trimmed);
    if (normalized.some((path) => test(path) || test(path.replace(/^\/+/, '')))) return trimmed;
  }
  return undefined;
}

/** The user's patterns, then every pattern a workspace or folder adds (never fewer than the user's). */
export function mergePatterns(user: unknown, added: readonly unknown[]): string[] {
  const base = Array.isArray(user) ? user.filter((p): p is string => typeof p === 'string') : [...DEFAULT_EXCLUSION_PATTERNS];
  const extra = added.flatMap((list) => (Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : []));
  return [...new Set([...base, ...extra].map((p) => p.trim()).filter(Boolean))];
}

export function parseUntitledPolicy(raw: unknown): UntitledPolicy {
  return raw === 'exclude' || raw === 'allow' || raw === 'attachOnly' ? raw : DEFAULT_UNTITLED_POLICY;
}
