import assert from 'node:assert/strict';
import { sendEstimate } from '../../src/chat/attachments/sendEstimate';
import type { ChatSession } from '../../src/chat/chatSession';
import type { OpenRouterProvider } from '../../src/openrouter';
import type { ChatCompletionChunk, Model } from '../../src/openrouter/types';
import { buildRouting, citationsOf, defaultRoutingSettings, webSearchTool, WEB_SEARCH_MAX_USES, WEB_SEARCH_PRICE_USD } from '../../src/routing';
import type { AssistantTurn, ExtensionMessage } from '../../src/protocols/chat';
import { statsParts } from '../../src/webview/chat/format';
import type { Emulator } from '../emulator';
import { useChatSessionRig } from './fixtures/chatSessionRig';

const model = 'openai/gpt-4o-mini';

describe('web search (OpenRouter server tool, loopback emulator)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let posted: ExtensionMessage[];
  let session: ChatSession;

  const rig = useChatSessionRig({
    folderPrefix: 'web-search-',
    deps: () => ({ routing: (id, sessionId, overrides) => buildRouting(defaultRoutingSettings, overrides, { model: id, ...(sessionId ? { sessionId } : {}) }) }),
  });
  beforeEach(() => ({ emulator, provider, posted, session } = rig()));

  async function streamed(request: Parameters<OpenRouterProvider['streamExecute']>[0]): Promise<ChatCompletionChunk[]> {
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of provider.streamExecute(request)) chunks.push(chunk);
    return chunks;
  }

  it('the emulator answers a search with url_citation annotations and bills each search on top of the tokens', async () => {
    const ask = (tools: unknown[] | undefined) => streamed({ model, messages: [{ role: 'user', content: '[[searches:2]] latest node release' }], ...(tools ? { tools: tools as never } : {}) });
    const plain = await ask(undefined);
    const searched = await ask([webSearchTool()]);
    const annotations = searched.flatMap((c) => (c.choices[0]?.delta.annotations ?? []) as Array<{ type: string; url_citation: { url: string } }>);
    assert.equal(annotations.length, 2 * 5, 'two searches of five results');
    assert.ok(annotations.every((a) => a.type === 'url_citation' && a.url_citation.url.startsWith('https://')));
    const usage = searched.at(-1)!.usage!;
    assert.equal((usage['server_tool_use'] as { web_search_requests: number }).web_search_requests, 2);
    assert.equal(plain.at(-1)!.usage!['server_tool_use'], undefined);
    assert.ok(Math.abs(usage.cost! - plain.at(-1)!.usage!.cost! - 2 * WEB_SEARCH_PRICE_USD) < 1e-9, 'two Exa searches at $0.007 each on top');
  });

  it('the emulator holds the model to max_uses and refuses an engine OpenRouter does not have', async () => {
    const many = await streamed({ model, messages: [{ role: 'user', content: '[[searches:9]] q' }], tools: [webSearchTool()] });
    assert.equal((many.at(-1)!.usage!['server_tool_use'] as { web_search_requests: number }).web_search_requests, WEB_SEARCH_MAX_USES);
    await assert.rejects(streamed({ model, messages: [{ role: 'user', content: 'q' }], tools: [{ type: 'openrouter:web_search', parameters: { engine: 'bing' } }] }), /Invalid web search engine/);
  });

  it('a chat with web search on sends the tool, numbers the cited sources and shows the billed cost with the search in it', async () => {
    await session.setRouting({ webSearch: true });
    await session.send('what changed in TypeScript 6');
    await session.idle;
    const request = emulator.requests().find((r) => r.path === '/chat/completions')!;
    assert.deepEqual((request.body as { tools?: unknown }).tools, [webSearchTool()]);
    const turn = session.current.turns[1] as AssistantTurn;
    assert.equal(turn.citations?.length, 5);
    assert.match(turn.citations![0]!.title, /^Result 1 for "what changed in TypeScript 6"/);
    const shown = posted.filter((m) => m.type === 'answerCitations').at(-1);
    assert.ok(shown?.type === 'answerCitations' && shown.citations.length === 5, 'the panel is told the sources');
    const billed = emulator.generations().find((g) => g.id === turn.generationId)!;
    assert.equal(turn.stats?.costUsd, billed.total_cost, 'the cost shown is the bill');
    assert.ok(billed.total_cost > WEB_SEARCH_PRICE_USD, 'and the bill has the search in it');
    assert.ok(statsParts(turn.stats!).some((part) => part.endsWith('incl. 1 web search')));
  });

  it('a chat without web search sends no tools and keeps no sources', async () => {
    await session.send('hello');
    await session.idle;
    const request = emulator.requests().find((r) => r.path === '/chat/completions')!;
    assert.equal((request.body as { tools?: unknown }).tools, undefined);
    assert.equal((session.current.turns[1] as AssistantTurn).citations, undefined);
  });

  it('the send estimate adds the most the searches can cost when web search is on', () => {
    const priced = { id: model, name: 'GPT-4o mini', pricing: { prompt: '0.000001', completion: '0.000002' } } as unknown as Model;
    const input = { modelId: model, model: priced, messages: [{ role: 'user' as const, content: 'hello there' }], newImages: 0, cacheableAttachments: 0 };
    const off = sendEstimate(input);
    const on = sendEstimate({ ...input, webSearch: true });
    assert.equal(off.webSearchUsd, undefined);
    assert.equal(on.webSearchUsd, WEB_SEARCH_MAX_USES * WEB_SEARCH_PRICE_USD);
    assert.ok(Math.abs(on.costUsd! - off.costUsd! - on.webSearchUsd!) < 1e-12);
  });

  it('keeps only http(s) sources from the model, each address once', () => {
    const cite = (url: string, title = 't') => ({ type: 'url_citation', url_citation: { url, title, start_index: 0, end_index: 0 } });
    const got = citationsOf([cite('https://a.example/x'), cite('javascript:alert(1)'), cite('https://a.example/x'), { type: 'file_citation' }, cite('http://b.example/', '')]);
    assert.deepEqual(got, [
      { url: 'https://a.example/x', title: 't' },
      { url: 'http://b.example/', title: 'b.example' },
    ]);
  });
});
