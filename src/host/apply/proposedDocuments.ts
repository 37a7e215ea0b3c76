// The right side of a review: proposed texts served read-only from memory under their own scheme, so
// nothing is written anywhere until the user accepts.
import * as vscode from 'vscode';

export const PROPOSED_SCHEME = 'threadline-proposed';

export class ProposedDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 1;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this);

  /**
   * Serves `text` under a new URI. The URI ends in the target's file name, so the proposed side gets
   * the same language mode (and highlighting) as the file.
   */
  add(text: string, fileName: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${this.next++}/${fileName}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  remove(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.texts.clear();
    this.registration.dispose();
  }
}
