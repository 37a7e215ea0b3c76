// The chat archive: a versioned JSON file holding whole conversations (every branch, every turn record),
// written by "Export All Chats…" and read back by archiveReader.ts, then merged by archiveMerge.ts.
import type { Conversation, ConversationMeta } from './conversation';
import type { Turn } from './types';

export const ARCHIVE_FORMAT = 'threadline-chats';
export const ARCHIVE_VERSION = 1;

/** A conversation's header in an archive: its metadata and the head of its active path. */
export type ArchivedSummary = ConversationMeta & { headId: string | null };

/** The workspace a conversation belongs to, in an archive of every workspace's chats. */
export interface ArchivedWorkspace {
  key: string;
  /** The folder names. */
  name: string;
}

export interface ArchivedConversation {
  summary: ArchivedSummary;
  /** Every turn of every branch, each parent before its children. */
  turns: Turn[];
  /** Absent in an archive of one workspace (the source's); conversation ids are unique per workspace. */
  workspace?: ArchivedWorkspace;
}

export interface ArchiveSource {
  workspaceKey: string;
  /** The folder names, for people choosing what to import. */
  workspaceName: string;
  /** The base URL the response ids belong to (no credentials, query or fragment). */
  endpoint: string;
}

export interface ChatArchive {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  /** ISO 8601. */
  exportedAt: string;
  source: ArchiveSource;
  conversations: ArchivedConversation[];
}

/** The endpoint without credentials, query or fragment: all that an archive needs to tell endpoints apart. */
export function publicEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint.trim());
    return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/** Each parent before its children, otherwise in the given order. Assumes a checked tree (no cycles). */
export function parentsFirst(turns: readonly Turn[]): Turn[] {
  const byId = new Map(turns.map((t) => [t.id, t]));
  const placed = new Set<string>();
  const out: Turn[] = [];
  for (const turn of turns) {
    const pending: Turn[] = [];
    for (let t: Turn | undefined = turn; t && !placed.has(t.id); t = t.parentId === null ? undefined : byId.get(t.parentId)) {
      pending.push(t);
      placed.add(t.id);
    }
    out.push(...pending.reverse());
  }
  return out;
}

function archived(c: Conversation, workspace?: ArchivedWorkspace): ArchivedConversation {
  return {
    summary: { ...c.meta, headId: c.headId },
    turns: parentsFirst(c.allTurns()).map((t) => (t.status === 'streaming' ? { ...t, status: 'interrupted' } : { ...t })),
    ...(workspace ? { workspace: { ...workspace } } : {}),
  };
}

/** An archive of `conversations`; a turn still streaming is written as interrupted, as a reload would find it. */
export function buildArchive(source: ArchiveSource, conversations: readonly Conversation[], now: Date): ChatArchive {
  return buildWorkspacesArchive(source, [{ conversations }], now);
}

/** An archive of several workspaces' conversations, each marked with its workspace (unless `workspace` is absent). */
export function buildWorkspacesArchive(
  source: ArchiveSource,
  groups: readonly { workspace?: ArchivedWorkspace; conversations: readonly Conversation[] }[],
  now: Date,
): ChatArchive {
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: now.toISOString(),
    source: { ...source, endpoint: publicEndpoint(source.endpoint) },
    conversations: groups.flatMap((g) => g.conversations.map((c) => archived(c, g.workspace))),
  };
}
