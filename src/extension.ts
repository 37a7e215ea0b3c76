// Activation constructs and registers; nothing slow and no network. The SDK, the store and the
// transcripts load on first use.
import * as vscode from 'vscode';
import { EndpointCapabilities } from './core/endpointCapabilities';
import { ConversationStore } from './core/store/conversationStore';
import { nodeFileSystem } from './core/store/fileSystem';
import { workspaceKey } from './core/workspaceKey';
import { createApi, type ThreadlineApi } from './host/api';
import { registerApply } from './host/apply';
import { ChatController } from './host/chatController';
import { CHAT_VIEW_ID, ChatViewProvider } from './host/chatViewProvider';
import { registerCommands } from './host/commands';
import { registerContextCommands } from './host/context/contextCommands';
import { ContextSources } from './host/context/contextSources';
import { showErrorNotification } from './host/prompts';
import { ApiKeyStore } from './host/secrets';
import { onSettingsChanged, readSettings, workspaceSetsBaseURL } from './host/settings';

function currentWorkspaceKey(): string {
  return workspaceKey({
    workspaceFile: vscode.workspace.workspaceFile?.scheme === 'untitled' ? undefined : vscode.workspace.workspaceFile?.toString(),
    folders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()),
  });
}

export function activate(context: vscode.ExtensionContext): ThreadlineApi {
  const log = vscode.window.createOutputChannel('Threadline', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const wsKey = currentWorkspaceKey();
  const controller = new ChatController({
    openStore: async () => {
      const store = new ConversationStore(nodeFileSystem, context.globalStorageUri.fsPath, context.globalState, wsKey);
      await store.open();
      return store;
    },
    keys,
    capabilities: new EndpointCapabilities(context.globalState),
    settings: readSettings,
    log,
  });
  const sources = new ContextSources();
  const view = new ChatViewProvider(context.extensionUri, controller, log, sources);

  let warnedBaseURL = false;
  const checkWorkspaceBaseURL = async () => {
    if (warnedBaseURL || !(await workspaceSetsBaseURL())) return;
    warnedBaseURL = true;
    log.warn('this workspace sets threadline.baseURL; it is ignored');
    void vscode.window.showWarningMessage(
      'Threadline ignores threadline.baseURL in this workspace\'s settings: only your user settings choose where your API key is sent.',
    );
  };
  void checkWorkspaceBaseURL();

  context.subscriptions.push(
    log,
    keys,
    controller,
    view,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    ...registerCommands({ controller, view, keys }),
    sources,
    ...registerContextCommands({ controller, view, sources }),
    onSettingsChanged(() => {
      void checkWorkspaceBaseURL();
      void controller.settingsChanged();
    }),
    keys.onDidChange(() => void controller.keyChanged()),
    // The error is in the chat view when it is open; otherwise it comes as a notification.
    controller.onTurnError((e) => {
      if (!view.visible) void showErrorNotification(e);
    }),
    controller.onDidChangeBusy((busy) => void vscode.commands.executeCommand('setContext', 'threadline.busy', busy)),
  );
  registerApply(context);
  log.info(`activated for workspace ${wsKey}`);
  return createApi(controller.session);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; running requests are aborted there.
}
