// "Ask Threadline About This Problem" on every diagnostic under the cursor. Registered by the shell, so
// the light bulb offers it from startup; its command (threadline.askAboutProblem) loads the host.
import * as vscode from 'vscode';
import type { CommandId } from './contributions';

const COMMAND: CommandId = 'threadline.askAboutProblem';

export class ProblemQuickFix implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.map((d) => {
      const action = new vscode.CodeAction('Ask Threadline About This Problem', vscode.CodeActionKind.QuickFix);
      action.command = { command: COMMAND, title: action.title, arguments: [doc.uri, d] };
      action.diagnostics = [d];
      return action;
    });
  }
}
