// Agent tasks in a process of their own: the real loop of src/agent (AgentTask on the answer pipeline) with a
// read_file tool over a temp folder, driven by the emulator's scripted model for a fixed number of steps. The
// same task runs twice, each on a fresh provider and connection: first as the process's first task (cold code),
// then the measured one (the code has run once). Each is timed from the task's start to its end.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AgentTask } from '../../src/agent/agentTask';
import type { AgentTool } from '../../src/agent/agentTool';
import { OpenRouterProvider } from '../../src/openrouter';
import { TEST_KEY } from '../emulator/accounts';
import { buildCatalogue, specialModelIds } from '../emulator/models';

export interface AgentJob {
  /** The measured task's origin (the measuring relay). */
  baseUrl: string;
  /** The first task's, run before it in the same process (another relay, so no connection carries over). */
  coldBaseUrl: string;
  caPath: string;
  allowH2: boolean;
  /** Model requests the task makes: steps − 1 with a tool call each, then the answer. */
  steps: number;
  /** Size of each file the tool reads (the conversation grows by this much a step). */
  fileBytes: number;
}

export interface AgentChildResult {
  /** The process's first task: every piece of the code runs for the first time (module init, JIT, TLS set-up). */
  cold: AgentTaskResult;
  /** The same task again on a new provider and connection: the code has run once, as in an editor open for a while. */
  warm: AgentTaskResult;
}

export interface AgentTaskResult {
  wallMs: number;
  end: string;
  steps: number;
  toolCalls: number;
  /** Each step's time: its start to the next step's start (the request, the answer, the tool call), the last to the end. */
  stepMs: number[];
  /** Time inside the tool's own work (reading the file), summed. */
  toolMs: number;
  /** `process.cpuUsage()` over the task, user + system, ms. */
  cpuMs: number;
  connectionsOpened: number;
  /** Requests the provider sent, by method and path (`POST /chat/completions`). */
  requests: Record<string, number>;
  httpVersions: string[];
}

/** A read_file-like tool over one folder: the workspace tool's shape, without VS Code. */
function readFileTool(root: string, timings: { toolMs: number }): AgentTool {
  return {
    name: 'read_file',
    description: 'Read a text file of the workspace.',
    inputSchema: { type: 'object', properties: { path: { type: 'string', description: 'Workspace-relative path' } }, required: ['path'], additionalProperties: false },
    source: 'openrouter',
    invoke: async (input) => {
      const started = performance.now();
      const file = path.resolve(root, String(input.path));
      if (path.relative(root, file).startsWith('..')) return { content: 'Refused: the path is outside the workspace.', summary: 'refused', isError: true };
      const content = await readFile(file, 'utf8');
      timings.toolMs += performance.now() - started;
      return { content, summary: `${content.length} characters` };
    },
  };
}

/** The scripted task: read file-1 … file-(steps − 1), one a step, then answer. */
export function agentScript(steps: number): string {
  const calls = Array.from({ length: steps - 1 }, (_, i) => [{ name: 'read_file', arguments: { path: `src/file-${i + 1}.ts` } }]);
  return `Read the source files one by one and summarise them. [[agent:script]]${JSON.stringify({ steps: calls, answer: `Read ${steps - 1} files.` })}`;
}

/** One task on a provider of its own (a cold connection), timed from its start to its end. */
async function runTask(job: AgentJob, baseUrl: string, root: string): Promise<AgentTaskResult> {
  const provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl, ca: readFileSync(job.caPath, 'utf8'), allowH2: job.allowH2, maxRetries: 0 });
  const requests: Record<string, number> = {};
  const versions = new Set<string>();
  provider.onRequest((record) => {
    const key = `${record.method} ${record.path.split('?')[0]}`;
    requests[key] = (requests[key] ?? 0) + 1;
    if (record.httpVersion) versions.add(record.httpVersion);
  });
  const model = buildCatalogue().find((m) => m.id === specialModelIds.echo);
  const timings = { toolMs: 0 };
  let toolCalls = 0;
  const stepStarts: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const task = new AgentTask(
    { provider: () => provider, log: { warn: (message) => console.error(message), debug() {} }, generationRetryDelaysMs: [] },
    {
      source: 'chat',
      request: { model: specialModelIds.echo, max_tokens: 200 },
      messages: [{ role: 'user', content: agentScript(job.steps) }],
      tools: [readFileTool(root, timings)],
      model,
      limits: { maxSteps: job.steps, maxCostUsd: 1, timeoutMs: 10_000, maxResultChars: 100_000 },
      scope: { chatId: 'bench', answerId: 'bench-1', autoApply: false, confirm: async () => false },
    },
    { onStepStarted: () => void stepStarts.push(performance.now()), onToolCallEnded: () => void toolCalls++ },
  );
  const outcome = await task.done;
  const ended = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const result: AgentTaskResult = {
    wallMs: ended - started,
    end: outcome.end.status === 'error' ? `error: ${String(outcome.end.error)}` : outcome.end.status,
    steps: outcome.progress.steps,
    stepMs: stepStarts.map((at, i) => (stepStarts[i + 1] ?? ended) - (i === 0 ? started : at)),
    toolCalls,
    toolMs: timings.toolMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    connectionsOpened: provider.stats().connectionsOpened,
    requests,
    httpVersions: [...versions],
  };
  await provider.close();
  return result;
}

async function measure(job: AgentJob): Promise<AgentChildResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'agent-bench-'));
  try {
    const line = '// A line of source code the agent reads, about sixty bytes.\n';
    mkdirSync(path.join(root, 'src'));
    for (let i = 1; i < job.steps; i++) {
      writeFileSync(path.join(root, 'src', `file-${i}.ts`), line.repeat(Math.ceil(job.fileBytes / line.length)).slice(0, job.fileBytes));
    }
    const cold = await runTask(job, job.coldBaseUrl, root);
    const warm = await runTask(job, job.baseUrl, root);
    return { cold, warm };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

process.once('message', (job: AgentJob) => {
  measure(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }, () => process.exit(1)),
  );
});
