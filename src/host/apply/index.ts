// Apply, with a review: registers the proposed-text scheme and returns the handlers of the review commands
// and the applyCode entry point. The only thing the host needs from this folder is registerApply.
import * as vscode from 'vscode';
import type { CommandTable } from '../../shell/contributions';
import { applyCode } from './applyCode';
import { LastTextEditor } from './editorInsert';
import { ProposalReviews } from './proposalReviews';
import { ProposedDocuments } from './proposedDocuments';

export function registerApply(context: vscode.ExtensionContext) {
  const docs = new ProposedDocuments();
  const reviews = new ProposalReviews(docs);
  const editors = new LastTextEditor();
  context.subscriptions.push(docs, reviews, editors);
  return {
    'threadline.applyCode': (arg?: unknown) => applyCode(arg, reviews, editors),
    'threadline.acceptChange': (arg?: unknown) => reviews.accept(arg),
    'threadline.discardChange': (arg?: unknown) => reviews.discard(arg),
  } satisfies Partial<CommandTable>;
}
