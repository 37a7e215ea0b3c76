// Backpressure for streamed deltas: one delta message is in flight to the webview at a time, and the
// deltas that arrive meanwhile are merged per (conversation, turn, part), so a fast stream never queues
// thousands of tiny messages in VS Code's IPC (which would delay every delta behind them). Parts render
// in separate places, so merging them separately keeps each part's text in order.
import type { HostToWebview } from '../shared/protocol';

type Delta = Extract<HostToWebview, { type: 'delta' }>;

export class DeltaQueue {
  private readonly pending = new Map<string, Delta>();
  private inFlight = false;

  constructor(private readonly send: (m: Delta) => PromiseLike<unknown>) {}

  push(m: Delta): void {
    const key = `${m.conversationId}\n${m.turnId}\n${m.part}`;
    const p = this.pending.get(key);
    if (p) p.text += m.text;
    else this.pending.set(key, { ...m });
    if (!this.inFlight) this.sendNext();
  }

  /** Sends everything pending now: called before any other message, which must not overtake a delta. */
  flush(): void {
    while (this.pending.size) this.sendNext();
  }

  private sendNext(): void {
    const next = this.pending.entries().next();
    if (next.done) return;
    const [key, m] = next.value;
    this.pending.delete(key);
    this.inFlight = true;
    const settled = () => {
      this.inFlight = false;
      this.sendNext();
    };
    this.send(m).then(settled, settled);
  }
}
