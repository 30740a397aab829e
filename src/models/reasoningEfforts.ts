// Which reasoning efforts a model takes, from its catalogue entry's `reasoning` metadata
// (`supported_efforts`, `mandatory`), so a chat offers only those and never sends one the model refuses. Pure.
import type { Model } from '../openrouter/types';

/** OpenRouter's effort values, least reasoning first. */
export const effortLevels = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type EffortLevel = (typeof effortLevels)[number];

interface ReasoningMetadata {
  mandatory?: unknown;
  supported_efforts?: unknown;
  default_effort?: unknown;
}

function metadataOf(model: Partial<Pick<Model, 'reasoning'>> | undefined): ReasoningMetadata | undefined {
  const value = model?.reasoning;
  return typeof value === 'object' && value !== null ? (value as ReasoningMetadata) : undefined;
}

function takesReasoning(model: Partial<Pick<Model, 'supported_parameters' | 'reasoning'>>): boolean {
  const parameters = model.supported_parameters ?? [];
  return metadataOf(model) !== undefined || parameters.includes('reasoning') || parameters.includes('include_reasoning');
}

/**
 * The efforts `model` accepts, least first: its `supported_efforts` (every level when it lists none), and
 * `none` only when its reasoning is not mandatory. Empty for a model without reasoning.
 */
export function offeredEfforts(model: Partial<Pick<Model, 'id' | 'supported_parameters' | 'reasoning'>> | undefined): EffortLevel[] {
  if (!model || !takesReasoning(model)) return [];
  const meta = metadataOf(model);
  const listed = Array.isArray(meta?.supported_efforts) ? new Set(meta.supported_efforts.filter((e): e is string => typeof e === 'string')) : undefined;
  const noneAllowed = meta ? meta.mandatory === false || listed?.has('none') === true : false;
  return effortLevels.filter((level) => (level === 'none' ? noneAllowed : !listed || listed.size === 0 || listed.has(level)));
}

/**
 * The effort to send for `wanted` to a model that offers `offered`: itself when offered, else the nearest
 * offered level (a higher one on a tie); `none` is never substituted for a reasoning effort, nor the reverse.
 */
export function effortFor(wanted: EffortLevel, offered: readonly EffortLevel[]): EffortLevel | undefined {
  if (offered.length === 0 || offered.includes(wanted)) return offered.length === 0 ? undefined : wanted;
  if (wanted === 'none') return undefined;
  const rank = effortLevels.indexOf(wanted);
  let best: EffortLevel | undefined;
  for (const level of offered) {
    if (level === 'none') continue;
    const distance = Math.abs(effortLevels.indexOf(level) - rank);
    if (best === undefined || distance < Math.abs(effortLevels.indexOf(best) - rank) || (distance === Math.abs(effortLevels.indexOf(best) - rank) && effortLevels.indexOf(level) > rank)) best = level;
  }
  return best;
}
