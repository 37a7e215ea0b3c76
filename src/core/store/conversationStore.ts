// The conversations of one workspace: a small index in globalState (Memento-shaped) and one transcript
// log per conversation under globalStorageUri. The transcript is the truth; the index is a fast summary
// that is rebuilt from the transcripts when it is missing or unreadable.
import { randomUUID } from 'node:crypto';
import { Conversation, type ConversationMeta } from '../conversation';
import type { ConversationSummary, Turn } from '../types';
import type { FileSystemPort } from './fileSystem';
import { join } from './fileSystem';
import type { MementoLike } from './memento';
import { TranscriptLog } from './transcriptLog';

export const INDEX_VERSION = 1;

export interface IndexEntry {
  title: string;
  createdAt: number;
  updatedAt: number;
  /** The head of the active path, and the response id the next turn chains from. */
  headId: string | null;
  responseId?: string;
}

export interface WorkspaceIndex {
  v: 1;
  activeId: string | null;
  conversations: Record<string, IndexEntry>;
}

export function indexKey(workspaceKey: string): string {
  return `threadline.index.v${INDEX_VERSION}/${workspaceKey}`;
}

function isIndex(x: unknown): x is WorkspaceIndex {
  const i = x as Partial<WorkspaceIndex> | null;
  return !!i && i.v === 1 && (i.activeId === null || typeof i.activeId === 'string')
    && typeof i.conversations === 'object' && i.conversations !== null && !Array.isArray(i.conversations);
}

const FILE_SUFFIX = '.jsonl';

export class ConversationStore {
  private readonly log: TranscriptLog;
  private readonly dir: string;
  private readonly key: string;
  private index: WorkspaceIndex = { v: 1, activeId: null, conversations: {} };
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
  }

  /** Reads the index; never throws, so storage trouble cannot stop the extension from starting. */
  async open(): Promise<void> {
    const raw = this.memento.get<unknown>(this.key);
    if (raw === undefined || isIndex(raw)) {
      this.index = raw ?? { v: 1, activeId: null, conversations: {} };
    } else {
      // Keep the bad value for inspection, then rebuild from the transcripts.
      await this.memento.update(`${this.key}.corrupt-${Date.now()}`, raw);
      this.warnings.push('The chat index was unreadable; it was set aside and rebuilt from the transcripts.');
      await this.rebuildIndex();
    }
    if (raw === undefined && (await this.fs.list(this.dir)).some((f) => f.endsWith(FILE_SUFFIX))) {
      this.warnings.push('The chat index was missing; it was rebuilt from the transcripts.');
      await this.rebuildIndex();
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
      responseId: c.responseChain().at(-1),
    };
  }

  private async saveIndex(): Promise<void> {
    await this.memento.update(this.key, this.index);
  }

  get activeId(): string | null {
    return this.index.activeId;
  }

  /** This workspace's conversations, most recently used first. */
  list(): ConversationSummary[] {
    return Object.entries(this.index.conversations)
      .map(([id, e]) => ({ id, title: e.title, createdAt: e.createdAt, updatedAt: e.updatedAt }))
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  entry(id: string): IndexEntry | undefined {
    return this.index.conversations[id];
  }

  /** Loads a conversation's transcript. A missing or corrupt one is dropped from the index with a warning. */
  async load(id: string): Promise<Conversation | undefined> {
    if (!this.index.conversations[id]) return undefined;
    const res = await this.log.load(this.fileOf(id));
    this.warnings.push(...res.warnings);
    if (!res.conversation) {
      delete this.index.conversations[id];
      if (this.index.activeId === id) this.index.activeId = null;
      await this.saveIndex();
      return undefined;
    }
    return res.conversation;
  }

  async create(init: Partial<ConversationMeta> = {}, now = Date.now()): Promise<Conversation> {
    const meta: ConversationMeta = { id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, ...init };
    const conv = new Conversation(meta);
    await this.fs.mkdirp(this.dir);
    await this.log.create(this.fileOf(meta.id), meta);
    this.index.conversations[meta.id] = this.entryOf(conv);
    this.index.activeId = meta.id;
    await this.saveIndex();
    return conv;
  }

  /** Creates a conversation holding copies of `turns` (a fork), with the last one as head. */
  async createWithTurns(init: Partial<ConversationMeta>, turns: readonly Turn[]): Promise<Conversation> {
    const conv = await this.create(init);
    for (const t of turns) {
      conv.put(t);
      await this.log.append(this.fileOf(conv.id), { v: 1, t: 'turn', turn: t });
    }
    await this.touch(conv);
    return conv;
  }

  /** Appends a turn record (new or updated) and refreshes the index entry. */
  async putTurn(conv: Conversation, turn: Turn): Promise<void> {
    conv.put(turn);
    await this.log.append(this.fileOf(conv.id), { v: 1, t: 'turn', turn });
    await this.touch(conv);
  }

  async setHead(conv: Conversation, headId: string | null): Promise<void> {
    conv.setHead(headId);
    await this.log.append(this.fileOf(conv.id), { v: 1, t: 'head', headId });
    await this.touch(conv);
  }

  async rename(conv: Conversation, title: string): Promise<void> {
    conv.meta.title = title;
    await this.log.append(this.fileOf(conv.id), { v: 1, t: 'title', title });
    await this.touch(conv);
  }

  async setActive(id: string | null): Promise<void> {
    this.index.activeId = id;
    await this.saveIndex();
  }

  /** Removes the transcript and the index entry. Returns the response ids that were stored on the server. */
  async delete(id: string): Promise<string[]> {
    const conv = await this.load(id);
    const stored = conv?.allTurns().filter((t) => t.responseId && t.stored !== false).map((t) => t.responseId!) ?? [];
    await this.fs.remove(this.fileOf(id));
    delete this.index.conversations[id];
    if (this.index.activeId === id) this.index.activeId = this.list()[0]?.id ?? null;
    await this.saveIndex();
    return stored;
  }

  private async touch(conv: Conversation): Promise<void> {
    this.index.conversations[conv.id] = this.entryOf(conv);
    await this.saveIndex();
  }
}
