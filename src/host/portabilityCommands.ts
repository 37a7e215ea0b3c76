// The commands that move history: Export All Chats…, Import Chats…, Bring Over Chats…, the Markdown export
// of every branch, and the per-chat actions of the history list (export one, copy or move to another
// workspace). Each takes its choices as an argument too (tests, keybindings), and returns what it did.
import * as vscode from 'vscode';
import type { ImportResult } from '../core/archiveImport';
import { conversationTreeToMarkdown } from '../core/markdownExport';
import type { Session } from '../core/session';
import type { CommandTable } from '../shell/contributions';
import type { ImportOutcome, Portability } from './portability';

type Scope = 'workspace' | 'all';

interface ExportArgs {
  scope?: Scope;
  uri?: vscode.Uri | string;
  conversationId?: string;
}

const JSON_FILTER = { 'Threadline chats': ['json'] };

function uriArg(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (typeof x === 'string') return x.includes('://') ? vscode.Uri.parse(x) : vscode.Uri.file(x);
  return undefined;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function importSummary(r: ImportResult): string {
  const parts = [`${plural(r.created, 'new chat')}`, `${plural(r.extended, 'chat')} with new turns`];
  if (r.unchanged) parts.push(`${r.unchanged} already here`);
  const elsewhere = r.elsewhere ? ` (${r.elsewhere} of them into their own workspaces)` : '';
  return `${parts.join(', ')}${elsewhere}`;
}

async function pickScope(): Promise<Scope | undefined> {
  const items: (vscode.QuickPickItem & { scope: Scope })[] = [
    { label: "This workspace's chats", scope: 'workspace' },
    { label: "Every workspace's chats", description: 'each marked with its workspace', scope: 'all' },
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Threadline: Export All Chats' }))?.scope;
}

async function writeArchive(p: Portability, scope: Scope, uri: vscode.Uri | undefined, conversationIds?: string[]): Promise<{ uri: string; conversations: number } | undefined> {
  const archive = await p.exportArchive(scope, conversationIds);
  const name = `threadline-chats-${archive.exportedAt.slice(0, 10)}.json`;
  const target = uri ?? (await vscode.window.showSaveDialog({ title: 'Threadline: Export Chats', filters: JSON_FILTER, defaultUri: vscode.Uri.file(name) }));
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${JSON.stringify(archive, null, 1)}\n`));
  void vscode.window.showInformationMessage(`Threadline: exported ${plural(archive.conversations.length, 'chat')} to ${target.fsPath || target.toString()}.`);
  return { uri: target.toString(), conversations: archive.conversations.length };
}

async function importFrom(p: Portability, uri: vscode.Uri): Promise<ImportOutcome> {
  const refuse = (message: string): ImportOutcome => {
    void vscode.window.showErrorMessage(`Threadline: ${message} Nothing was imported; your chats are unchanged.`);
    return { ok: false, error: { kind: 'malformed', message } };
  };
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(uri)).size;
  } catch (e) {
    return refuse(`The file could not be opened (${e instanceof Error ? e.message : String(e)}).`);
  }
  // Checked before reading, so a huge file is never loaded.
  if (size > p.maxBytes) {
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
    void vscode.window.showErrorMessage(`Threadline: the file is ${mb(size)} MB; Threadline imports archives up to ${mb(p.maxBytes)} MB. Nothing was imported; your chats are unchanged.`);
    return { ok: false, error: { kind: 'too_large', message: `The file is ${mb(size)} MB.` } };
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await vscode.workspace.fs.readFile(uri));
  let outcome: ImportOutcome;
  try {
    outcome = await p.importText(text);
  } catch (e) {
    return refuse(`The chats could not be written (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!outcome.ok) {
    void vscode.window.showErrorMessage(`Threadline: ${outcome.error.message} Nothing was imported; your chats are unchanged.`);
  } else {
    void vscode.window.showInformationMessage(`Threadline: imported ${importSummary(outcome.result)}.`);
  }
  return outcome;
}

async function pickWorkspace(p: Portability, title: string, includeEmpty: boolean): Promise<string | undefined> {
  const items = (await p.otherWorkspaces(includeEmpty)).map((w) => ({
    label: w.name,
    description: `${plural(w.chats, 'chat')}${w.sameProject ? ' · looks like this project' : ''}`,
    key: w.key,
  }));
  if (!items.length) {
    void vscode.window.showInformationMessage('Threadline: no other workspace is known yet: open it once with Threadline, then try again.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.key;
}

/** Offers the chats of a workspace that looks like this project, once, when this one has none. */
export async function offerBringOver(p: Portability): Promise<void> {
  const offer = await p.bringOverOffer();
  if (!offer) return;
  const action = `Bring Over ${plural(offer.chats, 'Chat')}`;
  const pick = await vscode.window.showInformationMessage(
    `Threadline: this workspace has no chats, but "${offer.name}" looks like the same project. Bring over ${plural(offer.chats, 'chat')} from ${offer.name}?`,
    action,
    'Not Now',
  );
  if (pick === action) await vscode.commands.executeCommand('threadline.bringOver', { from: offer.key });
}

/** The portability commands, registered by the shell (src/extension.ts). */
export function portabilityCommands(p: Portability, session: Session) {
  const conversationArg = async (arg: unknown) => (arg as { conversationId?: string } | undefined)?.conversationId ?? (await session.activeConversation())?.id;
  const toWorkspace = (how: 'copy' | 'move') => async (arg?: { conversationId?: string; workspaceKey?: string }) => {
    const id = await conversationArg(arg);
    const to = arg?.workspaceKey ?? (await pickWorkspace(p, `Threadline: ${how === 'move' ? 'Move' : 'Copy'} Chat to Workspace…`, true));
    if (!id || !to) return false;
    const outcome = await p.copyTo(id, to, how === 'move');
    const told = {
      done: `Threadline: chat ${how === 'move' ? 'moved' : 'copied'}.`,
      busy: `Threadline: wait for the answer to finish, then ${how} the chat.`,
      not_found: 'Threadline: that chat is no longer in this workspace.',
    }[outcome];
    void (outcome === 'done' ? vscode.window.showInformationMessage(told) : vscode.window.showWarningMessage(told));
    return outcome === 'done';
  };

  return {
    'threadline.exportAll': async (arg?: ExportArgs) => {
      const scope = arg?.scope ?? (await pickScope());
      return scope && writeArchive(p, scope, uriArg(arg?.uri));
    },

    'threadline.importChats': async (arg?: unknown) => {
      const uri = uriArg(arg) ?? uriArg((arg as { uri?: unknown } | undefined)?.uri)
        ?? (await vscode.window.showOpenDialog({ title: 'Threadline: Import Chats', filters: JSON_FILTER, canSelectMany: false }))?.[0];
      return uri && importFrom(p, uri);
    },

    'threadline.bringOver': async (arg?: { from?: string }) => {
      const from = arg?.from ?? (await pickWorkspace(p, 'Threadline: Bring Over Chats From…', false));
      if (!from) return undefined;
      const result = await p.bringOver(from);
      void vscode.window.showInformationMessage(`Threadline: brought over ${importSummary(result)}.`);
      return result;
    },

    'threadline.exportChatTree': async () => {
      const conv = await session.activeConversation();
      if (!conv?.size) {
        void vscode.window.showInformationMessage('Threadline: this chat is empty; there is nothing to export.');
        return undefined;
      }
      const md = conversationTreeToMarkdown(conv.meta.title, conv.allTurns(), conv.activePath());
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md });
      await vscode.window.showTextDocument(doc);
      return doc;
    },

    'threadline.exportOneChat': async (arg?: ExportArgs) => {
      const id = await conversationArg(arg);
      return id && writeArchive(p, 'workspace', uriArg(arg?.uri), [id]);
    },

    'threadline.copyChatToWorkspace': toWorkspace('copy'),
    'threadline.moveChatToWorkspace': toWorkspace('move'),
  } satisfies Partial<CommandTable>;
}
