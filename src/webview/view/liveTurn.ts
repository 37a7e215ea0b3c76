// The turn being streamed. Its parts (StreamPart: the answer's text today) collect their deltas, and each
// part re-renders at most about once per animation frame, never inside the message handler. A new streamed part is one StreamPart member and one
// case in `view` and `finalText` below (where its view goes in the article, and what the final record says).
import type { StreamPart, TurnView } from '../../shared/protocol';
import type { MarkdownView } from '../render/markdown';

interface Part {
  text: string;
  rendered: string;
}

const FRAME_MS = 16;

/** A render waiting for the next task, or for the next frame. */
type Pending = { kind: 'task'; id: ReturnType<typeof setTimeout> } | { kind: 'frame'; id: number };

export class LiveTurn {
  private readonly parts = new Map<StreamPart, Part>();
  private pending: Pending | undefined;
  private lastFlush = -Infinity;

  /**
   * `answer` is the view of the answer's text, already in the article; `rendered` runs after a frame that
   * changed what is shown.
   */
  constructor(readonly turnId: string, readonly answer: MarkdownView, answerSoFar: string, private readonly rendered: () => void) {
    this.parts.set('text', { text: answerSoFar, rendered: answerSoFar });
  }

  append(part: StreamPart, text: string): void {
    this.view(part); // a part without a view fails here, in the message's handler, not in every frame after
    const p = this.parts.get(part) ?? { text: '', rendered: '' };
    p.text += text;
    this.parts.set(part, p);
    this.schedule();
  }

  /**
   * A delta after a quiet frame renders in the next task rather than at the next frame: at a model's pace
   * (one delta every 20 ms or so) that saves up to a frame of latency per delta. A burst still renders
   * once per frame.
   */
  private schedule(): void {
    if (this.pending) return;
    this.pending = performance.now() - this.lastFlush >= FRAME_MS
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
  }

  /** Stops rendering (the turn finished, or left the view). */
  stop(): void {
    if (this.pending?.kind === 'task') clearTimeout(this.pending.id);
    if (this.pending?.kind === 'frame') cancelAnimationFrame(this.pending.id);
    this.pending = undefined;
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

  private view(part: StreamPart): MarkdownView {
    switch (part) {
      case 'text':
        return this.answer;
      case 'reasoning':
        // Placeholder until the Thinking block (the reasoning-view branch) gives this part its view.
        throw new Error('the reasoning part has no view yet');
      default:
        return unknownPart(part);
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
