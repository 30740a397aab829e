// The agent's tools that reach beyond the files, in the real VS Code: a terminal command runs only after the
// user agrees (declined: no terminal, no process), and tools from other extensions and MCP servers are listed
// and called with the model's arguments through VS Code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { callTool, diskText, listTools, resultOf, workspaceUri } from './agentToolsKit';
import { waitFor } from '../support/waitFor';
import { prepareChat } from './chat-ui';

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

  it('run_terminal_command without shell integration runs the confirmed command as a process and says so', async () => {
    const settings = vscode.workspace.getConfiguration('terminal.integrated');
    await settings.update('shellIntegration.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const terminals = vscode.window.terminals.length;
      const declined = await callTool('run_terminal_command', { command: 'echo ran > agent-fallback-declined.txt' }, { confirm: false });
      assert.equal(declined.confirmations.length, 1);
      assert.equal(await diskText('agent-fallback-declined.txt'), undefined, 'declined: not run this way either');
      const result = await resultOf('run_terminal_command', { command: 'echo "fallback-$((40+2))"; exit 3' }, { confirm: true });
      assert.match(result.content, /^\(VS Code's terminal shell integration is off or unavailable, so the command ran as a background process/);
      assert.match(result.content, /fallback-42/);
      assert.match(result.content, /\[exit code 3\]$/);
      assert.equal(result.isError, true);
      assert.equal(vscode.window.terminals.length, terminals);
    } finally {
      await settings.update('shellIntegration.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("another extension's tool (vscode.lm.registerTool) is listed and called with the model's arguments", async () => {
    const listed = await waitFor("the fixture extension's tool", listTools, { accept: (tools) => tools.some((t) => t.name === 'fixture_reverse_words'), timeoutMs: 20_000 });
    const tool = listed.find((t) => t.name === 'fixture_reverse_words')!;
    assert.equal(tool.source, 'extension');
    assert.deepEqual(tool.inputSchema.required, ['text']);
    const input = { text: 'one two three' };
    const result = await resultOf('fixture_reverse_words', input);
    assert.equal(result.isError, undefined, result.content);
    assert.equal(result.content, 'reversed: three two one\nreceived: {"text":"one two three"}');
    assert.deepEqual(await vscode.commands.executeCommand('lmToolFixture.calls'), [input]);
  });

  it("another extension's tool that throws, or returns megabytes, gives the model a readable, bounded result", async () => {
    await waitFor("the fixture extension's tools", listTools, { accept: (tools) => tools.some((t) => t.name === 'fixture_floods'), timeoutMs: 20_000 });
    const thrown = await resultOf('fixture_throws', {});
    assert.equal(thrown.isError, true);
    assert.match(thrown.content, /^The tool fixture_throws failed: .*the fixture tool failed on purpose/);
    const flood = await resultOf('fixture_floods', {});
    assert.equal(flood.isError, undefined);
    assert.ok(flood.content.length < 200_200, `${flood.content.length} characters`);
    assert.ok(flood.content.startsWith('flood flood'));
    assert.match(flood.content, /\[… cut: \d+ more characters \(1 lines\) not shown\. The tool returned more than is shown\.\]$/);
  });

  it("VS Code's own chat tools are not offered: they work inside its chat only", async () => {
    const offered = new Set((await listTools()).map((t) => t.name));
    const builtIn = vscode.lm.tools.map((t) => t.name).filter((name) => ['run_in_terminal', 'vscode_editFile_internal', 'kill_terminal', 'vscode_get_confirmation'].includes(name));
    assert.ok(builtIn.length > 0, 'VS Code lists its own chat tools here');
    for (const name of builtIn) assert.ok(!offered.has(name), `${name} was offered`);
    const listed = vscode.lm.tools.map((t) => t.name);
    console.log(`vscode.lm.tools: ${listed.length} tools; offered to the agent: ${listed.filter((n) => offered.has(n)).join(', ')}; not offered: ${listed.filter((n) => !offered.has(n)).join(', ')}`);
  });

  it("an MCP server's tool (stdio, .vscode/mcp.json) is listed as MCP and called with the model's arguments", async () => {
    const calls = path.join(tmpdir(), `agent-mcp-calls-${Date.now()}.jsonl`);
    const server = path.join(vscode.extensions.getExtension('openrouter-community.openrouter-vscode')!.extensionPath, 'test', 'vscode-host', 'fixtures', 'mcp-server', 'server.mjs');
    const mcpJson = workspaceUri('.vscode/mcp.json');
    const chat = vscode.workspace.getConfiguration('chat');
    // The suite's host turns VS Code's AI features off; with them off VS Code starts no MCP server (see the docs).
    await chat.update('disableAIFeatures', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.workspace.fs.writeFile(mcpJson, new TextEncoder().encode(JSON.stringify({ servers: { fixture: { type: 'stdio', command: process.execPath, args: [server], env: { MCP_FIXTURE_LOG: calls } } } })));
      const mcpTool = (): vscode.LanguageModelToolInformation | undefined => vscode.lm.tools.find((t) => t.tags.includes('mcp') && t.name.endsWith('_shout'));
      // As a user starts it from MCP: List Servers; asked again each second until VS Code has read the new mcp.json.
      const name = await waitFor(
        "the MCP server's tool in vscode.lm.tools",
        () => {
          void vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true }).then(undefined, () => undefined);
          return mcpTool()?.name;
        },
        { timeoutMs: 90_000, intervalMs: 1000 },
      );
      const listed = (await listTools()).find((t) => t.name === name);
      assert.equal(listed?.source, 'mcp');
      assert.deepEqual(listed?.inputSchema.required, ['text']);
      const result = await resultOf(name, { text: 'quiet please' });
      assert.equal(result.isError, undefined, result.content);
      assert.equal(result.content, 'SHOUTED: QUIET PLEASE');
      assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown), [{ text: 'quiet please' }]);
    } finally {
      await vscode.workspace.fs.delete(mcpJson).then(undefined, () => undefined);
      await chat.update('disableAIFeatures', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
