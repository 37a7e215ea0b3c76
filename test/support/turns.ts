// Turn records for every suite: `turnRecord` builds a stored turn (core), `turnView` the view of one that
// the host sends to the webview. Both are completed turns unless told otherwise; the overrides win.
import { attachmentChip, type AttachmentChip, type DraftChip } from '../../src/core/attachments';
import type { SelectionAttachment, Turn } from '../../src/core/types';
import type { HostToWebview, TurnView, ViewState } from '../../src/shared/protocol';

/** A completed stored turn with `q <id>` and `a <id>` as its question and answer. */
export function turnRecord(id: string, parentId: string | null, o: Partial<Turn> = {}): Turn {
  return { id, parentId, createdAt: Date.now(), question: `q ${id}`, attachments: [], answer: `a ${id}`, status: 'completed', responseId: `resp_${id}`, stored: true, ...o };
}

export const CONV = 'conv-1';
/** 2024-05-06 12:03 local time, so "You, 12:03" is predictable. */
export const T0 = new Date(2024, 4, 6, 12, 3, 0).getTime();

let seq = 0;
/** A completed turn as the view shows it, numbered in creation order (t1, t2, …) unless `id` is given. */
export function turnView(p: Partial<TurnView> = {}): TurnView {
  seq++;
  return {
    id: `t${seq}`,
    parentId: null,
    createdAt: T0 + seq * 60_000,
    question: `Question ${seq}`,
    attachments: [],
    answer: `Answer ${seq}`,
    status: 'completed',
    responseId: `resp_${seq}`,
    stored: true,
    model: 'gpt-5.1',
    usage: { inputTokens: 1200 + seq, cachedTokens: 1024, outputTokens: 80 + seq },
    mode: 'chained',
    finishedAt: T0 + seq * 60_000 + 4200,
    siblingIndex: 1,
    siblingCount: 1,
    ...p,
  };
}

/** `n` completed turns, each the child of the one before. */
export function chain(n: number, first: Partial<TurnView> = {}): TurnView[] {
  const out: TurnView[] = [];
  for (let i = 0; i < n; i++) out.push(turnView(i === 0 ? { mode: 'fresh', ...first } : { parentId: out[i - 1]!.id }));
  return out;
}

export function viewState(p: Partial<ViewState> = {}): ViewState {
  return { busy: false, hasKey: true, model: 'gpt-5.1', chaining: 'auto', endpoint: 'https://api.openai.com/v1', ...p };
}

export function snapshot(
  turns: TurnView[],
  o: { id?: string; title?: string; hasEarlier?: boolean; state?: Partial<ViewState> } = {},
): HostToWebview {
  return {
    type: 'snapshot',
    conversation: { id: o.id ?? CONV, title: o.title ?? 'Explain the parser', turns, hasEarlier: o.hasEarlier ?? false },
    state: viewState(o.state),
  };
}

export function attachment(p: Partial<SelectionAttachment> = {}): SelectionAttachment {
  return {
    kind: 'selection',
    path: 'src/a.ts',
    uri: 'file:///work/ws/src/a.ts',
    startLine: 3,
    endLine: 9,
    languageId: 'typescript',
    code: 'export function add(a: number, b: number) {\n  return a + b;\n}',
    ...p,
  };
}

/** An attachment as a sent turn shows it. */
export function chip(p: Partial<SelectionAttachment> = {}): AttachmentChip {
  return attachmentChip(attachment(p));
}

let chipIds = 0;
/** The chip the host posts for `attachment(p)`, with a fresh id unless one is given. */
export function draftChip(p: Partial<SelectionAttachment> = {}, id = `chip-${++chipIds}`): DraftChip {
  return { id, ...attachmentChip(attachment(p)) };
}
