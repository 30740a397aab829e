// Inline completions: registered with the editor only while `openrouter.completions.enabled` is on.
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../commands/commandIds';
import type { AccountBalance } from '../balance/accountBalance';
import type { ProviderHost } from '../host/providerHost';
import { LatencyWindow } from '../log/latencyWindow';
import type { Log } from '../log/logger';
import type { ModelCatalog } from '../models/modelCatalog';
import type { WorkspaceConsent } from '../config/workspaceConsent';
import { Disposable, toDisposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import type { ContentGate, Exclusion } from '../exclusion/contentGate';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { fetchCompletion, type CompletionOutcome } from './completionClient';
import { CONTEXT_TOKENS, MAX_COMPLETION_TOKENS } from './completionConfig';
import { CompletionEngine, type EngineEvent } from './completionEngine';
import { pickCompletionModel } from './completionModelPicker';
import { CompletionSettingsReader } from './completionSettings';
import { CompletionSpend, describeSpend } from './completionSpend';
import { CompletionsStatusItem } from './completionsStatusItem';
import { fimStyleFor } from './fimPrompt';
import { InlineCompletionProvider } from './inlineProvider';
import { RateGuard } from './rateGuard';
import { screenForSecrets } from './secretScreen';
import type { BudgetGuard, UsageRecorder } from '../usage';

/** While completions run under a budget, the key's usage (which counts cancelled requests too) is at most this old. */
export const KEY_USAGE_MAX_AGE_MS = 15_000;

export interface CompletionsDeps {
  host: ProviderHost;
  catalog: ModelCatalog;
  /** The key's usage (kept fresh while budgets apply) and the spend line shown with the balance. */
  balance: AccountBalance;
  /** The settings are read through it: a workspace cannot raise spending without the user's yes. */
  consent: WorkspaceConsent;
  log: Log;
  /** What is never sent: excluded files are not completed in, and secrets are cut from every prompt. */
  gate: ContentGate;
  /** The local usage record every finished completion goes into, and the budgets: past 100 % completions are
   * not sent (they never ask) until the user allows more or raises the budget. */
  usage?: { recorder: UsageRecorder; guard: BudgetGuard };
  /** Registers the state command the integration tests read. */
  internalCommands: boolean;
}

export class CompletionsFeature extends Disposable {
  private readonly settings: CompletionSettingsReader;
  private readonly spend = new CompletionSpend();
  private readonly guard: RateGuard;
  private readonly engine: CompletionEngine;
  private readonly status: CompletionsStatusItem;
  private readonly latencies = new Map<string, LatencyWindow>();
  private registration: vscode.Disposable | undefined;
  private busy = false;
  private pausedUntil: number | undefined;
  private heldByBudget = false;
  /** The last secret note, for the document it concerns. */
  private secretNote: { documentKey: string; text: string } | undefined;
  /** Documents already logged as excluded (once each, not per keystroke). */
  private readonly loggedExclusions = new Set<string>();
  /** The last exclusion found on a request (a link's target is only known then). */
  private lastExclusion: { documentKey: string; exclusion: Exclusion } | undefined;

  constructor(private readonly deps: CompletionsDeps) {
    super();
    const { log } = deps;
    this.settings = this._register(new CompletionSettingsReader(log, deps.consent));
    this.guard = new RateGuard(this.settings.values.maxRequestsPerMinute);
    this.engine = new CompletionEngine(
      (prompt, signal, limits) => fetchCompletion(deps.host.provider, prompt, { signal, ...limits, onOutcome: (outcome) => this.ended(outcome) }),
      () => ({ model: this.settings.values.model, debounceMs: this.settings.values.debounceMs, contextTokens: CONTEXT_TOKENS, maxTokens: MAX_COMPLETION_TOKENS }),
      this.guard,
      (event) => this.engineEvent(event),
      undefined,
      () => this.budgetAllows(),
      screenForSecrets,
    );
    this.status = this._register(new CompletionsStatusItem());
    const usage = deps.balance.addUsageLine(() => (this.spend.snapshot.requests > 0 ? `Completions in this window: ${describeSpend(this.spend.snapshot)}` : undefined));
    this._register(toDisposable(() => usage.dispose()));
    const spendWatch = this.spend.onDidChange(() => {
      usage.changed();
      this.render();
    });
    this._register(toDisposable(() => spendWatch.dispose()));
    this._register(
      this.settings.onDidChange((values) => {
        this.guard.setLimit(values.maxRequestsPerMinute);
        this.engine.cache.clear();
        this.applyEnabled();
      }),
    );
    if (deps.usage) {
      // Allowing more (or raising the setting) lifts the stop at once, without waiting for the next keystroke.
      this._register(deps.usage.guard.onDidChange((status) => (this.heldByBudget && status.level !== 'over' ? void this.budgetAllows() : undefined)));
    }
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
    this._register(deps.gate.onDidChange(() => this.render()));
    this._register(vscode.commands.registerCommand(commandIds.toggleCompletions, () => this.toggle()));
    this._register(vscode.commands.registerCommand(commandIds.selectCompletionModel, () => this.selectModel()));
    if (deps.internalCommands) {
      this._register(vscode.commands.registerCommand(internalCommandIds.completionsState, () => this.state()));
    }
    this._register(
      toDisposable(() => {
        this.engine.cancel();
        this.registration?.dispose();
        this.registration = undefined;
      }),
    );
    this.applyEnabled();
  }

  /** What the integration tests read: the switch, the status bar item and the spend. */
  state(): { enabled: boolean; registered: boolean; model: string; status: CompletionsStatusItem['snapshot']; spend: CompletionSpend['snapshot']; cacheSize: number } {
    return {
      enabled: this.settings.values.enabled,
      registered: this.registration !== undefined,
      model: this.settings.values.model,
      status: this.status.snapshot,
      spend: this.spend.snapshot,
      cacheSize: this.engine.cache.size,
    };
  }

  private async toggle(): Promise<boolean> {
    const enabled = !this.settings.values.enabled;
    await this.settings.setEnabled(enabled);
    return enabled;
  }

  private async selectModel(): Promise<string | undefined> {
    try {
      const chosen = await pickCompletionModel(this.deps.catalog, this.settings.values.model, (model) => this.latencies.get(model)?.percentile(50));
      if (chosen) await this.settings.setModel(chosen);
      return chosen;
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not list OpenRouter models: ${errorText(error)}`);
      return undefined;
    }
  }

  /** The provider is registered only while completions are on: off, the editor never asks. */
  private applyEnabled(): void {
    const { enabled, model } = this.settings.values;
    if (enabled && !this.registration) {
      this.registration = vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, new InlineCompletionProvider(this.engine, this.settings, this.deps.gate, (document, exclusion) => this.excluded(document, exclusion)));
      this.deps.log.info(`Inline completions on: ${model} (${fimStyleFor(model) === 'chat' ? 'chat prompt' : 'fill-in-the-middle'}), at most ${this.guard.maxPerMinute} requests a minute.`);
    } else if (!enabled && this.registration) {
      this.registration.dispose();
      this.registration = undefined;
      this.engine.cancel();
      this.engine.cache.clear();
      this.deps.log.info('Inline completions off.');
    }
    this.render();
  }

  /** Every completion request ends here once; its usage (cost in USD) is known here and nowhere else. */
  private ended(outcome: CompletionOutcome): void {
    if (!outcome.cancelled && !outcome.failed) {
      let window = this.latencies.get(outcome.model);
      if (!window) this.latencies.set(outcome.model, (window = new LatencyWindow(50)));
      window.add(outcome.latencyMs);
    }
    this.spend.record(outcome);
    // A cancelled request's cost is not known without a /generation call per keystroke: only finished ones count
    // here (the key's own usage, which the budgets also read, counts everything).
    if (this.deps.usage && outcome.usage && !outcome.cancelled && !outcome.failed) {
      const { usage } = outcome;
      void this.deps.usage.recorder.record({
        source: 'completion',
        model: outcome.model,
        status: 'done',
        latencyMs: Math.round(outcome.latencyMs),
        promptTokens: usage.prompt_tokens,
        completionTokens: usage.completion_tokens,
        cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
        ...(outcome.generationId ? { generationId: outcome.generationId } : {}),
        ...(typeof usage.cost === 'number' ? { costUsd: usage.cost } : {}),
      });
    }
  }

  /**
   * Past a budget completions stop, without a question, until the user allows more (from a chat or Compare
   * send) or raises the setting. A request about to go refreshes the key's usage when it is older than
   * KEY_USAGE_MAX_AGE_MS: cancelled completions are billed but never recorded here, only `/key` counts them.
   */
  private async budgetAllows(): Promise<boolean> {
    if (!this.deps.usage) return true;
    if (this.deps.usage.guard.status.level !== 'off') this.deps.balance.refreshIfOlderThan(KEY_USAGE_MAX_AGE_MS);
    const allowed = await this.deps.usage.guard.allowsWithoutAsking();
    if (!allowed && !this.heldByBudget) this.deps.log.warn('completions stopped: an OpenRouter budget (openrouter.budget.*) is spent; they resume when you allow more for a chat or Compare request, or raise the budget.');
    if (allowed && this.heldByBudget) this.deps.log.info('completions resumed: the budget allows them again.');
    if (this.heldByBudget !== !allowed) {
      this.heldByBudget = !allowed;
      this.render();
    }
    return allowed;
  }

  private engineEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'busy':
        this.busy = event.busy;
        this.render();
        return;
      case 'request':
        this.pausedUntil = undefined;
        this.deps.log.info(`completion request ${this.guard.used} of ${this.guard.maxPerMinute} allowed in the last minute (openrouter.completions.maxRequestsPerMinute)`);
        return;
      case 'rate-limited':
        if (this.pausedUntil === undefined) {
          this.deps.log.warn(`completions paused: ${event.limit} requests in the last minute reached openrouter.completions.maxRequestsPerMinute; the next may go in ${Math.ceil(event.waitMs / 1000)} s.`);
        }
        this.pausedUntil = Date.now() + event.waitMs;
        this.render();
        return;
      case 'failed':
        this.deps.log.warn(`completion failed: ${errorText(event.error)}`);
        return;
      case 'secrets': {
        const text = event.skipped ? `Not sent: ${event.account}.` : `Cut short of ${event.account}: the text around it was not sent.`;
        this.deps.log.warn(`completion ${event.skipped ? 'skipped' : 'prompt cut short'}: ${event.account} near the cursor; the secret was not sent.`);
        this.secretNote = { documentKey: event.documentKey, text };
        this.render();
        return;
      }
      case 'cache-hit':
      case 'cancelled':
      case 'answered':
        return;
    }
  }

  private excluded(document: vscode.TextDocument, exclusion: Exclusion): void {
    const key = document.uri.toString();
    this.lastExclusion = { documentKey: key, exclusion };
    if (!this.loggedExclusions.has(key)) {
      this.loggedExclusions.add(key);
      this.deps.log.info(`no completions in ${vscode.workspace.asRelativePath(document.uri)}: ${this.deps.gate.explain('its text', exclusion)}`);
    }
    this.render();
  }

  private render(): void {
    const values = this.settings.values;
    // Off, nothing is sent and nothing needs checking (the pattern matcher stays unloaded).
    const document = values.enabled ? vscode.window.activeTextEditor?.document : undefined;
    const last = document && this.lastExclusion?.documentKey === document.uri.toString() ? this.lastExclusion.exclusion : undefined;
    const exclusion = document ? (this.deps.gate.isExcluded(document.uri, 'completion') ?? last) : undefined;
    const name = document?.uri.path.split('/').pop() ?? '';
    const secrets = document && this.secretNote?.documentKey === document.uri.toString() ? this.secretNote.text : undefined;
    this.status.render({
      enabled: values.enabled,
      busy: this.busy,
      pausedUntil: this.pausedUntil,
      heldByBudget: this.heldByBudget,
      model: values.model,
      maxRequestsPerMinute: values.maxRequestsPerMinute,
      spend: this.spend.snapshot,
      ...(exclusion ? { excluded: this.deps.gate.explain(name, exclusion) } : {}),
      ...(secrets ? { secrets } : {}),
    });
  }
}

/** Inline completions, their commands and their status bar item. */
export function register(services: Services): FeatureHandle {
  const { host, catalog, balance, consent, usage, gate, logger } = services;
  const feature = new CompletionsFeature({ host, catalog, balance, consent, usage: { recorder: usage.recorder, guard: usage.guard }, log: logger.forComponent('completions'), gate, internalCommands: services.internalCommands });
  return featureHandle(feature, {});
}
