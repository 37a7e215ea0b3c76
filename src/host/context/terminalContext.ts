// The terminal kind's collector: the terminal's selection, or else its last command and that command's
// output, as the shell's TerminalHistory recorded them from activation.
import * as vscode from 'vscode';
import { plainTerminalText, terminalAttachment } from '../../core/attachmentBuilders';
import type { TerminalHistory } from '../../shell/terminalHistory';
import { collected, type Collected, refused } from './collected';

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
  if (last) return collected(terminalAttachment({ terminal: terminal.name, source: 'lastCommand', command: last.command, output: plainTerminalText(last.output) }));
  if (!terminal.shellIntegration) {
    return refused(`Terminal "${terminal.name}" has no shell integration, so Threadline cannot read its last command. Select the output you mean and try again.`);
  }
  return refused(`Terminal "${terminal.name}" has no selection and no command finished since Threadline started. Run the command again, or select its output.`);
}
