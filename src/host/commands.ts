// The command palette and context-menu commands. Both ask commands reveal the chat view and resolve,
// when the turn ends, with { conversationId, turnId, status, responseId?, text, error? }.
import * as vscode from 'vscode';
import { attachmentLabel, checkAttachments } from '../core/attachments';
import type { Session } from '../core/session';
import type { Attachment } from '../core/types';
import { relativeTime } from '../shared/relativeTime';
import type { AskResult } from './api';
import type { ChatController } from './chatController';
import type { ChatViewProvider } from './chatViewProvider';
import type { EffortPicker } from './effortPicker';
import type { ModelPicker } from './modelPicker';
import { confirmAndDelete } from './prompts';
import type { ApiKeyStore } from './secrets';
import { displayPath, selectionAttachments } from './selection';
import type { CommandId, CommandTable } from '../shell/contributions';

export interface CommandDeps {
  controller: ChatController;
  view: ChatViewProvider;
  keys: ApiKeyStore;
  models: ModelPicker;
  efforts: EffortPicker;
}

/** `{ question }` passed by a caller (a keybinding, another extension, a test) instead of the input box. */
export function questionArg(arg: unknown): string | undefined {
  const q = (arg as { question?: unknown } | undefined)?.question;
  return typeof q === 'string' ? q : undefined;
}

export async function askQuestion(prompt: string): Promise<string | undefined> {
  const q = await vscode.window.showInputBox({
    title: 'Threadline: Ask Follow-up',
    prompt,
    placeHolder: 'Ask about your code…',
    ignoreFocusOut: true,
  });
  return q?.trim() ? q : undefined;
}

/** Sends a turn with the view revealed, and window progress while the view is hidden. */
export function turnSender(controller: ChatController, view: ChatViewProvider) {
  return async (question: string, attachments: Attachment[]): Promise<AskResult> => {
    await view.reveal();
    const run = controller.ask(question, attachments);
    if (view.visible) return run;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Threadline: answering…' }, () => run);
  };
}

/** The chat's commands, registered by the shell (src/extension.ts). */
export function chatCommands(deps: CommandDeps) {
  const { controller, view, keys, models, efforts } = deps;
  const session = controller.session;
  const send = turnSender(controller, view);

  return {
    'threadline.askFollowUp': async (arg?: unknown) => {
      const attachments = selectionAttachments(vscode.window.activeTextEditor);
      const question = questionArg(arg) ?? (await askQuestion(
        attachments.length ? `Follow-up about ${attachments.map(attachmentLabel).join(', ')}` : 'Follow-up question',
      ));
      if (question === undefined) return undefined;
      return send(question, attachments);
    },

    'threadline.askAboutSelection': async (uri?: unknown, arg?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri.toString() : undefined;
      const editor = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find(
        (e) => e && (!target || e.document.uri.toString() === target),
      );
      const attachments = selectionAttachments(editor);
      if (!editor || attachments.length === 0) {
        void vscode.window.showWarningMessage('Threadline: select some code first, then ask about it.');
        return undefined;
      }
      const where = attachments.map(attachmentLabel).join(', ');
      const question = questionArg(arg) ?? (await askQuestion(`Ask about ${where || displayPath(editor.document.uri)}`));
      if (question === undefined || !question.trim()) return undefined;
      return send(question, attachments);
    },

    'threadline.addSelectionToChat': async () => {
      const attachments = selectionAttachments(vscode.window.activeTextEditor);
      if (attachments.length === 0) {
        void vscode.window.showWarningMessage('Threadline: select some code first, then add it to the chat.');
        return;
      }
      const problem = checkAttachments(attachments);
      if (problem) {
        void vscode.window.showWarningMessage(`Threadline: ${problem.message}`);
        return;
      }
      await view.addAttachments(attachments);
    },

    'threadline.newChat': async () => {
      await session.newChat();
      await view.reveal(false);
    },

    'threadline.stop': () => session.stop(),

    /** `{ model }` sets it without the picker (keybindings, tests); resolves with the model set, or undefined. */
    'threadline.selectModel': (arg?: unknown) => {
      const model = (arg as { model?: unknown } | undefined)?.model;
      return models.select(typeof model === 'string' ? model : undefined);
    },

    /** `{ level }` (`default` or a level) sets it without the picker; resolves with the chat's effort, or undefined. */
    'threadline.selectReasoningEffort': (arg?: unknown) => efforts.select((arg as { level?: unknown } | undefined)?.level),

    'threadline.setApiKey': async () => {
      if (await keys.prompt()) void vscode.window.showInformationMessage('Threadline: API key saved in secret storage.');
    },

    'threadline.clearApiKey': async () => {
      await keys.clear();
      const env = process.env.OPENAI_API_KEY ? ' OPENAI_API_KEY from the environment is still used.' : '';
      void vscode.window.showInformationMessage(`Threadline: API key removed from secret storage.${env}`);
    },

    'threadline.showHistory': () => showHistory(session),

    'threadline.exportChat': async () => {
      const md = await controller.exportMarkdown();
      if (!md) {
        void vscode.window.showInformationMessage('Threadline: this chat is empty; there is nothing to export.');
        return undefined;
      }
      // A unique untitled name each time: opening by content alone can return a just-closed document.
      const uri = vscode.Uri.from({ scheme: 'untitled', path: `Threadline chat ${new Date().toISOString().replace(/[:.]/g, '-')}.md` });
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), md));
      if (doc.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      return doc;
    },
  } satisfies Partial<CommandTable>;
}

async function showHistory(session: Session): Promise<void> {
  const rename: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Rename' };
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete' };
  // Per-chat portability actions, run by their commands (portabilityCommands.ts).
  const chatCommands = new Map<vscode.QuickInputButton, CommandId>([
    [{ iconPath: new vscode.ThemeIcon('export'), tooltip: 'Export Chat as JSON…' }, 'threadline.exportOneChat'],
    [{ iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy Chat to Workspace…' }, 'threadline.copyChatToWorkspace'],
    [{ iconPath: new vscode.ThemeIcon('arrow-right'), tooltip: 'Move Chat to Workspace…' }, 'threadline.moveChatToWorkspace'],
  ]);
  type Item = vscode.QuickPickItem & { id: string };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Threadline: Chat History';
  qp.placeholder = 'Pick a chat to continue it';
  const refresh = async () => {
    const active = (await session.activeConversation())?.id;
    qp.items = (await session.list()).map((c) => ({
      id: c.id,
      label: c.title,
      description: `${c.id === active ? 'active · ' : ''}${relativeTime(c.updatedAt)}`,
      buttons: [rename, ...chatCommands.keys(), remove],
    }));
  };
  await refresh();
  qp.onDidAccept(async () => {
    const item = qp.selectedItems[0];
    qp.hide();
    if (item) await session.switchTo(item.id);
  });
  qp.onDidTriggerItemButton(async ({ button, item }) => {
    const command = chatCommands.get(button);
    if (command) {
      await vscode.commands.executeCommand(command, { conversationId: item.id });
    } else if (button === rename) {
      const title = await vscode.window.showInputBox({ title: 'Rename Chat', value: item.label, ignoreFocusOut: true });
      if (title?.trim()) await session.rename(item.id, title);
    } else {
      await confirmAndDelete(session, item.id);
    }
    await refresh();
    qp.show();
  });
  qp.onDidHide(() => qp.dispose());
  qp.show();
}
