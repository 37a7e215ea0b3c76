// Turns and attachments -> Responses API `input`.
import { renderAttachment } from './attachments';
import { modelFacts } from './models';
import type { Attachment, OutputItem, ReplayFidelity, Turn } from './types';

/** An input message in the plain form of `EasyInputMessage`; valid against `CreateResponse`. */
export interface InputMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** The user message for one turn: the question, then each attachment as its kind renders it. */
export function renderUserMessage(question: string, attachments: readonly Attachment[]): string {
  const parts = [question.trim(), ...attachments.map(renderAttachment)].filter((p) => p.length > 0);
  return parts.join('\n\n');
}

/** A stored output item sent back as it came (a reasoning item, a message with its phase, a compaction). */
export type InputItem = InputMessage | OutputItem;

export function turnInput(turn: Pick<Turn, 'question' | 'attachments'>): InputMessage[] {
  return [{ role: 'user', content: renderUserMessage(turn.question, turn.attachments) }];
}

/**
 * The whole context as plain messages, for recovery and `local` mode: each earlier completed turn as a
 * user and an assistant message, then the new turn.
 */
export function replayInput(context: readonly Turn[], turn: Pick<Turn, 'question' | 'attachments'>): InputMessage[] {
  const history = context.flatMap((t): InputMessage[] => [
    ...turnInput(t),
    { role: 'assistant', content: t.answer },
  ]);
  return [...history, ...turnInput(turn)];
}

/** The item types a lossless replay sends back; others (tool calls Threadline never makes) are left out. */
const REPLAYED_ITEMS = new Set(['reasoning', 'message', 'compaction']);

/**
 * A turn's stored output, as items the model accepts back, or undefined when it cannot be sent as items: no
 * output stored (a version 1 transcript), a reasoning item without its encrypted content, or reasoning from
 * another model family (its encrypted content would be refused).
 */
function outputItems(t: Turn, model: string): OutputItem[] | undefined {
  const items = t.output?.filter((i) => REPLAYED_ITEMS.has(i.type));
  if (!items?.some((i) => i.type === 'message')) return undefined;
  const reasoning = items.filter((i) => i.type === 'reasoning');
  if (reasoning.some((i) => typeof i.encrypted_content !== 'string')) return undefined;
  if (reasoning.length > 0 && !sameFamily(t.model, model)) return undefined;
  return items;
}

function sameFamily(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  return a === b || (modelFacts(a).family ?? a) === (modelFacts(b).family ?? b);
}

/**
 * The earlier turns for a replay, without loss where the stored items allow it: each turn's user message,
 * then its output items as the API returned them (so a reasoning item stays just before the item that
 * followed it), or a plain assistant message for a turn without usable items. A compacted context
 * ("Compact and continue") or a compaction item in an output stands for everything before it.
 * `fidelity` is `items` only when every earlier answer went as its items.
 */
export function losslessHistory(context: readonly Turn[], model: string): { input: InputItem[]; fidelity: ReplayFidelity } {
  let input: InputItem[] = [];
  let allItems = true;
  for (const t of context) {
    if (t.compacted) input = [...t.compacted];
    const items = outputItems(t, model);
    const compaction = items?.findIndex((i) => i.type === 'compaction') ?? -1;
    if (items && compaction >= 0) {
      input = items.slice(compaction);
      continue;
    }
    input.push(...turnInput(t));
    if (items) input.push(...items);
    else {
      allItems = false;
      input.push({ role: 'assistant', content: t.answer });
    }
  }
  return { input, fidelity: allItems ? 'items' : 'text' };
}

/** The lossless history, then the new turn. */
export function losslessReplayInput(
  context: readonly Turn[],
  turn: Pick<Turn, 'question' | 'attachments'>,
  model: string,
): { input: InputItem[]; fidelity: ReplayFidelity } {
  const { input, fidelity } = losslessHistory(context, model);
  return { input: [...input, ...turnInput(turn)], fidelity };
}
