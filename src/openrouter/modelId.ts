// What an OpenRouter model id looks like: `vendor/model`, with an optional `:variant` (`openai/gpt-4o`,
// `meta-llama/llama-3.3-70b-instruct:free`). A bare name such as `gpt-4o` is not one: OpenRouter refuses it.
const MODEL_ID = /^[\w.@-]+\/[\w.:@/-]+$/;
const MAX_MODEL_ID_LENGTH = 200;

export function isModelId(id: string): boolean {
  return id.length <= MAX_MODEL_ID_LENGTH && MODEL_ID.test(id);
}
