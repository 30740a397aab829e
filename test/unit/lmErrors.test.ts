import assert from 'node:assert/strict';
import { mapLmError } from '../../src/lm/errorMapping';
import { ToolArgumentsError } from '../../src/answer/toolCalls';
import { AbortError, APIError, ConnectionError, StreamError, TimeoutError } from '../../src/openrouter/errors';

const model = 'openai/gpt-5';

function mapped(error: unknown) {
  const result = mapLmError(error, model);
  assert.equal(result.cancelled, false);
  return result as { code: string; message: string };
}

describe('errors reported to the editor’s chat', () => {
  it('reports a rejected key as NoPermissions with OpenRouter’s message and what to do', () => {
    const { code, message } = mapped(new APIError('User not found.', { status: 401 }));
    assert.equal(code, 'NoPermissions');
    assert.match(message, /User not found\. \(HTTP 401\)/);
    assert.match(message, /OpenRouter: Set API Key/);
  });

  it('reports moderation refusals (403) as NoPermissions', () => {
    assert.equal(mapped(new APIError('Input was flagged by moderation', { status: 403 })).code, 'NoPermissions');
  });

  it('reports running out of credits (402) and rate limits (429) as Blocked, with the wait when known', () => {
    assert.equal(mapped(new APIError('Insufficient credits', { status: 402 })).code, 'Blocked');
    const limited = mapped(new APIError('Rate limit exceeded: free-models-per-min', { status: 429, retryAfterMs: 12_500 }));
    assert.equal(limited.code, 'Blocked');
    assert.match(limited.message, /Rate limit exceeded: free-models-per-min \(HTTP 429\)\. Try again in 13 s\./);
  });

  it('reports a model that no longer exists as NotFound', () => {
    assert.equal(mapped(new APIError('No endpoints found for openai/gpt-5', { status: 404 })).code, 'NotFound');
  });

  it('reports server, network, timeout and mid-stream failures as Unknown with their message', () => {
    assert.match(mapped(new APIError('Provider returned error', { status: 502 })).message, /Provider returned error \(HTTP 502\)/);
    assert.equal(mapped(new ConnectionError('connect ECONNREFUSED 127.0.0.1:9')).code, 'Unknown');
    assert.match(mapped(new TimeoutError('No data for 60 s')).message, /No data for 60 s/);
    assert.match(mapped(new StreamError('Upstream overloaded', { code: 502 })).message, /stopped with an error: Upstream overloaded/);
  });

  it('does not repeat a status the message already names', () => {
    assert.doesNotMatch(mapped(new APIError('HTTP 503: no provider available', { status: 503 })).message, /\(HTTP 503\)/);
  });

  it('reports invalid tool arguments as Unknown naming the tool', () => {
    const result = mapped(new ToolArgumentsError('read_file', '{"path"'));
    assert.equal(result.code, 'Unknown');
    assert.match(result.message, /read_file/);
  });

  it('treats an abort as a cancellation, not a failure', () => {
    assert.deepEqual(mapLmError(new AbortError(), model), { cancelled: true });
  });
});
