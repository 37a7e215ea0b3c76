// Reviews of proposed changes: each one is a diff editor of the document's current text against the
// proposed text. Accept applies one WorkspaceEdit (one undo step, left unsaved); Discard changes nothing.
// Closing the diff any other way discards too, so no proposal outlives its review.
import * as vscode from 'vscode';
import { minimalEdit, proposeText, type ProposalTarget } from '../../core/proposal';
import { PROPOSED_SCHEME, type ProposedDocuments } from './proposedDocuments';
import { displayPath } from '../selection';

/** True while a proposal waits for Accept or Discard: shows the two commands in the palette. */
export const PENDING_CONTEXT_KEY = 'threadline.proposalPending';

export interface ProposeChange {
  document: vscode.TextDocument;
  target: ProposalTarget;
  code: string;
  /** Which answer the code is from, for the diff's title (e.g. "turn 3"). */
  turnLabel?: string;
}

export type ProposeOutcome =
  | { outcome: 'review'; proposedUri: string; title: string; changedSinceAttached: boolean }
  | { outcome: 'unchanged'; message: string }
  | { outcome: 'refused'; message: string };

interface Pending {
  proposedUri: vscode.Uri;
  document: vscode.TextDocument;
  /** The document version the proposal was computed from; Accept refuses if it moved on. */
  version: number;
  proposedText: string;
}

const fileName = (uri: vscode.Uri) => uri.path.split('/').pop() || uri.toString();

export class ProposalReviews implements vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly docs: ProposedDocuments) {
    this.subs = [vscode.window.tabGroups.onDidChangeTabs((e) => this.dropClosed(e.closed))];
  }

  async propose(change: ProposeChange): Promise<ProposeOutcome> {
    const { document } = change;
    const current = document.getText();
    const result = proposeText(current, change.target, change.code, displayPath(document.uri));
    if (result.kind === 'refused') return { outcome: 'refused', message: result.message };
    const name = fileName(document.uri);
    if (result.proposedText === current) return { outcome: 'unchanged', message: `${name} already has this code; there is nothing to apply.` };

    const title = `${name} ↔ Threadline proposal${change.turnLabel ? ` (${change.turnLabel})` : ''}`
      + (result.changedSinceAttached ? ' · file changed since attached' : '');
    const proposedUri = this.docs.add(result.proposedText, name);
    this.pending.set(proposedUri.toString(), { proposedUri, document, version: document.version, proposedText: result.proposedText });
    await this.updateContext();
    await vscode.commands.executeCommand('vscode.diff', document.uri, proposedUri, title, { preview: false });
    return { outcome: 'review', proposedUri: proposedUri.toString(), title, changedSinceAttached: result.changedSinceAttached };
  }

  /** Applies the proposal as one edit and shows the (unsaved) document. Resolves whether it applied. */
  async accept(arg?: unknown): Promise<boolean> {
    const p = this.find(arg);
    if (!p) return this.nothingPending();
    const { document } = p;
    if (document.isClosed || document.version !== p.version) {
      void vscode.window.showWarningMessage(
        `Threadline: ${fileName(document.uri)} changed after the proposal was made, so it was not applied. Discard it and apply the code again to review it against the new text.`,
      );
      return false;
    }
    const current = document.getText();
    const e = minimalEdit(current, p.proposedText);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Threadline: VS Code refused the edit to ${fileName(document.uri)}; nothing was changed.`);
      return false;
    }
    await this.end(p);
    await vscode.window.showTextDocument(document, { preview: false });
    return true;
  }

  /** Closes the review and changes nothing. Resolves whether there was one. */
  async discard(arg?: unknown): Promise<boolean> {
    const p = this.find(arg);
    if (!p) return this.nothingPending();
    await this.end(p);
    return true;
  }

  /**
   * The proposal a command is about: the URI the diff editor's title bar passes, else the one in the
   * active editor tab, else the only one pending.
   */
  private find(arg: unknown): Pending | undefined {
    if (arg instanceof vscode.Uri) return this.pending.get(arg.toString());
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSED_SCHEME) return this.pending.get(input.modified.toString());
    return this.pending.size === 1 ? [...this.pending.values()][0] : undefined;
  }

  private nothingPending(): false {
    void vscode.window.showInformationMessage('Threadline: open the review of a proposed change first.');
    return false;
  }

  private diffTabs(proposedUri: vscode.Uri): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) =>
      t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposedUri.toString());
  }

  private async end(p: Pending): Promise<void> {
    this.pending.delete(p.proposedUri.toString());
    await vscode.window.tabGroups.close(this.diffTabs(p.proposedUri));
    this.docs.remove(p.proposedUri);
    await this.updateContext();
  }

  private dropClosed(closed: readonly vscode.Tab[]): void {
    for (const tab of closed) {
      if (!(tab.input instanceof vscode.TabInputTextDiff) || tab.input.modified.scheme !== PROPOSED_SCHEME) continue;
      const p = this.pending.get(tab.input.modified.toString());
      if (p && this.diffTabs(p.proposedUri).length === 0) void this.end(p);
    }
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', PENDING_CONTEXT_KEY, this.pending.size > 0);
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.pending.clear();
  }
}
