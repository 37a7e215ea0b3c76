// Which workspaces have history, under which keys, and what they look like: the record behind the storage
// layout's version 2 (history keyed by project identity, workspaceIdentity.ts). Version 1 keyed history by
// folder URIs and kept no registry; `migrateWorkspace` moves such history to the new key without loss,
// and the old key stays listed as an alias. The registry also answers "which other workspaces look like
// this project" (Bring over) and "where can a chat be moved" (listed by folder names).
import * as v from 'valibot';
import { looksLikeSameProject, type ProjectIdentity, type ProjectSignature, type SameProjectReason } from '../workspaceIdentity';
import { workspaceIndexSchema, type WorkspaceIndex } from '../schemas';
import { indexKey } from './conversationStore';
import { type FileSystemPort, join } from './fileSystem';
import type { MementoLike } from './memento';

export const REGISTRY_KEY = 'threadline.workspaces';
export const STORAGE_LAYOUT_VERSION = 2;

const signatureSchema = v.object({ repositories: v.array(v.string()), folderNames: v.array(v.string()) });
const recordSchema = v.object({
  /** The folder names, for people. */
  name: v.string(),
  /** Keys this workspace's history was stored under before (the v1 URI key, the key before git answered). */
  aliases: v.array(v.string()),
  signature: signatureSchema,
  seenAt: v.number(),
});
const registrySchema = v.object({ v: v.literal(STORAGE_LAYOUT_VERSION), workspaces: v.record(v.string(), recordSchema) });

export type WorkspaceRecord = v.InferOutput<typeof recordSchema>;
type Registry = v.InferOutput<typeof registrySchema>;

export interface WorkspaceDescription {
  name: string;
  signature: ProjectSignature;
}

/** Another workspace, as the portability commands list it. */
export interface OtherWorkspace {
  key: string;
  name: string;
  chats: number;
  /** Set when it looks like the same project as this one. */
  sameProject?: SameProjectReason;
}

const TRANSCRIPT = '.jsonl';

function readRegistry(memento: MementoLike): Registry {
  const r = v.safeParse(registrySchema, memento.get<unknown>(REGISTRY_KEY));
  return r.success ? r.output : { v: STORAGE_LAYOUT_VERSION, workspaces: {} };
}

function readIndex(memento: MementoLike, key: string): WorkspaceIndex | undefined {
  const r = v.safeParse(workspaceIndexSchema, memento.get<unknown>(indexKey(key)));
  return r.success ? r.output : undefined;
}

/** How many chats a workspace's index lists. */
export function chatCount(memento: MementoLike, key: string): number {
  return Object.keys(readIndex(memento, key)?.conversations ?? {}).length;
}

/**
 * Moves the history stored under the identity's aliases to its key, then records the workspace. Transcripts
 * move first and the index after, so a crash in between leaves transcripts that the store lists again on
 * open (it rebuilds a missing index and relists orphans); nothing is copied twice and nothing is dropped.
 */
export async function migrateWorkspace(
  fs: FileSystemPort,
  storageRoot: string,
  memento: MementoLike,
  identity: ProjectIdentity,
  described: WorkspaceDescription,
  now = Date.now(),
): Promise<{ moved: number }> {
  const dirOf = (key: string) => join(storageRoot, 'conversations', key);
  const target = dirOf(identity.key);
  let moved = 0;
  for (const alias of identity.aliases) {
    const files = (await fs.list(dirOf(alias))).filter((f) => f.endsWith(TRANSCRIPT));
    const old = readIndex(memento, alias);
    if (!files.length && !old) continue;
    await fs.mkdirp(target);
    const here = new Set(await fs.list(target));
    for (const f of files) {
      if (here.has(f)) continue; // Already moved by an earlier, interrupted run.
      await fs.rename(join(dirOf(alias), f), join(target, f));
      moved++;
    }
    const present = new Set(await fs.list(target));
    const index: WorkspaceIndex = readIndex(memento, identity.key) ?? { v: 1, activeId: null, conversations: {} };
    for (const [id, entry] of Object.entries(old?.conversations ?? {})) {
      if (present.has(`${id}${TRANSCRIPT}`)) index.conversations[id] ??= entry;
    }
    if (index.activeId === null && old?.activeId && index.conversations[old.activeId]) index.activeId = old.activeId;
    index.rev = Math.max(index.rev ?? 0, old?.rev ?? 0) + 1;
    await memento.update(indexKey(identity.key), index);
    if (old) await memento.update(indexKey(alias), undefined);
  }
  const registry = readRegistry(memento);
  const before = registry.workspaces[identity.key];
  for (const alias of identity.aliases) delete registry.workspaces[alias];
  registry.workspaces[identity.key] = {
    name: described.name,
    aliases: [...new Set([...(before?.aliases ?? []), ...identity.aliases])],
    signature: described.signature,
    seenAt: now,
  };
  await memento.update(REGISTRY_KEY, registry);
  return { moved };
}

/**
 * Lists a workspace known only by an archive (its key and folder names), so its imported chats can be
 * found and moved; a workspace already listed keeps its record. Its signature is what the name tells.
 */
export async function registerWorkspace(memento: MementoLike, key: string, name: string, now = Date.now()): Promise<void> {
  const registry = readRegistry(memento);
  if (registry.workspaces[key]) return;
  const folderNames = [...new Set(name.split(', ').map((n) => n.trim().toLowerCase()).filter(Boolean))].sort();
  registry.workspaces[key] = { name, aliases: [], signature: { repositories: [], folderNames }, seenAt: now };
  await memento.update(REGISTRY_KEY, registry);
}

/** The other workspaces with chats (or all of them), those that look like this project first. */
export function otherWorkspaces(memento: MementoLike, key: string, signature: ProjectSignature, o: { includeEmpty?: boolean } = {}): OtherWorkspace[] {
  const registry = readRegistry(memento);
  return Object.entries(registry.workspaces)
    .filter(([k]) => k !== key)
    .map(([k, r]): OtherWorkspace => ({ key: k, name: r.name, chats: chatCount(memento, k), sameProject: looksLikeSameProject(signature, r.signature) }))
    .filter((w) => o.includeEmpty || w.chats > 0)
    .sort((a, b) => Number(!!b.sameProject) - Number(!!a.sameProject) || a.name.localeCompare(b.name));
}
