// create_file: a new workspace file, created when the user accepts it (or at once with auto-apply) and removed
// again by Undo. Never overwrites: an existing file is changed with propose_edit.
import * as vscode from 'vscode';
import type { AgentTool } from '../agentTool';
import { changeFile, type FileChangeDeps } from './fileChanges';
import { failed, optionalString } from './toolResult';
import type { WorkspaceAccess } from './workspaceAccess';

export function createFileTool(access: WorkspaceAccess, deps: FileChangeDeps): AgentTool {
  return {
    name: 'create_file',
    source: 'openrouter',
    writes: true,
    description: 'Create a new file in the workspace with the given content (folders on the way are created). The user reviews it first unless they turned on auto-apply; the result says whether it was created. Fails if the file exists: use propose_edit for that.',
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Path of the new file, relative to the workspace folder.' },
        content: { type: 'string', description: 'The file\'s whole content.' },
      },
      required: ['path', 'content'],
      additionalProperties: false,
    },
    async invoke(input, context) {
      const resolved = await access.resolve(optionalString(input, 'path') ?? '');
      if (!resolved.ok) return failed(resolved.reason);
      const { file } = resolved;
      if (!file.relative) return failed('Give the path of the file to create, e.g. src/new.ts.');
      const content = optionalString(input, 'content');
      if (content === undefined) return failed('content must be a string.');
      const exists = await vscode.workspace.fs.stat(file.uri).then(() => true, () => false);
      if (exists || vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === file.uri.toString())) return failed(`${file.relative} already exists: use propose_edit to change it, or read_file to see it.`);
      return changeFile(deps, context, file, null, content, `Creating ${file.relative}`);
    },
  };
}
