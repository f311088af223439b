// The API VS Code injects into webviews. acquireVsCodeApi may be called once per page load.
import type { WebviewMessage } from '../shared/protocol';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}
