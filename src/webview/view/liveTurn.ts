// The turn being streamed. Its parts (StreamPart: the answer's text, the reasoning summary) collect their
// deltas, and each part re-renders at most about once per animation frame, never inside the message
// handler. A new streamed part is one StreamPart
// member and one case in `view`, `arrived` and `finalText` below (where its view goes in the article, what
// its delta means at once, and what the final record says).
import type { StreamPart, TurnView } from '../../shared/protocol';
import type { MarkdownView } from '../render/markdown';
import type { ThinkingView } from './thinking';

interface Part {
  text: string;
  rendered: string;
}

/** A delta this long after the last render renders in the next task; sooner, it waits for the frame. */
const QUIET_MS = 8;

/** A render waiting for the next task, or for the next frame. */
type Pending = { kind: 'task'; id: ReturnType<typeof setTimeout> } | { kind: 'frame'; id: number };

/** Where the live turn's parts are shown. */
export interface LiveViews {
  /** The answer's text, already in the article. */
  readonly answer: MarkdownView;
  /** The Thinking block, put above the answer the first time it is asked for. */
  thinking(): ThinkingView;
}

export class LiveTurn {
  private readonly parts = new Map<StreamPart, Part>();
  private pending: Pending | undefined;
  private lastFlush = -Infinity;
  private thinkingView: ThinkingView | undefined;

  /**
   * `soFar` is the turn as the host last recorded it (a reload can come mid-turn); `rendered` runs after a
   * frame that changed what is shown.
   */
  constructor(readonly turnId: string, private readonly views: LiveViews, soFar: TurnView, private readonly rendered: () => void) {
    this.parts.set('text', { text: soFar.answer, rendered: soFar.answer });
    const summary = soFar.reasoningSummary;
    if (summary) {
      this.parts.set('reasoning', { text: summary, rendered: summary });
      this.thinking.update(summary, true);
      if (soFar.answer) this.thinking.answerStarted();
      else this.thinking.reasoning(soFar.createdAt);
    }
  }

  get answer(): MarkdownView {
    return this.views.answer;
  }

  /** The Thinking block, once the turn has one. */
  get thinkingShown(): ThinkingView | undefined {
    return this.thinkingView;
  }

  append(part: StreamPart, text: string): void {
    this.view(part); // a part without a view fails here, in the message's handler, not in every frame after
    this.arrived(part, text);
    const p = this.parts.get(part) ?? { text: '', rendered: '' };
    p.text += text;
    this.parts.set(part, p);
    this.schedule();
  }

  /**
   * A delta after a quiet spell renders in the next task rather than at the next frame: at a model's pace
   * (one delta every 20 ms or so, jittered by VS Code's message path) that saves up to a frame of latency
   * per delta. Half a frame, not a whole one: two deltas 10 ms apart are the pace, not a burst. A burst
   * still renders once per frame.
   */
  private schedule(): void {
    if (this.pending) return;
    this.pending = performance.now() - this.lastFlush >= QUIET_MS
      ? { kind: 'task', id: setTimeout(() => this.flush(), 0) }
      : { kind: 'frame', id: requestAnimationFrame(() => this.flush()) };
  }

  /**
   * The final record: every part's view is brought to its final text in place, so the blocks rendered
   * while streaming are kept (and only the last, open one is redone).
   */
  finish(turn: TurnView): void {
    this.stop();
    for (const part of this.parts.keys()) this.view(part).update(finalText(turn, part), false);
    this.thinkingView?.finish(turn);
  }

  /** Stops rendering (the turn finished, or left the view). */
  stop(): void {
    if (this.pending?.kind === 'task') clearTimeout(this.pending.id);
    if (this.pending?.kind === 'frame') cancelAnimationFrame(this.pending.id);
    this.pending = undefined;
    this.thinkingView?.stop();
  }

  private get thinking(): ThinkingView {
    if (!this.thinkingView) {
      this.thinkingView = this.views.thinking();
      this.rendered(); // the block replaces the "waiting" line
    }
    return this.thinkingView;
  }

  private flush(): void {
    this.pending = undefined;
    this.lastFlush = performance.now();
    let changed = false;
    for (const [part, p] of this.parts) {
      if (p.text === p.rendered) continue;
      this.view(part).update(p.text, true);
      p.rendered = p.text;
      changed = true;
    }
    if (changed) this.rendered();
  }

  private view(part: StreamPart): { update(src: string, streaming: boolean): void } {
    switch (part) {
      case 'text':
        return this.views.answer;
      case 'reasoning':
        return this.thinking;
      default:
        return unknownPart(part);
    }
  }

  /** What a delta means before its text is shown: reasoning (an empty one too) ticks, an answer closes it. */
  private arrived(part: StreamPart, text: string): void {
    switch (part) {
      case 'text':
        if (text) this.thinkingView?.answerStarted();
        return;
      case 'reasoning':
        this.thinking.reasoning(Date.now());
        return;
      default:
        unknownPart(part);
    }
  }
}

function finalText(turn: TurnView, part: StreamPart): string {
  switch (part) {
    case 'text':
      return turn.answer;
    case 'reasoning':
      return turn.reasoningSummary ?? '';
    default:
      return unknownPart(part);
  }
}

function unknownPart(part: never): never {
  throw new Error(`no view for the stream part ${String(part)}`);
}
