// The transcript: the active path's turns, oldest first. The one streaming turn (the "live" turn,
// liveTurn.ts) renders its parts as deltas come, and its final record is rendered into the same views, so
// what streamed stays in place; a finished turn is rebuilt only when a new record of it arrives (a retry).
// A snapshot opens viewport first: the newest turns that fill the view are rendered (and highlighted)
// before the first paint, the older ones in idle time after it, with their code highlighted when it
// scrolls near. Only the newest turns are in the DOM; older ones come on request ("Load earlier").
import type { ConversationView, StreamPart, TurnView } from '../../shared/protocol';
import { button, h } from '../dom';
import { nextRequestId } from '../requestId';
import { VisibleHighlighter } from '../render/highlight';
import { MarkdownView } from '../render/markdown';
import { LiveTurn } from './liveTurn';
import { assistantArticle, markdownActions, userArticle, type MessageContext } from './message';
import { finishedThinking, ThinkingView } from './thinking';

/** Past this many turns in the DOM, the oldest are dropped (and can be loaded again). */
export const MAX_TURNS_IN_DOM = 150;
/** How close to the end (px) still counts as "at the bottom" for auto-scroll. */
const BOTTOM_SLACK = 24;
/** A snapshot's older turns go in when the main thread is idle, or after this long at the latest. */
const PENDING_TIMEOUT_MS = 200;

interface Entry {
  turn: TurnView;
  el: HTMLElement;
  user: HTMLElement;
  assistant: HTMLElement;
}

interface Live {
  entry: Entry;
  turn: LiveTurn;
}

/** When to highlight an entry's code: at once (on screen), or when it scrolls near (rendered off screen). */
type Highlight = 'now' | 'when-visible';

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
  /** The snapshot's older turns not rendered yet (oldest first), and the idle callback that renders them. */
  private pending: TurnView[] = [];
  private idle = 0;
  private readonly highlighter: VisibleHighlighter;
  private atBottom = true;
  private loadingEarlier = false;
  conversationId: string | undefined;
  hasEarlier = false;

  constructor(private readonly ctx: MessageContext, private readonly events: TranscriptEvents) {
    this.earlierButton = button({ label: 'Load earlier messages', icon: 'history', text: true, class: 'btn-secondary', onClick: () => this.requestEarlier() });
    this.earlier = h('div', { class: 'load-earlier', hidden: true }, this.earlierButton);
    this.title = h('h1', { class: 'conv-title' });
    this.log = makeLog('polite');
    this.scroller = h('div', { class: 'scroller' }, this.earlier, this.log);
    this.highlighter = new VisibleHighlighter(this.scroller);
    this.scroller.addEventListener('scroll', () => {
      this.atBottom = this.computeAtBottom();
      this.events.scrolled();
    }, { passive: true });
    new ResizeObserver(() => {
      if (this.atBottom) this.scrollToBottom();
    }).observe(this.scroller);
  }

  get turns(): readonly TurnView[] {
    return [...this.pending, ...this.entries.map((e) => e.turn)];
  }

  get isEmpty(): boolean {
    return this.entries.length === 0 && !this.hasEarlier;
  }

  get streaming(): boolean {
    return this.live !== undefined;
  }

  /** A whole conversation (first load, switch, new chat, branch switch). */
  setConversation(conv: ConversationView): void {
    this.stopLive();
    this.cancelPending();
    this.conversationId = conv.id;
    this.hasEarlier = conv.hasEarlier;
    this.loadingEarlier = false;
    this.setTitle(conv.title);
    this.entries = [];
    // A new live region: screen readers announce additions to it, not the conversation being opened.
    // It stays silent until the older turns are in too, which are additions as well.
    const log = makeLog('off');
    this.log.replaceWith(log);
    this.log = log;
    this.highlighter.sweep();
    // Newest first, until the view is full: only these are rendered before the first paint.
    const turns = conv.turns;
    let i = turns.length;
    while (i > 0) {
      const e = this.makeEntry(turns[--i]!, 'now');
      this.entries.unshift(e);
      log.insertBefore(e.el, log.firstChild);
      if (log.offsetHeight >= this.scroller.clientHeight) break;
    }
    this.pending = turns.slice(0, i);
    this.updateEarlier();
    this.atBottom = true;
    this.scrollToBottom();
    if (this.pending.length) this.idle = requestIdleCallback((d) => this.renderPending(d), { timeout: PENDING_TIMEOUT_MS });
    else this.speak();
    this.events.changed();
  }

  /** Older turns answered to `loadEarlier`: prepended, keeping what the user looks at in place. */
  prependEarlier(turns: TurnView[], hasEarlier: boolean): void {
    this.settle();
    this.loadingEarlier = false;
    const known = new Set(this.entries.map((e) => e.turn.id));
    this.keepingPlace(() => {
      this.prepend(turns.filter((t) => !known.has(t.id)));
      this.hasEarlier = hasEarlier;
      this.updateEarlier();
    });
    this.events.changed();
  }

  /** A turn started: it joins the end of the active path (an edit or retry can replace a branch). */
  startTurn(turn: TurnView): void {
    this.settle();
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
      const e = this.makeEntry(turn, 'now');
      this.entries.push(e);
      this.log.appendChild(e.el);
      this.trim();
    }
    this.updateEarlier();
    if (stick) this.scrollToBottom();
    this.events.changed();
  }

  /** Streamed text for one part of the live turn; the part re-renders on the next frame. */
  appendDelta(turnId: string, part: StreamPart, text: string): void {
    if (this.live?.entry.turn.id === turnId) this.live.turn.append(part, text);
  }

  /** The final record: the live answer is finished in place; a shown turn (e.g. after a retry) is replaced. */
  finishTurn(turn: TurnView): void {
    this.settle();
    const idx = this.entries.findIndex((e) => e.turn.id === turn.id);
    if (idx < 0) {
      this.startTurn(turn);
      return;
    }
    const stick = this.atBottom;
    const live = this.live?.entry === this.entries[idx] ? this.live.turn : undefined;
    if (live) {
      this.live = undefined;
      live.finish(turn);
    }
    this.replaceEntry(idx, turn, live && { md: live.answer, thinking: live.thinkingShown });
    if (stick) this.scrollToBottom();
    this.events.changed();
  }

  setTitle(title: string): void {
    this.title.textContent = title || 'New chat';
    this.title.title = this.title.textContent;
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
    // A place above the bottom is measured with every turn of the snapshot in.
    this.settle();
    this.scroller.scrollTop = s.top;
    this.atBottom = this.computeAtBottom();
  }

  /** Renders the snapshot's older turns, newest first, for as long as the idle period lasts. */
  private renderPending(deadline?: IdleDeadline): void {
    this.idle = 0;
    const batch: TurnView[] = [];
    // Building turns is most of the cost; placing them as one batch keeps it to one layout.
    while (this.pending.length && (!deadline || batch.length === 0 || deadline.timeRemaining() > 1)) batch.unshift(this.pending.pop()!);
    this.keepingPlace(() => this.prepend(batch));
    if (this.pending.length) this.idle = requestIdleCallback((d) => this.renderPending(d), { timeout: PENDING_TIMEOUT_MS });
    else this.speak();
  }

  /** Before anything changes the turns: the snapshot's older turns go in now, so every change sees all of them. */
  private settle(): void {
    if (!this.pending.length) return;
    cancelIdleCallback(this.idle);
    this.renderPending();
  }

  private cancelPending(): void {
    cancelIdleCallback(this.idle);
    this.idle = 0;
    this.pending = [];
  }

  /** The log announces additions again (see makeLog). */
  private speak(): void {
    this.log.setAttribute('aria-live', 'polite');
  }

  /** Puts turns above the shown ones; their code is highlighted when it scrolls near. */
  private prepend(turns: TurnView[]): void {
    const frag = document.createDocumentFragment();
    const added = turns.map((t) => {
      const e = this.makeEntry(t, 'when-visible');
      frag.appendChild(e.el);
      return e;
    });
    this.log.insertBefore(frag, this.log.firstChild);
    this.entries = [...added, ...this.entries];
  }

  /** Runs a change above what the user looks at, and keeps that in place. */
  private keepingPlace(change: () => void): void {
    const before = this.scroller.scrollHeight;
    const top = this.scroller.scrollTop;
    change();
    this.scroller.scrollTop = top + (this.scroller.scrollHeight - before);
    this.atBottom = this.computeAtBottom();
  }

  private makeEntry(turn: TurnView, highlight: Highlight): Entry {
    const user = userArticle(turn, this.ctx);
    const md = new MarkdownView(markdownActions(this.ctx, turn.id), highlight === 'when-visible' ? this.highlighter.render : undefined);
    const assistant = this.answer(turn, md);
    const el = h('div', { class: 'turn', 'data-turn-id': turn.id }, user, assistant);
    const entry: Entry = { turn, el, user, assistant };
    if (turn.status === 'streaming') this.goLive(entry, md);
    return entry;
  }

  /**
   * The answer's article in `md`, below `thinking` (a live turn's block) or the record's own closed block;
   * a streaming answer shows what came so far, or that it waits (its block comes with its reasoning).
   */
  private answer(turn: TurnView, md: MarkdownView, thinking?: ThinkingView): HTMLElement {
    if (turn.status === 'streaming') md.update(turn.answer, true);
    const block = thinking ?? (turn.status === 'streaming' ? null : finishedThinking(turn, markdownActions(this.ctx, turn.id)));
    const assistant = assistantArticle(turn, this.ctx, md, block);
    if (turn.status === 'streaming' && !turn.answer) md.el.after(h('p', { class: 'muted waiting' }, 'Waiting for the model…'));
    return assistant;
  }

  private goLive(entry: Entry, md: MarkdownView): void {
    this.stopLive();
    const thinking = (): ThinkingView => {
      const view = new ThinkingView(markdownActions(this.ctx, entry.turn.id));
      md.el.before(view.el);
      return view;
    };
    const turn = new LiveTurn(entry.turn.id, { answer: md, thinking }, entry.turn, () => {
      const stick = this.atBottom;
      entry.assistant.querySelector('.waiting')?.remove();
      if (stick) this.scrollToBottom();
    });
    this.live = { entry, turn };
  }

  private stopLive(): void {
    this.live?.turn.stop();
    this.live = undefined;
  }

  /**
   * Re-renders one turn from a new record, into `streamed` when given (the views that streamed it, whose
   * blocks and open state are kept). The user message is kept unless what it shows changed.
   */
  private replaceEntry(idx: number, turn: TurnView, streamed?: { md: MarkdownView; thinking: ThinkingView | undefined }): void {
    const entry = this.entries[idx]!;
    const old = entry.turn;
    if (this.live?.entry === entry) this.stopLive();
    const userChanged = old.question !== turn.question || old.siblingIndex !== turn.siblingIndex || old.siblingCount !== turn.siblingCount
      || old.createdAt !== turn.createdAt || old.attachments.length !== turn.attachments.length;
    if (userChanged) {
      const user = userArticle(turn, this.ctx);
      entry.el.replaceChild(user, entry.user);
      entry.user = user;
    }
    const focused = entry.assistant.contains(document.activeElement) ? (document.activeElement as HTMLElement).getAttribute('aria-label') : null;
    const view = streamed?.md ?? new MarkdownView(markdownActions(this.ctx, turn.id));
    const assistant = this.answer(turn, view, streamed?.thinking);
    entry.el.replaceChild(assistant, entry.assistant);
    entry.assistant = assistant;
    entry.turn = turn;
    if (turn.status === 'streaming') this.goLive(entry, view);
    if (focused) {
      const again = [...assistant.querySelectorAll<HTMLElement>('button')].find((b) => b.getAttribute('aria-label') === focused);
      (again ?? assistant.querySelector<HTMLElement>('button'))?.focus();
    }
  }

  private dropFrom(idx: number): void {
    for (const e of this.entries.slice(idx)) {
      if (this.live?.entry === e) this.stopLive();
      e.el.remove();
    }
    this.entries.length = Math.max(0, idx);
    this.highlighter.sweep();
  }

  /** Keeps the DOM bounded in a long session: the oldest turns go, and "Load earlier" brings them back. */
  private trim(): void {
    const extra = this.entries.length - MAX_TURNS_IN_DOM;
    if (extra <= 0 || !this.atBottom) return;
    for (const e of this.entries.splice(0, extra)) e.el.remove();
    this.highlighter.sweep();
    this.hasEarlier = true;
  }

  private requestEarlier(): void {
    this.settle();
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
}

/** polite: a finished answer is read once; the streaming article is aria-busy meanwhile, so no per-token chatter. */
function makeLog(live: 'polite' | 'off'): HTMLElement {
  return h('div', { class: 'log', role: 'log', 'aria-live': live, 'aria-relevant': 'additions', 'aria-label': 'Chat transcript' });
}
