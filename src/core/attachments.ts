// Attachment kinds: the one place that knows what each kind of context is. Every kind answers the same
// questions through its descriptor (label, prompt text, size, validation, what "open" shows), and
// `describe` picks the descriptor with an exhaustive switch, so adding a kind is: its type member and its
// descriptor here, its schema member, and a collector in the host; the compiler lists the rest.
// Browser-safe and schema-free (the webview imports it for chips): the kinds' schemas are in
// core/schemas.ts and the chip's in shared/chipSchema.ts, each checked against the types declared here.
import { formatBytes, utf8Bytes } from '../shared/bytes';
import type { ApplyTarget } from './applyRequest';
import { turnError, type TurnError } from './errors';

/** Code the user selected in an editor, sent with the next turn. */
export interface SelectionAttachment {
  kind: 'selection';
  /** Workspace-relative path with forward slashes (or the file name when outside the workspace). */
  path: string;
  /** Document URI, so the host can open the file again. */
  uri: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  languageId: string;
  code: string;
}

/** A whole document: the active editor's, or a file picked or dropped from the workspace. */
export interface FileAttachment {
  kind: 'file';
  path: string;
  uri: string;
  languageId: string;
  /** The text sent: the whole document, or its first lines when it was cut to MAX_FILE_BYTES. */
  code: string;
  /** Lines in `code`. */
  lineCount: number;
  /** The whole document's size in bytes, set only when `code` is a cut of it. */
  cutFrom?: number;
}

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One diagnostic; lines and columns 1-based. */
export interface Problem {
  severity: ProblemSeverity;
  message: string;
  source?: string;
  code?: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A document's diagnostics (all of them, or those in a selection's range), with the lines they point at. */
export interface ProblemsAttachment {
  kind: 'problems';
  path: string;
  uri: string;
  languageId: string;
  /** The range asked about, 1-based, inclusive (the whole document for a file's problems). */
  startLine: number;
  endLine: number;
  problems: Problem[];
  /** The code lines the problems point at, in order. */
  lines: { line: number; text: string }[];
  /** Problems left out to fit MAX_PROBLEMS_BYTES. */
  omitted?: number;
}

/** The uncommitted diff of one repository, staged and unstaged. */
export interface ChangesAttachment {
  kind: 'changes';
  /** The repository's root as a display path. */
  path: string;
  /** The first changed file, which the chip opens. */
  uri: string;
  files: number;
  /** Unified diff text; cut at a file boundary (with a note) when over MAX_CHANGES_BYTES. */
  diff: string;
  cutFrom?: number;
}

/** A terminal's selection, or its last command and that command's output. */
export interface TerminalAttachment {
  kind: 'terminal';
  /** The terminal's name. */
  terminal: string;
  source: 'selection' | 'lastCommand';
  /** The command line, for `lastCommand`. */
  command?: string;
  /** The text; the end is kept when it was cut to MAX_TERMINAL_BYTES. */
  output: string;
  cutFrom?: number;
}

/** Every attachment kind; a new kind is a new member here. */
export type Attachment = SelectionAttachment | FileAttachment | ProblemsAttachment | ChangesAttachment | TerminalAttachment;
export type AttachmentKind = Attachment['kind'];

type Holds<T extends true> = T;
export const ATTACHMENT_KINDS = ['selection', 'file', 'problems', 'changes', 'terminal'] as const;
/** Fails to compile when a kind is missing from ATTACHMENT_KINDS. */
export type AttachmentKindsListed = Holds<[AttachmentKind] extends [(typeof ATTACHMENT_KINDS)[number]] ? true : false>;

/** What "open" shows: a document and a 1-based, inclusive line range. */
export interface OpenTarget {
  uri: string;
  startLine: number;
  endLine: number;
}

/** What the webview shows of an attachment: never its contents. Terminal output has nothing to open. */
export interface AttachmentChip {
  kind: AttachmentKind;
  label: string;
  open?: OpenTarget;
}

/** A chip in the composer's draft: `id` names the attachment the host keeps until a send takes it. */
export interface DraftChip extends AttachmentChip {
  id: string;
}

/** One selection above this is refused: it would not fit a model's context and would stall the UI. */
export const MAX_SELECTION_BYTES = 512 * 1024;
/** A file is cut to this, with a note saying so. */
export const MAX_FILE_BYTES = 256 * 1024;
export const MAX_PROBLEMS_BYTES = 64 * 1024;
export const MAX_CHANGES_BYTES = 256 * 1024;
export const MAX_TERMINAL_BYTES = 64 * 1024;
/** All of one turn's attachments together. */
export const MAX_TOTAL_ATTACHMENT_BYTES = 1024 * 1024;

interface KindDescriptor<A extends Attachment> {
  /** The name people see, in chips, prompts and messages. */
  label(a: A): string;
  /** The attachment as the model reads it, below the question. */
  render(a: A): string;
  /** What counts against the size limits. */
  bytes(a: A): number;
  maxBytes: number;
  /** What the user can do about an attachment over its limit. */
  smaller: string;
  /** A sentence saying why the attachment cannot be sent (besides its size), or undefined. */
  problem(a: A): string | undefined;
  open(a: A): OpenTarget | undefined;
  /** Where an answer's code about this attachment is applied, or undefined when it is not a place in a file. */
  applyTarget(a: A): ApplyTarget | undefined;
}

/**
 * A fence longer than any backtick run inside the code, so the code cannot close it early. A loop, not
 * `Math.max(...runs)`: a large selection can hold more backtick runs than a call may have arguments.
 */
function fenceFor(code: string): string {
  let longest = 2;
  for (const m of code.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(longest + 1);
}

/** Language ids that are not fence tags: fall back to no tag rather than a misleading one. */
const UNTAGGED = new Set(['plaintext', 'text', '']);

function fenced(code: string, languageId: string): string {
  const fence = fenceFor(code);
  const lang = UNTAGGED.has(languageId) ? '' : languageId;
  const body = code.endsWith('\n') || code === '' ? code : `${code}\n`;
  return `${fence}${lang}\n${body}${fence}`;
}

const binary = (path: string, text: string): string | undefined =>
  text.includes('\u0000') ? `${path} looks like a binary file (it contains NUL bytes), so it was not attached.` : undefined;

const cutNote = (what: string, kept: number, whole: number): string =>
  `(${what}: ${formatBytes(kept)} of ${formatBytes(whole)} attached; the rest was cut to fit Threadline's limit.)`;

const selection: KindDescriptor<SelectionAttachment> = {
  label: (a) => `${a.path}:L${a.startLine}-L${a.endLine}`,
  render(a) {
    return `${this.label(a)}\n${fenced(a.code, a.languageId)}`;
  },
  bytes: (a) => utf8Bytes(a.code),
  maxBytes: MAX_SELECTION_BYTES,
  smaller: 'Select less code.',
  problem: (a) => binary(a.path, a.code),
  open: (a) => ({ uri: a.uri, startLine: a.startLine, endLine: a.endLine }),
  applyTarget: (a) => ({ uri: a.uri, kind: 'selection', startLine: a.startLine, endLine: a.endLine, ...(a.code ? { attachedText: a.code } : {}) }),
};

const file: KindDescriptor<FileAttachment> = {
  label: (a) => `${a.path}:L1-L${Math.max(1, a.lineCount)}`,
  render(a) {
    const note = a.cutFrom === undefined ? '' : `\n${cutNote(`${a.path} was cut after line ${a.lineCount}`, utf8Bytes(a.code), a.cutFrom)}`;
    return `${this.label(a)} (whole file)${note}\n${fenced(a.code, a.languageId)}`;
  },
  bytes: (a) => utf8Bytes(a.code),
  maxBytes: MAX_FILE_BYTES,
  smaller: 'Attach a smaller file or select the part that matters.',
  problem: (a) => binary(a.path, a.code),
  open: (a) => ({ uri: a.uri, startLine: 1, endLine: Math.max(1, a.lineCount) }),
  // A cut file's attached text is not the file's: the review compares with the current text only.
  applyTarget: (a) => ({ uri: a.uri, kind: 'file', ...(a.cutFrom === undefined && a.code ? { attachedText: a.code } : {}) }),
};

const problemLine = (p: Problem): string => {
  const origin = [p.source, p.code].filter(Boolean).join(' ');
  return `- ${p.severity}${origin ? ` (${origin})` : ''} at L${p.startLine}:C${p.startColumn}-L${p.endLine}:C${p.endColumn}: ${p.message}`;
};

const problems: KindDescriptor<ProblemsAttachment> = {
  label: (a) => `Problems in ${a.path}:L${a.startLine}-L${a.endLine}`,
  render(a) {
    const count = `${a.problems.length} problem${a.problems.length === 1 ? '' : 's'}`;
    const width = String(a.lines.at(-1)?.line ?? 1).length;
    const code = a.lines.map((l) => `${String(l.line).padStart(width)}| ${l.text}`).join('\n');
    const lines = a.lines.length ? `\nThe lines they point at (numbered):\n${fenced(code, a.languageId)}` : '';
    const omitted = a.omitted ? `\n(${a.omitted} more problems were left out to fit Threadline's limit.)` : '';
    return `${this.label(a)} (${count})\n${a.problems.map(problemLine).join('\n')}${omitted}${lines}`;
  },
  bytes: (a) => utf8Bytes(a.problems.map(problemLine).join('\n')) + a.lines.reduce((n, l) => n + utf8Bytes(l.text) + 8, 0),
  maxBytes: MAX_PROBLEMS_BYTES,
  smaller: 'Ask about the problems of a smaller selection.',
  problem: (a) => (a.problems.length === 0 ? `${a.path} has no problems to attach.` : undefined),
  open: (a) => ({ uri: a.uri, startLine: a.startLine, endLine: a.endLine }),
  applyTarget: () => undefined,
};

const changes: KindDescriptor<ChangesAttachment> = {
  label: (a) => `Uncommitted changes in ${a.path} (${a.files} file${a.files === 1 ? '' : 's'})`,
  render(a) {
    const note = a.cutFrom === undefined ? '' : `\n${cutNote('the diff was cut at a file boundary', utf8Bytes(a.diff), a.cutFrom)}`;
    return `${this.label(a)}, staged and unstaged${note}\n${fenced(a.diff, 'diff')}`;
  },
  bytes: (a) => utf8Bytes(a.diff),
  maxBytes: MAX_CHANGES_BYTES,
  smaller: 'Commit or stash part of the changes, or attach single files.',
  problem: (a) => (a.diff.trim() === '' ? `${a.path} has no uncommitted changes.` : undefined),
  open: (a) => ({ uri: a.uri, startLine: 1, endLine: 1 }),
  applyTarget: () => undefined,
};

const terminal: KindDescriptor<TerminalAttachment> = {
  label: (a) => `Terminal ${a.terminal}: ${a.source === 'selection' ? 'selection' : 'last command'}`,
  render(a) {
    const note = a.cutFrom === undefined ? '' : `\n${cutNote('the start of the output was cut', utf8Bytes(a.output), a.cutFrom)}`;
    const command = a.command === undefined ? '' : `\n$ ${a.command}`;
    return `${this.label(a)}${command}${note}\n${fenced(a.output, '')}`;
  },
  bytes: (a) => utf8Bytes(a.output) + utf8Bytes(a.command ?? ''),
  maxBytes: MAX_TERMINAL_BYTES,
  smaller: 'Select less of the terminal.',
  problem: (a) => (a.output.trim() === '' && !a.command ? `Terminal ${a.terminal} has nothing to attach.` : undefined),
  open: () => undefined,
  applyTarget: () => undefined,
};

/** The descriptor's answers for one attachment. */
interface Described {
  label(): string;
  render(): string;
  bytes(): number;
  maxBytes: number;
  smaller: string;
  problem(): string | undefined;
  open(): OpenTarget | undefined;
  applyTarget(): ApplyTarget | undefined;
}

function bind<A extends Attachment>(d: KindDescriptor<A>, a: A): Described {
  return {
    label: () => d.label(a),
    render: () => d.render(a),
    bytes: () => d.bytes(a),
    maxBytes: d.maxBytes,
    smaller: d.smaller,
    problem: () => d.problem(a),
    open: () => d.open(a),
    applyTarget: () => d.applyTarget(a),
  };
}

function describe(a: Attachment): Described {
  switch (a.kind) {
    case 'selection':
      return bind(selection, a);
    case 'file':
      return bind(file, a);
    case 'problems':
      return bind(problems, a);
    case 'changes':
      return bind(changes, a);
    case 'terminal':
      return bind(terminal, a);
    default: {
      const unknownKind: never = a;
      throw new Error(`unknown attachment kind ${String((unknownKind as Attachment).kind)}`);
    }
  }
}

/** `src/a.ts:L3-L9` for a selection: the label used everywhere an attachment appears. */
export const attachmentLabel = (a: Attachment): string => describe(a).label();

/** The attachment under its label, as the model reads it. */
export const renderAttachment = (a: Attachment): string => describe(a).render();

export const openTarget = (a: Attachment): OpenTarget | undefined => describe(a).open();

/**
 * Where Apply puts a code block from an answer to a turn with these attachments: the first selection or
 * file, else nowhere in particular (Apply then replaces the editor's selection or inserts at its cursor).
 */
export function applyTargetOf(attachments: readonly Attachment[]): ApplyTarget | undefined {
  for (const a of attachments) {
    const target = describe(a).applyTarget();
    if (target) return target;
  }
  return undefined;
}

export function attachmentChip(a: Attachment): AttachmentChip {
  const d = describe(a);
  const open = d.open();
  return open ? { kind: a.kind, label: d.label(), open } : { kind: a.kind, label: d.label() };
}

/** Why these attachments cannot be sent (size, content), or undefined. */
export function checkAttachments(attachments: readonly Attachment[]): TurnError | undefined {
  const refuse = (message: string) => turnError('invalid_input', message);
  let total = 0;
  for (const a of attachments) {
    const d = describe(a);
    const bytes = d.bytes();
    total += bytes;
    if (bytes > d.maxBytes) {
      return refuse(`The ${a.kind} ${d.label()} is ${formatBytes(bytes)}; Threadline sends at most ${formatBytes(d.maxBytes)} per ${a.kind}. ${d.smaller}`);
    }
    const problem = d.problem();
    if (problem) return refuse(problem);
  }
  if (total > MAX_TOTAL_ATTACHMENT_BYTES) {
    return refuse(`The attachments add up to ${formatBytes(total)}; Threadline sends at most ${formatBytes(MAX_TOTAL_ATTACHMENT_BYTES)} per turn. Remove an attachment, or select less code.`);
  }
  return undefined;
}

/**
 * Attachments collected for the composer and not sent yet. The webview holds only their chips; a send
 * names them by id and the host takes them from here. Bounded, since chips removed in the view are not
 * reported: the oldest go first, and sending one of those asks the user to add it again.
 */
export class PendingAttachments {
  private readonly items = new Map<string, Attachment>();

  constructor(private readonly newId: () => string, private readonly capacity = 40) {}

  add(list: readonly Attachment[]): DraftChip[] {
    return list.map((a) => {
      const id = this.newId();
      this.items.set(id, a);
      for (const old of this.items.keys()) {
        if (this.items.size <= this.capacity) break;
        this.items.delete(old);
      }
      return { id, ...attachmentChip(a) };
    });
  }

  /** The attachments these ids name, in order, or how many are no longer here. */
  resolve(ids: readonly string[]): { attachments: Attachment[] } | { missing: number } {
    const found = ids.map((id) => this.items.get(id));
    const attachments = found.filter((a): a is Attachment => a !== undefined);
    return attachments.length === ids.length ? { attachments } : { missing: ids.length - attachments.length };
  }

  /** Sent: the ids are done with. */
  release(ids: readonly string[]): void {
    for (const id of ids) this.items.delete(id);
  }

  /** The documents the pending chips may open. */
  openTargets(): OpenTarget[] {
    return [...this.items.values()].map(openTarget).filter((t): t is OpenTarget => t !== undefined);
  }
}
