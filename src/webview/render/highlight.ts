// Syntax highlighting. highlight.js and its grammars live in a chunk (src/webview/highlightChunk.ts) that
// highlightLoader.ts loads on the first code block that needs it: until it arrives, code is plain text,
// and the blocks shown meanwhile are highlighted when it does. hljs returns an HTML string of
// <span class="…"> and escaped text; it is turned into DOM by a strict reader that accepts nothing else,
// so no HTML is ever parsed by the browser.
import { HighlightLoader } from './highlightLoader';
import type { HighlightEngine } from './highlightEngine';

/** Larger blocks are shown plain: highlighting them would stall the view for little gain. */
export const MAX_HIGHLIGHT_CHARS = 100_000;
/**
 * A code block still streaming is re-rendered every frame, so it is highlighted only while small (a
 * millisecond or so); a longer one stays plain until it is complete, then is highlighted once.
 */
export const MAX_OPEN_HIGHLIGHT_CHARS = 4_000;

/** The grammar name a fence's info string asks for, or undefined (then the block is plain text). */
function fenceLanguage(lang: string): string | undefined {
  const name = lang.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return name && /^[\w+#.-]+$/.test(name) ? name : undefined;
}

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'" };
const TOKEN = /<span class="([\w -]+)">|<\/span>|&(amp|lt|gt|quot|#x27|#39);|[^<&]+/y;

/** Replaces `target`'s content with hljs output; returns false (leaving `target` untouched) on anything unexpected. */
export function htmlSpansToDom(html: string, target: HTMLElement): boolean {
  const frag = document.createDocumentFragment();
  const stack: Node[] = [frag];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < html.length) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(html);
    if (!m) return false;
    pos = TOKEN.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) {
      const span = document.createElement('span');
      span.className = m[1];
      top.appendChild(span);
      stack.push(span);
    } else if (m[0] === '</span>') {
      if (stack.length === 1) return false;
      stack.pop();
    } else {
      const text = m[2] !== undefined ? ENT[m[2]]! : m[0];
      const last = top.lastChild;
      if (last && last.nodeType === Node.TEXT_NODE) (last as Text).appendData(text);
      else top.appendChild(document.createTextNode(text));
    }
  }
  if (stack.length !== 1) return false;
  target.replaceChildren(frag);
  return true;
}

/** Blocks shown plain while the chunk loads, to highlight when it arrives. */
const waiting = new Map<HTMLElement, { text: string; name: string }>();
/** A streaming block is re-rendered every frame: past this many, forget the replaced ones. */
const WAITING_SWEEP = 64;

const loader = new HighlightLoader((engine) => {
  for (const [code, { text, name }] of waiting) if (engine && code.isConnected && engine.knows(name)) highlightInto(engine, code, text, name);
  waiting.clear();
});

/** The grammar to highlight a block with: a language is named, the block is not huge, and the engine (once loaded) knows it. */
function grammarFor(text: string, lang: string): string | undefined {
  const name = fenceLanguage(lang);
  if (!name || text.length > MAX_HIGHLIGHT_CHARS || loader.failed) return undefined;
  const engine = loader.engine;
  return !engine || engine.knows(name) ? name : undefined;
}

function highlightInto(engine: HighlightEngine, code: HTMLElement, text: string, name: string): void {
  try {
    if (htmlSpansToDom(engine.highlight(text, name), code)) code.classList.add('hljs');
  } catch {
    // the plain text stays
  }
}

/** Fills `code` with `text`, highlighted when the language is known and the block is not huge. */
export function renderCode(code: HTMLElement, text: string, lang: string, highlight = true): void {
  code.textContent = text;
  if (highlight) highlightShown(code, text, lang);
}

/** Highlights a block that already shows its plain text, now or when the chunk arrives. */
function highlightShown(code: HTMLElement, text: string, lang: string): void {
  const name = grammarFor(text, lang);
  if (!name) return;
  const engine = loader.request();
  if (engine) {
    highlightInto(engine, code, text, name);
    return;
  }
  if (waiting.size >= WAITING_SWEEP) for (const c of waiting.keys()) if (!c.isConnected) waiting.delete(c);
  waiting.set(code, { text, name });
}

/** Renders a code block's text now and highlights it later (see `VisibleHighlighter`). */
export type DeferredHighlight = (code: HTMLElement, text: string, lang: string) => void;

/**
 * Code blocks under `root` are shown plain until they come within a screen of its visible area, then
 * highlighted once: turns rendered off screen (the older turns of a snapshot, "Load earlier") cost no
 * highlight.js time until someone scrolls to them.
 */
export class VisibleHighlighter {
  private readonly waiting = new Map<Element, () => void>();
  private readonly observer: IntersectionObserver;

  constructor(root: HTMLElement) {
    this.observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        this.observer.unobserve(e.target);
        const highlight = this.waiting.get(e.target);
        this.waiting.delete(e.target);
        highlight?.();
      }
    }, { root, rootMargin: '100% 0px' });
  }

  readonly render: DeferredHighlight = (code, text, lang) => {
    code.textContent = text;
    if (!grammarFor(text, lang)) return;
    this.waiting.set(code, () => highlightShown(code, text, lang));
    this.observer.observe(code);
  };

  /** Forgets blocks no longer in the document (an observer never reports a removed block). */
  sweep(): void {
    for (const code of this.waiting.keys()) {
      if (code.isConnected) continue;
      this.observer.unobserve(code);
      this.waiting.delete(code);
    }
  }
}
