// The last command of each terminal and its output, recorded from activation: the output is only
// readable while a command runs (shell integration streams it), so a terminal attachment asked for later
// can only come from what was kept as it happened. The host reads it (terminalContext.ts).
import * as vscode from 'vscode';
import { appendTail } from './outputTail';

export interface LastCommand {
  command: string;
  /** The output as the terminal wrote it, escape codes included; its tail only. */
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
    for await (const data of execution.read()) output = appendTail(output, data);
    this.last.set(terminal, { command: execution.commandLine.value, output });
  }

  lastCommand(terminal: vscode.Terminal): LastCommand | undefined {
    return this.last.get(terminal);
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
  }
}
