// `npm run screenshots`: the README's pictures (media/readme/*.png), taken by the test browser from the real VS
// Code as `npm start` serves it (test/vscode-host/demo.mjs: the packaged extension, the local emulator). Each
// picture waits for what it shows and fails if it does not appear: the chat answering with its footer, the
// model picker, the credits item with its tooltip, the Usage view, and VS Code's Language Models editor listing the models.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createActions } from './actions.mjs';
import { repoRoot, startDemo } from './demo.mjs';
import { CHROMIUM, CHROMIUM_ARGS, loopbackOnly, requireChromium } from './workbenchBrowser.mjs';

const outDir = join(repoRoot, 'media', 'readme');
const say = (line) => console.log(`[screenshots] ${line}`);
const profileDir = mkdtempSync(join(tmpdir(), 'orvt-shots-'));
const demo = await startDemo({ profileDir, settings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' }, say });
let browser;
try {
  requireChromium();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  // Loopback only: nothing leaves the machine.
  await loopbackOnly(context);
  const page = await context.newPage();
  const act = createActions({ page, screenshotDir: join(profileDir, 'scratch') });
  mkdirSync(outDir, { recursive: true });
  const shot = async (name) => {
    await page.screenshot({ path: join(outDir, `${name}.png`) });
    say(`media/readme/${name}.png`);
  };

  await page.goto(demo.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  // The credits item says what the key can still spend once the extension has loaded.
  const creditsItem = page.locator('.statusbar-item', { hasText: 'left' }).first();
  await creditsItem.waitFor({ timeout: 60_000 });

  // The chat: a question answered, with the footer under the answer.
  await act.clickActivityBarItem({ label: 'OpenRouter' });
  await act.setSideBarWidth({ width: 460 });
  await act.webviewWaitFor({ selector: 'body[data-ready="true"] #input', timeoutMs: 60_000 });
  await act.webviewFill({ selector: '#input', text: 'How do I read a file line by line in Node.js? Show a short example.' });
  await act.webviewPress({ selector: '#input', key: 'Enter' });
  await act.webviewWaitFor({ selector: '.stats:not([hidden])', text: '$', timeoutMs: 60_000 });
  await page.mouse.move(640, 400);
  await shot('chat');

  // The model picker.
  await act.runCommandFromPalette({ title: 'OpenRouter: Select Model' });
  await act.quickPickItems();
  await act.typeInQuickInput({ text: 'claude' });
  await shot('model-picker');
  await act.closeQuickInput();

  // The credits item with its tooltip.
  await creditsItem.hover();
  await page.locator('.monaco-hover:not(.hidden), .workbench-hover').last().waitFor({ state: 'visible', timeout: 20_000 });
  await shot('credits');
  await page.mouse.move(640, 300);
  await page.keyboard.press('Escape');

  // Where the money goes: the Usage view with today's answer in its chart.
  await act.runCommandFromPalette({ title: 'OpenRouter: Show Usage' });
  await act.webviewWaitFor({ within: '#usage-app', selector: 'table', text: 'gpt-4o-mini', timeoutMs: 30_000 });
  await shot('usage');
  await act.runCommandFromPalette({ title: 'View: Close All Editors' });

  // VS Code's own chat: the OpenRouter models in its Language Models editor.
  await act.runCommandFromPalette({ title: 'Chat: Manage Language Models' });
  await page.getByText('Anthropic:', { exact: false }).first().waitFor({ timeout: 30_000 });
  await shot('language-models');
  say('done');
} finally {
  await browser?.close();
  await demo.stop();
  rmSync(profileDir, { recursive: true, force: true });
}
