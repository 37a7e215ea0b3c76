// Safe markdown: marked's lexer turns model output (untrusted) into tokens, and this module builds DOM
// from them with createElement/textContent. Raw HTML is shown as text, links are http(s) only and never
// navigate, images never load. marked's HTML renderer is not used at all.
import { Lexer, type Token, type Tokens } from 'marked';
import { h, icon } from '../dom';
import { MAX_OPEN_HIGHLIGHT_CHARS, renderCode, type DeferredHighlight } from './highlight';

export interface MarkdownActions {
  copy(code: string): void;
  insert(code: string): void;
  /** Apply the block to the file its answer is about, with a review (or to the editor's selection). */
  apply(code: string): void;
}

/** The absolute http(s) URL a link may open, or undefined: every other scheme is shown as text. */
export function safeHref(raw: string): string | undefined {
  const href = decodeEntities(raw).trim();
  if (!/^https?:\/\//i.test(href)) return undefined;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// An inert document (no browsing context: nothing loads or runs) whose <textarea> decodes character
// references: textarea content is RCDATA, so markup in it stays text.
let decoder: HTMLTextAreaElement | undefined;
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  decoder ??= document.implementation.createHTMLDocument('').createElement('textarea');
  decoder.innerHTML = s;
  const out = decoder.value;
  decoder.textContent = '';
  return out;
}

const lex = (src: string): Token[] => Lexer.lex(src, { gfm: true, breaks: false });

interface Block {
  key: string;
  node: Node;
}

/**
 * The markdown of one message. `update` re-lexes the text and rebuilds only the top-level blocks whose
 * source changed: while streaming that is the last block, so earlier paragraphs and code blocks keep
 * their DOM nodes (and focus, selection, highlighting). The last block of a streaming message is "open":
 * a long code block there is shown plain until it is complete, and highlighted once. With `defer`, code
 * is highlighted when `defer` decides (a message rendered off screen), else at once.
 */
export class MarkdownView {
  readonly el: HTMLElement;
  private blocks: Block[] = [];
  private shown: { src: string; streaming: boolean } | undefined;

  constructor(private readonly actions: MarkdownActions, private readonly defer?: DeferredHighlight) {
    this.el = h('div', { class: 'markdown' });
  }

  update(src: string, streaming: boolean): void {
    if (src === this.shown?.src && streaming === this.shown.streaming) return;
    this.shown = { src, streaming };
    const tokens = lex(src).filter((t) => t.type !== 'space' && t.type !== 'def');
    const next: Block[] = [];
    tokens.forEach((t, i) => {
      const open = streaming && i === tokens.length - 1;
      // Only a code block renders differently while open (a long one is not highlighted yet).
      const key = (open && t.type === 'code' ? 'open\u0000' : '') + t.raw;
      const old = this.blocks[i];
      if (old && old.key === key) {
        next.push(old);
        return;
      }
      const node = this.block(t, open) ?? document.createComment('');
      if (old) this.el.replaceChild(node, old.node);
      else this.el.appendChild(node);
      next.push({ key, node });
    });
    for (const extra of this.blocks.slice(tokens.length)) extra.node.parentNode?.removeChild(extra.node);
    this.blocks = next;
  }

  private blocksInto(parent: HTMLElement, tokens: Token[]): HTMLElement {
    for (const t of tokens) {
      const n = this.block(t, false);
      if (n) parent.appendChild(n);
    }
    return parent;
  }

  private block(t: Token, open: boolean): Node | null {
    switch (t.type) {
      case 'paragraph':
        return this.inline(h('p'), (t as Tokens.Paragraph).tokens);
      case 'heading': {
        const depth = Math.min(6, Math.max(1, (t as Tokens.Heading).depth));
        return this.inline(h(`h${depth}` as 'h1', { class: 'md-heading' }), (t as Tokens.Heading).tokens);
      }
      case 'code': {
        const { text, lang } = t as Tokens.Code;
        return this.codeBlock(text, lang ?? '', !open || text.length <= MAX_OPEN_HIGHLIGHT_CHARS);
      }
      case 'blockquote':
        return this.blocksInto(h('blockquote'), (t as Tokens.Blockquote).tokens);
      case 'list':
        return this.list(t as Tokens.List);
      case 'table':
        return this.table(t as Tokens.Table);
      case 'hr':
        return h('hr');
      case 'html':
        // Raw HTML from the model is shown as the text it is.
        return h('p', { class: 'md-raw' }, (t as Tokens.HTML).raw.replace(/\n+$/, ''));
      case 'text': {
        const tt = t as Tokens.Text;
        return tt.tokens ? this.inline(h('span', { class: 'md-text' }), tt.tokens) : h('span', {}, decodeEntities(tt.text));
      }
      case 'space':
      case 'def':
        return null;
      default:
        // A token type this view does not know: its source, as text.
        return typeof t.raw === 'string' && t.raw.trim() ? h('p', {}, t.raw) : null;
    }
  }

  private list(t: Tokens.List): HTMLElement {
    const start = typeof t.start === 'number' && t.start !== 1 ? t.start : undefined;
    const list = t.ordered ? h('ol', { start }) : h('ul', {});
    for (const item of t.items) {
      const li = h('li', { class: item.task ? 'md-task' : undefined });
      for (const c of item.tokens) {
        if (c.type === 'checkbox') {
          li.appendChild(icon((c as Tokens.Checkbox).checked ? 'pass' : 'circle-large', 'md-checkbox'));
          li.appendChild(h('span', { class: 'sr-only' }, (c as Tokens.Checkbox).checked ? '(done) ' : '(to do) '));
          continue;
        }
        if (c.type === 'text' && !t.loose && !item.loose) {
          const tt = c as Tokens.Text;
          if (tt.tokens) this.inline(li, tt.tokens);
          else li.appendChild(document.createTextNode(decodeEntities(tt.text)));
          continue;
        }
        const n = c.type === 'text' && (c as Tokens.Text).tokens ? this.inline(h('p'), (c as Tokens.Text).tokens!) : this.block(c, false);
        if (n) li.appendChild(n);
      }
      list.appendChild(li);
    }
    return list;
  }

  private table(t: Tokens.Table): HTMLElement {
    const align = (a: string | null | undefined) => (a ? `md-align-${a}` : undefined);
    const head = h('tr');
    t.header.forEach((cell, i) => head.appendChild(this.inline(h('th', { class: align(t.align[i]) }), cell.tokens)));
    const body = h('tbody');
    for (const row of t.rows) {
      const tr = h('tr');
      row.forEach((cell, i) => tr.appendChild(this.inline(h('td', { class: align(t.align[i]) }), cell.tokens)));
      body.appendChild(tr);
    }
    return h('div', { class: 'md-table-wrap' }, h('table', {}, h('thead', {}, head), body));
  }

  private codeBlock(text: string, info: string, highlight: boolean): HTMLElement {
    const lang = info.trim().split(/\s+/)[0] ?? '';
    const code = h('code', { class: lang ? `language-${lang.replace(/[^\w+#.-]/g, '')}` : undefined });
    if (highlight && this.defer) this.defer(code, text, lang);
    else renderCode(code, text, lang, highlight);
    const copy = h('button', { type: 'button', class: 'btn icon-btn', 'aria-label': 'Copy', title: 'Copy' }, icon('copy'));
    copy.addEventListener('click', () => {
      this.actions.copy(text);
      copy.replaceChildren(icon('check'));
      copy.title = 'Copied';
      setTimeout(() => {
        copy.replaceChildren(icon('copy'));
        copy.title = 'Copy';
      }, 1500);
    });
    const insert = h('button', { type: 'button', class: 'btn icon-btn', 'aria-label': 'Insert at Cursor', title: 'Insert at Cursor' }, icon('insert'));
    insert.addEventListener('click', () => this.actions.insert(text));
    const apply = h('button', { type: 'button', class: 'btn icon-btn', 'aria-label': 'Apply', title: 'Apply (review the change first)' }, icon('git-pull-request-go-to-changes'));
    apply.addEventListener('click', () => this.actions.apply(text));
    return h(
      'div',
      { class: 'codeblock' },
      h('div', { class: 'codeblock-header' }, h('span', { class: 'codeblock-lang' }, lang || 'text'), copy, insert, apply),
      h('pre', {}, code),
    );
  }

  private inline<E extends HTMLElement>(parent: E, tokens: Token[] | undefined): E {
    for (const t of tokens ?? []) {
      const n = this.inlineToken(t);
      if (n) parent.appendChild(n);
    }
    return parent;
  }

  private inlineToken(t: Token): Node | null {
    switch (t.type) {
      case 'text': {
        const tt = t as Tokens.Text;
        return tt.tokens ? this.inline(h('span'), tt.tokens) : document.createTextNode(decodeEntities(tt.text));
      }
      case 'escape':
        return document.createTextNode((t as Tokens.Escape).text);
      case 'strong':
        return this.inline(h('strong'), (t as Tokens.Strong).tokens);
      case 'em':
        return this.inline(h('em'), (t as Tokens.Em).tokens);
      case 'del':
        return this.inline(h('del'), (t as Tokens.Del).tokens);
      case 'codespan':
        return h('code', { class: 'md-codespan' }, (t as Tokens.Codespan).text);
      case 'br':
        return h('br');
      case 'link': {
        const l = t as Tokens.Link;
        const href = safeHref(l.href);
        if (!href) return this.inline(h('span', { class: 'md-unsafe-link' }), l.tokens);
        return this.inline(h('a', { href, title: href, rel: 'noopener noreferrer', class: 'md-link' }), l.tokens);
      }
      case 'image': {
        // Never an <img>: the alt text, as a link when the address is http(s).
        const img = t as Tokens.Image;
        const href = safeHref(img.href);
        const label = decodeEntities(img.text) || 'image';
        const content = [icon('file-media'), document.createTextNode(label)];
        const el = href ? h('a', { href, title: href, rel: 'noopener noreferrer', class: 'md-link md-image' }) : h('span', { class: 'md-image' });
        el.append(...content);
        return el;
      }
      case 'html':
        return document.createTextNode((t as Tokens.Tag).raw);
      case 'checkbox':
        return null;
      default:
        return typeof t.raw === 'string' ? document.createTextNode(t.raw) : null;
    }
  }
}
