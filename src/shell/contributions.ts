// The ids package.json contributes, in one typed list: the shell registers every command at activation
// from it, and the host's handler table is a Record over it, so the compiler names a missing handler. A
// unit test holds the list and package.json together.

export const COMMAND_IDS = [
  'threadline.askFollowUp',
  'threadline.askAboutSelection',
  'threadline.addSelectionToChat',
  'threadline.addContext',
  'threadline.askAboutFile',
  'threadline.askAboutProblems',
  'threadline.askAboutChanges',
  'threadline.askAboutTerminalSelection',
  'threadline.askAboutProblem',
  'threadline.newChat',
  'threadline.stop',
  'threadline.setApiKey',
  'threadline.clearApiKey',
  'threadline.selectModel',
  'threadline.selectReasoningEffort',
  'threadline.showHistory',
  'threadline.exportChat',
  'threadline.exportChatTree',
  'threadline.exportAll',
  'threadline.importChats',
  'threadline.bringOver',
  'threadline.exportOneChat',
  'threadline.copyChatToWorkspace',
  'threadline.moveChatToWorkspace',
  'threadline.applyCode',
  'threadline.acceptChange',
  'threadline.discardChange',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/**
 * A command's handler. VS Code passes whatever its caller gave (a menu, a keybinding, another extension),
 * so each handler checks its own arguments; `never[]` admits handlers with any parameter types.
 */
export type CommandHandler = (...args: never[]) => unknown;

export type CommandTable = Record<CommandId, CommandHandler>;

export const CHAT_VIEW_ID = 'threadline.chat';
export type ChatViewId = typeof CHAT_VIEW_ID;
