import type { WebviewMessage, WebviewUiState } from '../../protocols/chat';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): WebviewUiState | undefined;
  setState(state: WebviewUiState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** May be called once per page load (VS Code's rule), so main.ts calls it and passes the result on. */
export function getVsCodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}
