// The transcript: the active path's turns, oldest first. Finished turns are rendered once and never
// again; the one streaming turn (the "live" turn) collects deltas and re-renders its markdown at most once
// per animation frame. Only the newest turns are in the DOM; older ones come on request ("Load earlier").
import type { ConversationView, TurnView } from '../../shared/protocol';
import { button, h } from '../dom';
import { nextRequestId } from '../requestId';
import { MarkdownView } from '../render/markdown';
import { assistantArticle, markdownActions, userArticle, type MessageContext } from './message';

/** Past this many turns in the DOM, the oldest are dropped (and can be loaded again). */
export const MAX_TURNS_IN_DOM = 150;
/** How close to the end (px) still counts as "at the bottom" for auto-scroll. */
const BOTTOM_SLACK = 24;

interface Entry {
  turn: TurnView;
  el: HTMLElement;
  user: HTMLElement;
  assistant: HTMLElement;
}

interface Live {
  entry: Entry;
  text: string;
  md: MarkdownView;
  rendered: string;
}

export interface TranscriptEvents {
  /** The list of turns changed (empty state, Stop button). */
  changed(): void;
  /** The scroll position changed (for setState). */
  scrolled(): void;
}

export class Transcript {
  readonly scroller: HTMLElement;
  log: HTMLElement;
  /** The conversation's title, for the header above the transcript. */
  readonly title: HTMLElement;
  private readonly earlier: HTMLElement;
  private readonly earlierButton: HTMLButtonElement;
  private entries: Entry[] = [];
  private live: Live | undefined;
  private frame = 0;
  private atBottom = true;
  private loadingEarlier = false;
  conversationId: string | undefined;
  hasEarlier = false;

  constructor(private readonly ctx: MessageContext, private readonly events: TranscriptEvents) {
    this.earlierButton = button({ label: 'Load earlier messages', icon: 'history', text: true, class: 'btn-secondary', onClick: () => this.requestEarlier() });
    this.earlier = h('div', { class: 'load-earlier', hidden: true }, this.earlierButton);
    this.title = h('h1', { class: 'conv-title' });
    // polite: screen readers hear finished answers; the streaming article is aria-busy meanwhile.
    this.log = makeLog();
    this.scroller = h('div', { class: 'scroller' }, this.earlier, this.log);
    this.scroller.addEventListener('scroll', () => {
      this.atBottom = this.computeAtBottom();
      this.events.scrolled();
    }, { passive: true });
    new ResizeObserver(() => {
      if (this.atBottom) this.scrollToBottom();
    }).observe(this.scroller);
  }

  get turns(): readonly TurnView[] {
    return this.entries.map((e) => e.turn);
  }

  get isEmpty(): boolean {
    return this.entries.length === 0 && !this.hasEarlier;
  }

  get streaming(): boolean {
    return this.live !== undefined;
  }

  /** A whole conversation (first load, switch, new chat, branch switch). */
  setConversation(conv: ConversationView): void {
    this.cancelFrame();
    this.live = undefined;
    this.conversationId = conv.id;
    this.hasEarlier = conv.hasEarlier;
    this.loadingEarlier = false;
    this.setTitle(conv.title);
    this.entries = [];
    const frag = document.createDocumentFragment();
    for (const t of conv.turns) {
      const e = this.makeEntry(t);
      this.entries.push(e);
      frag.appendChild(e.el);
    }
    // A new live region: screen readers announce additions to it, not the whole conversation at once.
    const log = makeLog();
    log.appendChild(frag);
    this.log.replaceWith(log);
    this.log = log;
    this.updateEarlier();
    this.atBottom = true;
    this.scrollToBottom();
    this.events.changed();
  }

  /** Older turns answered to `loadEarlier`: prepended, keeping what the user looks at in place. */
  prependEarlier(turns: TurnView[], hasEarlier: boolean): void {
    this.loadingEarlier = false;
    const known = new Set(this.entries.map((e) => e.turn.id));
    const fresh = turns.filter((t) => !known.has(t.id));
    const before = this.scroller.scrollHeight;
    const top = this.scroller.scrollTop;
    const frag = document.createDocumentFragment();
    const added = fresh.map((t) => {
      const e = this.makeEntry(t);
      frag.appendChild(e.el);
      return e;
    });
    this.log.insertBefore(frag, this.log.firstChild);
    this.entries = [...added, ...this.entries];
    this.hasEarlier = hasEarlier;
    this.updateEarlier();
    this.scroller.scrollTop = top + (this.scroller.scrollHeight - before);
    this.atBottom = this.computeAtBottom();
    this.events.changed();
  }

  /** A turn started: it joins the end of the active path (an edit or retry can replace a branch). */
  startTurn(turn: TurnView): void {
    const stick = this.atBottom;
    const existing = this.entries.findIndex((e) => e.turn.id === turn.id);
    if (existing >= 0) {
      this.replaceEntry(existing, turn);
    } else {
      // Everything after the parent belongs to another branch now.
      const parentIdx = turn.parentId === null ? -1 : this.entries.findIndex((e) => e.turn.id === turn.parentId);
      if (turn.parentId !== null && parentIdx < 0 && this.entries.length) {
        // The parent is older than what is shown: what is shown is another branch.
        this.dropFrom(0);
        this.hasEarlier = true;
      } else {
        this.dropFrom(parentIdx + 1);
        if (turn.parentId === null) this.hasEarlier = false;
      }
      const e = this.makeEntry(turn);
      this.entries.push(e);
      this.log.appendChild(e.el);
      this.trim();
    }
    this.updateEarlier();
    if (stick) this.scrollToBottom();
    this.events.changed();
  }

  /** Appends streamed text to the live turn; the markdown is re-rendered on the next frame. */
  appendDelta(turnId: string, text: string): void {
    const live = this.live;
    if (!live || live.entry.turn.id !== turnId) return;
    live.text += text;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** The final record replaces the live answer (or a shown turn, e.g. after a retry). */
  finishTurn(turn: TurnView): void {
    const idx = this.entries.findIndex((e) => e.turn.id === turn.id);
    if (idx < 0) {
      this.startTurn(turn);
      return;
    }
    const stick = this.atBottom;
    if (this.live?.entry === this.entries[idx]) {
      this.cancelFrame();
      this.live = undefined;
    }
    this.replaceEntry(idx, turn);
    if (stick) this.scrollToBottom();
    this.events.changed();
  }

  setTitle(title: string): void {
    this.title.textContent = title || 'New chat';
    this.title.title = this.title.textContent;
  }

  lastTurnId(): string | undefined {
    return this.entries[this.entries.length - 1]?.turn.id;
  }

  /** Scroll position for setState. */
  scrollState(): { top: number; atBottom: boolean } {
    return { top: Math.round(this.scroller.scrollTop), atBottom: this.atBottom };
  }

  restoreScroll(s: { top: number; atBottom: boolean }): void {
    if (s.atBottom) {
      this.atBottom = true;
      this.scrollToBottom();
      return;
    }
    this.scroller.scrollTop = s.top;
    this.atBottom = this.computeAtBottom();
  }

  private flush(): void {
    this.frame = 0;
    const live = this.live;
    if (!live || live.text === live.rendered) return;
    const stick = this.atBottom;
    live.md.update(live.text, true);
    live.rendered = live.text;
    live.entry.assistant.querySelector('.waiting')?.remove();
    if (stick) this.scrollToBottom();
  }

  private makeEntry(turn: TurnView): Entry {
    const user = userArticle(turn, this.ctx);
    const { assistant, live } = this.answer(turn);
    const el = h('div', { class: 'turn', 'data-turn-id': turn.id }, user, assistant);
    const entry: Entry = { turn, el, user, assistant };
    if (live) {
      this.cancelFrame();
      this.live = { entry, ...live };
    }
    return entry;
  }

  private answer(turn: TurnView): { assistant: HTMLElement; live?: Omit<Live, 'entry'> } {
    if (turn.status !== 'streaming') return { assistant: assistantArticle(turn, this.ctx) };
    const md = new MarkdownView(markdownActions(this.ctx));
    md.update(turn.answer, true);
    const assistant = assistantArticle(turn, this.ctx, md);
    if (!turn.answer) md.el.after(h('p', { class: 'muted waiting' }, 'Waiting for the model…'));
    return { assistant, live: { text: turn.answer, md, rendered: turn.answer } };
  }

  /** Re-renders one turn from a new record. The user message is kept unless what it shows changed. */
  private replaceEntry(idx: number, turn: TurnView): void {
    const entry = this.entries[idx]!;
    const old = entry.turn;
    if (this.live?.entry === entry) {
      this.cancelFrame();
      this.live = undefined;
    }
    const userChanged = old.question !== turn.question || old.siblingIndex !== turn.siblingIndex || old.siblingCount !== turn.siblingCount
      || old.createdAt !== turn.createdAt || old.attachments.length !== turn.attachments.length;
    if (userChanged) {
      const user = userArticle(turn, this.ctx);
      entry.el.replaceChild(user, entry.user);
      entry.user = user;
    }
    const focused = entry.assistant.contains(document.activeElement) ? (document.activeElement as HTMLElement).getAttribute('aria-label') : null;
    const { assistant, live } = this.answer(turn);
    entry.el.replaceChild(assistant, entry.assistant);
    entry.assistant = assistant;
    entry.turn = turn;
    if (live) this.live = { entry, ...live };
    if (focused) {
      const again = [...assistant.querySelectorAll<HTMLElement>('button')].find((b) => b.getAttribute('aria-label') === focused);
      (again ?? assistant.querySelector<HTMLElement>('button'))?.focus();
    }
  }

  private dropFrom(idx: number): void {
    for (const e of this.entries.slice(idx)) {
      if (this.live?.entry === e) {
        this.cancelFrame();
        this.live = undefined;
      }
      e.el.remove();
    }
    this.entries.length = Math.max(0, idx);
  }

  /** Keeps the DOM bounded in a long session: the oldest turns go, and "Load earlier" brings them back. */
  private trim(): void {
    const extra = this.entries.length - MAX_TURNS_IN_DOM;
    if (extra <= 0 || !this.atBottom) return;
    for (const e of this.entries.splice(0, extra)) e.el.remove();
    this.hasEarlier = true;
  }

  private requestEarlier(): void {
    const oldest = this.entries[0];
    if (!oldest || this.loadingEarlier) return;
    this.loadingEarlier = true;
    this.earlierButton.setAttribute('aria-busy', 'true');
    this.ctx.post({ type: 'loadEarlier', requestId: nextRequestId(), beforeTurnId: oldest.turn.id });
  }

  private updateEarlier(): void {
    this.earlier.hidden = !this.hasEarlier || this.entries.length === 0;
    if (!this.loadingEarlier) this.earlierButton.removeAttribute('aria-busy');
  }

  private computeAtBottom(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= BOTTOM_SLACK;
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private cancelFrame(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

/** polite: a finished answer is read once; the streaming article is aria-busy meanwhile, so no per-token chatter. */
function makeLog(): HTMLElement {
  return h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Chat transcript' });
}
