// The sidebar chat view: serves the page with a strict CSP, waits for the webview's `ready`, validates
// every message it posts, and routes intents to the controller. It keeps no state of its own: a hidden
// view is disposed (no retainContextWhenHidden) and restores from a snapshot plus the webview's setState.
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import { replaceSelections } from './apply/editorInsert';
import type { ChatController } from './chatController';
import { confirmAndDelete } from './commands';
import { makeNonce, renderWebviewHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'threadline.chat';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private pendingDelta: Extract<HostToWebview, { type: 'delta' }> | undefined;
  private deltaInFlight = false;
  private readonly subs: vscode.Disposable[] = [];
  /** The last text editor, since the active one is undefined while the chat view has focus. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subs.push(
      controller.onMessage((m) => this.post(m)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && (this.lastEditor = e)),
    );
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
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`, { preserveFocus });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    this.pendingDelta = undefined;
    this.deltaInFlight = false;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [webviewRoot, vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = renderWebviewHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.css')).toString(),
      nonce: makeNonce(),
    });
    const subs = [
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
        subs.forEach((s) => s.dispose());
      }),
    ];
  }

  /**
   * Posts only after the handshake; before it, the snapshot sent on `ready` covers everything.
   * Deltas have backpressure: one is in flight to the webview at a time, and the ones that arrive
   * meanwhile are merged into the next message, so a fast stream never queues thousands of tiny
   * messages in VS Code's IPC (which would delay every delta behind them).
   */
  post(m: HostToWebview): void {
    if (!this.view || !this.ready) return;
    if (m.type !== 'delta') {
      this.sendPendingDelta();
      void this.view.webview.postMessage(m);
      return;
    }
    const p = this.pendingDelta;
    if (p && (p.turnId !== m.turnId || p.conversationId !== m.conversationId)) this.sendPendingDelta();
    if (this.pendingDelta) this.pendingDelta.text += m.text;
    else this.pendingDelta = { ...m };
    if (!this.deltaInFlight) this.sendPendingDelta();
  }

  private sendPendingDelta(): void {
    const m = this.pendingDelta;
    const view = this.view;
    if (!m || !view) return;
    this.pendingDelta = undefined;
    this.deltaInFlight = true;
    const settled = () => {
      // A newer view (re-resolved after a hide) starts with nothing in flight.
      if (this.view !== view) return;
      this.deltaInFlight = false;
      if (this.pendingDelta) this.sendPendingDelta();
    };
    view.webview.postMessage(m).then(settled, settled);
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
    switch (m.type) {
      case 'ready': {
        const snap = await c.snapshot();
        this.ready = true;
        this.post(snap);
        return;
      }
      case 'send':
        await c.ask(m.text, m.attachments);
        return;
      case 'stop':
        c.stop();
        return;
      case 'retry':
        await c.retry(m.turnId);
        return;
      case 'newChat':
        await c.newChat();
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        return;
      case 'insertCode':
        return this.insertCode(m.code);
      case 'openAttachment':
        return this.openAttachment(m.uri, m.startLine, m.endLine);
      case 'openLink':
        return this.openLink(m.href);
      case 'setApiKey':
        await vscode.commands.executeCommand('threadline.setApiKey');
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:threadline.threadline');
        return;
      case 'loadEarlier': {
        const earlier = await c.earlierTurns(m.beforeTurnId);
        if (earlier) this.post(earlier);
        return;
      }
      case 'fork':
        await c.fork(m.turnId);
        return;
      case 'edit':
        await c.edit(m.turnId, m.text);
        return;
      case 'switchBranch':
        await c.switchBranch(m.turnId, m.direction);
        return;
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
        this.post(await c.history());
        return;
      case 'switchConversation':
        if (!(await c.switchTo(m.conversationId))) c.notice('warning', 'That chat could not be opened; it was removed from the history.');
        return;
      case 'renameConversation':
        await c.rename(m.conversationId, m.title);
        return;
      case 'deleteConversation':
        // Nothing is deleted without the user's confirmation in a modal dialog.
        if (!(await confirmAndDelete(c, m.conversationId))) this.post(await c.history());
        return;
    }
  }

  private async insertCode(code: string): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? this.lastEditor;
    if (!editor || editor.document.isClosed) {
      this.controller.notice('info', 'Open an editor to insert the code at its cursor.');
      return;
    }
    await replaceSelections(editor, code);
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  }

  /** Opens only files that the active conversation attached: the view cannot open arbitrary URIs. */
  private async openAttachment(uri: string, startLine: number, endLine: number): Promise<void> {
    if (!(await this.controller.attachmentUris()).has(uri)) {
      this.log.warn('the chat view asked to open a file that is not an attachment of this chat');
      return;
    }
    const range = new vscode.Range(startLine - 1, 0, endLine - 1, Number.MAX_SAFE_INTEGER);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri, true), { selection: range, preview: true });
  }

  /** Links from model output open only after confirmation, and only http and https. */
  private async openLink(href: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(href, true);
    } catch {
      return;
    }
    if (uri.scheme !== 'http' && uri.scheme !== 'https') {
      this.log.warn(`refused to open a ${uri.scheme}: link from the chat`);
      return;
    }
    const open = 'Open Link';
    const pick = await vscode.window.showWarningMessage(
      `Open this link from the chat in your browser?\n\n${uri.toString(true)}`,
      { modal: true },
      open,
    );
    if (pick === open) await vscode.env.openExternal(uri);
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
  }
}
