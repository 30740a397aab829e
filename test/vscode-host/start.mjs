// `npm start`: packages the extension, installs it into the real VS Code embedded in code-server and serves it
// on 127.0.0.1 for your browser, as a user has it (test/vscode-host/demo.mjs). Without OPENROUTER_API_KEY it
// runs against the local OpenRouter emulator. After a change, stop it and run it again (it repackages).
// `--check` (CI) stops again once the workbench page is served, exiting 0 only then.
// Usage: npm start [-- --port 3917] [-- --check]
import { parseArgs } from 'node:util';
import { startDemo } from './demo.mjs';

const { values: opts } = parseArgs({ options: { port: { type: 'string', default: '0' }, check: { type: 'boolean', default: false } } });
const say = (line) => console.log(`[start] ${line}`);

let demo;
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  await demo?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  demo = await startDemo({ port: Number(opts.port), say });
  demo.onExit((code) => {
    if (stopping) return;
    say(`the VS Code server exited (${code})`);
    void stopAll(1);
  });
  say('VS Code with the extension is ready (loopback only). Open this URL in your browser:');
  console.log(`\n${demo.url}\n`);
  if (opts.check) {
    const page = await fetch(demo.url);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('workbench')) throw new Error(`the URL answered ${page.status} without the workbench page`);
    say('check: the workbench page is served; stopping.');
    await stopAll(0);
  }
  say('Ctrl+C stops it. After a change, run npm start again.');
} catch (error) {
  say(`failed: ${error instanceof Error ? error.message : error}`);
  await stopAll(1);
}
