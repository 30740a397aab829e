// Time to load the production bundle and run its activate() in a fresh Node process, with an inert
// `vscode` module: the extension's own start-up cost, without the editor's. See README "Activation".
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import path from 'node:path';

export interface ActivationJob {
  bundle: string;
  storageDir: string;
}

export interface ActivationResult {
  loadMs: number;
  activateMs: number;
  cpuMs: number;
  subscriptions: number;
}

/** Values every setting/state lookup answers: the caller's default, as in a fresh profile. */
const lookups: Record<string, unknown> = {
  get: (_key: string, fallback?: unknown) => fallback,
  inspect: () => undefined,
  has: () => false,
  keys: () => [],
};

/** Any property, call or construction answers another inert stub; awaiting one is not a thenable. */
function inert(name: string): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'toJSON') return () => null;
      if (typeof prop === 'string' && prop in lookups) return lookups[prop];
      if (!cache.has(prop)) cache.set(prop, inert(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    // Assigned values (an item's text, a view's html) read back as set.
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`) as object,
  });
}

/**
 * The `vscode` module: its real top-level names (from @types/vscode), each an inert stub. Bundlers copy
 * a CommonJS module's own keys into their namespace object, so the names must be enumerable.
 */
function vscodeModule(): object {
  const declarations = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = [...declarations.matchAll(/^\texport (?:declare )?(?:class|namespace|enum|const|let|function) (\w+)/gm)].map((m) => m[1]!);
  const members = new Map(names.map((name) => [name, inert(`vscode.${name}`)]));
  return new Proxy(
    {},
    {
      get: (_t, prop) => (typeof prop === 'string' ? members.get(prop) : undefined),
      has: (_t, prop) => typeof prop === 'string' && members.has(prop),
      ownKeys: () => [...members.keys()],
      getOwnPropertyDescriptor: (_t, prop) =>
        typeof prop === 'string' && members.has(prop) ? { configurable: true, enumerable: true, writable: false, value: members.get(prop) } : undefined,
    },
  );
}

function memento(): unknown {
  const values = new Map<string, unknown>();
  return {
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  };
}

function context(job: ActivationJob): Record<string, unknown> {
  const uri = (p: string) => ({ fsPath: p, path: p, scheme: 'file', toString: () => `file://${p}` });
  return {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose: () => undefined }) },
    globalState: memento(),
    workspaceState: memento(),
    extensionPath: path.dirname(path.dirname(job.bundle)),
    extensionUri: uri(path.dirname(path.dirname(job.bundle))),
    globalStorageUri: uri(job.storageDir),
    storageUri: uri(job.storageDir),
    logUri: uri(job.storageDir),
    globalStoragePath: job.storageDir,
    storagePath: job.storageDir,
    logPath: job.storageDir,
    asAbsolutePath: (p: string) => path.join(path.dirname(path.dirname(job.bundle)), p),
    extensionMode: 1,
    extension: inert('extension'),
    environmentVariableCollection: inert('environmentVariableCollection'),
    languageModelAccessInformation: inert('languageModelAccessInformation'),
  };
}

async function measure(job: ActivationJob): Promise<ActivationResult> {
  const vscode = vscodeModule();
  const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const originalLoad = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
  };
  const cpuStart = process.cpuUsage();
  const t0 = performance.now();
  const extension = Module.createRequire(job.bundle)(job.bundle) as { activate(ctx: unknown): unknown; deactivate?(): unknown };
  const t1 = performance.now();
  const ctx = context(job);
  await extension.activate(ctx);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  await extension.deactivate?.();
  return { loadMs: t1 - t0, activateMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, subscriptions: (ctx.subscriptions as unknown[]).length };
}

process.once('message', (job: ActivationJob) => {
  measure(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});
