// Types only: an answer's error as the chat shows it, shared by the answer pipeline, the chat's model and its panel.

export type ErrorKind = 'stream' | 'credits' | 'rate-limit' | 'network' | 'timeout' | 'auth' | 'no-key' | 'config' | 'parse' | 'cancelled' | 'other';

/** What the webview may ask the extension to run on the user's behalf (a closed list). */
export type ChatAction = 'setApiKey' | 'selectModel' | 'openCredits' | 'openSettings' | 'openProxySettings' | 'showLog';

/** An error shown inline under the answer it ended, with what the user can do about it. */
export interface ErrorNotice {
  kind: ErrorKind;
  message: string;
  advice: string;
  /** Seconds OpenRouter asked to wait before retrying (429), when it said. */
  retryAfterSeconds?: number;
  /** When that wait ends (epoch ms), for a countdown that stays right when the chat is shown again later. */
  retryAt?: number;
  action?: { label: string; action: ChatAction };
}
