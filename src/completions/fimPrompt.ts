// The prompt of one completion: the text around the cursor, bounded by tokens, in the fill-in-the-middle
// form the model understands (OpenRouter's /completions with `suffix`, the model's own FIM tokens, or a chat
// that asks for the middle only). No vscode import: the benchmark builds the same prompts in Node.
import { estimateTextTokens } from '../models/tokenEstimate';
import type { ChatRequest, TextCompletionRequest } from '../openrouter/types';

/** What the editor knows at the cursor. */
export interface CursorContext {
  /** Text before the cursor (the editor may already have cut far-away lines). */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
  languageId: string;
  /** The file's path relative to the workspace (or its name). */
  path: string;
}

/**
 * How a model is asked for the middle:
 * - `suffix`: `/completions` with `prompt` and `suffix` (Mistral's Codestral FIM API, which OpenRouter passes on);
 * - `qwen` / `deepseek` / `starcoder`: `/completions` with the model family's own FIM tokens in `prompt`;
 * - `chat`: a chat asking for the middle only, for every other model.
 */
export type FimStyle = 'suffix' | 'qwen' | 'deepseek' | 'starcoder' | 'chat';

export function fimStyleFor(modelId: string): FimStyle {
  const id = modelId.toLowerCase();
  if (/codestral/.test(id)) return 'suffix';
  if (/qwen-?2\.5-coder|qwen2\.5-coder/.test(id)) return 'qwen';
  if (/deepseek-coder/.test(id)) return 'deepseek';
  if (/starcoder/.test(id)) return 'starcoder';
  return 'chat';
}

/** Prefix gets this share of the context budget, the suffix the rest. */
const PREFIX_SHARE = 0.75;

/** Whole lines nearest the cursor, as many as fit in `tokens`; a line longer than the budget is cut. */
export function clipAroundCursor(prefix: string, suffix: string, tokens: number): { prefix: string; suffix: string } {
  const prefixBudget = Math.max(1, Math.floor(tokens * PREFIX_SHARE));
  const suffixBudget = Math.max(0, tokens - prefixBudget);
  return { prefix: lastLinesWithin(prefix, prefixBudget), suffix: firstLinesWithin(suffix, suffixBudget) };
}

function lastLinesWithin(text: string, tokens: number): string {
  if (estimateTextTokens(text) <= tokens) return text;
  const lines = text.split('\n');
  let kept = lines.pop() ?? '';
  if (estimateTextTokens(kept) > tokens) return kept.slice(-tokens * 4);
  while (lines.length > 0) {
    const candidate = `${lines[lines.length - 1]}\n${kept}`;
    if (estimateTextTokens(candidate) > tokens) break;
    kept = candidate;
    lines.pop();
  }
  return kept;
}

function firstLinesWithin(text: string, tokens: number): string {
  if (estimateTextTokens(text) <= tokens) return text;
  const lines = text.split('\n');
  let kept = lines.shift() ?? '';
  if (estimateTextTokens(kept) > tokens) return kept.slice(0, tokens * 4);
  while (lines.length > 0) {
    const candidate = `${kept}\n${lines[0]}`;
    if (estimateTextTokens(candidate) > tokens) break;
    kept = candidate;
    lines.shift();
  }
  return kept;
}

const hashComment = new Set(['python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'coffeescript', 'julia', 'elixir', 'nim']);
const dashComment = new Set(['sql', 'lua', 'haskell', 'elm', 'ada']);
const markupComment = new Set(['html', 'xml', 'markdown', 'vue-html', 'svelte']);

/** A first line naming the file, in the language's comment syntax, so the model knows what it completes. */
export function pathComment(languageId: string, path: string): string {
  if (hashComment.has(languageId)) return `# Path: ${path}\n`;
  if (dashComment.has(languageId)) return `-- Path: ${path}\n`;
  if (markupComment.has(languageId)) return `<!-- Path: ${path} -->\n`;
  if (languageId === 'plaintext' || languageId === 'json') return '';
  return `// Path: ${path}\n`;
}

/** Marks the gap in the chat form; removed from the answer if a model repeats it. */
export const CURSOR_MARK = '<CURSOR>';

export const CHAT_SYSTEM_PROMPT =
  `You complete code. The user sends a file with the marker ${CURSOR_MARK} where the cursor is. ` +
  `Answer with exactly the text to insert at ${CURSOR_MARK}, nothing else: no explanations, no code fences, ` +
  'no repetition of the text before or after the cursor. Answer with nothing if nothing fits.';

export interface PromptOptions {
  model: string;
  /** Budget for prefix and suffix together. */
  contextTokens: number;
  /** Longest answer. */
  maxTokens: number;
  /** The middle ends at the first line break (the cursor is inside a line with text after it). */
  singleLine: boolean;
}

export type CompletionPrompt =
  | { kind: 'text'; style: FimStyle; request: TextCompletionRequest }
  | { kind: 'chat'; style: 'chat'; request: ChatRequest };

const fimTokens = {
  qwen: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'],
  deepseek: ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>'],
  starcoder: ['<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
} as const;

export function buildPrompt(context: CursorContext, options: PromptOptions): CompletionPrompt {
  const { prefix, suffix } = clipAroundCursor(context.prefix, context.suffix, options.contextTokens);
  const header = pathComment(context.languageId, context.path);
  const style = fimStyleFor(options.model);
  const stop = options.singleLine ? ['\n'] : ['\n\n\n'];
  const common = { model: options.model, max_tokens: options.maxTokens, temperature: 0.1, stop };
  switch (style) {
    case 'suffix':
      return { kind: 'text', style, request: { ...common, prompt: `${header}${prefix}`, suffix } };
    case 'qwen':
    case 'deepseek':
    case 'starcoder': {
      const [begin, hole, end] = fimTokens[style];
      return { kind: 'text', style, request: { ...common, prompt: `${begin}${header}${prefix}${hole}${suffix}${end}` } };
    }
    case 'chat':
      return {
        kind: 'chat',
        style,
        request: {
          ...common,
          messages: [
            { role: 'system', content: CHAT_SYSTEM_PROMPT },
            { role: 'user', content: `File ${context.path} (${context.languageId}):\n${prefix}${CURSOR_MARK}${suffix}` },
          ],
        },
      };
  }
}
