// get_diagnostics: the errors and warnings VS Code's language services report, for one file or the workspace.
import * as vscode from 'vscode';
import type { AgentTool } from '../agentTool';
import { toolLimits } from './toolLimits';
import { done, failed, optionalString } from './toolResult';
import type { WorkspaceAccess } from './workspaceAccess';

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;
/** How long a file just opened may take to get its first diagnostics from its language service. */
const FIRST_DIAGNOSTICS_MS = 3000;

export function diagnosticsTool(access: WorkspaceAccess): AgentTool {
  return {
    name: 'get_diagnostics',
    source: 'openrouter',
    description: 'Get the errors and warnings (problems) VS Code reports for one workspace file, or for every file that has some when path is omitted. Language services report on files they have analysed, usually the open ones.',
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path relative to the workspace folder. Omit for the whole workspace.' },
        minSeverity: { type: 'string', enum: ['error', 'warning', 'info', 'hint'], description: 'Leave out anything less severe. Default: warning.' },
      },
      additionalProperties: false,
    },
    async invoke(input, context) {
      const path = optionalString(input, 'path');
      const minimum = Math.max(0, SEVERITY.indexOf((optionalString(input, 'minSeverity') ?? 'warning') as (typeof SEVERITY)[number]));
      let entries: Array<[vscode.Uri, vscode.Diagnostic[]]>;
      if (path !== undefined && path.trim() !== '') {
        const resolved = await access.resolve(path);
        if (!resolved.ok) return failed(resolved.reason);
        const uri = resolved.file.uri;
        try {
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.type & vscode.FileType.Directory) return failed(`${resolved.file.relative} is a folder: give a file, or omit path for the whole workspace.`);
        } catch {
          return failed(`${resolved.file.relative} does not exist.`);
        }
        await analysed(uri, context.signal);
        entries = [[uri, vscode.languages.getDiagnostics(uri)]];
      } else {
        entries = vscode.languages.getDiagnostics().filter(([uri]) => !!vscode.workspace.getWorkspaceFolder(uri));
      }
      const lines: string[] = [];
      let total = 0;
      for (const [uri, diagnostics] of entries.sort(([a], [b]) => a.path.localeCompare(b.path))) {
        const wanted = diagnostics.filter((d) => d.severity <= minimum);
        if (!wanted.length || !(await access.visible(uri))) continue;
        const relative = access.relativeOf(uri);
        for (const d of wanted.sort((a, b) => a.range.start.line - b.range.start.line)) {
          total++;
          if (lines.length < toolLimits.maxDiagnostics) lines.push(`${relative}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${SEVERITY[d.severity]}${d.source ? ` (${d.source}${d.code !== undefined ? ` ${codeOf(d.code)}` : ''})` : ''}: ${d.message.replace(/\s*\n\s*/g, ' ')}`);
        }
      }
      const where = path?.trim() ? path.trim() : 'the workspace';
      if (!total) return done(`No problems at ${SEVERITY[minimum]} level or above reported for ${where}.`, `No problems in ${where}`);
      const more = total > lines.length ? `\n[${total - lines.length} more not shown.]` : '';
      return done(await access.withoutSecrets(`${lines.join('\n')}${more}`, 'get_diagnostics'), `${total} problems in ${where}`);
    },
  };
}

function codeOf(code: NonNullable<vscode.Diagnostic['code']>): string {
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Opens `uri` (without showing it) so its language service looks at it, and waits briefly for its first report. */
async function analysed(uri: vscode.Uri, signal: AbortSignal): Promise<void> {
  if (vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === uri.toString())) return;
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      listener.dispose();
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => (event.uris.some((changed) => changed.toString() === uri.toString()) ? finish() : undefined));
    const timer = setTimeout(finish, FIRST_DIAGNOSTICS_MS);
    signal.addEventListener('abort', finish, { once: true });
    vscode.workspace.openTextDocument(uri).then(undefined, finish);
  });
}
