// What the chat view asks of the editor: insert or apply an answer's code, open an attached file at its
// lines, open a link. Each checks what the view sends (it renders untrusted model output): only attached
// files open, only http(s) links, and only after a confirmation.
import * as vscode from 'vscode';
import { applyTargetOf } from '../core/attachments';
import { replaceSelections } from './apply/editorInsert';
import type { ChatController } from './chatController';

export class EditorIntents implements vscode.Disposable {
  /** The last text editor, since the active one is undefined while the chat view has focus. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly sub = vscode.window.onDidChangeActiveTextEditor((e) => e && (this.lastEditor = e));

  constructor(
    private readonly controller: ChatController,
    private readonly log: vscode.LogOutputChannel,
    /** Whether the composer holds an attachment of this file (not sent yet). */
    private readonly composerHas: (uri: string) => boolean,
  ) {}

  async insertCode(code: string): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? this.lastEditor;
    if (!editor || editor.document.isClosed) {
      this.controller.notice('info', 'Open an editor to insert the code at its cursor.');
      return;
    }
    await replaceSelections(editor, code);
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  }

  /** Apply goes where the turn's attachment came from; without one, to the editor's selection or cursor. */
  async applyCode(turnId: string, code: string): Promise<void> {
    const path = (await this.controller.session.activeConversation())?.activePath() ?? [];
    const at = path.findIndex((t) => t.id === turnId);
    if (at < 0) {
      this.log.warn('the chat view asked to apply code from a turn that is not in this chat');
      return;
    }
    const target = applyTargetOf(path[at]!.attachments);
    await vscode.commands.executeCommand('threadline.applyCode', { code, ...(target ? { target } : {}), turnLabel: `turn ${at + 1}` });
  }

  /** Opens only files that the active conversation or the composer attached: the view cannot open arbitrary URIs. */
  async openAttachment(uri: string, startLine: number, endLine: number): Promise<void> {
    if (!this.composerHas(uri) && !(await this.controller.attachmentUris()).has(uri)) {
      this.log.warn('the chat view asked to open a file that is not an attachment of this chat');
      return;
    }
    const range = new vscode.Range(startLine - 1, 0, endLine - 1, Number.MAX_SAFE_INTEGER);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri, true), { selection: range, preview: true });
  }

  /** Links from model output open only after confirmation, and only http and https. */
  async openLink(href: string): Promise<void> {
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
    this.sub.dispose();
  }
}
