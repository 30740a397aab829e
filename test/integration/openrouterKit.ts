// Shared steps for the OpenRouter integration tests: the emulator's control API over HTTP, the extension's
// internal state commands, and waiting on conditions (never fixed sleeps).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as vscode from 'vscode';
import { internalCommandIds } from '../../src/commands/commandIds';
import type { CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import type { LogLine } from '../../src/log/logger';
import type { ProviderStats } from '../../src/openrouter/types';
import type { SettingsValues } from '../../src/config/settingsValidation';
import type { EmulatorCounters, FaultRule, KeyState, SeenRequest } from '../emulator/types';

export const EXTENSION_ID = 'openrouter-community.openrouter-vscode';
export const TEST_KEY = 'sk-or-v1-test';
export const MANAGEMENT_KEY = 'sk-or-v1-management';
/** The emulator's defaults for the ordinary test key (restored before each suite). */
export const TEST_KEY_STATE: KeyState = { limit: 10, limit_remaining: 7.5, usage: 2.5, usage_daily: 0.25, usage_weekly: 1, usage_monthly: 2.5, is_free_tier: false, is_management_key: false, limit_reset: null };

export const MANAGEMENT_KEY_STATE: KeyState = { label: 'management', limit: null, limit_remaining: null, usage: 7.5, usage_daily: 0.5, usage_weekly: 2, usage_monthly: 7.5, is_free_tier: false, is_management_key: true, limit_reset: null };

export function emulatorBaseUrl(): string {
  const url = process.env.OPENROUTER_TEST_BASE_URL ?? process.env.OPENROUTER_BASE_URL;
  assert.ok(url, 'the harness passes the emulator URL in OPENROUTER_TEST_BASE_URL');
  return url;
}

/** One control call; `agent: false` closes the socket so it does not linger among the counted connections. */
export function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const origin = new URL(emulatorBaseUrl()).origin;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      `${origin}/__emulator${path}`,
      { method, agent: false, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`emulator ${method} ${path}: ${res.statusCode} ${text}`));
          else resolve((text ? JSON.parse(text) : undefined) as T);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const emulator = {
  counters: () => control<EmulatorCounters>('GET', '/counters'),
  requests: () => control<Array<SeenRequest & { keyFingerprint?: string | null }>>('GET', '/requests'),
  reset: () => control('POST', '/reset'),
  addFault: (rule: FaultRule | FaultRule[]) => control('POST', '/faults', rule),
  clearFaults: () => control('DELETE', '/faults'),
  /** Lets the streams held by `hold` faults go on. */
  releaseHeld: () => control('POST', '/release'),
  setKey: (key: string, state: KeyState | null) => control('PUT', `/keys/${encodeURIComponent(key)}`, state),
  setCredits: (credits: { total_credits: number; total_usage: number }) => control('PUT', '/credits', credits),
};

/** A GET on a connection of its own, read as JSON; https when the URL says so, trusting `ca` where given. */
export function getJson<T>(url: string, options: { ca?: string } = {}): Promise<T> {
  const get = url.startsWith('https:') ? httpsRequest : request;
  return new Promise<T>((resolve, reject) => {
    const req = get(url, { agent: false, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(JSON.parse(text) as T));
    });
    req.on('error', reject);
    req.end();
  });
}

/** GET on the emulator's API (not the control API), as a plain client would. */
export function apiGet<T>(path: string): Promise<T> {
  return getJson<T>(`${emulatorBaseUrl()}${path}`);
}

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  await extension.activate();
}

export interface ExtensionState {
  keySource: 'secret-storage' | 'environment' | undefined;
  settings: SettingsValues;
  providerStats: ProviderStats;
  credits: CreditsSnapshot;
  selectedModelId: string;
  favourites: string[];
  recentlyUsed: string[];
  modelCount: number | undefined;
  modelsAgeMs: number | undefined;
  /** A model list fetch is under way (a refresh now would join it). */
  modelsFetching: boolean;
  modelsCacheUri: string;
  /** User-only settings the workspace's files set (each ignored), by file URI. */
  ignoredWorkspaceSettings: Record<string, string[]>;
}

export async function state(): Promise<ExtensionState> {
  return (await vscode.commands.executeCommand(internalCommandIds.state)) as ExtensionState;
}

export async function logTail(): Promise<LogLine[]> {
  return (await vscode.commands.executeCommand(internalCommandIds.logTail)) as LogLine[];
}

/** Log lines written after `mark` (the tail length taken earlier). */
export async function logSince(mark: number): Promise<LogLine[]> {
  return (await logTail()).slice(mark);
}

export async function logMark(): Promise<number> {
  return (await logTail()).length;
}

/** Sets a user setting and resolves once the extension has read it back. */
export async function setSetting(key: keyof SettingsValues, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('openrouter').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Puts the extension in a known state: the emulator's default keys and credits, no faults, the test key set. */
export async function resetWorld(options: { key?: string | undefined } = { key: TEST_KEY }): Promise<void> {
  await activateExtension();
  await emulator.clearFaults();
  await emulator.setKey(TEST_KEY, TEST_KEY_STATE);
  await emulator.setCredits({ total_credits: 25, total_usage: 7.5 });
  if (options.key) {
    const result = (await vscode.commands.executeCommand('openrouter.setApiKey', options.key)) as { outcome: string };
    assert.equal(result.outcome, 'saved');
  } else {
    await vscode.commands.executeCommand('openrouter.clearApiKey');
  }
}

export function screenshotsWanted(): boolean {
  return Boolean(process.env.VSCODE_TEST_DRIVER_URL);
}
