// Where this workspace's history lives and how it moves: the workspace's place (its project identity, after
// migrating older keys), export and import of archives, "Bring over" from a workspace that looks like the
// same project, and copying or moving one chat to another workspace. The rules live in src/core
// (workspaceIdentity, store/workspaceRegistry, archive*); this is the glue to the session and the stores.
import * as vscode from 'vscode';
import { type ArchivedWorkspace, buildWorkspacesArchive, type ChatArchive } from '../core/archive';
import { importArchive, type ImportResult } from '../core/archiveImport';
import { type ArchiveError, DEFAULT_ARCHIVE_LIMITS, parseArchive } from '../core/archiveReader';
import type { Conversation } from '../core/conversation';
import type { Session } from '../core/session';
import { ConversationStore } from '../core/store/conversationStore';
import { nodeFileSystem } from '../core/store/fileSystem';
import type { MementoLike } from '../core/store/memento';
import { chatCount, migrateWorkspace, type OtherWorkspace, otherWorkspaces, registerWorkspace } from '../core/store/workspaceRegistry';
import { projectIdentity, projectSignature, type ProjectSignature } from '../core/workspaceIdentity';
import { workspaceFacts, workspaceName } from './projectFacts';

/** This workspace: the key its history is stored under, its older keys, and what it looks like. */
export interface Place {
  key: string;
  aliases: readonly string[];
  name: string;
  signature: ProjectSignature;
}

export interface PortabilityDeps {
  globalState: MementoLike;
  storageRoot: string;
  session: Session;
  /** The endpoint turns are sent to now: imported response ids from another one are not chained from. */
  endpoint: () => string;
  log: vscode.LogOutputChannel;
}

export type ImportOutcome = { ok: true; result: ImportResult } | { ok: false; error: ArchiveError };

/** Finds this workspace's place and moves history stored under its older keys there. Never throws. */
export async function resolvePlace(globalState: MementoLike, storageRoot: string, log: vscode.LogOutputChannel): Promise<Place> {
  const facts = await workspaceFacts();
  const identity = projectIdentity(facts);
  const place: Place = { ...identity, name: workspaceName(), signature: projectSignature(facts) };
  try {
    const { moved } = await migrateWorkspace(nodeFileSystem, storageRoot, globalState, identity, place);
    if (moved) log.info(`moved ${moved} chats from this workspace's older keys to ${identity.key}`);
  } catch (e) {
    // The history stays under the old key, which is still an alias: the next window tries again.
    log.error(`could not move this workspace's history to its new key: ${e instanceof Error ? e.message : String(e)}`);
  }
  return place;
}

export class Portability {
  constructor(
    private readonly deps: PortabilityDeps,
    readonly place: Promise<Place>,
  ) {}

  /** A store of another workspace (or of this one, when the key is this workspace's). */
  private async storeOf(key: string): Promise<ConversationStore> {
    const place = await this.place;
    if (key === place.key) return this.deps.session.openStore();
    const store = new ConversationStore(nodeFileSystem, this.deps.storageRoot, this.deps.globalState, key);
    await store.open();
    return store;
  }

  private async conversationsOf(store: ConversationStore, ids?: readonly string[]): Promise<Conversation[]> {
    const wanted = ids ?? store.list().map((c) => c.id);
    const loaded = await Promise.all(wanted.map((id) => store.load(id)));
    return loaded.filter((c): c is Conversation => c !== undefined);
  }

  /** An archive of this workspace's chats (or some of them), or of every workspace's, each marked with its workspace. */
  async exportArchive(scope: 'workspace' | 'all', conversationIds?: readonly string[]): Promise<ChatArchive> {
    const place = await this.place;
    const source = { workspaceKey: place.key, workspaceName: place.name, endpoint: this.deps.endpoint() };
    const here = await this.conversationsOf(await this.deps.session.openStore(), conversationIds);
    if (scope === 'workspace') return buildWorkspacesArchive(source, [{ conversations: here }], new Date());
    const groups = [{ workspace: { key: place.key, name: place.name }, conversations: here }];
    for (const other of otherWorkspaces(this.deps.globalState, place.key, place.signature)) {
      groups.push({ workspace: { key: other.key, name: other.name }, conversations: await this.conversationsOf(await this.storeOf(other.key)) });
    }
    return buildWorkspacesArchive(source, groups, new Date());
  }

  /** Reads, checks and merges an archive's text; a bad file changes nothing. */
  async importText(text: string): Promise<ImportOutcome> {
    const parsed = parseArchive(text);
    if (!parsed.ok) return parsed;
    return { ok: true, result: await this.importParsed(parsed.archive) };
  }

  private async importParsed(archive: ChatArchive): Promise<ImportResult> {
    const place = await this.place;
    const mine = new Set([place.key, ...place.aliases]);
    const storeFor = async (w: ArchivedWorkspace) => {
      if (mine.has(w.key)) return undefined;
      await registerWorkspace(this.deps.globalState, w.key, w.name);
      return this.storeOf(w.key);
    };
    const result = await importArchive(await this.deps.session.openStore(), archive, this.deps.endpoint(), storeFor);
    await this.deps.session.storeChanged();
    return result;
  }

  /** The largest archive that is read at all. */
  get maxBytes(): number {
    return DEFAULT_ARCHIVE_LIMITS.maxBytes;
  }

  /** Other workspaces with chats (or all of them), those that look like this project first. */
  async otherWorkspaces(includeEmpty = false): Promise<OtherWorkspace[]> {
    const place = await this.place;
    return otherWorkspaces(this.deps.globalState, place.key, place.signature, { includeEmpty });
  }

  /** What to offer when this workspace has no chats: the workspace that looks most like this project. */
  async bringOverOffer(): Promise<OtherWorkspace | undefined> {
    const place = await this.place;
    if (chatCount(this.deps.globalState, place.key)) return undefined;
    return (await this.otherWorkspaces()).find((w) => w.sameProject);
  }

  /** Copies every chat of another workspace here (that workspace keeps its own), and opens the newest. */
  async bringOver(fromKey: string): Promise<ImportResult> {
    const place = await this.place;
    const store = await this.storeOf(fromKey);
    const archive = buildWorkspacesArchive(
      { workspaceKey: fromKey, workspaceName: place.name, endpoint: this.deps.endpoint() },
      [{ conversations: await this.conversationsOf(store) }],
      new Date(),
    );
    const result = await this.importParsed(archive);
    const newest = (await this.deps.session.list())[0];
    if (newest && !(await this.deps.session.activeConversation())) await this.deps.session.switchTo(newest.id);
    return result;
  }

  /**
   * Copies (or moves) one chat of this workspace to another; a move keeps the server's responses, now used
   * there. A chat that is answering is not copied: its last turn is not written yet.
   */
  async copyTo(conversationId: string, toKey: string, move: boolean): Promise<'done' | 'busy' | 'not_found'> {
    if (this.deps.session.isBusy(conversationId)) return 'busy';
    const place = await this.place;
    const here = await this.deps.session.openStore();
    const conv = await here.load(conversationId);
    if (!conv || toKey === place.key) return 'not_found';
    const archive = buildWorkspacesArchive({ workspaceKey: place.key, workspaceName: place.name, endpoint: this.deps.endpoint() }, [{ conversations: [conv] }], new Date());
    await importArchive(await this.storeOf(toKey), archive, this.deps.endpoint());
    if (move) await this.deps.session.delete(conversationId, { keepResponses: true });
    return 'done';
  }
}
