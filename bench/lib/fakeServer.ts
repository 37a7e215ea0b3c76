// The fake Responses server for bench/vscode.mjs (ESM, not bundled), plus a tap that records when the
// server writes each output_text delta: it wraps `write` on the SSE responses of this process only.
import http from 'node:http';

export { startFakeServer } from '../../test/support/fakeResponsesServer';

export interface DeltaWrite {
  /** performance.timeOrigin + performance.now() at the write call, ms since the epoch. */
  t: number;
  responseId: string;
  seq: number;
  delta: string;
}

/** Starts recording delta writes of every SSE response in this process; returns the list and an undo. */
export function tapDeltaWrites(): { writes: DeltaWrite[]; restore(): void } {
  const writes: DeltaWrite[] = [];
  const proto = http.ServerResponse.prototype as unknown as { write: (...a: unknown[]) => boolean };
  const original = proto.write;
  const ids = new WeakMap<object, string>();
  proto.write = function (this: http.ServerResponse, ...args: unknown[]) {
    const chunk = args[0];
    if (typeof chunk === 'string' && chunk.startsWith('event: ')) {
      const t = performance.timeOrigin + performance.now();
      const data = /\ndata: (.*)\n/.exec(chunk)?.[1];
      if (data && chunk.startsWith('event: response.created')) ids.set(this, JSON.parse(data).response.id);
      else if (data && chunk.startsWith('event: response.output_text.delta')) {
        const ev = JSON.parse(data) as { sequence_number: number; delta: string };
        writes.push({ t, responseId: ids.get(this) ?? '', seq: ev.sequence_number, delta: ev.delta });
      }
    }
    return original.apply(this, args);
  };
  return { writes, restore: () => void (proto.write = original) };
}
