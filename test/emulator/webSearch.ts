// OpenRouter's web search server tool (`tools: [{type: "openrouter:web_search", parameters}]`), from the docs'
// "Web Search" server tool page: the model decides how many searches to run (here: one, or N with
// `[[searches:N]]` in the question), never more than `max_uses`; each returns `max_results` results (default
// 5); the answer carries them as `url_citation` annotations; `usage.server_tool_use.web_search_requests`
// counts the searches and `usage.cost` includes their price (Exa $0.007 a search with up to 10 results, then
// $0.001 a result; Perplexity and Parallel's default mode $0.005; native search at the model's
// `pricing.web_search`, Exa's price when it has none, as `auto` falls back to Exa).
import type { Usage } from './completion';
import type { EmulatedModel } from './models';

export const SERVER_WEB_SEARCH = 'openrouter:web_search';
const engines = ['auto', 'native', 'exa', 'firecrawl', 'parallel', 'perplexity'] as const;
type Engine = (typeof engines)[number];

export interface WebSearchRun {
  engine: Engine;
  searches: number;
  results: number;
  costUsd: number;
  /** The message's annotations, OpenAI's `url_citation` shape with OpenRouter's `content`. */
  annotations: Array<{ type: 'url_citation'; url_citation: { url: string; title: string; content: string; start_index: number; end_index: number } }>;
}

interface ToolLike {
  type?: unknown;
  parameters?: unknown;
}

function intParam(parameters: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = parameters[name];
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : undefined;
}

function perSearchPrice(engine: Engine, model: EmulatedModel): number {
  if (engine === 'firecrawl') return 0; // BYOK: billed in Firecrawl credits, not by OpenRouter.
  if (engine === 'perplexity' || engine === 'parallel') return 0.005;
  const native = Number(model.pricing.web_search ?? '0');
  if ((engine === 'auto' || engine === 'native') && native > 0) return native;
  return 0.007;
}

/** The web search the request asks for and what it returns, or an error message (400) for a bad engine. */
export function runWebSearch(tools: unknown, userText: string, model: EmulatedModel): WebSearchRun | string | undefined {
  const tool = (Array.isArray(tools) ? (tools as ToolLike[]) : []).find((t) => t?.type === SERVER_WEB_SEARCH);
  if (!tool) return undefined;
  const parameters = (tool.parameters && typeof tool.parameters === 'object' ? tool.parameters : {}) as Record<string, unknown>;
  const engine = parameters.engine ?? 'auto';
  if (typeof engine !== 'string' || !(engines as readonly string[]).includes(engine)) return `Invalid web search engine: ${String(engine)}`;
  const wanted = /\[\[searches:(\d+)\]\]/.exec(userText);
  const maxUses = intParam(parameters, 'max_uses', 0, 30) ?? 30;
  const searches = Math.min(wanted ? Number(wanted[1]) : 1, maxUses);
  const perSearch = intParam(parameters, 'max_results', 1, 25) ?? 5;
  const query = userText.replace(/\[\[[a-z]+(?::\d+)?\]\]/g, '').trim().slice(0, 60) || 'search';
  const slug = query.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'search';
  const annotations: WebSearchRun['annotations'] = [];
  for (let s = 1; s <= searches; s++) {
    for (let r = 1; r <= perSearch; r++) {
      const n = annotations.length + 1;
      annotations.push({ type: 'url_citation', url_citation: { url: `https://search.example.org/${slug}/${s}-${r}`, title: `Result ${n} for "${query}"`, content: `Excerpt ${n} about ${query}.`, start_index: 0, end_index: 0 } });
    }
  }
  const extraResults = engine === 'exa' || engine === 'auto' || engine === 'native' || engine === 'parallel' ? Math.max(0, perSearch - 10) * searches : 0;
  const costUsd = Number((searches * perSearchPrice(engine as Engine, model) + extraResults * 0.001).toFixed(12));
  return { engine: engine as Engine, searches, results: annotations.length, costUsd, annotations };
}

/** Usage with the searches counted and billed (the server tool's price on top of the tokens'). */
export function withWebSearch(usage: Usage, run: WebSearchRun | undefined): Usage {
  if (!run) return usage;
  return {
    ...usage,
    cost: Number((usage.cost + run.costUsd).toFixed(12)),
    server_tool_use: { web_search_requests: run.searches, tool_calls_requested: run.searches, tool_calls_executed: run.searches },
  };
}

/** The stream's events with the annotations in a delta of their own just before the finish chunk. */
export function withAnnotationChunk(events: unknown[], run: WebSearchRun | undefined): unknown[] {
  if (!run || run.annotations.length === 0) return events;
  const finish = events.findIndex((e) => (e as { choices?: Array<{ finish_reason?: unknown }> }).choices?.[0]?.finish_reason);
  const at = finish < 0 ? events.length - 1 : finish;
  const template = events[at] as Record<string, unknown>;
  const chunk = { ...template, choices: [{ index: 0, delta: { role: 'assistant', content: '', annotations: run.annotations }, finish_reason: null, native_finish_reason: null, logprobs: null }] };
  return [...events.slice(0, at), chunk, ...events.slice(at)];
}
