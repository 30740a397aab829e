// The middle a fill-in-the-middle request gets, from the prompt alone (or a corpus the emulator was given).

/** Without a directive or a corpus match, the middle the emulator answers. */
export const defaultMiddle = '/* emulated completion */';
/** Characters of the prompt's end looked up in the corpus. */
const corpusKeyChars = 24;
/** Longest middle taken from the corpus (up to its end of line first). */
const corpusMaxChars = 80;

/**
 * The middle for a prompt, deterministic:
 * - `[[fim:TEXT]]` in the prompt (the last one wins): TEXT, with `\n` standing for a line break;
 * - else the prompt's last characters found in the corpus: what follows them up to the end of that line;
 * - else `defaultMiddle`.
 */
export function planMiddle(prompt: string, corpus: string | undefined): string {
  const directives = [...prompt.matchAll(/\[\[fim:(.*?)\]\]/g)];
  const last = directives[directives.length - 1];
  if (last) return (last[1] ?? '').replace(/\\n/g, '\n');
  if (corpus && prompt.length > 0) {
    const key = prompt.slice(-corpusKeyChars);
    const at = corpus.lastIndexOf(key);
    if (at >= 0) {
      const rest = corpus.slice(at + key.length);
      const lineEnd = rest.indexOf('\n');
      const middle = (lineEnd < 0 ? rest : rest.slice(0, lineEnd)).slice(0, corpusMaxChars);
      if (middle.length > 0) return middle;
    }
  }
  return defaultMiddle;
}
