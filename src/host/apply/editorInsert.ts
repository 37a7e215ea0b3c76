// Code with no target file goes into the editor the user was last in: in place of its selections
// (Replace Selection), or at its cursors when nothing is selected (Insert at Cursor).
import * as vscode from 'vscode';
import { PROPOSED_SCHEME } from './proposedDocuments';

/** Editors that are not the user's code: the proposed side of a review, output channels. */
const NOT_CODE = new Set([PROPOSED_SCHEME, 'output', 'vscode-scm']);
const isCode = (e: vscode.TextEditor | undefined): e is vscode.TextEditor => !!e && !NOT_CODE.has(e.document.uri.scheme);

/** Remembers the last code editor, since the active one is undefined while the chat view has focus. */
export class LastTextEditor implements vscode.Disposable {
  private last = isCode(vscode.window.activeTextEditor) ? vscode.window.activeTextEditor : undefined;
  private readonly sub = vscode.window.onDidChangeActiveTextEditor((e) => {
    if (isCode(e)) this.last = e;
  });

  get(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (isCode(active)) return active;
    const last = this.last;
    return last && !last.document.isClosed && vscode.window.visibleTextEditors.includes(last) ? last : undefined;
  }

  dispose(): void {
    this.sub.dispose();
  }
}

export type InsertOutcome = 'replaced' | 'inserted' | 'refused';

/** Puts `code` in place of every selection of `editor`, as one undo step. */
export async function replaceSelections(editor: vscode.TextEditor, code: string): Promise<InsertOutcome> {
  const replacing = editor.selections.some((s) => !s.isEmpty);
  const done = await editor.edit((b) => editor.selections.forEach((s) => b.replace(s, code)));
  if (!done) return 'refused';
  return replacing ? 'replaced' : 'inserted';
}
