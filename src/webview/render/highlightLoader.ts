// Loads the highlighting chunk (dist/webview/highlight.js) once, on demand. The host names it in a data
// attribute of the page's own script element; the chunk's <script> carries that element's nonce, so the
// CSP (nonce-only scripts) admits it without being widened.
import { publishedEngine, type HighlightEngine } from './highlightEngine';

type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; engine: HighlightEngine } | { kind: 'failed' };

export class HighlightLoader {
  private state: State = { kind: 'idle' };

  /** `settled` is called once: with the engine when the chunk has run, or undefined when it could not load. */
  constructor(private readonly settled: (engine: HighlightEngine | undefined) => void) {}

  /** The engine if the chunk has loaded; never starts a load. */
  get engine(): HighlightEngine | undefined {
    return this.state.kind === 'ready' ? this.state.engine : undefined;
  }

  get failed(): boolean {
    return this.state.kind === 'failed';
  }

  /** The engine if loaded; otherwise undefined, and the first call starts loading the chunk. */
  request(): HighlightEngine | undefined {
    if (this.state.kind === 'idle') this.load();
    return this.engine;
  }

  private load(): void {
    this.state = { kind: 'loading' };
    const page = document.querySelector<HTMLScriptElement>('script[data-highlight-src]');
    const src = page?.dataset.highlightSrc;
    if (!page || !src) {
      this.settle(undefined);
      return;
    }
    const script = document.createElement('script');
    script.nonce = page.nonce;
    script.src = src;
    script.addEventListener('load', () => this.settle(publishedEngine()));
    script.addEventListener('error', () => this.settle(undefined));
    document.head.appendChild(script);
  }

  private settle(engine: HighlightEngine | undefined): void {
    if (this.state.kind !== 'loading') return;
    this.state = engine ? { kind: 'ready', engine } : { kind: 'failed' };
    if (!engine) console.warn('threadline: syntax highlighting is unavailable (its script did not load); code is shown plain');
    this.settled(engine);
  }
}
