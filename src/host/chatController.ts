// Wires the session to VS Code: turns its events into messages for the chat view (through the view
// model), store warnings into the log and a notification, and tells the rest of the extension when the
// active conversation's busy state changes or a turn fails. The behaviour lives in src/core/session.ts.
import * as vscode from 'vscode';
import { effortLabel } from '../core/effort';
import type { EndpointCapabilities } from '../core/endpointCapabilities';
import type { TurnError } from '../core/errors';
import { conversationToMarkdown } from '../core/markdownExport';
import { endpointLabel, isDefaultEndpoint } from '../core/responsesClient';
import { type Refusal, Session, type SessionEvent } from '../core/session';
import type { ConversationStore } from '../core/store/conversationStore';
import type { Attachment } from '../core/types';
import type { HostToWebview, ViewState } from '../shared/protocol';
import { type AskResult, askResult } from './api';
import type { ApiKeyStore } from './secrets';
import type { Settings } from './settings';
import { attachmentUris, conversationView, earlierTurns, historyMessage, turnView } from './viewModel';

export interface ControllerDeps {
  /** Opens the store; called on first use, so activation stays fast. */
  openStore: () => Promise<ConversationStore>;
  keys: ApiKeyStore;
  capabilities: EndpointCapabilities;
  settings: () => Settings;
  log: vscode.LogOutputChannel;
}

/** What the view says when a navigation did nothing; silent where the view cannot offer the action. */
const REFUSAL_NOTICES: Record<Refusal, string | undefined> = {
  busy: 'Wait for the answer to finish before switching branches.',
  no_such_conversation: 'That chat could not be opened; it was removed from the history.',
  no_such_turn: undefined,
  not_completed: undefined,
  no_branch: undefined,
  blank_title: undefined,
  not_compactable: 'Only a turn that outgrew the context window can be compacted and continued.',
  blank_model: 'Type a model id.',
};

export class ChatController implements vscode.Disposable {
  readonly session: Session;
  private readonly messages = new vscode.EventEmitter<HostToWebview>();
  /** Messages for the chat view. */
  readonly onMessage = this.messages.event;
  private readonly busyChanged = new vscode.EventEmitter<boolean>();
  /** Whether the active conversation is running a turn, after it changed. */
  readonly onDidChangeBusy = this.busyChanged.event;
  private readonly turnErrors = new vscode.EventEmitter<TurnError>();
  /** A turn ended with an error (Stop is not one). */
  readonly onTurnError = this.turnErrors.event;
  /** Whether a key is set, as last read: the state message is built without waiting on secret storage. */
  private hasKey = false;

  constructor(private readonly deps: ControllerDeps) {
    this.session = new Session({
      openStore: deps.openStore,
      settings: deps.settings,
      apiKey: () => deps.keys.get(),
      capabilities: deps.capabilities,
      log: deps.log,
      events: (e) => this.onSessionEvent(e),
    });
  }

  private post(m: HostToWebview): void {
    this.messages.fire(m);
  }

  private onSessionEvent(e: SessionEvent): void {
    switch (e.type) {
      case 'turnStarted':
        this.post({ type: 'turnStarted', requestId: e.requestId, conversationId: e.conversation.id, turn: turnView(e.conversation, e.turn) });
        return;
      case 'turnFinished':
        this.post({ type: 'turnFinished', conversationId: e.conversation.id, turn: turnView(e.conversation, e.turn) });
        return;
      case 'delta':
        this.post(e);
        return;
      case 'turnError':
        this.turnErrors.fire(e.error);
        return;
      case 'notice':
        this.deps.log.warn(e.message);
        this.notice('info', e.message);
        return;
      case 'refused':
        // The view's own send keeps its draft (the notice echoes its id); an ask from elsewhere (palette,
        // API) has no composer, so its text is given to the view's.
        this.notice('warning', e.error.message, e.error.actions, e.requestId);
        if (e.requestId === undefined) this.post({ type: 'setDraft', text: e.draft });
        return;
      case 'activeChanged':
        // Built now, from memory: the turn messages that follow must not overtake it.
        this.post({ type: 'snapshot', conversation: conversationView(this.session.current), state: this.viewState() });
        this.busyChanged.fire(this.session.isBusy());
        return;
      case 'historyChanged':
        void this.history().then((m) => this.post(m));
        return;
      case 'modelChanged':
        this.postState();
        return;
      case 'busyChanged':
        this.postState();
        this.busyChanged.fire(this.session.isBusy());
        return;
      case 'storeWarnings':
        for (const w of e.messages) this.deps.log.warn(w);
        void vscode.window.showWarningMessage(
          `Threadline: ${e.messages[0]}${e.messages.length > 1 ? ` (and ${e.messages.length - 1} more; see the Threadline log)` : ''}`,
        );
        return;
      default:
        return ((never: never) => never)(e);
    }
  }

  private viewState(): ViewState {
    const s = this.deps.settings();
    return {
      busy: this.session.isBusy(),
      hasKey: this.hasKey || !isDefaultEndpoint(s.baseURL),
      model: this.session.model,
      chaining: s.chaining,
      endpoint: endpointLabel(s.baseURL),
      effort: effortLabel(this.session.model, this.session.reasoningEffort),
    };
  }

  /** The active conversation's newest turns, reloaded if another window added to it, for the view. */
  async snapshot(): Promise<HostToWebview> {
    this.hasKey = await this.deps.keys.has();
    const conv = await this.session.activeConversation();
    return { type: 'snapshot', conversation: conversationView(conv), state: this.viewState() };
  }

  postState(): void {
    this.post({ type: 'state', state: this.viewState() });
  }

  async history(requestId?: string): Promise<Extract<HostToWebview, { type: 'history' }>> {
    return historyMessage(await this.session.list(), this.session.current?.id ?? null, requestId);
  }

  async earlierTurns(beforeTurnId: string, requestId: string): Promise<HostToWebview | undefined> {
    const conv = await this.session.activeConversation();
    return conv && earlierTurns(conv, beforeTurnId, requestId);
  }

  notice(level: 'info' | 'warning' | 'error', message: string, actions: TurnError['actions'] = [], requestId?: string): void {
    this.post({ type: 'notice', requestId, level, message, actions });
  }

  /** Tells the view why a navigation did nothing, where it could have expected something. */
  refused(reason: Refusal): void {
    const message = REFUSAL_NOTICES[reason];
    if (message) this.notice('warning', message);
  }

  /** `requestId` when the view's composer sent it: its replies echo the id. */
  async ask(question: string, attachments: readonly Attachment[], requestId?: string): Promise<AskResult> {
    return askResult(await this.session.ask(question, attachments, { requestId }));
  }

  async exportMarkdown(): Promise<string | undefined> {
    const conv = await this.session.activeConversation();
    return conv ? conversationToMarkdown(conv.meta.title, conv.activePath()) : undefined;
  }

  async attachmentUris(): Promise<Set<string>> {
    return attachmentUris(await this.session.activeConversation());
  }

  /** A key was set or cleared: the view's state changes, and the endpoint may chain now. */
  async keyChanged(): Promise<void> {
    this.hasKey = await this.deps.keys.has();
    this.postState();
    await this.session.keyChanged();
  }

  async settingsChanged(): Promise<void> {
    this.postState();
    await this.session.settingsChanged();
  }

  dispose(): void {
    this.session.dispose();
    this.messages.dispose();
    this.busyChanged.dispose();
    this.turnErrors.dispose();
  }
}
