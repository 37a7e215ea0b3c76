// The sidebar chat view: serves the page with a strict CSP, waits for the webview's `ready`, validates
// every message it posts, and routes intents to the controller (and editor intents to EditorIntents). It
// keeps no conversation state: a hidden view is disposed (no retainContextWhenHidden) and restores from a
// snapshot plus the webview's setState; only the composer's unsent attachments live here.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { type Attachment, type DraftChip, PendingAttachments } from '../core/attachments';
import { CHAT_ACTIONS, parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import type { ChatViewId } from '../shell/contributions';
import type { ChatController } from './chatController';
import type { ContextSources } from './context/contextSources';
import { DeltaQueue } from './deltaQueue';
import { EditorIntents } from './editorIntents';
import type { ModelPicker } from './modelPicker';
import { confirmAndDelete, runErrorAction } from './prompts';
import { serveChatPage } from './webviewPage';

/** The view's id is the shell's, which registers the provider; this module may not import it as a value. */
const FOCUS_VIEW = 'threadline.chat.focus' satisfies `${ChatViewId}.focus`;

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** Per resolved view: a re-resolved view (after a hide) starts with nothing in flight. */
  private deltas: DeltaQueue | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** Attachments the composer shows as chips, until a send takes them. */
  private readonly pending = new PendingAttachments(randomUUID);
  private readonly editor: EditorIntents;
  /** Chips added before the view was ready: posted after its snapshot. */
  private chipsForView: DraftChip[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
    private readonly log: vscode.LogOutputChannel,
    private readonly models: ModelPicker,
    private readonly sources: ContextSources,
  ) {
    this.editor = new EditorIntents(controller, log, (uri) => this.pending.openTargets().some((t) => t.uri === uri));
    this.subs.push(controller.onMessage((m) => this.post(m)), this.editor);
  }

  get visible(): boolean {
    return !!this.view?.visible;
  }

  /** Opens the view (and waits until it is resolved). */
  async reveal(preserveFocus = true): Promise<void> {
    if (this.view) {
      this.view.show(preserveFocus);
      return;
    }
    await vscode.commands.executeCommand(FOCUS_VIEW, { preserveFocus });
  }

  /** Adds attachments to the composer as chips and focuses it; the next Send carries them. */
  async addAttachments(attachments: readonly Attachment[]): Promise<void> {
    this.chipsForView.push(...this.pending.add(attachments));
    await this.reveal(false);
    this.postChips();
  }

  private postChips(): void {
    if (!this.view || !this.ready || this.chipsForView.length === 0) return;
    this.post({ type: 'addAttachments', attachments: this.chipsForView });
    this.post({ type: 'focusComposer' });
    this.chipsForView = [];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    this.deltas = new DeltaQueue((m) => (this.view === view ? view.webview.postMessage(m) : Promise.resolve()));
    serveChatPage(view.webview, this.extensionUri);
    const subs = [
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
        this.deltas = undefined;
        subs.forEach((s) => s.dispose());
      }),
    ];
  }

  /** Posts only after the handshake; before it, the snapshot sent on `ready` covers everything. */
  post(m: HostToWebview): void {
    if (!this.view || !this.ready || !this.deltas) return;
    if (m.type === 'delta') {
      this.deltas.push(m);
      return;
    }
    this.deltas.flush();
    void this.view.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    const m = parseWebviewMessage(raw);
    if (!m) {
      const type = typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type).slice(0, 40) : typeof raw;
      this.log.warn(`dropped an invalid message from the chat view (type ${type})`);
      return;
    }
    if (!this.ready && m.type !== 'ready') {
      this.log.warn(`dropped "${m.type}" from the chat view before its ready message`);
      return;
    }
    this.handle(m).catch((e: unknown) => this.log.error(`chat view action "${m.type}" failed: ${(e as Error).stack ?? e}`));
  }

  private async handle(m: WebviewToHost): Promise<void> {
    const c = this.controller;
    const s = c.session;
    switch (m.type) {
      case 'ready': {
        const snap = await c.snapshot();
        this.ready = true;
        this.post(snap);
        this.postChips();
        return;
      }
      case 'send':
        return this.send(m);
      case 'stop':
        s.stop();
        return;
      case 'retry':
        await s.retry(m.turnId);
        return;
      case 'compact': {
        const r = await s.compactAndContinue(m.turnId);
        if (!r.ok) c.refused(r.reason);
        return;
      }
      case 'newChat':
        await s.newChat();
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        return;
      case 'insertCode':
        return this.editor.insertCode(m.code);
      case 'openAttachment':
        return this.editor.openAttachment(m.uri, m.startLine, m.endLine);
      case 'openLink':
        return this.editor.openLink(m.href);
      case 'setApiKey':
      case 'openSettings':
      case 'selectModel':
        return runErrorAction(m.type);
      case 'regenerate':
        await this.models.regenerate(m.turnId, m.choose);
        return;
      case 'selectEffort':
        await vscode.commands.executeCommand('threadline.selectReasoningEffort');
        return;
      case 'loadEarlier': {
        const earlier = await c.earlierTurns(m.beforeTurnId, m.requestId);
        if (earlier) this.post(earlier);
        return;
      }
      case 'fork':
        await s.fork(m.turnId);
        return;
      case 'edit':
        await s.edit(m.turnId, m.text);
        return;
      case 'switchBranch': {
        const r = await s.switchBranch(m.turnId, m.direction);
        if (!r.ok) c.refused(r.reason);
        return;
      }
      case 'showHistory':
        await vscode.commands.executeCommand('threadline.showHistory');
        return;
      case 'exportChat':
        await vscode.commands.executeCommand('threadline.exportChat');
        return;
      case 'copyAsMarkdown': {
        const md = await c.exportMarkdown();
        if (md) await vscode.env.clipboard.writeText(md);
        else c.notice('info', 'This chat is empty; there is nothing to copy.');
        return;
      }
      case 'requestHistory':
        this.post(await c.history(m.requestId));
        return;
      case 'switchConversation': {
        const r = await s.switchTo(m.conversationId);
        if (!r.ok) c.refused(r.reason);
        return;
      }
      case 'renameConversation':
        await s.rename(m.conversationId, m.title);
        return;
      case 'deleteConversation':
        // Nothing is deleted without the user's confirmation in a modal dialog.
        if (!(await confirmAndDelete(s, m.conversationId))) this.post(await c.history());
        return;
      case 'chatAction':
        await vscode.commands.executeCommand(CHAT_ACTIONS[m.action].command, { conversationId: m.conversationId });
        return;
      case 'addContext':
        await vscode.commands.executeCommand('threadline.addContext');
        return;
      case 'attachFiles':
        return this.attachFiles(m.uris);
      case 'applyCode':
        return this.editor.applyCode(m.turnId, m.code);
    }
  }

  private async attachFiles(raw: readonly string[]): Promise<void> {
    const uris: vscode.Uri[] = [];
    for (const u of raw) {
      try {
        uris.push(vscode.Uri.parse(u, true));
      } catch {
        this.controller.notice('warning', 'Only files can be dropped here; that was not a file.');
        return;
      }
    }
    const c = await this.sources.files(uris);
    if (c.ok) await this.addAttachments(c.attachments);
    else this.controller.notice('warning', c.message);
  }

  /** Every send gets a reply that echoes its id: a started turn, or a notice saying why not. */
  private async send(m: Extract<WebviewToHost, { type: 'send' }>): Promise<void> {
    const found = this.pending.resolve(m.attachments);
    if ('missing' in found) {
      const what = found.missing === 1 ? 'An attachment of this message is' : `${found.missing} attachments of this message are`;
      this.controller.notice('warning', `${what} no longer available (VS Code restarted or more were added since). Remove its chip and add it again.`, [], m.requestId);
      return;
    }
    try {
      const result = await this.controller.ask(m.text, found.attachments, m.requestId);
      if (result.turnId) this.pending.release(m.attachments);
    } catch (e) {
      this.controller.notice('error', 'This message failed; the Threadline log (Output, Threadline) says why.', [], m.requestId);
      throw e;
    }
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
  }
}
