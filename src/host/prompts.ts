// The dialogs and error actions shared by the commands and the chat view: one place for the labels of
// the actions an error offers and for what each does.
import * as vscode from 'vscode';
import type { ErrorAction, TurnError } from '../core/errors';
import type { ConversationSummary } from '../core/types';

/** Retry and compact need a turn, so only the chat view offers them; these are the actions a notification can run. */
type NotificationAction = Exclude<ErrorAction, 'retry' | 'compact'>;

const ACTION_LABELS: Record<NotificationAction, string> = {
  setApiKey: 'Set API Key',
  openSettings: 'Open Settings',
  newChat: 'New Chat',
  selectModel: 'Select Model',
};

/** Runs an action offered next to an error. */
export async function runErrorAction(action: NotificationAction): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand('threadline.setApiKey');
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:threadline.threadline');
      return;
    case 'newChat':
      await vscode.commands.executeCommand('threadline.newChat');
      return;
    case 'selectModel':
      await vscode.commands.executeCommand('threadline.selectModel');
      return;
    default:
      return ((never: never) => never)(action);
  }
}

/** The same error as the chat view shows, as a notification, for when the view is hidden. */
export async function showErrorNotification(error: TurnError): Promise<void> {
  const actions = error.actions.filter((a): a is NotificationAction => a !== 'retry' && a !== 'compact');
  const pick = await vscode.window.showErrorMessage(`Threadline: ${error.message}`, ...actions.map((a) => ACTION_LABELS[a]));
  const action = actions.find((a) => ACTION_LABELS[a] === pick);
  if (action) await runErrorAction(action);
}

export interface Deletable {
  list(): Promise<ConversationSummary[]>;
  delete(id: string): Promise<unknown>;
}

/**
 * Deletes a chat after a modal confirmation (from the Quick Pick and from the chat view's history).
 * Resolves whether it was deleted.
 */
export async function confirmAndDelete(chats: Deletable, id: string): Promise<boolean> {
  const chat = (await chats.list()).find((c) => c.id === id);
  if (!chat) return false;
  const del = 'Delete';
  const ok = await vscode.window.showWarningMessage(
    `Delete the chat "${chat.title}"?`,
    { modal: true, detail: 'Its transcript is removed from this computer, and its stored responses from the server. This cannot be undone.' },
    del,
  );
  if (ok !== del) return false;
  await chats.delete(id);
  return true;
}
