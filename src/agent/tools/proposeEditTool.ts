// propose_edit: a change to an existing workspace file, by a unique search text, a range of lines, or the whole
// new content. Reviewed in the diff editor (or applied at once with auto-apply), checkpointed for Undo.
import type { AgentTool } from '../agentTool';
import { applyEdit, editSpecOf } from './editText';
import { changeFile, type FileChangeDeps } from './fileChanges';
import { toolLimits } from './toolLimits';
import { failed, optionalString, done } from './toolResult';
import type { WorkspaceAccess } from './workspaceAccess';

export function proposeEditTool(access: WorkspaceAccess, deps: FileChangeDeps): AgentTool {
  return {
    name: 'propose_edit',
    source: 'openrouter',
    writes: true,
    description: 'Change an existing workspace file. Either give `search` (text that occurs exactly once in the file, copied exactly) and `replace`; or `startLine`, `endLine` (1-based, inclusive) and `replace`; or `content`, the whole new file. The user reviews the change in a diff and accepts or rejects it (unless they turned on auto-apply); the result says which. Use create_file for new files.',
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path relative to the workspace folder.' },
        search: { type: 'string', description: 'Exact text to replace; must occur exactly once in the file.' },
        replace: { type: 'string', description: 'The new text, for search or for the line range.' },
        startLine: { type: 'integer', minimum: 1, description: 'First line to replace (1-based).' },
        endLine: { type: 'integer', minimum: 0, description: 'Last line to replace (inclusive); startLine - 1 inserts before startLine.' },
        content: { type: 'string', description: 'The whole new content of the file (instead of search or a line range).' },
      },
      required: ['path'],
      additionalProperties: false,
    },
    async invoke(input, context) {
      const resolved = await access.resolve(optionalString(input, 'path') ?? '');
      if (!resolved.ok) return failed(resolved.reason);
      const { file } = resolved;
      const spec = editSpecOf(input);
      if (typeof spec === 'string') return failed(spec);
      const read = await access.readText(file, toolLimits.maxFileBytes);
      if ('reason' in read) return failed(read.reason.includes('does not exist') ? `${file.relative} does not exist: use create_file to make a new file.` : read.reason);
      const edited = applyEdit(read.text, spec);
      if (!edited.ok) return failed(`${file.relative}: ${edited.reason}`);
      if (edited.text === read.text) return done(`${file.relative} already holds this text; nothing to change.`, `${file.relative} unchanged`);
      return changeFile(deps, context, file, read.text, edited.text, `Edit of ${file.relative}`);
    },
  };
}
