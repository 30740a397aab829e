// The agent's tools that reach beyond the files, in the real VS Code: a terminal command runs only after the
// user agrees (declined: no terminal, no process), and tools from other extensions and MCP servers are listed
// and called with the model's arguments through VS Code.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { callTool, diskText, listTools, resultOf, workspaceUri } from './agentToolsKit';
import { prepareChat, until } from './chat-ui';

describe('Agent tools in the real VS Code: terminal, other extensions, MCP', function () {
  this.timeout(120_000);
  before(async () => {
    await prepareChat({ fresh: false });
  });

  it('run_terminal_command declined: asked first, then no terminal and no process', async () => {
    const terminals = vscode.window.terminals.length;
    const call = await callTool('run_terminal_command', { command: 'echo ran > agent-declined-marker.txt' }, { confirm: false, autoApply: true });
    assert.equal(call.confirmations.length, 1, 'asked even with auto-apply on');
    assert.equal(call.confirmations[0]!.code, 'echo ran > agent-declined-marker.txt');
    assert.equal(call.confirmations[0]!.acceptLabel, 'Run');
    assert.equal(call.result?.isError, true);
    assert.equal(call.result?.confirmed, false);
    assert.match(call.result!.content, /declined/);
    assert.equal(vscode.window.terminals.length, terminals, 'no terminal was created');
    assert.equal(await diskText('agent-declined-marker.txt'), undefined, 'the command did not run');
  });

  it('run_terminal_command accepted: runs in a terminal, output and exit code captured', async () => {
    const ended = new Promise<vscode.TerminalShellExecutionEndEvent>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
        listener.dispose();
        resolve(event);
      });
    });
    const result = await resultOf('run_terminal_command', { command: 'echo ran > agent-accepted-marker.txt && echo "answer-$((6*7))"' }, { confirm: true });
    assert.equal(result.isError, undefined, result.content);
    assert.equal(result.confirmed, true);
    assert.match(result.content, /answer-42/);
    assert.match(result.content, /\[exit code 0\]$/);
    assert.equal(await diskText('agent-accepted-marker.txt'), 'ran\n');
    const event = await ended;
    assert.equal(event.terminal.name, 'OpenRouter Agent', 'it ran in the agent terminal, through shell integration');
    assert.equal(event.exitCode, 0);

    const failing = await resultOf('run_terminal_command', { command: 'ls no-such-file-here' }, { confirm: true });
    assert.equal(failing.isError, true);
    assert.match(failing.content, /No such file/);
    assert.doesNotMatch(failing.content, /\[exit code 0\]/);
  });

  it('run_terminal_command stops a command at its time limit and says so', async () => {
    const result = await resultOf('run_terminal_command', { command: 'echo started; sleep 120; echo never', timeoutSeconds: 2 }, { confirm: true });
    assert.equal(result.isError, true);
    assert.match(result.content, /started/);
    assert.ok(!result.content.split('\n').includes('never'), 'the command was stopped before its end');
    assert.match(result.content, /stopped after the 2 s time limit/);
  });

  it("another extension's tool (vscode.lm.registerTool) is listed and called with the model's arguments", async () => {
    const listed = await until(listTools, (tools) => tools.some((t) => t.name === 'fixture_reverse_words'), 'the fixture extension\'s tool');
    const tool = listed.find((t) => t.name === 'fixture_reverse_words')!;
    assert.equal(tool.source, 'extension');
    assert.deepEqual(tool.inputSchema.required, ['text']);
    const input = { text: 'one two three' };
    const result = await resultOf('fixture_reverse_words', input);
    assert.equal(result.isError, undefined, result.content);
    assert.equal(result.content, 'reversed: three two one\nreceived: {"text":"one two three"}');
    assert.deepEqual(await vscode.commands.executeCommand('lmToolFixture.calls'), [input]);
  });

  it('explores MCP', async () => {
    const log = path.join(tmpdir(), `mcp-calls-${Date.now()}.txt`);
    const server = path.join(vscode.extensions.getExtension('openrouter-community.openrouter-vscode')!.extensionPath, 'test', 'vscode-host', 'fixtures', 'mcp-server', 'server.mjs');
    await vscode.workspace.fs.writeFile(workspaceUri('.vscode/mcp.json'), new TextEncoder().encode(JSON.stringify({ servers: { fixture: { type: 'stdio', command: process.execPath, args: [server], env: { MCP_FIXTURE_LOG: log } } } }, null, 2)));
    const contributed = vscode.extensions.all.flatMap((e) => ((e.packageJSON as { contributes?: { languageModelTools?: Array<{ name: string }> } }).contributes?.languageModelTools ?? []).map((t) => `${e.id}:${t.name}`));
    console.log(`contributed tools: ${contributed.join(', ')}`);
    console.log(`disableAIFeatures=${vscode.workspace.getConfiguration('chat').get('disableAIFeatures')} mcp.enabled=${JSON.stringify(vscode.workspace.getConfiguration('chat').inspect('mcp.enabled'))} mcp.access=${JSON.stringify(vscode.workspace.getConfiguration('chat').get('mcp.access'))} autostart=${JSON.stringify(vscode.workspace.getConfiguration('chat').get('mcp.autostart'))}`);
    const started = await Promise.race([vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true, autoTrustChanges: true }).then(() => 'started', (e: unknown) => `error ${String(e)}`), new Promise((r) => setTimeout(() => r('timeout'), 15000))]);
    console.log(`startServer: ${String(started)}`);
    console.log(`mcp tools: ${vscode.lm.tools.filter((t) => t.tags.includes('mcp')).map((t) => t.name).join(', ')}`);
    await vscode.workspace.getConfiguration('chat').update('disableAIFeatures', false, vscode.ConfigurationTarget.Global);
    const started2 = await Promise.race([vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true, autoTrustChanges: true }).then(() => 'started', (e: unknown) => `error ${String(e)}`), new Promise((r) => setTimeout(() => r('timeout'), 15000))]);
    console.log(`startServer with AI features: ${String(started2)}`);
    console.log(`mcp tools: ${vscode.lm.tools.filter((t) => t.tags.includes('mcp')).map((t) => `${t.name} ${t.description}`).join(', ')}`);
    console.log(`all: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
    await vscode.workspace.getConfiguration('chat').update('disableAIFeatures', undefined, vscode.ConfigurationTarget.Global);
  });
});
