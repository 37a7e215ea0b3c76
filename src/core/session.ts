// The chat session of one workspace: ask, stop, retry, edit, fork, branches, the conversation's model and the conversation list,
// over ports (the store, the turn executor's settings/key/client, a clock, an id generator, an event
// sink). One turn at a time per conversation: a second send to a conversation that is answering is
// refused and its text given back; other conversations may run meanwhile. No VS Code here.
import { randomUUID } from 'node:crypto';
import { cleanTitle, type Conversation, titleFrom } from './conversation';
import type { EffortChoice, EffortLevel } from './effort';
import { turnError, type TurnError } from './errors';
import { checkAttachments } from './attachments';
import type { ConversationStore } from './store/conversationStore';
import { type ExecutorPorts, TurnExecutor } from './turnExecutor';
import type { Attachment, ConversationSummary, Turn } from './types';
import type { StreamPart } from '../shared/protocol';

export type SessionEvent =
  /** `requestId` echoes the ask's, when it had one. */
  | { type: 'turnStarted'; conversation: Conversation; turn: Turn; requestId?: string }
  | { type: 'delta'; conversationId: string; turnId: string; part: StreamPart; text: string }
  | { type: 'turnFinished'; conversation: Conversation; turn: Turn }
  /** A turn ended with an error other than Stop. */
  | { type: 'turnError'; conversationId: string; error: TurnError }
  /** Something the user should know about a turn that still ran (a setting the endpoint refused). */
  | { type: 'notice'; conversationId: string; message: string }
  /** A send was refused before anything was recorded; `draft` is the text to give back. */
  | { type: 'refused'; error: TurnError; draft: string; requestId?: string }
  /** The active conversation, or what it shows, changed. */
  | { type: 'activeChanged' }
  /** The list of conversations changed (created, renamed, deleted, switched to). */
  | { type: 'historyChanged' }
  /** The active conversation's model or reasoning effort changed (their pickers). */
  | { type: 'modelChanged' }
  /** A conversation started or stopped running a turn. */
  | { type: 'busyChanged' }
  /** What the store found while loading: a torn record dropped, a transcript set aside. */
  | { type: 'storeWarnings'; messages: string[] };

export interface SessionPorts extends Omit<ExecutorPorts, 'now'> {
  /** Opens the store; called on first use (activation stays fast), again after a failed open. */
  openStore: () => Promise<ConversationStore>;
  events: (e: SessionEvent) => void;
  now?: () => number;
  newId?: () => string;
}

/** Why a navigation or send did nothing. */
export type Refusal = 'no_such_turn' | 'no_such_conversation' | 'busy' | 'not_completed' | 'no_branch' | 'blank_title' | 'not_compactable' | 'blank_model';

interface AskOptions {
  parentId?: string | null;
  requestId?: string;
  /** Compact the context with the API first ("Compact and continue"). */
  compact?: boolean;
}

export type Result<T> = { ok: true; value: T } | { ok: false; reason: Refusal };

/** How a send ended: a turn that ran (whatever its status), or a refusal before anything was recorded. */
export type AskOutcome =
  | { kind: 'ran'; conversationId: string; turn: Turn }
  | { kind: 'refused'; conversationId: string; error: TurnError };

interface Running {
  abort: AbortController;
  /** The conversation object the turn writes to; switching back to it must reuse it, not reload it. */
  conv?: Conversation;
}

/** The running key of a send that has no conversation yet (it creates one). */
const NEW_CHAT = '';

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const no = (reason: Refusal): { ok: false; reason: Refusal } => ({ ok: false, reason });

export class Session {
  private storePromise: Promise<ConversationStore> | undefined;
  private active: Conversation | undefined;
  private readonly running = new Map<string, Running>();
  /** What was picked for the chat about to be created (after New Chat, before its first turn). */
  private newChatPicks: { model?: string; reasoningEffort?: EffortLevel } = {};
  private readonly executor: TurnExecutor;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly ports: SessionPorts) {
    this.now = ports.now ?? Date.now;
    this.newId = ports.newId ?? randomUUID;
    this.executor = new TurnExecutor({ ...ports, now: this.now });
  }

  private emit(e: SessionEvent): void {
    this.ports.events(e);
  }

  private store(): Promise<ConversationStore> {
    this.storePromise ??= this.ports.openStore().then(async (store) => {
      if (store.activeId) this.active = await store.load(store.activeId);
      this.reportWarnings(store);
      return store;
    });
    // A failed open is not kept: the next call tries again.
    this.storePromise.catch(() => (this.storePromise = undefined));
    return this.storePromise;
  }

  /** Transcripts load lazily, so this runs after every load. */
  private reportWarnings(store: ConversationStore): void {
    const messages = store.warnings.splice(0);
    if (messages.length) this.emit({ type: 'storeWarnings', messages });
  }

  /** The active conversation as held in memory, without reloading: for views built while events arrive. */
  get current(): Conversation | undefined {
    return this.active;
  }

  /** The active conversation, loaded from disk on first use, and again after another window added to it. */
  async activeConversation(): Promise<Conversation | undefined> {
    const store = await this.store();
    if (this.active && !this.running.has(this.active.id)) this.active = await store.fresh(this.active);
    this.reportWarnings(store);
    return this.active;
  }

  /** The model the active conversation's next turn asks: the one picked for it, else threadline.model. */
  get model(): string {
    return this.active?.meta.model ?? this.newChatPicks.model ?? this.ports.settings().model;
  }

  /**
   * Sets the model of the active conversation (or of the chat about to be created); its next turn asks it
   * and still chains from the previous response. A running turn keeps the model it was sent to.
   */
  async setModel(model: string): Promise<Result<string>> {
    const id = model.trim();
    if (!id) return no('blank_model');
    const store = await this.store();
    if (this.active) await store.setModel(this.active, id);
    else this.newChatPicks.model = id;
    this.emit({ type: 'modelChanged' });
    return ok(id);
  }

  /**
   * The reasoning effort the active conversation's next turn asks for: the one picked for it, else
   * threadline.reasoningEffort (`default`: none sent). The model may take another level (effort.ts).
   */
  get reasoningEffort(): EffortChoice {
    return this.active?.meta.reasoningEffort ?? this.newChatPicks.reasoningEffort ?? this.ports.settings().reasoningEffort;
  }

  /** Whether the active conversation (or the chat about to be created) has an effort picked for it. */
  get effortPicked(): boolean {
    return (this.active ? this.active.meta : this.newChatPicks).reasoningEffort !== undefined;
  }

  /**
   * Sets the reasoning effort of the active conversation (or of the chat about to be created); `default`
   * makes it follow threadline.reasoningEffort again. Kept across model switches.
   */
  async setReasoningEffort(level: EffortChoice): Promise<EffortChoice> {
    const effort = level === 'default' ? undefined : level;
    const store = await this.store();
    if (this.active) await store.setReasoningEffort(this.active, effort);
    else this.newChatPicks.reasoningEffort = effort;
    this.emit({ type: 'modelChanged' });
    return this.reasoningEffort;
  }

  /** The endpoint's model ids, for the picker; throws an Error that says why they could not be listed. */
  listModels(signal?: AbortSignal): Promise<string[]> {
    return this.executor.listModels(signal);
  }

  /** Whether a conversation (by default the active one, or the chat about to be created) is running a turn. */
  isBusy(conversationId = this.active?.id ?? NEW_CHAT): boolean {
    return this.running.has(conversationId);
  }

  /**
   * Sends a turn to the active conversation (or under `parentId` in it, for edit and retry) and resolves
   * when it ends. Nothing the user typed is lost: a refused send gives the text back, and a failed
   * request stays in the transcript.
   */
  async ask(question: string, attachments: readonly Attachment[], opts: AskOptions = {}): Promise<AskOutcome> {
    const store = await this.store();
    const refuse = (error: TurnError): AskOutcome => {
      this.emit({ type: 'refused', error, draft: question, requestId: opts.requestId });
      return { kind: 'refused', conversationId: this.active?.id ?? '', error };
    };
    if (!question.trim() && attachments.length === 0) return refuse(turnError('invalid_input', 'Type a question first.'));
    if (this.isBusy()) {
      return refuse(turnError('busy', 'Threadline is still answering. Wait for the answer, or press Stop, then send again.'));
    }
    const tooBig = checkAttachments(attachments);
    if (tooBig) return refuse(tooBig);

    // Claimed before the first await, so that a second send to this conversation is refused meanwhile.
    const claim = this.active?.id ?? NEW_CHAT;
    const run: Running = { abort: new AbortController() };
    this.running.set(claim, run);
    this.emit({ type: 'busyChanged' });
    let key = claim;
    try {
      // Another window on this workspace may have added turns meanwhile: the new turn goes after the newest.
      // The turn goes to the conversation it was sent to, even if the user switches while this awaits.
      const sentTo = this.active;
      let conv = sentTo && (await store.fresh(sentTo));
      if (conv !== sentTo && this.active === sentTo) {
        this.active = conv;
        this.emit({ type: 'activeChanged' });
      }
      this.reportWarnings(store);
      if (!conv) {
        // Only a picked model or effort is stored: an unpicked chat follows the settings, as before the pickers.
        conv = this.active = await store.create({ title: titleFrom(question), ...this.newChatPicks }, this.now());
        this.newChatPicks = {};
        this.running.delete(claim);
        this.running.set((key = conv.id), run);
        // The view shows the new conversation before its first turn arrives.
        this.emit({ type: 'activeChanged' });
        this.emit({ type: 'historyChanged' });
      }
      run.conv = conv;
      return { kind: 'ran', conversationId: conv.id, turn: await this.runTurn(store, conv, question, attachments, opts, run.abort.signal) };
    } finally {
      this.running.delete(key);
      this.emit({ type: 'busyChanged' });
    }
  }

  private async runTurn(
    store: ConversationStore,
    conv: Conversation,
    question: string,
    attachments: readonly Attachment[],
    opts: AskOptions,
    signal: AbortSignal,
  ): Promise<Turn> {
    let turn: Turn = {
      id: this.newId(),
      parentId: opts.parentId === undefined ? conv.headId : opts.parentId,
      createdAt: this.now(),
      question,
      attachments: [...attachments],
      answer: '',
      status: 'streaming',
    };
    await store.putTurn(conv, turn);
    this.emit({ type: 'turnStarted', conversation: conv, turn, requestId: opts.requestId });
    let final = turn;
    try {
      if (opts.compact) {
        const compacted = await this.executor.compact(conv, turn.parentId, signal);
        if ('error' in compacted) {
          final = { ...turn, status: signal.aborted ? 'cancelled' : 'failed', error: compacted.error, finishedAt: this.now() };
          await store.putTurn(conv, final);
          return final;
        }
        // The compacted context is kept with the turn: it marks the point, and later replays start from it.
        turn = final = { ...turn, compacted: compacted.items, notes: ['The conversation was compacted before this turn.'] };
      }
      final = await this.executor.run(conv, turn, signal, {
        delta: (part, text) => this.emit({ type: 'delta', conversationId: conv.id, turnId: turn.id, part, text }),
        restart: () => this.emit({ type: 'turnStarted', conversation: conv, turn }),
        notice: (message) => this.emit({ type: 'notice', conversationId: conv.id, message }),
      });
      await store.putTurn(conv, final);
    } finally {
      // Whatever throws above, the view must not keep a live turn and a blocked Send.
      this.emit({ type: 'turnFinished', conversation: conv, turn: final });
    }
    if (final.error && final.status !== 'cancelled') this.emit({ type: 'turnError', conversationId: conv.id, error: final.error });
    return final;
  }

  /** Stops the streaming turn of the active conversation (or, from the command palette, any). */
  stop(): boolean {
    const r = this.running.get(this.active?.id ?? NEW_CHAT) ?? this.running.values().next().value;
    if (!r) return false;
    r.abort.abort();
    return true;
  }

  /** Starts a new, empty conversation; it is created on disk with its first turn. */
  async newChat(): Promise<void> {
    const store = await this.store();
    if (this.isBusy()) this.stop();
    this.active = undefined;
    this.newChatPicks = {};
    await store.setActive(null);
    this.emit({ type: 'activeChanged' });
    this.emit({ type: 'historyChanged' });
  }

  private async findTurn(turnId: string): Promise<Result<{ conv: Conversation; turn: Turn }>> {
    const conv = await this.activeConversation();
    const turn = conv?.getTurn(turnId);
    return conv && turn ? ok({ conv, turn }) : no('no_such_turn');
  }

  /**
   * Asks a turn's question again, with its attachments, as a sibling branch of it chained from the same
   * parent (Retry, and Regenerate). With `model`, the conversation switches to it first, so the new answer
   * and the turns after it come from that model.
   */
  async retry(turnId: string, model?: string): Promise<Result<AskOutcome>> {
    const found = await this.findTurn(turnId);
    if (!found.ok) return found;
    const { turn } = found.value;
    if (model !== undefined) {
      if (this.isBusy()) return no('busy');
      const set = await this.setModel(model);
      if (!set.ok) return set;
    }
    return ok(await this.ask(turn.question, turn.attachments, { parentId: turn.parentId }));
  }

  /**
   * "Compact and continue" after a turn outgrew the context window: compacts the context before it with the
   * API and asks its question again, as a sibling. The transcript keeps every earlier turn.
   */
  async compactAndContinue(turnId: string): Promise<Result<AskOutcome>> {
    const found = await this.findTurn(turnId);
    if (!found.ok) return found;
    const { turn } = found.value;
    if (!turn.error?.actions.includes('compact')) return no('not_compactable');
    return ok(await this.ask(turn.question, turn.attachments, { parentId: turn.parentId, compact: true }));
  }

  /** Sends an edited question as a sibling of the original turn, with its attachments. */
  async edit(turnId: string, text: string): Promise<Result<AskOutcome>> {
    const found = await this.findTurn(turnId);
    if (!found.ok) return found;
    return ok(await this.ask(text, found.value.turn.attachments, { parentId: found.value.turn.parentId }));
  }

  /** A new conversation holding the path up to a completed turn; its next turn chains from that turn. */
  async fork(turnId: string): Promise<Result<Conversation>> {
    const found = await this.findTurn(turnId);
    if (!found.ok) return found;
    const { conv, turn } = found.value;
    if (turn.status !== 'completed') return no('not_completed');
    const store = await this.store();
    const forked = await store.createWithTurns(
      { title: `Fork of ${conv.meta.title}`, forkOf: { conversationId: conv.id, turnId }, model: conv.meta.model, reasoningEffort: conv.meta.reasoningEffort },
      conv.pathTo(turnId),
    );
    this.active = forked;
    this.emit({ type: 'activeChanged' });
    this.emit({ type: 'historyChanged' });
    return ok(forked);
  }

  async switchBranch(turnId: string, direction: 'previous' | 'next'): Promise<Result<void>> {
    const found = await this.findTurn(turnId);
    if (!found.ok) return found;
    const { conv } = found.value;
    if (this.running.has(conv.id)) return no('busy');
    if (conv.switchBranch(turnId, direction) === undefined) return no('no_branch');
    await (await this.store()).setHead(conv, conv.headId);
    this.emit({ type: 'activeChanged' });
    return ok(undefined);
  }

  async list(): Promise<ConversationSummary[]> {
    return (await this.store()).list();
  }

  /** A conversation in memory (the active one, or one with a streaming turn), else loaded from disk. */
  private async loaded(id: string): Promise<Conversation | undefined> {
    if (this.active?.id === id) return this.active;
    return this.running.get(id)?.conv ?? (await this.store()).load(id);
  }

  /** Makes a conversation active; refused when it is unknown, or its transcript is gone (it leaves the list). */
  async switchTo(id: string): Promise<Result<void>> {
    const store = await this.store();
    const conv = await this.loaded(id);
    this.reportWarnings(store);
    if (conv) {
      this.active = conv;
      await store.setActive(id);
      this.emit({ type: 'activeChanged' });
    }
    this.emit({ type: 'historyChanged' });
    return conv ? ok(undefined) : no('no_such_conversation');
  }

  /** Renames a conversation (one line, cut to TITLE_MAX_CHARS); a blank title changes nothing. */
  async rename(id: string, title: string): Promise<Result<void>> {
    const store = await this.store();
    const clean = cleanTitle(title);
    if (!clean) return no('blank_title');
    const conv = store.entry(id) ? await this.loaded(id) : undefined;
    if (!conv) return no('no_such_conversation');
    await store.rename(conv, clean);
    this.emit({ type: 'historyChanged' });
    return ok(undefined);
  }

  /**
   * The store, for the portability commands (export, import, bring over), which write through it and then
   * call `storeChanged`.
   */
  openStore(): Promise<ConversationStore> {
    return this.store();
  }

  /** Conversations were written behind the session: the list changed, and the active one may have more turns. */
  async storeChanged(): Promise<void> {
    const store = await this.store();
    const was = this.active;
    this.active = store.activeId ? await this.loaded(store.activeId) : undefined;
    if (this.active && !this.running.has(this.active.id)) this.active = await store.fresh(this.active);
    if (this.active !== was) this.emit({ type: 'activeChanged' });
    this.emit({ type: 'historyChanged' });
  }

  /**
   * Deletes a conversation, and its stored responses on the server (best effort, logged), unless they are
   * kept because the chat moved to another workspace.
   */
  async delete(id: string, opts: { keepResponses?: boolean } = {}): Promise<Result<void>> {
    const store = await this.store();
    this.running.get(id)?.abort.abort();
    if (!store.entry(id)) return no('no_such_conversation');
    const wasActive = this.active?.id === id;
    const ids = await store.delete(id);
    if (wasActive) {
      this.active = store.activeId ? await store.load(store.activeId) : undefined;
      this.emit({ type: 'activeChanged' });
    }
    this.emit({ type: 'historyChanged' });
    if (!opts.keepResponses) void this.executor.deleteResponses(ids);
    return ok(undefined);
  }

  keyChanged(): Promise<void> {
    return this.executor.keyChanged();
  }

  settingsChanged(): Promise<void> {
    return this.executor.settingsChanged();
  }

  dispose(): void {
    for (const r of this.running.values()) r.abort.abort();
  }
}
