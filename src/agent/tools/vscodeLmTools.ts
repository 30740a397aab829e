// Every tool VS Code knows (`vscode.lm.tools`): tools other extensions register and MCP servers' tools, offered to
// the model as agent tools. Called through `vscode.lm.invokeTool`, so VS Code's own confirmations for them apply.
// VS Code marks an MCP server's tools with the tag `mcp` (the `source` field is a proposed API), which is how
// the two are told apart.
import * as vscode from 'vscode';
import { errorText } from '../../util/errorText';
import type { AgentTool, AgentToolSource } from '../agentTool';
import { withToken } from './abortToken';
import { cutText } from './textLimits';
import { done, failed } from './toolResult';
import type { WorkspaceAccess } from './workspaceAccess';

/** Characters of one tool result kept before the loop's own cut; a tool that returns megabytes is cut here first. */
const MAX_RESULT_CHARS = 200_000;
const VALID_NAME = /^[\w-]{1,64}$/;

export function sourceOf(tool: Pick<vscode.LanguageModelToolInformation, 'tags'>): AgentToolSource {
  return tool.tags.includes('mcp') ? 'mcp' : 'extension';
}

/** VS Code's built-in chat extension: its tools edit and run through VS Code's own chat session, not outside it. */
const CHAT_EXTENSION_ID = 'github.copilot-chat';

/**
 * The tools other extensions declare (`contributes.languageModelTools`). The rest of `vscode.lm.tools` without the
 * `mcp` tag are VS Code's own chat tools (editing, terminal, confirmations of its chat view), made for its chat.
 */
function extensionToolNames(): Set<string> {
  const names = new Set<string>();
  for (const extension of vscode.extensions.all) {
    if (extension.id.toLowerCase() === CHAT_EXTENSION_ID) continue;
    const declared = (extension.packageJSON as { contributes?: { languageModelTools?: unknown } }).contributes?.languageModelTools;
    if (!Array.isArray(declared)) continue;
    for (const tool of declared as Array<{ name?: unknown }>) if (typeof tool?.name === 'string') names.add(tool.name);
  }
  return names;
}

/** `vscode.lm.tools` as agent tools: extensions' and MCP servers', without names the model could not call or that `taken` uses. */
export function vscodeLmTools(access: WorkspaceAccess, taken: ReadonlySet<string>): AgentTool[] {
  const declared = extensionToolNames();
  return vscode.lm.tools
    .filter((info) => VALID_NAME.test(info.name) && !taken.has(info.name) && (sourceOf(info) === 'mcp' || declared.has(info.name)))
    .map((info) => ({
      name: info.name,
      description: info.description || `Tool ${info.name}`,
      inputSchema: objectSchema(info.inputSchema),
      source: sourceOf(info),
      async invoke(input, context) {
        let result: vscode.LanguageModelToolResult;
        try {
          result = await withToken(context.signal, (token) => vscode.lm.invokeTool(info.name, { input, toolInvocationToken: undefined }, token));
        } catch (error) {
          // Unknown tool, input VS Code found invalid, a confirmation declined in VS Code, or the tool's own error.
          return failed(await access.withoutSecrets(`The tool ${info.name} failed: ${errorText(error)}`, `tool ${info.name}`));
        }
        const text = await access.withoutSecrets(resultText(result), `tool ${info.name}`);
        const cut = cutText(text, MAX_RESULT_CHARS, 'The tool returned more than is shown.');
        return done(cut.text || '(the tool returned nothing)', `${info.name}: ${firstLine(cut.text)}`);
      },
    }));
}

/** A tool's result parts as text: text parts as they are, JSON and text data decoded, anything else named. */
export function resultText(result: vscode.LanguageModelToolResult): string {
  const decoder = new TextDecoder();
  return result.content
    .map((part) => {
      if (part instanceof vscode.LanguageModelTextPart) return part.value;
      if (part instanceof vscode.LanguageModelPromptTsxPart) return JSON.stringify(part.value);
      const data = part as { mimeType?: unknown; data?: unknown };
      if (typeof data.mimeType === 'string' && data.data instanceof Uint8Array) {
        return /^text\/|json|xml|yaml/.test(data.mimeType) ? decoder.decode(data.data) : `[${data.mimeType} data, ${data.data.byteLength} bytes, not shown]`;
      }
      const value = (part as { value?: unknown }).value;
      return typeof value === 'string' ? value : '[a result part that is not text]';
    })
    .join('\n');
}

function objectSchema(schema: object | undefined): Record<string, unknown> {
  const value = (schema ?? {}) as Record<string, unknown>;
  return value.type === 'object' ? value : { type: 'object', properties: {}, ...value };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
