// Attachment kinds: the one place that knows what each kind of context is. Every kind answers the same
// questions through its descriptor (label, prompt text, size, validation, what "open" shows), and
// `describe` picks the descriptor with an exhaustive switch, so adding a kind is: its type member and its
// descriptor here, its schema member, and a collector in the host; the compiler lists the rest.
// Browser-safe and schema-free (the webview imports it for chips): the kinds' schemas are in
// core/schemas.ts and the chip's in shared/chipSchema.ts, each checked against the types declared here.
import { formatBytes, utf8Bytes } from '../shared/bytes';
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

/** Every attachment kind; a new kind is a new member here. */
export type Attachment = SelectionAttachment;
export type AttachmentKind = Attachment['kind'];

type Holds<T extends true> = T;
export const ATTACHMENT_KINDS = ['selection'] as const;
/** Fails to compile when a kind is missing from ATTACHMENT_KINDS. */
export type AttachmentKindsListed = Holds<[AttachmentKind] extends [(typeof ATTACHMENT_KINDS)[number]] ? true : false>;

/** What "open" shows: a document and a 1-based, inclusive line range. */
export interface OpenTarget {
  uri: string;
  startLine: number;
  endLine: number;
}

/** What the webview shows of an attachment: never its contents. */
export interface AttachmentChip {
  kind: AttachmentKind;
  label: string;
  open: OpenTarget;
}

/** A chip in the composer's draft: `id` names the attachment the host keeps until a send takes it. */
export interface DraftChip extends AttachmentChip {
  id: string;
}

/** One selection above this is refused: it would not fit a model's context and would stall the UI. */
export const MAX_SELECTION_BYTES = 512 * 1024;
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
  /** A sentence saying why the attachment cannot be sent (besides its size), or undefined. */
  problem(a: A): string | undefined;
  open(a: A): OpenTarget;
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

const selection: KindDescriptor<SelectionAttachment> = {
  label: (a) => `${a.path}:L${a.startLine}-L${a.endLine}`,
  render(a) {
    const fence = fenceFor(a.code);
    const lang = UNTAGGED.has(a.languageId) ? '' : a.languageId;
    const body = a.code.endsWith('\n') ? a.code : `${a.code}\n`;
    return `${this.label(a)}\n${fence}${lang}\n${body}${fence}`;
  },
  bytes: (a) => utf8Bytes(a.code),
  maxBytes: MAX_SELECTION_BYTES,
  problem: (a) => (a.code.includes('\u0000') ? `${a.path} looks like a binary file (it contains NUL bytes), so it was not attached.` : undefined),
  open: (a) => ({ uri: a.uri, startLine: a.startLine, endLine: a.endLine }),
};

/** The descriptor's answers for one attachment. */
interface Described {
  label(): string;
  render(): string;
  bytes(): number;
  maxBytes: number;
  problem(): string | undefined;
  open(): OpenTarget;
}

function bind<A extends Attachment>(d: KindDescriptor<A>, a: A): Described {
  return {
    label: () => d.label(a),
    render: () => d.render(a),
    bytes: () => d.bytes(a),
    maxBytes: d.maxBytes,
    problem: () => d.problem(a),
    open: () => d.open(a),
  };
}

function describe(a: Attachment): Described {
  switch (a.kind) {
    case 'selection':
      return bind(selection, a);
    default: {
      const unknownKind: never = a.kind;
      throw new Error(`unknown attachment kind ${String(unknownKind)}`);
    }
  }
}

/** `src/a.ts:L3-L9` for a selection: the label used everywhere an attachment appears. */
export const attachmentLabel = (a: Attachment): string => describe(a).label();

/** The attachment under its label, as the model reads it. */
export const renderAttachment = (a: Attachment): string => describe(a).render();

export const openTarget = (a: Attachment): OpenTarget => describe(a).open();

export function attachmentChip(a: Attachment): AttachmentChip {
  const d = describe(a);
  return { kind: a.kind, label: d.label(), open: d.open() };
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
      return refuse(`The ${a.kind} ${d.label()} is ${formatBytes(bytes)}; Threadline sends at most ${formatBytes(d.maxBytes)} per ${a.kind}. Select less code.`);
    }
    const problem = d.problem();
    if (problem) return refuse(problem);
  }
  if (total > MAX_TOTAL_ATTACHMENT_BYTES) {
    return refuse(`The attachments add up to ${formatBytes(total)}; Threadline sends at most ${formatBytes(MAX_TOTAL_ATTACHMENT_BYTES)} per turn. Select less code.`);
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
    return [...this.items.values()].map(openTarget);
  }
}
