// Activation constructs and registers; nothing slow and no network. The SDK, the store and the
// transcripts load on first use.
import * as vscode from 'vscode';
import { EndpointCapabilities } from './core/endpointCapabilities';
import { ModelCatalog } from './core/modelCatalog';
import { ConversationStore } from './core/store/conversationStore';
import { nodeFileSystem } from './core/store/fileSystem';
import { createApi, type ThreadlineApi } from './host/api';
import { registerApply } from './host/apply';
import { ChatController } from './host/chatController';
import { CHAT_VIEW_ID, ChatViewProvider } from './host/chatViewProvider';
import { registerCommands } from './host/commands';
import { EffortPicker } from './host/effortPicker';
import { ModelPicker } from './host/modelPicker';
import { Portability, resolvePlace } from './host/portability';
import { offerBringOver, registerPortabilityCommands } from './host/portabilityCommands';
import { registerContextCommands } from './host/context/contextCommands';
import { ContextSources } from './host/context/contextSources';
import { showErrorNotification } from './host/prompts';
import { ApiKeyStore } from './host/secrets';
import { onSettingsChanged, readSettings, workspaceSetsBaseURL } from './host/settings';

export function activate(context: vscode.ExtensionContext): ThreadlineApi {
  const log = vscode.window.createOutputChannel('Threadline', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const storageRoot = context.globalStorageUri.fsPath;
  // Started now, awaited on first use: git's answer (with a deadline) and the move of older keys' history.
  const place = resolvePlace(context.globalState, storageRoot, log);
  const controller = new ChatController({
    openStore: async () => {
      const store = new ConversationStore(nodeFileSystem, storageRoot, context.globalState, (await place).key);
      await store.open();
      return store;
    },
    keys,
    capabilities: new EndpointCapabilities(context.globalState),
    settings: readSettings,
    log,
  });
  const sources = new ContextSources();
  const models = new ModelPicker(controller, new ModelCatalog(context.globalState), readSettings);
  const efforts = new EffortPicker(controller, readSettings);
  const view = new ChatViewProvider(context.extensionUri, controller, log, models, sources);
  const portability = new Portability(
    { globalState: context.globalState, storageRoot, session: controller.session, endpoint: () => readSettings().baseURL, log },
    place,
  );

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
    ...registerCommands({ controller, view, keys, models, efforts }),
    ...registerPortabilityCommands(portability, controller.session),
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
  void place.then((p) => {
    log.info(`activated for workspace ${p.key}${p.aliases.length ? ` (also stored as ${p.aliases.join(', ')})` : ''}`);
    return offerBringOver(portability);
  }).catch((e: unknown) => log.error(`could not look for chats to bring over: ${e instanceof Error ? e.message : String(e)}`));
  return createApi(controller.session, models, efforts);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; running requests are aborted there.
}
