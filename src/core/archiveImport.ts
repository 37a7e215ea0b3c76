// Imports a checked archive into a workspace's store: plan (archiveMerge.ts), build the merged
// conversations in memory, then write them all at once (ConversationStore.writeConversations: write, then
// switch). Turns whose response ids came from another endpoint are marked, so the first follow-up replays.
import { type ArchivedConversation, type ArchivedWorkspace, type ChatArchive, publicEndpoint } from './archive';
import { planMerge } from './archiveMerge';
import { Conversation } from './conversation';
import type { ConversationStore, StagedWrite } from './store/conversationStore';
import type { Turn } from './types';

export interface ImportResult {
  created: number;
  /** Conversations that were here and gained turns. */
  extended: number;
  unchanged: number;
  turns: number;
  /** Of the created and extended, those written to other workspaces (an archive of every workspace's chats). */
  elsewhere: number;
}

/**
 * The store a conversation marked with another workspace goes to, or undefined for the importing one (it
 * is this workspace, under its key or an alias).
 */
export type StoreFor = (workspace: ArchivedWorkspace) => Promise<ConversationStore | undefined>;

interface Group {
  store: ConversationStore;
  here: boolean;
  conversations: ArchivedConversation[];
}

/**
 * Merges `archive` into `here` (and, for conversations marked with another workspace, that workspace's
 * store); importing the same archive again writes nothing. Everything is written before anything is
 * switched in, so a failure while writing changes nothing.
 */
export async function importArchive(here: ConversationStore, archive: ChatArchive, endpoint: string, storeFor?: StoreFor): Promise<ImportResult> {
  const groups = new Map<ConversationStore, Group>([[here, { store: here, here: true, conversations: [] }]]);
  for (const c of archive.conversations) {
    const store = (c.workspace && (await storeFor?.(c.workspace))) || here;
    const group = groups.get(store) ?? { store, here: false, conversations: [] };
    groups.set(store, group);
    group.conversations.push(c);
  }
  const result: ImportResult = { created: 0, extended: 0, unchanged: 0, turns: 0, elsewhere: 0 };
  const staged: StagedWrite[] = [];
  try {
    for (const g of groups.values()) {
      const write = await mergedConversations(g.store, { ...archive, conversations: g.conversations }, endpoint, result);
      if (!g.here) result.elsewhere += write.length;
      staged.push(await g.store.stageConversations(write));
    }
  } catch (e) {
    for (const s of staged) await s.discard();
    throw e;
  }
  for (const s of staged) await s.commit();
  return result;
}

/** The conversations to write into `store`: new ones whole, known ones with the archive's new turns. */
async function mergedConversations(store: ConversationStore, archive: ChatArchive, endpoint: string, counts: ImportResult): Promise<Conversation[]> {
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
  counts.created += plan.create.length;
  counts.extended += plan.append.length;
  counts.unchanged += plan.unchanged.length;
  counts.turns += plan.turnCount;
  const untrusted = new Set(plan.untrustedResponseIds);
  const from = publicEndpoint(archive.source.endpoint);
  const mark = (t: Turn): Turn => (t.responseId && untrusted.has(t.responseId) ? { ...t, importedFrom: t.importedFrom ?? from } : t);
  return [
    ...plan.create.map((c) => conversationOf(c, mark)),
    ...plan.append.map(({ conversationId, turns }) => {
      const conv = existing.get(conversationId)!;
      const head = conv.headId;
      for (const t of turns) conv.put(mark(t));
      conv.setHead(head);
      return conv;
    }),
  ];
}

function conversationOf(c: ArchivedConversation, mark: (t: Turn) => Turn): Conversation {
  const { headId, ...meta } = c.summary;
  const conv = new Conversation(meta);
  for (const t of c.turns) conv.put(mark(t));
  conv.setHead(headId);
  return conv;
}
