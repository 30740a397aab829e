// What a workspace's value of a spending or privacy setting does compared with the user's own value:
// cheaper or more private (applied without asking), the same, or costs more / shares more (asked first).
// No vscode import: unit-tested under plain Node.
import { languageEnabled } from './completionLanguages';
import { dataCollectionValues, reasoningEfforts } from '../routing/routingOptions';

export type Verdict = 'safer' | 'same' | 'riskier';

export interface Judgement {
  verdict: Verdict;
  /** What the workspace's value changes, as the notice says it ("costs $12 more per 1M tokens"). */
  effect: string;
}

export interface JudgeContext {
  /** A model's catalogue price, prompt + completion in USD per token; undefined when unknown. */
  priceOf(modelId: string): number | undefined;
  /** The user's own default model: what a fallback model is measured against. */
  userModel: string;
}

type Rule = (user: unknown, workspace: unknown, context: JudgeContext) => Judgement;

const same: Judgement = { verdict: 'same', effect: 'no change' };

/** A model's price per 1M tokens (prompt + completion) as the notice shows it. */
export function formatPerMillion(perToken: number): string {
  const perMillion = perToken * 1_000_000;
  const text = Math.abs(perMillion) >= 100 ? perMillion.toFixed(0) : Math.abs(perMillion) >= 0.01 ? perMillion.toFixed(2) : perMillion.toPrecision(2);
  return `$${text.includes('.') ? text.replace(/\.?0+$/, '') : text}`;
}

function judgeModel(user: unknown, workspace: unknown, context: JudgeContext): Judgement {
  if (workspace === user) return same;
  if (typeof workspace !== 'string') return { verdict: 'riskier', effect: 'not a model id' };
  const theirs = context.priceOf(workspace);
  const ours = typeof user === 'string' ? context.priceOf(user) : undefined;
  if (theirs === undefined || ours === undefined) return { verdict: 'riskier', effect: `price unknown${theirs === undefined ? '' : ` (${formatPerMillion(theirs)} per 1M tokens)`}` };
  const difference = theirs - ours;
  if (difference > 0) return { verdict: 'riskier', effect: `costs ${formatPerMillion(difference)} more per 1M tokens (prompt + completion)` };
  return { verdict: difference < 0 ? 'safer' : 'same', effect: difference < 0 ? `costs ${formatPerMillion(-difference)} less per 1M tokens` : 'costs the same' };
}

/** A fallback model is fine when it costs no more than the dearest of the user's own model and fallbacks. */
function judgeFallbackModels(user: unknown, workspace: unknown, context: JudgeContext): Judgement {
  const ours = names(user) ?? [];
  const theirs = names(workspace);
  if (!theirs) return { verdict: 'riskier', effect: 'not a list of model ids' };
  const added = theirs.filter((id) => !ours.includes(id));
  if (added.length === 0) return theirs.length < ours.length ? { verdict: 'safer', effect: 'fewer fallback models' } : same;
  const ceiling = [context.userModel, ...ours].map((id) => context.priceOf(id));
  const limit = ceiling.some((price) => price === undefined) ? undefined : Math.max(...(ceiling as number[]));
  const dearer = added.filter((id) => {
    const price = context.priceOf(id);
    return limit === undefined || price === undefined || price > limit;
  });
  if (dearer.length === 0) return { verdict: 'same', effect: 'adds fallback models that cost no more than yours' };
  const priced = dearer.map((id) => {
    const price = context.priceOf(id);
    return price === undefined || limit === undefined ? `${plain(id)} (price unknown)` : `${plain(id)} (${formatPerMillion(price - limit)} more per 1M tokens)`;
  });
  return { verdict: 'riskier', effect: `adds fallback models that may cost more: ${priced.join(', ')}` };
}

function effortRank(value: unknown): number | undefined {
  // `default` leaves the model's own default, which is medium for most reasoning models.
  const effort = value === undefined || value === 'default' ? 'medium' : value;
  const rank = (reasoningEfforts as readonly unknown[]).indexOf(effort);
  return rank < 0 ? undefined : rank;
}

function judgeEffort(user: unknown, workspace: unknown): Judgement {
  const ours = effortRank(user) ?? effortRank('default') ?? 0;
  const theirs = effortRank(workspace);
  if (theirs === undefined) return { verdict: 'riskier', effect: 'not a reasoning effort' };
  if (theirs > ours) return { verdict: 'riskier', effect: 'more reasoning tokens, billed as output' };
  return theirs < ours ? { verdict: 'safer', effect: 'fewer reasoning tokens' } : same;
}

/** A setting of a few values where `risky` is the one that costs more or shares more. */
function judgeSwitch(allowed: readonly unknown[], risky: unknown, effect: string): Rule {
  return (user, workspace) => {
    if (workspace === risky || !allowed.includes(workspace)) return { verdict: 'riskier', effect };
    return user === risky ? { verdict: 'safer', effect: 'more private or cheaper' } : same;
  };
}

/** `price` is the cheapest order; `none` is OpenRouter's own balancing, which favours price; the speed sorts may cost more. */
function judgeSort(user: unknown, workspace: unknown): Judgement {
  const bySpeed = (value: unknown): boolean => value === 'throughput' || value === 'latency';
  if (workspace === 'price') return { verdict: 'safer', effect: 'cheapest providers first' };
  if (workspace === 'none') return user === 'price' ? { verdict: 'riskier', effect: 'no longer sorts providers by price' } : same;
  if (bySpeed(workspace)) return bySpeed(user) ? same : { verdict: 'riskier', effect: 'providers chosen for speed rather than price may cost more' };
  return { verdict: 'riskier', effect: 'not a provider sort' };
}

/** Names as the routing parser keeps them: trimmed, compared without case. Undefined when not a list of names. */
function names(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return undefined;
  return (value as string[]).map((item) => item.trim().toLowerCase()).filter(Boolean);
}

function providerList(kind: 'only' | 'ignore' | 'order'): Rule {
  return (user, workspace) => {
    const ours = names(user) ?? [];
    const theirs = names(workspace);
    if (!theirs) return { verdict: 'riskier', effect: 'not a list of provider names' };
    const added = theirs.filter((name) => !ours.includes(name));
    const removed = ours.filter((name) => !theirs.includes(name));
    if (added.length === 0 && removed.length === 0) return same;
    if (kind === 'only') {
      // An empty list allows every provider; a shorter list is narrower.
      if (theirs.length === 0) return { verdict: 'riskier', effect: 'allows every provider' };
      if (ours.length > 0 && added.length > 0) return { verdict: 'riskier', effect: `allows providers you did not list: ${listed(added)}` };
      return { verdict: 'safer', effect: 'fewer providers' };
    }
    if (kind === 'ignore') return removed.length > 0 ? { verdict: 'riskier', effect: `stops ignoring ${listed(removed)}` } : { verdict: 'safer', effect: 'more providers ignored' };
    return added.length > 0 ? { verdict: 'riskier', effect: `sends requests first to ${listed(added)}` } : same;
  };
}

function languageMap(value: unknown): Record<string, boolean> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.values(value).every((on) => typeof on === 'boolean') ? (value as Record<string, boolean>) : undefined;
}

/** A language the workspace turns on that the user's settings leave off sends that language's files as they are typed. */
function judgeLanguages(user: unknown, workspace: unknown): Judgement {
  const ours = languageMap(user) ?? {};
  const theirs = languageMap(workspace);
  if (!theirs) return { verdict: 'riskier', effect: 'not a map of languages to true or false' };
  const languages = [...new Set(['*', ...Object.keys(ours), ...Object.keys(theirs)])];
  const on = languages.filter((id) => languageEnabled(theirs, id) && !languageEnabled(ours, id));
  if (on.length > 0) return { verdict: 'riskier', effect: `sends text of ${listed(on.map((id) => (id === '*' ? 'every other language' : id)))} for completions` };
  return languages.some((id) => languageEnabled(ours, id) && !languageEnabled(theirs, id)) ? { verdict: 'safer', effect: 'fewer languages' } : same;
}

function judgeDebounce(user: unknown, workspace: unknown): Judgement {
  if (typeof workspace !== 'number') return { verdict: 'riskier', effect: 'not a number' };
  const ours = typeof user === 'number' ? user : 0;
  if (workspace < ours) return { verdict: 'riskier', effect: 'asks sooner while typing: more requests' };
  return workspace > ours ? { verdict: 'safer', effect: 'fewer requests' } : same;
}

/** Every setting a trusted workspace may set but only make cheaper or more private without asking, by full name. */
const rules: Readonly<Record<string, Rule>> = {
  'openrouter.defaultModel': judgeModel,
  'openrouter.completions.model': judgeModel,
  'openrouter.completions.languages': judgeLanguages,
  'openrouter.completions.debounceMs': judgeDebounce,
  'openrouter.routing.sort': judgeSort,
  'openrouter.routing.order': providerList('order'),
  'openrouter.routing.only': providerList('only'),
  'openrouter.routing.ignore': providerList('ignore'),
  'openrouter.routing.allowFallbacks': judgeSwitch([true, false], true, 'lets OpenRouter use other providers, which may cost more, when yours fail'),
  'openrouter.routing.dataCollection': judgeSwitch(dataCollectionValues, 'allow', 'lets providers that store or train on prompts serve your requests'),
  'openrouter.routing.zeroDataRetention': judgeSwitch([true, false], false, 'lets providers that keep prompts serve your requests'),
  'openrouter.routing.fallbackModels': judgeFallbackModels,
  'openrouter.routing.reasoningEffort': judgeEffort,
};

export const consentSettingNames: readonly string[] = Object.keys(rules);


/** Judges the workspace's value of `name` (a full setting name) against the user's; `user` is undefined when the user left the default. */
export function judgeWorkspaceValue(name: string, user: unknown, workspace: unknown, context: JudgeContext): Judgement {
  const rule = rules[name];
  if (!rule) return same;
  if (sameValue(user, workspace)) return same;
  return rule(user, workspace, context);
}

/** The value as a stable text (object keys sorted): what a consent is remembered by. */
export function valueKey(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sorted(value)) ?? 'undefined';
}

function sameValue(a: unknown, b: unknown): boolean {
  return valueKey(a) === valueKey(b);
}

/** A value as the notice shows it: short, and only plain characters (a repository wrote it). */
export function showValue(value: unknown): string {
  if (value === undefined) return 'the default';
  if (Array.isArray(value) && value.length === 0) return 'none';
  return plain(typeof value === 'string' ? value : Array.isArray(value) ? value.map(String).join(', ') : valueKey(value));
}

/** Text a repository wrote, safe in a notification: no brackets or parentheses (no links), at most 80 characters. */
function plain(text: string): string {
  const safe = text.replace(/[^\w.:/@*,{}" -]/g, '?');
  return safe.length > 80 ? `${safe.slice(0, 77)}…` : safe;
}

/** Names from a repository's list, as the notice shows them. */
function listed(names: readonly string[]): string {
  return plain(names.join(', '));
}
