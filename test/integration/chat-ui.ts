// What the chat integration tests share: driving the chat panel through the browser (as a user would),
// and the emulator's control API (faults, counters) over loopback HTTP.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import * as vscode from 'vscode';
import type { EmulatorCounters, FaultRule, SeenRequest } from '../emulator/types';
import { browserAction } from '../vscode-host/browser';
import { waitFor } from '../support/waitFor';

export const testKey = 'sk-or-v1-test';

function emulatorOrigin(): string {
  const base = process.env.OPENROUTER_TEST_BASE_URL;
  assert.ok(base, 'the harness starts the emulator and passes OPENROUTER_TEST_BASE_URL');
  return new URL(base).origin;
}

function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const text = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${emulatorOrigin()}/__emulator/${path}`, { method, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
      let answer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (answer += chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 400) return reject(new Error(`emulator ${method} ${path}: ${res.statusCode} ${answer}`));
        resolve((answer ? JSON.parse(answer) : null) as T);
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

export const emulator = {
  addFault: (rule: FaultRule) => control<unknown>('POST', 'faults', rule),
  clearFaults: () => control<unknown>('DELETE', 'faults'),
  counters: () => control<EmulatorCounters>('GET', 'counters'),
  requests: () => control<SeenRequest[]>('GET', 'requests'),
};

/** Evaluates `expression` inside the chat webview's document and returns its (JSON) value. */
export function inPanel<T>(expression: string): Promise<T> {
  return browserAction('webviewEvaluate', { expression }) as Promise<T>;
}


/** Activates the extension with the test key and opens the chat view, in a new conversation when `fresh`. */
export async function prepareChat({ fresh }: { fresh: boolean }): Promise<void> {
  await vscode.extensions.getExtension('openrouter-community.openrouter-vscode')!.activate();
  await vscode.commands.executeCommand('openrouter.setApiKey', testKey);
  if (fresh) await vscode.commands.executeCommand('openrouter.newChat');
  await openChatPanel();
  if (fresh) await newChatShown();
}

/**
 * Clicks New Chat in the view's title bar, as a user does, and waits until the panel shows the new, empty chat.
 * The click only asks the extension, which answers with the new chat: until that answer is drawn, the panel (and
 * any count of its answers) is still the old chat's.
 */
export async function startNewChat(): Promise<void> {
  const before = await inPanel<string>(`document.body.dataset.chatId ?? ''`);
  await browserAction('clickViewTitleAction', { title: 'New Chat' });
  // Until the new chat's snapshot is drawn, an empty old chat would pass for it.
  await waitFor('the new chat to be shown', () => inPanel<string>(`document.body.dataset.chatId ?? ''`), { accept: (id) => id !== before });
  await newChatShown();
}

export type PanelSection = 'history' | 'routing' | 'system';
const sectionTitles: Record<PanelSection, string> = { history: 'Chat History', routing: 'Routing for This Chat', system: 'System Prompt for This Chat' };

/** Opens or closes one of the panel's sections from the view's title bar, and waits until it shows so. */
export async function toggleSection(section: PanelSection, open: boolean): Promise<void> {
  if ((await sectionOpen(section)) === open) return;
  await browserAction('clickViewTitleAction', { title: sectionTitles[section] });
  await waitFor(`the ${section} section to ${open ? 'open' : 'close'}`, () => sectionOpen(section), { accept: (shown) => shown === open });
}

export function sectionOpen(section: PanelSection): Promise<boolean> {
  return inPanel<boolean>(`!document.getElementById(${JSON.stringify(`${section}-panel`)}).hidden`);
}

async function newChatShown(): Promise<void> {
  await browserAction('webviewWaitFor', { selector: 'body[data-busy="false"] #messages .empty-state' });
  assert.equal(await answerCount(), 0, 'the new chat has no answers');
}

/**
 * Reloads the chat view, as Developer: Reload Webviews does, and waits for the new page to show the extension's
 * snapshot: the page first draws the state it was written with, older than what the old page had been sent since.
 * The old page is marked first: until it is gone it still matches every selector, and reading it then fails with a
 * detached frame.
 */
export async function reloadChatView(readySelector = '#input'): Promise<void> {
  await inPanel(`void (document.documentElement.dataset.replaced = 'true')`);
  await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
  await browserAction('webviewWaitFor', { selector: `html:not([data-replaced]) body[data-ready="true"][data-snapshot="posted"] ${readySelector}`, timeoutMs: 30_000 });
}

export async function openChatPanel(): Promise<void> {
  await vscode.commands.executeCommand('openrouter.openChat');
  await browserAction('webviewWaitFor', { selector: 'body[data-ready="true"] #input', timeoutMs: 30_000 });
}

export interface AnswerView {
  id: string;
  status: string;
  text: string;
  notice: string;
  stats: string;
}

export function lastAnswer(): Promise<AnswerView | null> {
  return inPanel<AnswerView | null>(`(() => {
    const all = document.querySelectorAll('article.turn.assistant');
    const a = all[all.length - 1];
    if (!a) return null;
    const text = (sel) => { const el = a.querySelector(sel); return el && !el.hidden ? el.textContent : ''; };
    return { id: a.dataset.turnId, status: a.dataset.status, text: text('.answer'), notice: text('.notice'), stats: text('.stats') };
  })()`);
}

export function answerCount(): Promise<number> {
  return inPanel<number>(`document.querySelectorAll('article.turn.assistant').length`);
}

/** Types into the panel's input and presses Enter, as a user sends a message. */
export async function sendMessage(text: string): Promise<void> {
  await browserAction('webviewFill', { selector: '#input', text });
  await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
}

/** Sends and waits until a new answer has ended (done, stopped or error). */
export async function sendAndWait(text: string, timeoutMs = 30_000): Promise<AnswerView> {
  const before = await answerCount();
  await sendMessage(text);
  const seen = await waitFor('the new answer to end', async () => ({ count: await answerCount(), last: await lastAnswer() }), { accept: (v) => v.count === before + 1 && v.last !== null && v.last.status !== 'streaming', timeoutMs: timeoutMs });
  return seen.last!;
}

export async function chooseModelInPanel(modelId: string): Promise<void> {
  // A native <select>'s popup is outside the page in headless Chromium: pick the option as the keyboard would.
  await inPanel(`(() => {
    const select = document.getElementById('model-select');
    select.focus();
    select.value = ${JSON.stringify(modelId)};
    select.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
}

export async function screenshot(name: string): Promise<void> {
  await browserAction('screenshot', { name });
}
