// A scripted typing session: the keystrokes of a file with a typist's rhythm, reproducible from a seed.
import { seededRandom } from '../seededRandom';

export type Keystroke =
  /** Types the character at `at` in the text after `delayMs` (skipped when an accepted suggestion already typed it). */
  | { kind: 'char'; at: number; delayMs: number }
  /** After `delayMs`, accepts the ghost text shown (Tab) if it continues the text to type. */
  | { kind: 'accept'; delayMs: number };

export interface SessionOptions {
  seed?: number;
  /** Milliseconds between ordinary keystrokes: uniformly in [min, max]. */
  keyMs?: [number, number];
  /** The pause after a line, a bracket or a comma: uniformly in [min, max]. */
  pauseMs?: [number, number];
  /** Share of pauses at a line's end after which the typist accepts the suggestion. */
  acceptShare?: number;
}

/**
 * A typist at ~70 words a minute (80–160 ms a key), pausing 350–900 ms after each line, bracket or comma
 * (where a suggestion is most wanted), and accepting the suggestion with Tab after some pauses.
 */
export function typingSession(text: string, options: SessionOptions = {}): Keystroke[] {
  // Seeded, so every client meets the same session.
  const rand = seededRandom(options.seed ?? 16);
  const [keyMin, keyMax] = options.keyMs ?? [80, 160];
  const [pauseMin, pauseMax] = options.pauseMs ?? [350, 900];
  const acceptShare = options.acceptShare ?? 0.3;
  const keys: Keystroke[] = [];
  let pauseNext = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    const delayMs = pauseNext ? pauseMin + rand() * (pauseMax - pauseMin) : keyMin + rand() * (keyMax - keyMin);
    if (pauseNext && rand() < acceptShare) {
      // The typist reads the suggestion during the pause and takes it.
      keys.push({ kind: 'accept', delayMs });
      keys.push({ kind: 'char', at, delayMs: keyMin });
    } else {
      keys.push({ kind: 'char', at, delayMs });
    }
    pauseNext = char === '\n' || char === '(' || char === '{' || char === ',';
  }
  return keys;
}
