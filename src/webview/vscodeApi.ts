// The one handle on the host. `acquireVsCodeApi()` may be called only once per page.
import type { WebviewToHost } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostApi {
  post(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

let api: HostApi | undefined;

export function hostApi(): HostApi {
  if (!api) {
    const raw = acquireVsCodeApi();
    api = {
      post: (message) => raw.postMessage(message),
      getState: () => raw.getState(),
      setState: (state) => raw.setState(state),
    };
  }
  return api;
}
