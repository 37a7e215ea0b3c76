// The ways to attach context: "Add Context…" (a quick pick of the kinds and the workspace's files), the
// ask commands (ask like askFollowUp, with one kind attached), the terminal's context menu, and the quick
// fix's command (the shell offers the quick fix: src/shell/problemQuickFix.ts). Each collects first and asks for the question after, so a refused attachment
// never costs typed text; a refusal is shown and returned as `{ refused }`.
import * as vscode from 'vscode';
import { attachmentLabel, type AttachmentKind } from '../../core/attachments';
import type { CommandTable } from '../../shell/contributions';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';
import { askQuestion, questionArg, turnSender } from '../commands';
import type { Collected } from './collected';
import { checked, type ContextSources } from './contextSources';
import { problemsFor } from './problemsContext';

export interface ContextCommandDeps {
  controller: ChatController;
  view: ChatViewProvider;
  sources: ContextSources;
}

/** The question the quick fix sends with its problem. */
export const QUICK_FIX_QUESTION = 'Explain this problem and how to fix it.';

/** Files the quick pick offers; more would make it slow to open in a large workspace. */
const MAX_PICK_FILES = 5000;

function filesArg(arg: unknown): vscode.Uri[] | undefined {
  const files = (arg as { files?: unknown } | undefined)?.files;
  return Array.isArray(files) && files.length > 0 && files.every((f) => f instanceof vscode.Uri) ? files : undefined;
}

function refusal(message: string): { refused: string } {
  void vscode.window.showWarningMessage(`Threadline: ${message}`);
  return { refused: message };
}

/** The context commands, registered by the shell (src/extension.ts). */
export function contextCommands({ controller, view, sources }: ContextCommandDeps) {
  const send = turnSender(controller, view);

  const askWith = async (c: Collected, arg: unknown) => {
    if (!c.ok) return refusal(c.message);
    const question = questionArg(arg) ?? (await askQuestion(`Ask about ${c.attachments.map(attachmentLabel).join(', ')}`));
    if (question === undefined) return undefined;
    return send(question, c.attachments);
  };
  const askAbout = (kind: AttachmentKind) => async (arg?: unknown) => askWith(await sources.collect(kind), arg);

  return {
    'threadline.askAboutFile': askAbout('file'),
    'threadline.askAboutProblems': askAbout('problems'),
    'threadline.askAboutChanges': askAbout('changes'),
    // From the terminal's context menu the first argument is the terminal's; a `{ question }` comes second.
    'threadline.askAboutTerminalSelection': async (...args: unknown[]) =>
      askWith(await sources.collect('terminal'), args.find((a) => questionArg(a) !== undefined)),

    // `{ files: Uri[] }` attaches those files without the quick pick (keybindings, other extensions, tests).
    'threadline.addContext': async (arg?: unknown) => {
      const files = filesArg(arg);
      const c = files ? await sources.files(files) : await pickContext(sources);
      if (!c) return undefined;
      if (!c.ok) return refusal(c.message);
      await view.addAttachments(c.attachments);
      return { added: c.attachments.map(attachmentLabel) };
    },

    // The quick fix's command: the problem and the lines it points at, sent as the next turn.
    'threadline.askAboutProblem': async (uri?: unknown, diagnostic?: unknown) => {
      if (!(uri instanceof vscode.Uri) || !(diagnostic instanceof vscode.Diagnostic)) return refusal('this command needs a document and one of its problems.');
      const doc = await vscode.workspace.openTextDocument(uri);
      const lines = { start: diagnostic.range.start.line + 1, end: diagnostic.range.end.line + 1 };
      const c = checked(problemsFor(doc, lines, [diagnostic]));
      return c.ok ? send(QUICK_FIX_QUESTION, c.attachments) : refusal(c.message);
    },
  } satisfies Partial<CommandTable>;
}

/** A kind, a file, or the separator between them. */
type PickItem = vscode.QuickPickItem & { attach?: AttachmentKind; uri?: vscode.Uri };

/** The kinds first, then the workspace's files (the quick pick matches them fuzzily); undefined when cancelled. */
async function pickContext(sources: ContextSources): Promise<Collected | undefined> {
  const qp = vscode.window.createQuickPick<PickItem>();
  qp.title = 'Threadline: Add Context';
  qp.placeholder = 'Pick what to attach, or type to find a file';
  qp.matchOnDescription = true;
  qp.canSelectMany = false;
  const kinds: PickItem[] = sources.list().map(([attach, s]) => ({ attach, label: `$(${s.icon}) ${s.label}`, detail: s.detail }));
  qp.items = kinds;
  qp.busy = true;
  qp.show();
  void vscode.workspace.findFiles('**/*', undefined, MAX_PICK_FILES).then((uris) => {
    const files: PickItem[] = uris
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((uri) => ({ uri, label: `$(file) ${uri.path.split('/').pop()}`, description: vscode.workspace.asRelativePath(uri) }));
    qp.items = [...kinds, { label: 'Workspace files', kind: vscode.QuickPickItemKind.Separator }, ...files];
    qp.busy = false;
  });
  const picked = await new Promise<PickItem | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.dispose();
  if (picked?.uri) return sources.files([picked.uri]);
  return picked?.attach ? sources.collect(picked.attach) : undefined;
}
