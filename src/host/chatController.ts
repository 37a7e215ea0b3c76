// Runs turns end to end: settings, key, request, streaming to listeners, persistence and the chain.
// One turn at a time per conversation; a second send while one streams is refused, never interleaved.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { cleanTitle, type Conversation, titleFrom } from '../core/conversation';
import type { EndpointCapabilities } from '../core/endpointCapabilities';
import { checkAttachments } from '../core/attachments';
import { checkSettings } from '../core/inputChecks';
import { conversationToMarkdown } from '../core/markdownExport';
import { endpointLabel, isDefaultEndpoint, ResponsesClient, turnError } from '../core/responsesClient';
import type { ConversationStore } from '../core/store/conversationStore';
import { runTurn } from '../core/turnRunner';
import type { Attachment, ConversationSummary, Turn, TurnError } from '../core/types';
import { LIMITS, type ConversationView, type HostToWebview, type TurnView, type ViewState } from '../shared/protocol';
import type { ApiKeyStore } from './secrets';
import type { Settings } from './settings';

export interface AskResult {
  conversationId: string;
  turnId: string;
  status: 'completed' | 'failed' | 'cancelled' | 'incomplete';
  responseId?: string;
  text: string;
  error?: TurnError;
}

export interface ControllerDeps {
  /** Opens the store; called once, on first use, so activation stays fast. */
  openStore: () => Promise<ConversationStore>;
  keys: ApiKeyStore;
  capabilities: EndpointCapabilities;
  settings: () => Settings;
  log: vscode.LogOutputChannel;
  /** Shown when an error happens while the chat view is hidden. */
  notifyError: (error: TurnError) => void;
}

/** How many turns of the active path a snapshot carries: enough to fill the view several times over. */
export const SNAPSHOT_TURNS = 20;
/** How many older turns each "Load earlier messages" brings. */
export const EARLIER_PAGE = 50;

interface Running {
  turnId: string;
  abort: AbortController;
  /** The conversation object the turn writes to; switching back to it must reuse it, not reload it. */
  conv: Conversation;
}

export class ChatController implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<HostToWebview>();
  /** Messages for the chat view. */
  readonly onMessage = this.emitter.event;
  private storePromise: Promise<ConversationStore> | undefined;
  private active: Conversation | undefined;
  private readonly running = new Map<string, Running>();
  private client: { key: string; client: ResponsesClient } | undefined;

  constructor(private readonly deps: ControllerDeps) {}

  private post(m: HostToWebview): void {
    this.emitter.fire(m);
  }

  private store(): Promise<ConversationStore> {
    this.storePromise ??= this.deps.openStore().then(async (store) => {
      if (store.activeId) this.active = await store.load(store.activeId);
      this.reportWarnings(store);
      return store;
    });
    return this.storePromise;
  }

  /** How many of the store's warnings were shown already. */
  private warningsShown = 0;

  /**
   * Logs and shows what the store found since the last call: a torn record dropped, a corrupt transcript
   * set aside. Transcripts load lazily (the active one at startup, others when opened), so this runs after
   * every load, not only once.
   */
  private reportWarnings(store: ConversationStore): void {
    const fresh = store.warnings.slice(this.warningsShown);
    this.warningsShown = store.warnings.length;
    for (const w of fresh) this.deps.log.warn(w);
    if (fresh.length) {
      void vscode.window.showWarningMessage(`Threadline: ${fresh[0]}${fresh.length > 1 ? ` (and ${fresh.length - 1} more; see the Threadline log)` : ''}`);
    }
  }

  /** The active conversation, loaded from disk on first use, and again after another window added to it. */
  async activeConversation(): Promise<Conversation | undefined> {
    const store = await this.store();
    if (this.active && !this.running.has(this.active.id)) this.active = await store.fresh(this.active);
    this.reportWarnings(store);
    return this.active;
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  async viewState(): Promise<ViewState> {
    const s = this.deps.settings();
    return {
      busy: this.busy,
      hasKey: (await this.deps.keys.has()) || !isDefaultEndpoint(s.baseURL),
      model: s.model,
      chaining: s.chaining,
      endpoint: endpointLabel(s.baseURL),
    };
  }

  private turnView(conv: Conversation, t: Turn): TurnView {
    const { index, count } = conv.siblingPosition(t.id);
    return { ...t, siblingIndex: index, siblingCount: count };
  }

  /** The active conversation's newest turns, for the view. */
  async snapshot(): Promise<HostToWebview> {
    const conv = await this.activeConversation();
    const path = conv?.activePath() ?? [];
    const turns = path.slice(-SNAPSHOT_TURNS);
    const view: ConversationView = {
      id: conv?.id ?? '',
      title: conv?.meta.title ?? 'New chat',
      turns: conv ? turns.map((t) => this.turnView(conv, t)) : [],
      hasEarlier: path.length > turns.length,
    };
    return { type: 'snapshot', conversation: view, state: await this.viewState() };
  }

  async postSnapshot(): Promise<void> {
    this.post(await this.snapshot());
  }

  async postState(): Promise<void> {
    this.post({ type: 'state', state: await this.viewState() });
  }

  /** The history list for the view: the newest conversations and which one is active. */
  async history(requestId?: string): Promise<Extract<HostToWebview, { type: 'history' }>> {
    const all = (await this.store()).list();
    return { type: 'history', requestId, conversations: all.slice(0, LIMITS.historyItems), activeId: this.active?.id ?? null, total: all.length };
  }

  /** Sent after the list or the active conversation changed (not per turn: the view asks when it opens the list). */
  private async postHistory(): Promise<void> {
    this.post(await this.history());
  }

  async earlierTurns(beforeTurnId: string, requestId: string): Promise<HostToWebview | undefined> {
    const conv = await this.activeConversation();
    if (!conv) return undefined;
    const path = conv.activePath();
    const at = path.findIndex((t) => t.id === beforeTurnId);
    if (at <= 0) return { type: 'earlierTurns', requestId, conversationId: conv.id, turns: [], hasEarlier: false };
    const from = Math.max(0, at - EARLIER_PAGE);
    return {
      type: 'earlierTurns',
      requestId,
      conversationId: conv.id,
      turns: path.slice(from, at).map((t) => this.turnView(conv, t)),
      hasEarlier: from > 0,
    };
  }

  notice(level: 'info' | 'warning' | 'error', message: string, actions: TurnError['actions'] = [], requestId?: string): void {
    this.post({ type: 'notice', requestId, level, message, actions });
  }

  /**
   * Sends a turn to the active conversation (or under `parentId` in it, for edit and retry) and resolves
   * when it ends. Nothing the user typed is lost: a refused send leaves the draft in the composer that
   * sent it (the notice echoes its `requestId`), and a failed request stays in the transcript.
   */
  async ask(
    question: string,
    attachments: readonly Attachment[],
    opts: { parentId?: string | null; requestId?: string } = {},
  ): Promise<AskResult> {
    const store = await this.store();
    const refuse = (kind: 'busy' | 'invalid_input', message: string): AskResult => {
      this.notice('warning', message, [], opts.requestId);
      return { conversationId: this.active?.id ?? '', turnId: '', status: 'failed', text: '', error: turnError(kind, message) };
    };
    if (!question.trim() && attachments.length === 0) return refuse('invalid_input', 'Type a question first.');
    if (this.active && this.running.has(this.active.id)) {
      return refuse('busy', 'Threadline is still answering. Wait for the answer, or press Stop, then send again.');
    }
    const tooBig = checkAttachments(attachments);
    if (tooBig) return refuse('invalid_input', tooBig);

    // Another window on this workspace may have added turns meanwhile: the new turn goes after the newest.
    const stale = this.active;
    if (stale && (this.active = await store.fresh(stale)) !== stale) await this.postSnapshot();
    this.reportWarnings(store);
    let conv = this.active;
    if (!conv) {
      conv = this.active = await store.create({ title: titleFrom(question) });
      // The view shows the new conversation before its first turn arrives.
      await this.postSnapshot();
      await this.postHistory();
    }
    const abort = new AbortController();
    const turn: Turn = {
      id: randomUUID(),
      parentId: opts.parentId === undefined ? conv.headId : opts.parentId,
      createdAt: Date.now(),
      question,
      attachments: [...attachments],
      answer: '',
      status: 'streaming',
    };
    this.running.set(conv.id, { turnId: turn.id, abort, conv });
    try {
      await store.putTurn(conv, turn);
      this.post({ type: 'turnStarted', requestId: opts.requestId, conversationId: conv.id, turn: this.turnView(conv, turn) });
      await this.postState();
      const final = await this.execute(conv, turn, abort.signal);
      await store.putTurn(conv, final);
      this.post({ type: 'turnFinished', conversationId: conv.id, turn: this.turnView(conv, final) });
      if (final.error && final.status !== 'cancelled') this.deps.notifyError(final.error);
      return {
        conversationId: conv.id,
        turnId: final.id,
        status: final.status === 'streaming' || final.status === 'interrupted' ? 'failed' : final.status,
        responseId: final.responseId,
        text: final.answer,
        error: final.error,
      };
    } finally {
      this.running.delete(conv.id);
      await this.postState();
    }
  }

  /** Everything between "turn recorded" and "turn finished"; returns the final record. */
  private async execute(conv: Conversation, turn: Turn, signal: AbortSignal): Promise<Turn> {
    const settings = this.deps.settings();
    const fail = (error: TurnError): Turn => ({ ...turn, status: 'failed', error, finishedAt: Date.now() });
    const bad = checkSettings(settings);
    if (bad) return fail(turnError('invalid_settings', bad));
    const apiKey = await this.deps.keys.get();
    if (!apiKey && isDefaultEndpoint(settings.baseURL)) {
      return fail(turnError('auth', 'No API key is set. Set one with "Set API Key", or set OPENAI_API_KEY.'));
    }
    const client = this.clientFor(settings, apiKey);
    const log = this.deps.log;
    const t0 = Date.now();
    const context = conv.contextBefore(turn.parentId);
    let text = '';
    const outcome = await runTurn({
      client,
      capabilities: this.deps.capabilities,
      endpoint: settings.baseURL,
      settings,
      context,
      turn,
      signal,
      onDelta: (d) => {
        text += d;
        this.post({ type: 'delta', conversationId: conv.id, turnId: turn.id, part: 'text', text: d });
      },
      onRecover: (why) => {
        log.info(`chain broken (${why}); replaying ${context.length} earlier turn(s) without previous_response_id`);
        // Text streamed by the failed attempt (none in practice) must not mix with the replayed answer.
        if (text) this.post({ type: 'turnStarted', conversationId: conv.id, turn: this.turnView(conv, turn) });
        text = '';
      },
    });
    const u = outcome.usage;
    log.info(
      `turn ${turn.id.slice(0, 8)}: ${outcome.status} in ${Date.now() - t0} ms, mode=${outcome.mode}` +
        `${outcome.replayedBecause ? ` replayed=${outcome.replayedBecause}` : ''}` +
        `${outcome.previousResponseId ? ` prev=${outcome.previousResponseId}` : ''}` +
        `${outcome.responseId ? ` id=${outcome.responseId}` : ''}` +
        `${u ? ` tokens in=${u.inputTokens} cached=${u.cachedTokens} out=${u.outputTokens}` : ''}` +
        `${outcome.error ? ` error=${outcome.error.kind}${outcome.error.status ? `/${outcome.error.status}` : ''}` : ''}`,
    );
    return {
      ...turn,
      status: outcome.status,
      answer: outcome.text,
      responseId: outcome.responseId,
      previousResponseId: outcome.previousResponseId,
      stored: outcome.stored,
      model: outcome.model ?? settings.model,
      usage: outcome.usage,
      mode: outcome.mode,
      replayedBecause: outcome.replayedBecause,
      error: outcome.status === 'completed' ? undefined : outcome.error,
      finishedAt: Date.now(),
    };
  }

  private clientFor(s: Settings, apiKey: string | undefined): ResponsesClient {
    // The key is part of the cache key only in memory; it is never logged or stored.
    const key = JSON.stringify([s.baseURL, apiKey ?? '', s.maxRetries, s.timeoutMs]);
    if (this.client?.key !== key) {
      const log = this.deps.log;
      this.client = {
        key,
        client: new ResponsesClient({
          baseURL: s.baseURL,
          apiKey,
          maxRetries: s.maxRetries,
          timeoutMs: s.timeoutMs,
          onRetry: (n) => log.info(`retrying request to ${endpointLabel(s.baseURL)} (attempt ${n + 1})`),
        }),
      };
    }
    return this.client.client;
  }

  /** Stops the streaming turn of the active conversation (or any). Returns whether one was running. */
  stop(): boolean {
    const r = (this.active && this.running.get(this.active.id)) ?? this.running.values().next().value;
    if (!r) return false;
    r.abort.abort();
    return true;
  }

  /** Starts a new, empty conversation; it is created on disk with its first turn. */
  async newChat(): Promise<void> {
    const store = await this.store();
    if (this.active && this.running.has(this.active.id)) this.stop();
    this.active = undefined;
    await store.setActive(null);
    await this.postSnapshot();
    await this.postHistory();
  }

  private async requireTurn(turnId: string): Promise<{ conv: Conversation; turn: Turn } | undefined> {
    const conv = await this.activeConversation();
    const turn = conv?.getTurn(turnId);
    return conv && turn ? { conv, turn } : undefined;
  }

  /** Asks a failed or cancelled turn again, as a sibling branch of it. */
  async retry(turnId: string): Promise<AskResult | undefined> {
    const found = await this.requireTurn(turnId);
    if (!found) return undefined;
    return this.ask(found.turn.question, found.turn.attachments, { parentId: found.turn.parentId });
  }

  /** Sends an edited question as a sibling of the original turn, with its attachments. */
  async edit(turnId: string, text: string): Promise<AskResult | undefined> {
    const found = await this.requireTurn(turnId);
    if (!found) return undefined;
    return this.ask(text, found.turn.attachments, { parentId: found.turn.parentId });
  }

  /** A new conversation holding the path up to a completed turn; its next turn chains from that turn. */
  async fork(turnId: string): Promise<Conversation | undefined> {
    const found = await this.requireTurn(turnId);
    if (!found || found.turn.status !== 'completed') return undefined;
    const store = await this.store();
    const forked = await store.createWithTurns(
      { title: `Fork of ${found.conv.meta.title}`, forkOf: { conversationId: found.conv.id, turnId } },
      found.conv.pathTo(turnId),
    );
    this.active = forked;
    await this.postSnapshot();
    await this.postHistory();
    return forked;
  }

  async switchBranch(turnId: string, direction: 'previous' | 'next'): Promise<void> {
    const found = await this.requireTurn(turnId);
    if (!found) return;
    if (this.running.has(found.conv.id)) {
      this.notice('warning', 'Wait for the answer to finish before switching branches.');
      return;
    }
    const probe = found.conv.switchBranch(turnId, direction);
    if (probe === undefined) return;
    await (await this.store()).setHead(found.conv, probe);
    await this.postSnapshot();
  }

  async list(): Promise<ConversationSummary[]> {
    return (await this.store()).list();
  }

  /** A conversation in memory (the active one, or one with a streaming turn), else loaded from disk. */
  private async loaded(id: string): Promise<Conversation | undefined> {
    if (this.active?.id === id) return this.active;
    return this.running.get(id)?.conv ?? (await this.store()).load(id);
  }

  /** Makes a conversation active. False when it is unknown, or its transcript is gone (then it leaves the list). */
  async switchTo(id: string): Promise<boolean> {
    const store = await this.store();
    const conv = await this.loaded(id);
    this.reportWarnings(store);
    if (conv) {
      this.active = conv;
      await store.setActive(id);
      await this.postSnapshot();
    }
    await this.postHistory();
    return !!conv;
  }

  /** Renames a conversation (one line, at most TITLE_MAX_CHARS); a blank title changes nothing. */
  async rename(id: string, title: string): Promise<void> {
    const store = await this.store();
    const clean = cleanTitle(title);
    if (!clean || !store.entry(id)) return;
    const conv = await this.loaded(id);
    if (!conv) return;
    await store.rename(conv, clean);
    // The view takes the new title from the history message: no need to re-render the transcript.
    await this.postHistory();
  }

  /** Deletes a conversation, and its stored responses on the server (best effort, logged). */
  async delete(id: string): Promise<void> {
    const store = await this.store();
    if (this.running.has(id)) this.running.get(id)!.abort.abort();
    if (!store.entry(id)) return;
    const wasActive = this.active?.id === id;
    const ids = await store.delete(id);
    if (wasActive) {
      this.active = store.activeId ? await store.load(store.activeId) : undefined;
      await this.postSnapshot();
    }
    await this.postHistory();
    void this.deleteOnServer(ids);
  }

  private async deleteOnServer(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const s = this.deps.settings();
    const apiKey = await this.deps.keys.get();
    if (!apiKey && isDefaultEndpoint(s.baseURL)) return;
    const client = this.clientFor(s, apiKey);
    let deleted = 0;
    for (const id of ids) {
      try {
        await client.deleteResponse(id);
        deleted++;
      } catch (e) {
        this.deps.log.info(`could not delete ${id} on the server: ${(e as Error).message}`);
      }
    }
    this.deps.log.info(`deleted ${deleted}/${ids.length} stored response(s) on the server`);
  }

  async exportMarkdown(): Promise<string | undefined> {
    const conv = await this.activeConversation();
    return conv ? conversationToMarkdown(conv.meta.title, conv.activePath()) : undefined;
  }

  /** The URIs of the active conversation's attachments: the only files the view may ask to open. */
  async attachmentUris(): Promise<Set<string>> {
    const conv = await this.activeConversation();
    return new Set(conv?.activePath().flatMap((t) => t.attachments.map((a) => a.uri)) ?? []);
  }

  dispose(): void {
    for (const r of this.running.values()) r.abort.abort();
    this.emitter.dispose();
  }
}
