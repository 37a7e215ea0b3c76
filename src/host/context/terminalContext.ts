// The terminal kind's collector: the terminal's selection, or else its last command and that command's
// output. The output is only readable while a command runs (shell integration streams it), so this keeps
// the tail of each terminal's last finished command as it happens.
import * as vscode from 'vscode';
import { plainTerminalText, terminalAttachment } from '../../core/attachmentBuilders';
import { MAX_TERMINAL_BYTES } from '../../core/attachments';
import { collected, type Collected, refused } from './collected';

interface LastCommand {
  command: string;
  output: string;
}

export class TerminalHistory implements vscode.Disposable {
  private readonly last = new WeakMap<vscode.Terminal, LastCommand>();
  private readonly subs: vscode.Disposable[];

  constructor() {
    this.subs = [vscode.window.onDidStartTerminalShellExecution((e) => void this.record(e.terminal, e.execution))];
  }

  private async record(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    let output = '';
    for await (const data of execution.read()) {
      // Twice the limit, then the builder cuts at a line boundary.
      output = (output + data).slice(-2 * MAX_TERMINAL_BYTES);
    }
    this.last.set(terminal, { command: execution.commandLine.value, output: plainTerminalText(output) });
  }

  lastCommand(terminal: vscode.Terminal): LastCommand | undefined {
    return this.last.get(terminal);
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
  }
}

/**
 * The terminal's selection, read through the clipboard (the stable API has no terminal selection); the
 * user's clipboard is put back at once. Empty when the clipboard cannot be read (a browser that denies it).
 */
async function terminalSelection(): Promise<string> {
  let saved: string;
  try {
    saved = await vscode.env.clipboard.readText();
  } catch {
    return '';
  }
  await vscode.env.clipboard.writeText('');
  await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
  const selection = await vscode.env.clipboard.readText().then((t) => t, () => '');
  await vscode.env.clipboard.writeText(saved);
  return selection;
}

export async function terminalFor(history: TerminalHistory, terminal = vscode.window.activeTerminal): Promise<Collected> {
  if (!terminal) return refused('No terminal is open. Open one, run a command or select some output, then try again.');
  const selection = await terminalSelection();
  if (selection.trim()) return collected(terminalAttachment({ terminal: terminal.name, source: 'selection', output: selection }));
  const last = history.lastCommand(terminal);
  if (last) return collected(terminalAttachment({ terminal: terminal.name, source: 'lastCommand', ...last }));
  if (!terminal.shellIntegration) {
    return refused(`Terminal "${terminal.name}" has no shell integration, so Threadline cannot read its last command. Select the output you mean and try again.`);
  }
  return refused(`Terminal "${terminal.name}" has no selection and no command finished since Threadline started. Run the command again, or select its output.`);
}
