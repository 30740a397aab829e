// OpenRouter's web search server tool as one chat turns it on: a fixed engine and caps, so the price is
// known before sending (OpenRouter's docs, "Web Search" server tool: Exa costs $0.007 a search with up to
// 10 results; the default `auto` engine may use a provider's native search, priced by that provider).
// Pure, no vscode import.

/** The engine asked for: Exa, whose price OpenRouter publishes, rather than `auto` (a provider's own price). */
export const WEB_SEARCH_ENGINE = 'exa';
/** Results per search: within the 10 that Exa's price includes. */
export const WEB_SEARCH_RESULTS = 5;
/** Most searches the model may run for one answer (`max_uses`), so the estimate has a ceiling. */
export const WEB_SEARCH_MAX_USES = 3;
/** USD per Exa search (instant, fast or auto mode) with up to 10 results. */
export const WEB_SEARCH_PRICE_USD = 0.007;

export interface WebSearchTool {
  type: 'openrouter:web_search';
  parameters: { engine: string; max_results: number; max_uses: number };
}

export function webSearchTool(): WebSearchTool {
  return { type: 'openrouter:web_search', parameters: { engine: WEB_SEARCH_ENGINE, max_results: WEB_SEARCH_RESULTS, max_uses: WEB_SEARCH_MAX_USES } };
}

/** The most the searches of one answer can cost; the model decides how many it runs (none to `max_uses`). */
export function webSearchCeilingUsd(): number {
  return WEB_SEARCH_MAX_USES * WEB_SEARCH_PRICE_USD;
}

/** A source the answer cites (a `url_citation` annotation), as the chat keeps it. */
export interface Citation {
  url: string;
  title: string;
}

const maxCitations = 20;
const maxTitle = 200;

/**
 * The web sources among a message's annotations, in order, each address once. Model output is untrusted: only
 * absolute http(s) addresses are kept, titles are cut short, and the list is bounded.
 */
export function citationsOf(annotations: readonly unknown[], known: readonly Citation[] = []): Citation[] {
  const out = [...known];
  for (const annotation of annotations) {
    if (out.length >= maxCitations) break;
    if (!annotation || typeof annotation !== 'object' || (annotation as { type?: unknown }).type !== 'url_citation') continue;
    // Chat completions nest the fields under `url_citation`; the Responses API puts them on the annotation.
    const nested = (annotation as { url_citation?: unknown }).url_citation;
    const fields = (nested && typeof nested === 'object' ? nested : annotation) as { url?: unknown; title?: unknown };
    const url = webAddress(fields.url);
    if (!url || out.some((c) => c.url === url)) continue;
    const title = typeof fields.title === 'string' && fields.title.trim() ? fields.title.trim().slice(0, maxTitle) : new URL(url).host;
    out.push({ url, title });
  }
  return out;
}

function webAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
