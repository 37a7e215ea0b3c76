// The contract between the webview bundle and its lazily loaded highlighting chunk (dist/webview/highlight.js,
// from src/webview/highlightChunk.ts). The chunk is a classic script, so it hands its engine over through
// one property of the window; only our nonce'd scripts run in the page.

/** highlight.js with the grammars the chat knows, as the chunk exposes it. */
export interface HighlightEngine {
  /** Whether a grammar (or an alias of one) is registered under this lower-case name. */
  knows(name: string): boolean;
  /** hljs's output for `text`: `<span class="…">` elements and escaped text, nothing else. */
  highlight(text: string, name: string): string;
}

export const ENGINE_GLOBAL = 'threadlineHighlightEngine';

export type EngineHolder = typeof globalThis & { [ENGINE_GLOBAL]?: unknown };

/** The engine the chunk published, if it did and it has the expected shape. */
export function publishedEngine(): HighlightEngine | undefined {
  const e = (globalThis as EngineHolder)[ENGINE_GLOBAL] as Partial<HighlightEngine> | undefined;
  return typeof e?.knows === 'function' && typeof e.highlight === 'function' ? (e as HighlightEngine) : undefined;
}
