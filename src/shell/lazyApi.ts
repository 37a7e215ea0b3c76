// The ThreadlineApi that activate() returns, before the host exists: each method loads the host on its
// first call and forwards to the host's API. A plain object with one function per method (no Proxy: VS
// Code and callers may probe `then` or enumerate the exports).
import type { ThreadlineApi } from '../host/api';

/** Every method of the API; the compiler names one that is missing here. */
const METHODS: Record<keyof ThreadlineApi, true> = {
  activeConversation: true,
  conversations: true,
  switchTo: true,
  rename: true,
  delete: true,
  fork: true,
  edit: true,
  retry: true,
  compactAndContinue: true,
  switchBranch: true,
  model: true,
  regenerate: true,
  modelChoices: true,
  reasoningEffort: true,
  setReasoningEffort: true,
};

type AnyMethod = (...args: unknown[]) => unknown;

export function lazyApi(load: () => ThreadlineApi): ThreadlineApi {
  const forward = (name: keyof ThreadlineApi) => (...args: unknown[]) => (load()[name] as AnyMethod)(...args);
  return Object.fromEntries((Object.keys(METHODS) as (keyof ThreadlineApi)[]).map((name) => [name, forward(name)])) as unknown as ThreadlineApi;
}
