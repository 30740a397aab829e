// Remembered model sets for Compare Models: the last set used and the user's favourite sets, kept in
// the extension's global state so comparing the same models again is one click. No vscode import.

export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const MIN_MODELS = 2;
export const MAX_MODELS = 4;
const MAX_FAVOURITE_SETS = 10;
const lastKey = 'openrouter.compare.lastModels';
const favouritesKey = 'openrouter.compare.favouriteSets';

/** A usable model set: 2–4 distinct, non-empty ids, in order; anything else (old or hand-edited state) is dropped. */
export function cleanSet(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const ids = [...new Set(raw.filter((id): id is string => typeof id === 'string' && id.trim() !== '' && id.length <= 200))];
  return ids.length >= MIN_MODELS && ids.length <= MAX_MODELS ? ids : undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export class ModelSets {
  constructor(private readonly state: StateStore) {}

  get last(): string[] | undefined {
    return cleanSet(this.state.get(lastKey));
  }

  get favourites(): string[][] {
    const raw = this.state.get<unknown>(favouritesKey);
    return Array.isArray(raw) ? raw.map(cleanSet).filter((set): set is string[] => set !== undefined) : [];
  }

  isFavourite(set: readonly string[]): boolean {
    return this.favourites.some((saved) => sameSet(saved, set));
  }

  async rememberLast(set: readonly string[]): Promise<void> {
    const clean = cleanSet(set);
    if (clean) await this.state.update(lastKey, clean);
  }

  /** Saves the set as a favourite (newest first, at most ten) or removes it; answers whether it is one now. */
  async toggleFavourite(set: readonly string[]): Promise<boolean> {
    const clean = cleanSet(set);
    if (!clean) return false;
    const others = this.favourites.filter((saved) => !sameSet(saved, clean));
    const adding = others.length === this.favourites.length;
    await this.state.update(favouritesKey, adding ? [clean, ...others].slice(0, MAX_FAVOURITE_SETS) : others);
    return adding;
  }
}
