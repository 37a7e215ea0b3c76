// Where each attachment kind comes from in the workbench: one source per kind (the compiler names a kind
// without one), used by "Add Context…", the ask commands and the quick fix. The last text editor stands
// in for the active one, which is undefined while the chat view has focus.
import * as vscode from 'vscode';
import { checkAttachments, type AttachmentKind } from '../../core/attachments';
import { selectionAttachments } from '../selection';
import { changesFor } from './changesContext';
import { collected, type Collected, refused } from './collected';
import { fileFromDocument, fileFromUri } from './fileContext';
import { problemsFor } from './problemsContext';
import type { TerminalHistory } from '../../shell/terminalHistory';
import { terminalFor } from './terminalContext';

interface KindSource {
  /** The quick pick's entry. */
  label: string;
  icon: string;
  detail: string;
  collect(): Promise<Collected>;
}

const NO_EDITOR = 'Open a file in an editor first.';

export class ContextSources implements vscode.Disposable {
  private lastEditor = vscode.window.activeTextEditor;
  private readonly subs = [vscode.window.onDidChangeActiveTextEditor((e) => e && (this.lastEditor = e))];

  /** `terminals` records from activation, so it is the shell's and outlives this. */
  constructor(private readonly terminals: TerminalHistory) {}

  readonly kinds: Record<AttachmentKind, KindSource> = {
    selection: {
      label: 'Selection', icon: 'selection', detail: 'The code selected in the editor',
      collect: async () => {
        const found = selectionAttachments(this.editor());
        return found.length ? collected(...found) : refused('Select some code in an editor first.');
      },
    },
    file: {
      label: 'Current File', icon: 'file-code', detail: "The active editor's whole document, unsaved edits included",
      collect: async () => {
        const e = this.editor();
        return e ? fileFromDocument(e.document) : refused(NO_EDITOR);
      },
    },
    problems: {
      label: 'Problems', icon: 'warning', detail: "The diagnostics of the selected lines, or of the whole file",
      collect: async () => {
        const e = this.editor();
        if (!e) return refused(NO_EDITOR);
        const s = e.selection;
        return problemsFor(e.document, s.isEmpty ? undefined : { start: s.start.line + 1, end: s.end.line + 1 });
      },
    },
    changes: {
      label: 'Uncommitted Changes', icon: 'git-compare', detail: 'The staged and unstaged diff (git)',
      collect: () => changesFor(this.editor()?.document.uri),
    },
    terminal: {
      label: 'Terminal', icon: 'terminal', detail: "The terminal's selection, or its last command and output",
      collect: () => terminalFor(this.terminals),
    },
  };

  editor(): vscode.TextEditor | undefined {
    const e = vscode.window.activeTextEditor ?? this.lastEditor;
    return e && !e.document.isClosed ? e : undefined;
  }

  /** The sources in the order the quick pick lists them. */
  list(): [AttachmentKind, KindSource][] {
    return Object.entries(this.kinds) as [AttachmentKind, KindSource][];
  }

  /**
   * Files by URI (picked or dropped), all or none: one refused file refuses the set, so nothing is
   * half-attached.
   */
  async files(uris: readonly vscode.Uri[]): Promise<Collected> {
    const all = [];
    for (const uri of uris) {
      const one = await fileFromUri(uri);
      if (!one.ok) return one;
      all.push(...one.attachments);
    }
    return checked(collected(...all));
  }

  async collect(kind: AttachmentKind): Promise<Collected> {
    return checked(await this.kinds[kind].collect());
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
  }
}

/** A collection that the kinds' limits would refuse at Send is refused now, with the same sentence. */
export function checked(c: Collected): Collected {
  if (!c.ok) return c;
  const problem = checkAttachments(c.attachments);
  return problem ? refused(problem.message) : c;
}
