// The conversations of one workspace: a small index in globalState (Memento-shaped) and one transcript
// log per conversation under globalStorageUri. The transcript is the truth; the index is a fast summary
// that is rebuilt from the transcripts when it is missing or unreadable.
//
// Two windows on one workspace share both: globalState (VS Code passes one window's writes to the
// others) and the transcript files. So every index change is applied to the index as globalState holds it
// at that moment, never by writing back a stale copy, and `fresh()` reloads a transcript that another
// window appended to, so the next turn chains from the newest answer whichever window asked it.
import { randomUUID } from 'node:crypto';
import { safeParse } from 'valibot';
import { parentsFirst } from '../archive';
import { Conversation, type ConversationMeta } from '../conversation';
import type { EffortLevel } from '../effort';
import type { ConversationSummary, Turn } from '../types';
import type { FileSystemPort } from './fileSystem';
import { join } from './fileSystem';
import { activePointerSchema, type IndexEntry, type WorkspaceIndex, workspaceIndexSchema } from '../schemas';
import type { MementoLike } from './memento';
import { encodeRecord, type LogRecord, TRANSCRIPT_VERSION, TranscriptLog } from './transcriptLog';

export const INDEX_VERSION = 1;

/** Transcripts written beside the live ones, not yet listed (ConversationStore.stageConversations). */
export interface StagedWrite {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export type { IndexEntry, WorkspaceIndex } from '../schemas';

export function indexKey(workspaceKey: string): string {
  return `threadline.index.v${INDEX_VERSION}/${workspaceKey}`;
}

/** The index as globalState holds it, when it is well formed. */
function readIndex(x: unknown): WorkspaceIndex | undefined {
  const r = safeParse(workspaceIndexSchema, x);
  return r.success ? r.output : undefined;
}

const FILE_SUFFIX = '.jsonl';

export class ConversationStore {
  private readonly log: TranscriptLog;
  private readonly dir: string;
  private readonly key: string;
  private index: WorkspaceIndex = { v: 1, activeId: null, conversations: {} };
  private readonly pointerFile: string;
  /** The active id last written to (or read from) the pointer file. */
  private pointerActive: string | null | undefined;
  /** The transcript size each loaded conversation reflects, to notice another window's appends. */
  private readonly sizes = new WeakMap<Conversation, number>();
  /** Problems found while loading, for the log and a one-time warning. */
  readonly warnings: string[] = [];

  constructor(
    private readonly fs: FileSystemPort,
    storageRoot: string,
    private readonly memento: MementoLike,
    workspaceKey: string,
  ) {
    this.log = new TranscriptLog(fs);
    this.dir = join(storageRoot, 'conversations', workspaceKey);
    this.key = indexKey(workspaceKey);
    this.pointerFile = join(this.dir, 'active.json');
  }

  /** Reads the index; never throws, so storage trouble cannot stop the extension from starting. */
  async open(): Promise<void> {
    const raw = this.memento.get<unknown>(this.key);
    const index = readIndex(raw);
    if (raw === undefined || index) {
      this.index = index ?? { v: 1, activeId: null, conversations: {} };
    } else {
      // Keep the bad value for inspection, then rebuild from the transcripts.
      await this.memento.update(`${this.key}.corrupt-${Date.now()}`, raw);
      this.warnings.push('The chat index was unreadable; it was set aside and rebuilt from the transcripts.');
      await this.rebuildIndex();
    }
    if (raw === undefined && (await this.fs.list(this.dir)).some((f) => f.endsWith(FILE_SUFFIX))) {
      this.warnings.push('The chat index was missing; it was rebuilt from the transcripts.');
      await this.rebuildIndex();
    } else if (index) {
      const loadedRev = this.index.rev ?? 0;
      const pointer = await this.readActivePointer();
      await this.relistOrphans();
      if (pointer) await this.adoptActivePointer(pointer, loadedRev);
    }
  }

  /**
   * Lists again a transcript that the index lost: two windows that change the index within the moment it
   * takes VS Code to pass one's globalState write to the other can drop the other's new chat from it, and a
   * crash can fall between writing a new transcript and the index. The transcript is the truth.
   */
  private async relistOrphans(): Promise<void> {
    try {
      const listed = this.index.conversations;
      const orphans = (await this.fs.list(this.dir)).filter((f) => f.endsWith(FILE_SUFFIX) && !listed[f.slice(0, -FILE_SUFFIX.length)]);
      const found: Record<string, IndexEntry> = {};
      for (const f of orphans) {
        const res = await this.log.load(join(this.dir, f));
        this.warnings.push(...res.warnings);
        if (res.conversation && res.conversation.size > 0) found[res.conversation.id] = this.entryOf(res.conversation);
      }
      if (Object.keys(found).length) await this.updateIndex((index) => Object.assign(index.conversations, found));
    } catch {
      // Storage trouble must not stop the extension from starting; the index stays as it was.
    }
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}${FILE_SUFFIX}`);
  }

  private async rebuildIndex(): Promise<void> {
    const conversations: Record<string, IndexEntry> = {};
    for (const f of await this.fs.list(this.dir)) {
      if (!f.endsWith(FILE_SUFFIX)) continue;
      const res = await this.log.load(join(this.dir, f));
      this.warnings.push(...res.warnings);
      if (res.conversation) conversations[res.conversation.id] = this.entryOf(res.conversation);
    }
    const newest = Object.entries(conversations).sort((a, b) => b[1].updatedAt - a[1].updatedAt)[0];
    this.index = { v: 1, activeId: newest?.[0] ?? null, conversations };
    await this.saveIndex();
  }

  private entryOf(c: Conversation): IndexEntry {
    return {
      title: c.meta.title,
      createdAt: c.meta.createdAt,
      updatedAt: c.meta.updatedAt,
      headId: c.headId,
      responseId: c.chainTip(),
      forkOf: c.meta.forkOf?.conversationId,
      model: c.meta.model,
      reasoningEffort: c.meta.reasoningEffort,
    };
  }

  private async saveIndex(): Promise<void> {
    await this.memento.update(this.key, this.index);
    if (this.index.activeId === this.pointerActive) return;
    // Also on disk, with the index revision: in VS Code for the Web globalState lives in the browser and
    // its last writes can be lost on a reload, while the transcripts (and this file) are on the server.
    this.pointerActive = this.index.activeId;
    await this.fs.mkdirp(this.dir);
    await this.fs.writeFile(this.pointerFile, JSON.stringify({ v: 1, activeId: this.index.activeId, rev: this.index.rev ?? 0 }));
  }

  /** The active-conversation pointer on disk, if it is there and readable. */
  private async readActivePointer(): Promise<{ activeId: string | null; rev: number } | undefined> {
    try {
      const bytes = await this.fs.readFile(this.pointerFile);
      if (!bytes) return undefined;
      const r = safeParse(activePointerSchema, JSON.parse(Buffer.from(bytes).toString('utf8')));
      if (!r.success) return undefined;
      this.pointerActive = r.output.activeId;
      return { activeId: r.output.activeId, rev: r.output.rev };
    } catch {
      return undefined; // An unreadable pointer: the index decides.
    }
  }

  /** Takes the active conversation from the disk pointer when globalState lost writes newer than the index it held. */
  private async adoptActivePointer(p: { activeId: string | null; rev: number }, loadedRev: number): Promise<void> {
    const known = p.activeId === null || this.index.conversations[p.activeId] !== undefined;
    if (p.rev <= loadedRev || !known || p.activeId === this.index.activeId) return;
    await this.updateIndex((index) => {
      index.activeId = p.activeId;
      index.rev = Math.max(index.rev ?? 0, p.rev);
    });
  }

  /**
   * Takes the index as globalState holds it now, when another window of this workspace wrote a newer one.
   * Only a newer one: VS Code echoes a window's own writes back to it, sometimes after a later write, and
   * such an older copy must not replace what this window wrote since.
   */
  private sync(): WorkspaceIndex {
    const held = readIndex(this.memento.get<unknown>(this.key));
    if (held && (held.rev ?? 0) > (this.index.rev ?? 0)) this.index = held;
    return this.index;
  }

  /** Applies one change to the current index and saves it, so a change made by another window is kept. */
  private async updateIndex(change: (index: WorkspaceIndex) => void): Promise<void> {
    const index = this.sync();
    change(index);
    index.rev = (index.rev ?? 0) + 1;
    await this.saveIndex();
  }

  get activeId(): string | null {
    return this.sync().activeId;
  }

  /** This workspace's conversations, most recently used first. */
  list(): ConversationSummary[] {
    return Object.entries(this.sync().conversations)
      .map(([id, e]) => ({ id, title: e.title, createdAt: e.createdAt, updatedAt: e.updatedAt }))
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  entry(id: string): IndexEntry | undefined {
    return this.sync().conversations[id];
  }

  /** Loads a conversation's transcript. A missing or corrupt one is dropped from the index with a warning. */
  async load(id: string): Promise<Conversation | undefined> {
    if (!this.sync().conversations[id]) return undefined;
    const res = await this.log.load(this.fileOf(id));
    this.warnings.push(...res.warnings);
    if (!res.conversation) {
      await this.updateIndex((index) => {
        delete index.conversations[id];
        if (index.activeId === id) index.activeId = null;
      });
      return undefined;
    }
    if (res.size !== undefined) this.sizes.set(res.conversation, res.size);
    return res.conversation;
  }

  /**
   * The conversation as its transcript holds it now: `conv` itself, or a reload when the file changed since
   * this store last read or wrote it (another window of this workspace added a turn).
   */
  async fresh(conv: Conversation): Promise<Conversation> {
    const known = this.sizes.get(conv);
    const size = this.fs.size ? await this.fs.size(this.fileOf(conv.id)) : undefined;
    if (known === undefined || size === undefined || size === known) return conv;
    return (await this.load(conv.id)) ?? conv;
  }

  /** Appends a record to a conversation's transcript and keeps count of its size. */
  private async append(conv: Conversation, record: LogRecord): Promise<void> {
    const bytes = await this.log.append(this.fileOf(conv.id), record);
    const known = this.sizes.get(conv);
    if (known !== undefined) this.sizes.set(conv, known + bytes);
  }

  async create(init: Partial<ConversationMeta> = {}, now = Date.now()): Promise<Conversation> {
    const meta: ConversationMeta = { id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, ...init };
    const conv = new Conversation(meta);
    await this.fs.mkdirp(this.dir);
    this.sizes.set(conv, await this.log.create(this.fileOf(meta.id), meta));
    await this.updateIndex((index) => {
      index.conversations[meta.id] = this.entryOf(conv);
      index.activeId = meta.id;
    });
    return conv;
  }

  /** Creates a conversation holding copies of `turns` (a fork), with the last one as head. */
  async createWithTurns(init: Partial<ConversationMeta>, turns: readonly Turn[]): Promise<Conversation> {
    const conv = await this.create(init);
    for (const t of turns) {
      conv.put(t);
      await this.append(conv, { v: TRANSCRIPT_VERSION, t: 'turn', turn: t });
    }
    await this.touch(conv);
    return conv;
  }

  /**
   * Appends a turn record (new or updated) and refreshes the index entry. A conversation deleted meanwhile
   * (its turn was still streaming) stays deleted: nothing is written for it.
   */
  async putTurn(conv: Conversation, turn: Turn): Promise<void> {
    conv.put(turn);
    if (!this.entry(conv.id)) return;
    await this.append(conv, { v: TRANSCRIPT_VERSION, t: 'turn', turn });
    await this.touch(conv);
  }

  async setHead(conv: Conversation, headId: string | null): Promise<void> {
    conv.setHead(headId);
    if (!this.entry(conv.id)) return;
    await this.append(conv, { v: TRANSCRIPT_VERSION, t: 'head', headId });
    await this.touch(conv);
  }

  async rename(conv: Conversation, title: string): Promise<void> {
    conv.meta.title = title;
    if (!this.entry(conv.id)) return;
    await this.append(conv, { v: TRANSCRIPT_VERSION, t: 'title', title });
    await this.touch(conv);
  }

  /** The model the conversation's next turns ask. */
  async setModel(conv: Conversation, model: string): Promise<void> {
    conv.meta.model = model;
    if (!this.entry(conv.id)) return;
    await this.append(conv, { v: TRANSCRIPT_VERSION, t: 'model', model });
    await this.touch(conv);
  }

  /** The reasoning effort of the conversation's next turns; undefined: it follows the setting. */
  async setReasoningEffort(conv: Conversation, effort: EffortLevel | undefined): Promise<void> {
    if (effort) conv.meta.reasoningEffort = effort;
    else delete conv.meta.reasoningEffort;
    if (!this.entry(conv.id)) return;
    await this.append(conv, { v: TRANSCRIPT_VERSION, t: 'effort', effort: effort ?? null });
    await this.touch(conv);
  }

  async setActive(id: string | null): Promise<void> {
    await this.updateIndex((index) => {
      index.activeId = id;
    });
  }

  /**
   * Removes the transcript and the index entry. Returns the response ids that were stored on the server
   * and that no other conversation uses: a fork shares the responses of the path it was forked from, so
   * those stay as long as the original or another fork of it is kept.
   */
  async delete(id: string): Promise<string[]> {
    const conv = await this.load(id);
    let stored = conv?.allTurns().filter((t) => t.responseId && t.stored !== false).map((t) => t.responseId!) ?? [];
    for (const other of stored.length ? this.forkRelatives(id) : []) {
      const used = new Set((await this.load(other))?.allTurns().map((t) => t.responseId) ?? []);
      stored = stored.filter((r) => !used.has(r));
    }
    await this.fs.remove(this.fileOf(id));
    await this.updateIndex((index) => {
      delete index.conversations[id];
      if (index.activeId === id) {
        index.activeId = Object.entries(index.conversations).sort((a, b) => b[1].updatedAt - a[1].updatedAt)[0]?.[0] ?? null;
      }
    });
    return stored;
  }

  /**
   * The conversations linked to `id` by forks, either way and transitively, also through a deleted one (two
   * forks of a deleted chat still share its responses).
   */
  private forkRelatives(id: string): string[] {
    const index = this.sync();
    const entries = Object.entries(index.conversations);
    const seen = new Set([id]);
    const todo = [id];
    while (todo.length) {
      const at = todo.pop()!;
      const next = [index.conversations[at]?.forkOf, ...entries.filter(([, e]) => e.forkOf === at).map(([k]) => k)];
      for (const n of next) {
        if (n && !seen.has(n)) {
          seen.add(n);
          todo.push(n);
        }
      }
    }
    return [...seen].filter((k) => k !== id && index.conversations[k]);
  }

  /**
   * Writes whole conversations (new ones, or known ones with more turns) beside the live transcripts; the
   * returned `commit` switches them in (renames, then one index change) and `discard` removes them. So an
   * import writes everything, then switches: a failure while writing (here or in another workspace's
   * store) leaves every workspace as it was. A failure here discards what it wrote before it throws.
   * The active conversation stays the active one.
   */
  async stageConversations(conversations: readonly Conversation[]): Promise<StagedWrite> {
    const staged: { tmp: string; file: string }[] = [];
    const discard = async () => {
      for (const { tmp } of staged) await this.fs.remove(tmp).catch(() => undefined);
    };
    try {
      if (conversations.length) await this.fs.mkdirp(this.dir);
      for (const conv of conversations) {
        const file = this.fileOf(conv.id);
        const tmp = `${file}.import`;
        staged.push({ tmp, file });
        await this.fs.writeFile(tmp, transcriptText(conv));
      }
    } catch (e) {
      await discard();
      throw e;
    }
    const commit = async () => {
      if (!conversations.length) return;
      for (const { tmp, file } of staged) await this.fs.rename(tmp, file);
      await this.updateIndex((index) => {
        for (const conv of conversations) index.conversations[conv.id] = this.entryOf(conv);
      });
    };
    return { commit, discard };
  }

  private async touch(conv: Conversation): Promise<void> {
    await this.updateIndex((index) => {
      index.conversations[conv.id] = this.entryOf(conv);
    });
  }
}

/** A conversation's whole transcript: the header, every turn parents first, then the active head. */
function transcriptText(conv: Conversation): string {
  const records: LogRecord[] = [
    { v: TRANSCRIPT_VERSION, t: 'conversation', meta: conv.meta },
    ...parentsFirst(conv.allTurns()).map((turn): LogRecord => ({ v: TRANSCRIPT_VERSION, t: 'turn', turn })),
    { v: TRANSCRIPT_VERSION, t: 'head', headId: conv.headId },
  ];
  return records.map(encodeRecord).join('');
}
