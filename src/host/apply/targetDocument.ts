// Opens the document an answer's code is for, after checking it is one Threadline may propose changes
// to: in the workspace (or an open untitled document), still there, text, and of a reviewable size.
// Reads go through the workspace file system and documents, so remote and virtual workspaces work.
import * as vscode from 'vscode';
import { PROPOSED_SCHEME } from './proposedDocuments';

/** Larger files are refused: a diff of them would be slow to review and to compute. */
const MAX_TARGET_BYTES = 5 * 1024 * 1024;
/** How much of a file is looked at for a NUL byte, the same test git uses for "binary". */
const BINARY_SNIFF_BYTES = 8000;

export class TargetError extends Error {}

function parseUri(raw: string): vscode.Uri {
  try {
    return vscode.Uri.parse(raw, true);
  } catch {
    throw new TargetError(`"${raw.slice(0, 200)}" is not a valid URI.`);
  }
}

function isFileNotFound(e: unknown): boolean {
  return e instanceof vscode.FileSystemError && (e.code === 'FileNotFound' || e.code === 'EntryNotFound');
}

/** The open document for `raw`, or a TargetError whose message says why not. */
export async function openTargetDocument(raw: string): Promise<vscode.TextDocument> {
  const uri = parseUri(raw);
  const name = uri.path.split('/').pop() || raw;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (uri.scheme === 'untitled') {
    if (!open) throw new TargetError(`the untitled document ${name} is no longer open.`);
    return open;
  }
  if (uri.scheme === PROPOSED_SCHEME) throw new TargetError('a proposal cannot be the target of another proposal.');
  if (!vscode.workspace.getWorkspaceFolder(uri)) throw new TargetError(`${name} is outside the workspace; Threadline only changes files in it.`);
  // Unsaved edits are what the user sees, even when the file was deleted on disk meanwhile.
  if (open?.isDirty) return open;
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (e) {
    if (isFileNotFound(e)) throw new TargetError(`${name} no longer exists.`);
    throw new TargetError(`${name} cannot be read: ${(e as Error).message}`);
  }
  if (stat.type & vscode.FileType.Directory) throw new TargetError(`${name} is a folder, not a file.`);
  if (open) return open;
  if (stat.size > MAX_TARGET_BYTES) throw new TargetError(`${name} is larger than ${MAX_TARGET_BYTES / 1024 / 1024} MB, too large to review as a diff.`);
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw new TargetError(`${name} is a binary file; Threadline only proposes changes to text files.`);
  return vscode.workspace.openTextDocument(uri);
}
