// The file kind's collector: a document (the active editor's, untitled ones too) or a file by URI (picked
// or dropped). Files are read through workspace.fs and opened as documents, never with node:fs, so
// remote (SSH, WSL, containers) and virtual workspaces work.
import * as vscode from 'vscode';
import { fileAttachment, looksBinary, MAX_READ_BYTES } from '../../core/attachmentBuilders';
import { formatBytes } from '../../shared/bytes';
import { displayPath } from '../selection';
import { collected, type Collected, refused } from './collected';

const nameOf = (uri: vscode.Uri): string => uri.path.split('/').pop() || uri.toString();

/** The document as it is in the editor, unsaved edits included. */
export function fileFromDocument(doc: vscode.TextDocument): Collected {
  return collected(fileAttachment({ path: displayPath(doc.uri), uri: doc.uri.toString(), languageId: doc.languageId, text: doc.getText() }));
}

/** A workspace file by URI; an open document of it wins, since it may hold unsaved edits. */
export async function fileFromUri(uri: vscode.Uri): Promise<Collected> {
  const name = nameOf(uri);
  if (!vscode.workspace.workspaceFolders?.length) return refused(`No folder is open, so ${name} cannot be attached from the workspace. Open it in an editor and use "Ask About Current File".`);
  if (!vscode.workspace.getWorkspaceFolder(uri)) return refused(`${name} is outside the workspace, so it was not attached. Open it in an editor and use "Ask About Current File" to attach it on purpose.`);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return fileFromDocument(open);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (e) {
    return refused(e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? `${name} no longer exists, so it was not attached.` : `${name} cannot be read: ${(e as Error).message}`);
  }
  if (stat.type & vscode.FileType.Directory) return refused(`${name} is a folder; attach the files in it one by one.`);
  if (stat.size > MAX_READ_BYTES) return refused(`${name} is ${formatBytes(stat.size)}; Threadline attaches files up to ${formatBytes(MAX_READ_BYTES)} (and sends their start). Select the part that matters instead.`);
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    return refused(`${name} cannot be read: ${(e as Error).message}`);
  }
  if (looksBinary(bytes)) return refused(`${name} is a binary file; Threadline attaches text files only.`);
  return fileFromDocument(await vscode.workspace.openTextDocument(uri));
}
