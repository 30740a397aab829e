import assert from 'node:assert/strict';
import type { AgentToolInfo, AgentToolSource } from '../../src/agent/agentTool';
import { allowedTools } from '../../src/agent/tools/trustFilter';
import { applyEdit, editSpecOf } from '../../src/agent/tools/editText';
import { compileQuery, matchLines, SearchBudget } from '../../src/agent/tools/textSearch';
import { cutMiddle, cutText, sliceLines, stripTerminalCodes } from '../../src/agent/tools/textLimits';
import { OutputCollector } from '../../src/agent/tools/outputCollector';

describe('agent tools: output limits', () => {
  it('cuts long text at a line end and says how much was left out', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const cut = cutText(text, 500, 'Read a range.');
    assert.equal(cut.cut, true);
    assert.ok(cut.text.length < 650);
    assert.match(cut.text, /line \d+\n\[… cut: \d+ more characters \(\d+ lines\) not shown\. Read a range\.\]$/);
    assert.deepEqual(cutText('short', 500), { text: 'short', cut: false });
  });

  it('keeps the start and the end of a command output (the end says how it finished)', () => {
    const output = `START${'x'.repeat(100_000)}EXIT 3`;
    const cut = cutMiddle(output, 1000);
    assert.ok(cut.text.startsWith('START'));
    assert.ok(cut.text.endsWith('EXIT 3'));
    assert.match(cut.text, /\[… \d+ characters of output left out …\]/);
    assert.ok(cut.text.length < 1100);
  });

  it('gives a range of lines, and a readable error for a range past the end', () => {
    const text = 'one\ntwo\nthree\nfour\n';
    assert.deepEqual(sliceLines(text, 2, 3), { text: 'two\nthree\n', start: 2, end: 3, total: 4 });
    assert.deepEqual(sliceLines(text, 3), { text: 'three\nfour\n', start: 3, end: 4, total: 4 });
    assert.equal(sliceLines(text, 9), 'The file has 4 lines: startLine 9 is past its end.');
    assert.match(sliceLines(text, 3, 2) as string, /endLine must be/);
  });

  it('removes colours, shell-integration marks and overwritten progress from terminal output', () => {
    const raw = '\x1b]633;C\x07\x1b[32mok\x1b[0m\r\n10%\r50%\r100%\ndone\x1b]633;D;0\x07';
    assert.equal(stripTerminalCodes(raw), 'ok\n100%\ndone');
  });
});

describe('agent tools: text search limits', () => {
  it('searches plain text literally, regular expressions as such', () => {
    const plain = compileQuery({ query: 'a.b(', isRegex: false, caseSensitive: true });
    assert.ok(plain instanceof RegExp);
    assert.deepEqual(matchLines('axb(\na.b(\n', plain, 10, 200), [{ line: 2, text: 'a.b(' }]);
    const regex = compileQuery({ query: 'fo+', isRegex: true, caseSensitive: false }) as RegExp;
    assert.deepEqual(matchLines('x\nFOOO\n', regex, 10, 200), [{ line: 2, text: 'FOOO' }]);
  });

  it('explains an invalid regular expression or an empty query', () => {
    assert.match(compileQuery({ query: '(', isRegex: true, caseSensitive: false }) as string, /not a valid regular expression/);
    assert.match(compileQuery({ query: '', isRegex: false, caseSensitive: false }) as string, /empty/);
  });

  it('stops at the per-file and total limits and says so', () => {
    const pattern = compileQuery({ query: 'hit', isRegex: false, caseSensitive: true }) as RegExp;
    const file = Array.from({ length: 100 }, () => 'hit').join('\n');
    const budget = new SearchBudget({ maxMatches: 25, maxMatchesPerFile: 10, maxLineChars: 100 });
    const counts: number[] = [];
    while (!budget.exhausted) {
      const limit = budget.forNextFile;
      const found = matchLines(file, pattern, limit, 100);
      budget.take(found.length, found.length === limit);
      counts.push(found.length);
    }
    assert.deepEqual(counts, [10, 10, 5]);
    assert.equal(budget.matches, 25);
    assert.equal(budget.truncated, true);
  });

  it('cuts a long matching line around the match', () => {
    const line = `${'a'.repeat(5000)}NEEDLE${'b'.repeat(5000)}`;
    const [match] = matchLines(line, /NEEDLE/, 1, 120);
    assert.ok(match!.text.includes('NEEDLE'));
    assert.ok(match!.text.length <= 122);
  });
});

describe('agent tools: edits', () => {
  it('replaces a search text that occurs exactly once', () => {
    assert.deepEqual(applyEdit('a\nb\nc\n', { kind: 'replace', search: 'b\n', replace: 'B\nB2\n' }), { ok: true, text: 'a\nB\nB2\nc\n' });
  });

  it('refuses a search text that occurs twice or not at all', () => {
    const twice = applyEdit('x = 1\nx = 1\n', { kind: 'replace', search: 'x = 1', replace: 'x = 2' });
    assert.equal(twice.ok, false);
    if (!twice.ok) assert.match(twice.reason, /occurs 2 times/);
    const none = applyEdit('x = 1\n', { kind: 'replace', search: 'y', replace: 'z' });
    assert.equal(none.ok, false);
  });

  it('keeps a CRLF file in CRLF when the model writes LF', () => {
    assert.deepEqual(applyEdit('a\r\nb\r\nc\r\n', { kind: 'replace', search: 'a\nb', replace: 'A\nB' }), { ok: true, text: 'A\r\nB\r\nc\r\n' });
  });

  it('replaces, inserts and deletes ranges of lines', () => {
    assert.deepEqual(applyEdit('1\n2\n3\n', { kind: 'lines', startLine: 2, endLine: 2, replace: 'two' }), { ok: true, text: '1\ntwo\n3\n' });
    assert.deepEqual(applyEdit('1\n2\n3\n', { kind: 'lines', startLine: 2, endLine: 1, replace: 'new\n' }), { ok: true, text: '1\nnew\n2\n3\n' });
    assert.deepEqual(applyEdit('1\n2\n3\n', { kind: 'lines', startLine: 2, endLine: 3, replace: '' }), { ok: true, text: '1\n' });
    assert.equal(applyEdit('1\n', { kind: 'lines', startLine: 3, endLine: 4, replace: 'x' }).ok, false);
  });

  it('reads which kind of edit the arguments ask for, and refuses a mix', () => {
    assert.deepEqual(editSpecOf({ path: 'a', search: 'x', replace: 'y' }), { kind: 'replace', search: 'x', replace: 'y' });
    assert.deepEqual(editSpecOf({ path: 'a', content: 'all' }), { kind: 'whole', content: 'all' });
    assert.deepEqual(editSpecOf({ path: 'a', startLine: 4, replace: 'y' }), { kind: 'lines', startLine: 4, endLine: 4, replace: 'y' });
    assert.match(editSpecOf({ path: 'a', search: 'x', content: 'y', replace: 'z' }) as string, /only one of/);
    assert.match(editSpecOf({ path: 'a' }) as string, /Give search and replace/);
  });
});

describe('agent tools: command output', () => {
  it('keeps the start and the end of megabytes of output within the limit', () => {
    const collector = new OutputCollector(2000);
    collector.add('first line\n');
    for (let i = 0; i < 10_000; i++) collector.add(`\x1b[33mline ${i} ${'x'.repeat(90)}\x1b[0m\n`);
    collector.add('exit status 7\n');
    const text = collector.text();
    assert.ok(text.length <= 2100, `${text.length}`);
    assert.ok(text.startsWith('first line\n'));
    assert.ok(text.endsWith('exit status 7\n'));
    assert.match(text, /characters of output left out/);
    assert.ok(!text.includes('\x1b'));
  });
});

describe('agent tools: Restricted Mode', () => {
  const tool = (name: string, source: AgentToolSource, flags: { writes?: boolean; runsCommands?: boolean } = {}): AgentToolInfo => ({ name, source, description: '', inputSchema: { type: 'object' }, ...flags });
  const tools = [tool('read_file', 'openrouter'), tool('propose_edit', 'openrouter', { writes: true }), tool('run_terminal_command', 'openrouter', { runsCommands: true }), tool('fixture', 'extension'), tool('mcp_x', 'mcp')];

  it('keeps only the read-only tools of the extension in an untrusted workspace', () => {
    assert.deepEqual(allowedTools(tools, false).map((t) => t.name), ['read_file']);
  });

  it('keeps every tool in a trusted workspace', () => {
    assert.deepEqual(allowedTools(tools, true).map((t) => t.name), ['read_file', 'propose_edit', 'run_terminal_command', 'fixture', 'mcp_x']);
  });
});
