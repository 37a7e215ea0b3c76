// `threadline.applyCode`, the one entry point for applying an answer's code (the chat's Apply button and
// tests call it). With a target, the change opens for review; without one, the code replaces the last
// editor's selection or goes in at its cursor. Every refusal is shown and returned with its reason.
import * as vscode from 'vscode';
import { parseApplyRequest } from '../../core/applyRequest';
import { replaceSelections, type LastTextEditor } from './editorInsert';
import type { ProposalReviews, ProposeOutcome } from './proposalReviews';
import { openTargetDocument, TargetError } from './targetDocument';

export type ApplyOutcome =
  | ProposeOutcome
  | { outcome: 'replaced' | 'inserted'; uri: string };

function refuse(message: string, show: (m: string) => Thenable<unknown>): ApplyOutcome {
  void show(`Threadline: ${message}`);
  return { outcome: 'refused', message };
}

export async function applyCode(arg: unknown, reviews: ProposalReviews, editors: LastTextEditor): Promise<ApplyOutcome> {
  const parsed = parseApplyRequest(arg);
  if (!parsed.ok) return refuse(`cannot apply this code: ${parsed.message}`, vscode.window.showErrorMessage);
  const { code, target, turnLabel } = parsed.request;

  if (!target) {
    const editor = editors.get();
    if (!editor) return refuse('open an editor and put the cursor where the code should go, or select the code it replaces.', vscode.window.showInformationMessage);
    const done = await replaceSelections(editor, code);
    if (done === 'refused') return refuse(`${editor.document.uri.path.split('/').pop()} cannot be edited; nothing was changed.`, vscode.window.showErrorMessage);
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    return { outcome: done, uri: editor.document.uri.toString() };
  }

  let document: vscode.TextDocument;
  try {
    document = await openTargetDocument(target.uri);
  } catch (e) {
    if (e instanceof TargetError) return refuse(`cannot apply this code: ${e.message}`, vscode.window.showErrorMessage);
    throw e;
  }
  const result = await reviews.propose({ document, target, code, turnLabel });
  if (result.outcome === 'refused') void vscode.window.showWarningMessage(`Threadline: ${result.message}`);
  if (result.outcome === 'unchanged') void vscode.window.showInformationMessage(`Threadline: ${result.message}`);
  return result;
}
