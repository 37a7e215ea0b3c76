// The activation shell: what must exist from startup in every window, and nothing more. It registers
// every command, the chat view's provider and the quick fix, and records terminal commands (their output
// is only readable as they run). Everything else is the host (src/host/start.ts, bundled as dist/host.js),
// required on first use: the view resolving, any command, any API call. Only types come from host or
// core modules here (lint-enforced, and esbuild.mjs checks that no module is in both bundles).
import * as vscode from 'vscode';
import type { ThreadlineApi } from './host/api';
import type * as HostModule from './host/start';
import { CHAT_VIEW_ID, COMMAND_IDS } from './shell/contributions';
import { lazyApi } from './shell/lazyApi';
import { ProblemQuickFix } from './shell/problemQuickFix';
import { TerminalHistory } from './shell/terminalHistory';

export function activate(context: vscode.ExtensionContext): ThreadlineApi {
  const terminals = new TerminalHistory();
  let host: HostModule.Host | undefined;
  const load = (): HostModule.Host => {
    // esbuild.mjs turns this into require('./host.js'), the second bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    host ??= (require('./host/start') as typeof HostModule).startHost({ context, terminals });
    return host;
  };

  context.subscriptions.push(
    terminals,
    ...COMMAND_IDS.map((id) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => (load().commands[id] as (...a: unknown[]) => unknown)(...args))),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, {
      resolveWebviewView: (view, resolveContext, token) => load().view.resolveWebviewView(view, resolveContext, token),
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new ProblemQuickFix(), ProblemQuickFix.metadata),
  );
  return lazyApi(() => load().api);
}

export function deactivate(): void {
  // Everything, the host's too, is disposed through context.subscriptions; running requests are aborted there.
}
