// Merges a parsed archive into the conversations here, by conversation id and turn id, so importing the
// same file twice changes nothing the second time.
import { type ArchivedConversation, type ChatArchive, publicEndpoint } from './archive';
import type { Turn } from './types';

/** What the store holds of a conversation that an archive may also hold. */
export interface ExistingConversation {
  id: string;
  turnIds: ReadonlySet<string>;
}

export interface MergePlan {
  /** Conversations that are not here: created whole, with the archive's active path. */
  create: ArchivedConversation[];
  /** New turns for conversations that are here, parents first; the local turns and active path stay as they are. */
  append: { conversationId: string; turns: Turn[] }[];
  /** Conversations that the archive adds nothing to. */
  unchanged: string[];
  /**
   * Response ids among the turns to write that the importing endpoint must not chain from, because they
   * were made on another endpoint: the host marks them, so the first follow-up replays the transcript
   * (and the turn details say it was imported). Empty when the endpoints are the same. Another account
   * on the same endpoint cannot be told apart (an archive holds no key): its first follow-up meets
   * previous_response_not_found and replays as "forgotten", as any chain the server lost does.
   */
  untrustedResponseIds: string[];
  /** Turns to write, over create and append. */
  turnCount: number;
}

/**
 * How to merge a parsed archive into the conversations here. A turn or conversation that is already here
 * is never overwritten: the local transcript is the truth. So a second import of the same file plans nothing.
 */
export function planMerge(existing: readonly ExistingConversation[], archive: ChatArchive, targetEndpoint: string): MergePlan {
  const here = new Map(existing.map((c) => [c.id, c.turnIds]));
  const plan: MergePlan = { create: [], append: [], unchanged: [], untrustedResponseIds: [], turnCount: 0 };
  const source = publicEndpoint(archive.source.endpoint);
  const trusted = source !== '' && source === publicEndpoint(targetEndpoint);
  const write = (turns: Turn[]) => {
    plan.turnCount += turns.length;
    if (!trusted) plan.untrustedResponseIds.push(...turns.flatMap((t) => (t.responseId ? [t.responseId] : [])));
  };
  for (const c of archive.conversations) {
    const known = here.get(c.summary.id);
    if (!known) {
      plan.create.push(c);
      write(c.turns);
      continue;
    }
    const fresh = c.turns.filter((t) => !known.has(t.id));
    if (!fresh.length) {
      plan.unchanged.push(c.summary.id);
      continue;
    }
    plan.append.push({ conversationId: c.summary.id, turns: fresh });
    write(fresh);
  }
  return plan;
}
