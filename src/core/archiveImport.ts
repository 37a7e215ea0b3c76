// Imports a checked archive into a workspace's store: plan (archiveMerge.ts), build the merged
// conversations in memory, then write them all at once (ConversationStore.writeConversations: write, then
// switch). Turns whose response ids came from another endpoint are marked, so the first follow-up replays.
import { type ArchivedConversation, type ChatArchive, publicEndpoint } from './archive';
import { planMerge } from './archiveMerge';
import { Conversation } from './conversation';
import type { ConversationStore } from './store/conversationStore';
import type { Turn } from './types';

export interface ImportResult {
  created: number;
  /** Conversations that were here and gained turns. */
  extended: number;
  unchanged: number;
  turns: number;
}

/** Merges `archive` into `store`; importing the same archive again writes nothing. */
export async function importArchive(store: ConversationStore, archive: ChatArchive, endpoint: string): Promise<ImportResult> {
  const ids = new Set(store.list().map((c) => c.id));
  const existing = new Map<string, Conversation>();
  for (const c of archive.conversations) {
    const conv = ids.has(c.summary.id) ? await store.load(c.summary.id) : undefined;
    if (conv) existing.set(conv.id, conv);
  }
  const plan = planMerge(
    [...existing.values()].map((c) => ({ id: c.id, turnIds: new Set(c.allTurns().map((t) => t.id)) })),
    archive,
    endpoint,
  );
  const untrusted = new Set(plan.untrustedResponseIds);
  const from = publicEndpoint(archive.source.endpoint);
  const mark = (t: Turn): Turn => (t.responseId && untrusted.has(t.responseId) ? { ...t, importedFrom: t.importedFrom ?? from } : t);
  const write = [
    ...plan.create.map((c) => conversationOf(c, mark)),
    ...plan.append.map(({ conversationId, turns }) => {
      const conv = existing.get(conversationId)!;
      const head = conv.headId;
      for (const t of turns) conv.put(mark(t));
      conv.setHead(head);
      return conv;
    }),
  ];
  await store.writeConversations(write);
  return { created: plan.create.length, extended: plan.append.length, unchanged: plan.unchanged.length, turns: plan.turnCount };
}

function conversationOf(c: ArchivedConversation, mark: (t: Turn) => Turn): Conversation {
  const { headId, ...meta } = c.summary;
  const conv = new Conversation(meta);
  for (const t of c.turns) conv.put(mark(t));
  conv.setHead(headId);
  return conv;
}
