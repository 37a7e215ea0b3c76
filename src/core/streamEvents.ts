// What a streamed answer tells as it arrives, as one union through one callback: the client emits it,
// the turn runner adds `reset`, the session forwards the deltas to the view. A new streamed part (say
// reasoning) is a member here, a case in the client's SSE switch and in `deltaPart`, a `StreamPart` in
// the protocol and a renderer in the webview.
import type { StreamPart } from '../shared/protocol';
import type { Usage } from './types';

export type StreamEvent =
  /** The server announced the response id. */
  | { type: 'created'; responseId: string }
  /** Text that extends the answer. */
  | { type: 'text.delta'; text: string }
  /**
   * Text that extends the reasoning summary; a new summary part starts with a blank line. A reasoning item
   * that starts sends one with empty text, so the view shows "Thinking" even for a model without summaries.
   */
  | { type: 'reasoning.delta'; text: string }
  /** An output item (a message, later a reasoning summary) is complete. */
  | { type: 'item.done'; itemType: string }
  /** Token counts, from the terminal event. */
  | { type: 'usage'; usage: Usage }
  /** Everything streamed so far is void: the answer starts again (a replay after a broken chain). */
  | { type: 'reset'; reason: string };

export type StreamListener = (event: StreamEvent) => void;

/** The part of the live turn a delta event extends, with its text; undefined for other events. */
export function deltaPart(e: StreamEvent): { part: StreamPart; text: string } | undefined {
  switch (e.type) {
    case 'text.delta':
      return { part: 'text', text: e.text };
    case 'reasoning.delta':
      return { part: 'reasoning', text: e.text };
    case 'created':
    case 'item.done':
    case 'usage':
    case 'reset':
      return undefined;
    default:
      return unreachable(e);
  }
}

function unreachable(e: never): never {
  throw new Error(`unhandled stream event ${JSON.stringify(e)}`);
}
