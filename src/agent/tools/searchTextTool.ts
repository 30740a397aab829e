// search_text: a text or regular expression across workspace files, bounded in files read and matches returned.
// The stable API has no text search, so files come from findFiles and are read here, one at a time.
import * as vscode from 'vscode';
import type { AgentTool } from '../agentTool';
import { withToken } from './abortToken';
import { GitignoreRules } from './gitignoreRules';
import { compileQuery, DEFAULT_SEARCH_LIMITS, matchLines, SearchBudget, type LineMatch } from './textSearch';
import { toolLimits } from './toolLimits';
import { boundedInt, done, failed, optionalString } from './toolResult';
import type { WorkspaceAccess } from './workspaceAccess';

/** Files read at once. */
const READ_BATCH = 32;

export function searchTextTool(access: WorkspaceAccess): AgentTool {
  return {
    name: 'search_text',
    source: 'openrouter',
    description: `Search workspace files for a text or a regular expression (JavaScript syntax, matched line by line). Returns matching lines as path:line: text. At most ${DEFAULT_SEARCH_LIMITS.maxMatchesPerFile} matches per file and ${toolLimits.searchMaxFiles} files searched; ignored and excluded files are skipped.`,
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'The text to find, or a regular expression when isRegex is true.' },
        isRegex: { type: 'boolean', description: 'Treat query as a regular expression. Default false.' },
        caseSensitive: { type: 'boolean', description: 'Match case. Default false.' },
        include: { type: 'string', description: 'Glob of the files to search, relative to the workspace folder, e.g. src/**/*.ts. Default: all files.' },
        maxResults: { type: 'integer', minimum: 1, maximum: 500, description: `Matches to return at most (default ${DEFAULT_SEARCH_LIMITS.maxMatches}).` },
      },
      required: ['query'],
      additionalProperties: false,
    },
    async invoke(input, context) {
      const query = optionalString(input, 'query') ?? '';
      const pattern = compileQuery({ query, isRegex: input.isRegex === true, caseSensitive: input.caseSensitive === true });
      if (typeof pattern === 'string') return failed(pattern);
      const include = (optionalString(input, 'include') ?? '').trim() || '**/*';
      if (include.startsWith('/') || include.split('/').includes('..')) return failed(`The include pattern ${JSON.stringify(include)} leaves the workspace: give a relative glob such as src/**/*.ts.`);
      const root = await access.resolve('');
      if (!root.ok) return failed(root.reason);
      const budget = new SearchBudget({ ...DEFAULT_SEARCH_LIMITS, maxMatches: boundedInt(input, 'maxResults', DEFAULT_SEARCH_LIMITS.maxMatches, 1, 500) });
      const folders = vscode.workspace.workspaceFolders ?? [];
      const gitignore = new GitignoreRules();
      const lines: string[] = [];
      const searchFile = async (uri: vscode.Uri, folder: vscode.WorkspaceFolder): Promise<'hidden' | 'unreadable' | { relative: string; matches: LineMatch[] }> => {
        if ((await gitignore.ignores(folder, uri)) || !(await access.visible(uri))) return 'hidden';
        const relative = access.relativeOf(uri);
        const read = await access.readText({ uri, folder, relative }, toolLimits.searchMaxFileBytes);
        if ('reason' in read) return 'unreadable';
        // One more than a file may give, so a file over its limit is noticed.
        return { relative, matches: matchLines(read.text, pattern, budget.limits.maxMatchesPerFile + 1, budget.limits.maxLineChars) };
      };
      let searched = 0;
      let skipped = 0;
      let moreFiles = false;
      for (const folder of folders) {
        const found = await withToken(context.signal, (token) => vscode.workspace.findFiles(new vscode.RelativePattern(folder, include), undefined, toolLimits.searchMaxFiles + 1, token));
        const files = found.sort((a, b) => a.path.localeCompare(b.path));
        // Files are read a batch at a time (each read is a round trip to VS Code), their matches taken in path order.
        for (let start = 0; start < files.length && !context.signal.aborted && !budget.exhausted; start += READ_BATCH) {
          const batch = await Promise.all(files.slice(start, start + READ_BATCH).map((uri) => searchFile(uri, folder)));
          for (const outcome of batch) {
            if (budget.exhausted) break;
            if (outcome === 'hidden') continue;
            if (searched >= toolLimits.searchMaxFiles) {
              moreFiles = true;
              break;
            }
            searched++;
            if (outcome === 'unreadable') {
              skipped++;
              continue;
            }
            const limit = budget.forNextFile;
            const taken = outcome.matches.slice(0, limit);
            budget.take(taken.length, outcome.matches.length > taken.length);
            for (const match of taken) lines.push(`${outcome.relative}:${match.line}: ${match.text}`);
          }
          if (moreFiles) break;
        }
      }
      if (context.signal.aborted) return failed('The search was stopped before it finished.');
      const notes = [
        budget.truncated ? 'Not every match is shown (limit reached): narrow the query or the include pattern.' : '',
        moreFiles ? `Only the first ${toolLimits.searchMaxFiles} files were searched: narrow the include pattern.` : '',
        skipped ? `${skipped} binary or very large files were skipped.` : '',
      ].filter(Boolean);
      const summary = `${budget.matches} matches for ${JSON.stringify(query)} in ${budget.filesWithMatches} files (${searched} searched)`;
      if (!lines.length) return done(`No matches for ${JSON.stringify(query)} in ${searched} files searched.${notes.length ? ` ${notes.join(' ')}` : ''}`, summary);
      const text = await access.withoutSecrets(`${lines.join('\n')}${notes.length ? `\n[${notes.join(' ')}]` : ''}`, 'search_text');
      return done(text, summary);
    },
  };
}
