import assert from 'node:assert/strict';
import { fetchCompletion } from '../../src/completions/completionClient';
import { CompletionEngine, type EngineEvent } from '../../src/completions/completionEngine';
import { RateGuard } from '../../src/completions/rateGuard';
import { screenForSecrets } from '../../src/completions/secretScreen';
import { dotEnv, everySecret, samples } from './exclusionSamples';
import { TRANSPORTS, useRig } from '../support/providerHarness';

describe('completion prompts never carry a secret (emulator)', () => {
  const transport = TRANSPORTS[0]!;
  const rig = useRig(transport.emulator, transport.provider);
  let events: EngineEvent[];

  function engine(guard = new RateGuard(100)): CompletionEngine {
    events = [];
    const { provider } = rig();
    return new CompletionEngine(
      (prompt, signal, limits) => fetchCompletion(provider, prompt, { signal, ...limits, onOutcome: () => undefined }),
      () => ({ model: 'mistralai/codestral-2508', debounceMs: 0, contextTokens: 2048, maxTokens: 64 }),
      guard,
      (event) => events.push(event),
      undefined,
      undefined,
      screenForSecrets,
    );
  }
  const sentText = (): string => JSON.stringify(rig().emulator.requests().filter((r) => r.path === '/completions').map((r) => r.body));

  it('cuts the prompt short of the secrets above and below the cursor, and says so without them', async () => {
    const prefix = `${dotEnv}\n// [[fim:return pool;]]\nfunction connect() {\n  `;
    const suffix = `\n}\nconst token = "${samples.github}";\n`;
    const ghost = await engine().complete({ documentKey: 'file:///w/db.ts', offset: prefix.length, prefix, suffix, languageId: 'typescript', path: 'db.ts' });
    assert.equal(ghost, 'return pool;');
    const sent = sentText();
    assert.ok(sent.includes('function connect()'), 'the code near the cursor still goes');
    for (const secret of everySecret) assert.ok(!sent.includes(secret), 'a secret reached the emulator');
    const note = events.find((e) => e.type === 'secrets');
    assert.ok(note && note.type === 'secrets' && !note.skipped);
    assert.match(note.account, /github/);
    assert.ok(!everySecret.some((secret) => note.account.includes(secret)));
  });

  it('sends nothing, and takes no slot of the rate guard, when the cursor is on a secret’s line', async () => {
    const guard = new RateGuard(100);
    const prefix = `${dotEnv}STRIPE_SECRET_KEY=${samples.stripe}`;
    assert.equal(await engine(guard).complete({ documentKey: 'untitled:Untitled-1', offset: prefix.length, prefix, suffix: '\n', languageId: 'properties', path: 'Untitled-1' }), undefined);
    assert.equal(rig().emulator.counters().requestsByPath['/completions'] ?? 0, 0);
    assert.equal(guard.used, 0);
    assert.ok(events.some((e) => e.type === 'secrets' && e.skipped));
  });
});
