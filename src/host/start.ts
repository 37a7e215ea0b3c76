// The host: everything Threadline is once the user comes to it, bundled as dist/host.js and started by the
// activation shell (src/extension.ts) on first use. Starting constructs and registers; nothing slow and
// no network. The SDK, the store and the transcripts load on first use in their turn. Everything it
// registers goes into context.subscriptions, so deactivation disposes it with the shell's.
import * as vscode from 'vscode';
import { EndpointCapabilities } from '../core/endpointCapabilities';
import { ModelCatalog } from '../core/modelCatalog';
import { ConversationStore } from '../core/store/conversationStore';
import { nodeFileSystem } from '../core/store/fileSystem';
import type { CommandTable } from '../shell/contributions';
import type { TerminalHistory } from '../shell/terminalHistory';
import { createApi, type ThreadlineApi } from './api';
import { registerApply } from './apply';
import { ChatController } from './chatController';
import { ChatViewProvider } from './chatViewProvider';
import { chatCommands } from './commands';
import { EffortPicker } from './effortPicker';
import { ModelPicker } from './modelPicker';
import { Portability, resolvePlace } from './portability';
import { offerBringOver, portabilityCommands } from './portabilityCommands';
import { contextCommands } from './context/contextCommands';
import { ContextSources } from './context/contextSources';
import { showErrorNotification } from './prompts';
import { ApiKeyStore } from './secrets';
import { onSettingsChanged, readSettings, workspaceSetsBaseURL } from './settings';

/** What the shell made at activation and hands over. */
export interface ShellServices {
  context: vscode.ExtensionContext;
  terminals: TerminalHistory;
}

/** What the shell forwards to: its commands, its view provider and its API. */
export interface Host {
  commands: CommandTable;
  view: vscode.WebviewViewProvider;
  api: ThreadlineApi;
}

export function startHost({ context, terminals }: ShellServices): Host {
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
  const sources = new ContextSources(terminals);
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
    sources,
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
  const commands: CommandTable = {
    ...chatCommands({ controller, view, keys, models, efforts }),
    ...portabilityCommands(portability, controller.session),
    ...contextCommands({ controller, view, sources }),
    ...registerApply(context),
  };
  void place.then((p) => {
    log.info(`started for workspace ${p.key}${p.aliases.length ? ` (also stored as ${p.aliases.join(', ')})` : ''}`);
    return offerBringOver(portability);
  }).catch((e: unknown) => log.error(`could not look for chats to bring over: ${e instanceof Error ? e.message : String(e)}`));
  return { commands, view, api: createApi(controller.session, models, efforts) };
}
