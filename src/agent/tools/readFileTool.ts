// read_file: a workspace file's text, whole or a range of lines, secrets cut out.
import type { AgentTool } from '../agentTool';
import { toolLimits } from './toolLimits';
import { cutText, sliceLines } from './textLimits';
import { done, failed, optionalString } from './toolResult';
import type { WorkspaceAccess } from './workspaceAccess';

export function readFileTool(access: WorkspaceAccess): AgentTool {
  return {
    name: 'read_file',
    source: 'openrouter',
    description: 'Read a text file of the workspace, whole or a range of lines (1-based, inclusive). Paths are relative to the workspace folder. Large files are cut: read them in ranges. Excluded files (credentials, .env, keys) and paths outside the workspace are refused.',
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File path relative to the workspace folder, e.g. src/index.ts.' },
        startLine: { type: 'integer', minimum: 1, description: 'First line to read (1-based). Omit to start at the top.' },
        endLine: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive). Omit to read to the end.' },
      },
      required: ['path'],
      additionalProperties: false,
    },
    async invoke(input) {
      const path = optionalString(input, 'path') ?? '';
      const resolved = await access.resolve(path);
      if (!resolved.ok) return failed(resolved.reason);
      const { file } = resolved;
      const read = await access.readText(file, toolLimits.maxFileBytes);
      if ('reason' in read) return failed(read.reason);
      const slice = sliceLines(read.text, numberOrUndefined(input.startLine), numberOrUndefined(input.endLine));
      if (typeof slice === 'string') return failed(`${file.relative}: ${slice}`);
      const clean = await access.withoutSecrets(slice.text, `read_file ${file.relative}`);
      const cut = cutText(clean, toolLimits.maxReadChars, 'Read the rest with startLine/endLine.');
      const whole = slice.start === 1 && slice.end === slice.total;
      const range = slice.total === 0 ? 'empty file' : whole ? `${slice.total} lines` : `lines ${slice.start}–${slice.end} of ${slice.total}`;
      return done(`${file.relative} (${range}):\n${cut.text}`, `Read ${file.relative} (${range}${cut.cut ? ', cut' : ''})`);
    },
  };
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
