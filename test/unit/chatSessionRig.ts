// The chat session as its panel sees it: the shared rig (fixtures/chatSessionRig.ts: the real provider against the
// loopback emulator, a fresh folder and session per test) plus a panel stand-in that records what the session
// posts and lets a test wait for a message as it arrives, and the key, routing and balance refreshes a test steers.
import type { ChatSession, ChatSessionDeps } from '../../src/chat/chatSession';
import type { ChatHistory } from '../../src/chat/chatHistory';
import type { OpenRouterProvider } from '../../src/openrouter';
import type { ChatRequest } from '../../src/openrouter/types';
import type { Emulator } from '../emulator';
import { silentLog, useChatSessionRig as useSharedRig } from './fixtures/chatSessionRig';
import { RecordingPanel as Panel } from '../support/recordingPanel';

export { Panel };

export const silent = silentLog;
export const model = 'openai/gpt-4o-mini';

export interface ChatSessionRig {
  readonly emulator: Emulator;
  readonly provider: OpenRouterProvider;
  readonly dir: string;
  readonly session: ChatSession;
  /** The history the last session made writes to. */
  readonly history: ChatHistory;
  readonly panel: Panel;
  hasKey: boolean;
  /** While set, reading whether there is a key waits for it (as a SecretStorage read can). */
  keyRead: Promise<void> | undefined;
  /** How often the session asked for the balance to be refreshed (after each answer). */
  readonly credits: number;
  routing: ChatSessionDeps['routing'];
  newSession(): ChatSession;
  /** The body of the last chat request the emulator received. */
  lastRequest(): ChatRequest;
}

/** Registers the suite's hooks and returns the rig of the running test. */
export function useChatSessionRig(): ChatSessionRig {
  const state = { panel: new Panel(), hasKey: true, keyRead: undefined as Promise<void> | undefined, credits: 0, routing: undefined as ChatSessionDeps['routing'] };
  // Before the shared rig's own hook, which builds the session from these.
  beforeEach(() => Object.assign(state, { panel: new Panel(), hasKey: true, keyRead: undefined, credits: 0, routing: undefined }));
  const shared = useSharedRig({
    emulator: { generationReadyAfterMs: 200 },
    folderPrefix: 'chat-session-',
    deps: () => ({
      hasKey: async () => {
        await state.keyRead;
        return state.hasKey;
      },
      selectedModel: () => model,
      routing: (m, sessionId, overrides) => state.routing?.(m, sessionId, overrides) ?? { session_id: sessionId },
      post: state.panel.post,
      onAnswerFinished: () => state.credits++,
      generationRetryDelaysMs: [100, 200, 300, 400, 500, 800],
    }),
  });
  return {
    get emulator() { return shared().emulator; },
    get provider() { return shared().provider; },
    get dir() { return shared().dir; },
    get session() { return shared().session; },
    get history() { return shared().history; },
    get panel() { return state.panel; },
    get hasKey() { return state.hasKey; },
    set hasKey(value) { state.hasKey = value; },
    get keyRead() { return state.keyRead; },
    set keyRead(value) { state.keyRead = value; },
    get credits() { return state.credits; },
    get routing() { return state.routing; },
    set routing(value) { state.routing = value; },
    newSession: () => shared().newSession(),
    lastRequest(): ChatRequest {
      const seen = shared().emulator.requests().filter((r) => r.path === '/chat/completions');
      return seen[seen.length - 1]!.body as ChatRequest;
    },
  };
}
