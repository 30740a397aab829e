// The headers every OpenRouter request carries: credentials, attribution, and what we accept back.

export interface HeaderInput {
  apiKey?: string;
  appUrl?: string;
  appTitle?: string;
  /** A JSON body is sent. */
  json?: boolean;
  /** An SSE answer is expected. */
  stream?: boolean;
}

export const USER_AGENT = 'openrouter-vscode';

export function buildHeaders(input: HeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    accept: input.stream ? 'text/event-stream' : 'application/json',
    'user-agent': USER_AGENT,
    'x-openrouter-categories': 'ide-extension',
  };
  if (input.apiKey) headers.authorization = `Bearer ${input.apiKey}`;
  if (input.json) headers['content-type'] = 'application/json';
  if (input.appUrl) headers['http-referer'] = input.appUrl;
  if (input.appTitle) {
    // OpenRouter reads X-OpenRouter-Title; older deployments still read X-Title.
    headers['x-openrouter-title'] = input.appTitle;
    headers['x-title'] = input.appTitle;
  }
  return headers;
}
