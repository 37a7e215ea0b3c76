// Apply, with a review: registers the proposed-text scheme, the review commands and the applyCode
// entry point. The only thing extension.ts needs from this folder is registerApply.
import * as vscode from 'vscode';
import { applyCode } from './applyCode';
import { LastTextEditor } from './editorInsert';
import { ProposalReviews } from './proposalReviews';
import { ProposedDocuments } from './proposedDocuments';

export function registerApply(context: vscode.ExtensionContext): void {
  const docs = new ProposedDocuments();
  const reviews = new ProposalReviews(docs);
  const editors = new LastTextEditor();
  context.subscriptions.push(
    docs,
    reviews,
    editors,
    vscode.commands.registerCommand('threadline.applyCode', (arg?: unknown) => applyCode(arg, reviews, editors)),
    vscode.commands.registerCommand('threadline.acceptChange', (arg?: unknown) => reviews.accept(arg)),
    vscode.commands.registerCommand('threadline.discardChange', (arg?: unknown) => reviews.discard(arg)),
  );
}
