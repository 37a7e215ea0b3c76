// The Thinking block above an answer: a toggle button and the reasoning summary (model output, so it goes
// through the same safe Markdown renderer as answers). While the model reasons the toggle reads
// "Thinking… N s" and ticks each second by changing only its own text; once the answer starts, or the turn
// ends, it reads "Thought for N s". It is open while reasoning streams and closes when the answer starts,
// unless the user toggled it: then their choice holds for the rest of the turn.
import type { TurnView } from '../../shared/protocol';
import { thinkingSeconds } from '../../shared/thinkingTime';
import { h, icon } from '../dom';
import { MarkdownView, type MarkdownActions } from '../render/markdown';

let ids = 0;

export class ThinkingView {
  readonly el: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly label: HTMLElement;
  private readonly body: HTMLElement;
  private readonly md: MarkdownView;
  private readonly empty: HTMLElement;
  private userToggled = false;
  /** Not started yet, reasoning since an epoch ms, or done. */
  private state: 'new' | number | 'done' = 'new';
  private timer = 0;

  constructor(actions: MarkdownActions) {
    const bodyId = `thinking-${++ids}`;
    this.label = h('span', { class: 'btn-text' });
    this.toggle = h('button', { type: 'button', class: 'btn thinking-toggle', 'aria-expanded': 'false', 'aria-controls': bodyId },
      icon('chevron-right', 'thinking-chevron'), this.label);
    this.toggle.addEventListener('click', (ev) => {
      ev.preventDefault();
      this.userToggled = true;
      this.setOpen(!this.open);
    });
    this.md = new MarkdownView(actions);
    this.empty = h('p', { class: 'muted thinking-empty' }, 'The model shared no summary of its reasoning.');
    this.body = h('div', { class: 'thinking-body', id: bodyId, hidden: true }, this.md.el);
    this.el = h('div', { class: 'thinking' }, this.toggle, this.body);
  }

  get open(): boolean {
    return this.toggle.getAttribute('aria-expanded') === 'true';
  }

  /** The model reasons (from `since`, epoch ms): "Thinking… N s", open unless the user closed it. */
  reasoning(since: number): void {
    if (this.state !== 'new') return;
    this.state = since;
    this.tick();
    this.timer = window.setInterval(() => this.tick(), 1000);
    if (!this.userToggled) this.setOpen(true);
  }

  /** The summary so far (or the final one), rendered into the block's Markdown view. */
  update(summary: string, streaming: boolean): void {
    this.md.update(summary, streaming);
    if (streaming || summary.trim()) this.empty.remove();
    else this.body.appendChild(this.empty);
  }

  /** The answer started: reasoning is over; the block closes unless the user toggled it. */
  answerStarted(): void {
    if (this.state === 'done') return;
    this.done(this.elapsed());
    if (!this.userToggled) this.setOpen(false);
  }

  /**
   * The final record. A live block keeps its open state (an answerless turn, e.g. stopped while reasoning,
   * keeps its summary in view); a block built from a record starts closed.
   */
  finish(turn: TurnView): void {
    const live = this.state !== 'new';
    this.update(turn.reasoningSummary ?? '', false);
    if (this.state !== 'done' || turn.reasoningMs !== undefined) this.done(turn.reasoningMs ?? this.elapsed());
    if (live && turn.answer.trim() && !this.userToggled) this.setOpen(false);
  }

  /** Stops the ticking (the turn left the view). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = 0;
  }

  /** How long it has reasoned so far (ms), if that is known. */
  private elapsed(): number | undefined {
    return typeof this.state === 'number' ? Math.max(0, Date.now() - this.state) : undefined;
  }

  private done(ms: number | undefined): void {
    this.stop();
    this.state = 'done';
    this.label.textContent = ms === undefined ? 'Thought' : `Thought for ${thinkingSeconds(ms)} s`;
  }

  private tick(): void {
    const ms = this.elapsed();
    if (ms !== undefined) this.label.textContent = `Thinking… ${Math.floor(ms / 1000)} s`;
  }

  private setOpen(open: boolean): void {
    this.toggle.setAttribute('aria-expanded', String(open));
    this.body.hidden = !open;
  }
}

/** A finished turn's closed block, or null when the turn did not reason (no summary, no thinking time). */
export function finishedThinking(turn: TurnView, actions: MarkdownActions): ThinkingView | null {
  if (!turn.reasoningSummary && turn.reasoningMs === undefined) return null;
  const view = new ThinkingView(actions);
  view.finish(turn);
  return view;
}
