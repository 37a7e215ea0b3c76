// Syntax highlighting with highlight.js core and a dozen common grammars. hljs returns an HTML string of
// <span class="…"> and escaped text; it is turned into DOM by a strict reader that accepts nothing else,
// so no HTML is ever parsed by the browser.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, cpp, csharp, diff, go, java, json, python, rust, shell, typescript, xml, yaml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);
// Shared grammars keep the bundle small: JavaScript uses the TypeScript grammar (a superset), C uses C++.
hljs.registerAliases(['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node'], { languageName: 'typescript' });
hljs.registerAliases(['c', 'h'], { languageName: 'cpp' });
hljs.registerAliases(['sh', 'zsh', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['golang'], { languageName: 'go' });

/** Larger blocks are shown plain: highlighting them would stall the view for little gain. */
export const MAX_HIGHLIGHT_CHARS = 100_000;
/**
 * A code block still streaming is re-rendered every frame, so it is highlighted only while small (a
 * millisecond or so); a longer one stays plain until it is complete, then is highlighted once.
 */
export const MAX_OPEN_HIGHLIGHT_CHARS = 4_000;

/** The registered grammar for a fence's info string, or undefined (then the block is plain text). */
export function grammarFor(lang: string): string | undefined {
  const name = lang.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!name || !/^[\w+#.-]+$/.test(name)) return undefined;
  return hljs.getLanguage(name) ? name : undefined;
}

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'" };
const TOKEN = /<span class="([\w -]+)">|<\/span>|&(amp|lt|gt|quot|#x27|#39);|[^<&]+/y;

/** Reads hljs output into `target`; returns false (leaving `target` untouched) on anything unexpected. */
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
  target.appendChild(frag);
  return true;
}

/** Fills `code` with `text`, highlighted when the language is known and the block is not huge. */
export function renderCode(code: HTMLElement, text: string, lang: string, highlight = true): void {
  const grammar = grammarFor(lang);
  if (highlight && grammar && text.length <= MAX_HIGHLIGHT_CHARS) {
    try {
      const { value } = hljs.highlight(text, { language: grammar, ignoreIllegals: true });
      if (htmlSpansToDom(value, code)) {
        code.classList.add('hljs');
        return;
      }
    } catch {
      // fall through to plain text
    }
  }
  code.textContent = text;
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
    if (!grammarFor(lang) || text.length > MAX_HIGHLIGHT_CHARS) return;
    this.waiting.set(code, () => {
      code.replaceChildren();
      renderCode(code, text, lang);
    });
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
