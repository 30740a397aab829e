// list_files: workspace files matching a glob, without what files.exclude, .gitignore or the content exclusions
// leave out.
import * as vscode from 'vscode';
import type { AgentTool } from '../agentTool';
import { withToken } from './abortToken';
import { GitignoreRules } from './gitignoreRules';
import { toolLimits } from './toolLimits';
import { boundedInt, done, failed, optionalString } from './toolResult';
import type { WorkspaceAccess } from './workspaceAccess';

export function listFilesTool(access: WorkspaceAccess): AgentTool {
  return {
    name: 'list_files',
    source: 'openrouter',
    description: 'List workspace files whose path matches a glob pattern (e.g. "**/*.ts", "src/**"), relative to the workspace folder or to `path`. Files hidden by files.exclude or .gitignore and files excluded from models are left out.',
    inputSchema: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Glob pattern, e.g. **/*.py. Default: every file (**/*).' },
        path: { type: 'string', description: 'Folder to list, relative to the workspace folder. Default: the workspace folder.' },
        maxResults: { type: 'integer', minimum: 1, maximum: toolLimits.listMax, description: `At most this many files (default ${toolLimits.listDefault}).` },
      },
      additionalProperties: false,
    },
    async invoke(input, context) {
      const resolved = await access.resolve(optionalString(input, 'path') ?? '');
      if (!resolved.ok) return failed(resolved.reason);
      const base = resolved.file;
      const pattern = (optionalString(input, 'pattern') ?? '').trim() || '**/*';
      if (pattern.startsWith('/') || pattern.split('/').includes('..')) return failed(`The pattern ${JSON.stringify(pattern)} leaves the folder: give a relative glob such as **/*.ts.`);
      const max = boundedInt(input, 'maxResults', toolLimits.listDefault, 1, toolLimits.listMax);
      // files.exclude applies (exclude undefined); ask for more than needed, as .gitignore and exclusions drop some.
      const asked = Math.min(max * 5 + 50, 20_000);
      const found = await withToken(context.signal, (token) => vscode.workspace.findFiles(new vscode.RelativePattern(base.uri, pattern), undefined, asked, token));
      const gitignore = new GitignoreRules();
      const kept: string[] = [];
      let hidden = 0;
      for (const uri of found.sort((a, b) => a.path.localeCompare(b.path))) {
        if (context.signal.aborted || kept.length > max) break;
        if ((await gitignore.ignores(base.folder, uri)) || !(await access.visible(uri))) hidden++;
        else kept.push(access.relativeOf(uri));
      }
      const more = kept.length > max || found.length >= asked;
      const shown = kept.slice(0, max);
      const where = base.relative || 'the workspace';
      if (!shown.length) return done(`No files match ${pattern} in ${where}${hidden ? ` (${hidden} ignored or excluded files left out)` : ''}.`, `No files match ${pattern}`);
      const notes = [more ? `More files match: only the first ${max} are listed; narrow the pattern.` : '', hidden ? `${hidden} ignored or excluded files left out.` : ''].filter(Boolean);
      return done(`${shown.join('\n')}${notes.length ? `\n[${notes.join(' ')}]` : ''}`, `Listed ${shown.length}${more ? '+' : ''} files matching ${pattern} in ${where}`);
    },
  };
}
