// The selection kind's collector: editor selections -> selection attachments, exactly as selected.
import * as vscode from 'vscode';
import type { SelectionAttachment } from '../core/types';

/** The workspace-relative path with forward slashes, or the file name for a file outside the workspace. */
export function displayPath(uri: vscode.Uri): string {
  const rel = vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
  if (rel !== uri.fsPath && rel !== uri.toString()) return rel.replace(/\\/g, '/');
  return uri.path.split('/').pop() || uri.toString();
}

function attachmentFor(doc: vscode.TextDocument, sel: vscode.Selection | vscode.Range): SelectionAttachment {
  // A selection that ends at column 0 of a line does not include that line.
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return {
    kind: 'selection',
    path: displayPath(doc.uri),
    uri: doc.uri.toString(),
    startLine: sel.start.line + 1,
    endLine: endLine + 1,
    languageId: doc.languageId,
    code: doc.getText(sel),
  };
}

/** The editor's non-empty selections, top to bottom. */
export function selectionAttachments(editor: vscode.TextEditor | undefined): SelectionAttachment[] {
  if (!editor) return [];
  return [...editor.selections]
    .filter((s) => !s.isEmpty)
    .sort((a, b) => a.start.compareTo(b.start))
    .map((s) => attachmentFor(editor.document, s));
}
