// The argument of `threadline.applyCode`, checked field by field: it can come from the webview, so every
// mistake gets a sentence that says which field is wrong.
import type { ProposalTarget } from './proposal';

/** Where the code goes: the document URI plus what was attached from it. */
export type ApplyTarget = ProposalTarget & { uri: string };

export interface ApplyRequest {
  code: string;
  target?: ApplyTarget;
  /** Which answer the code is from, shown in the review's title (e.g. "turn 3"). */
  turnLabel?: string;
}

export const APPLY_LIMITS = {
  maxCodeChars: 1_000_000,
  maxUriChars: 4_000,
  maxLine: 10_000_000,
  maxTurnLabelChars: 100,
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLine = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= APPLY_LIMITS.maxLine;

const TOP_KEYS = new Set(['code', 'target', 'turnLabel']);
const TARGET_KEYS = new Set(['uri', 'kind', 'startLine', 'endLine', 'attachedText']);

/** The request, or the reason it is not one. */
export function parseApplyRequest(arg: unknown): { ok: true; request: ApplyRequest } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  if (!isObj(arg)) return fail('expected { code, target? }.');
  if (typeof arg.code !== 'string') return fail('`code` must be a string.');
  if (arg.code.length > APPLY_LIMITS.maxCodeChars) return fail(`the code is longer than ${APPLY_LIMITS.maxCodeChars} characters.`);
  const unknownTop = Object.keys(arg).find((k) => !TOP_KEYS.has(k));
  if (unknownTop) return fail(`unknown field \`${unknownTop}\`.`);
  if (arg.turnLabel !== undefined && (typeof arg.turnLabel !== 'string' || arg.turnLabel.length > APPLY_LIMITS.maxTurnLabelChars)) {
    return fail(`\`turnLabel\` must be a string of at most ${APPLY_LIMITS.maxTurnLabelChars} characters.`);
  }
  const base = { code: arg.code, turnLabel: arg.turnLabel as string | undefined };
  if (arg.target === undefined) return { ok: true, request: base };

  const t = arg.target;
  if (!isObj(t)) return fail('`target` must be an object.');
  const unknown = Object.keys(t).find((k) => !TARGET_KEYS.has(k));
  if (unknown) return fail(`unknown target field \`${unknown}\`.`);
  if (typeof t.uri !== 'string' || !t.uri || t.uri.length > APPLY_LIMITS.maxUriChars) return fail('`target.uri` must be a non-empty URI string.');
  if (t.attachedText !== undefined && (typeof t.attachedText !== 'string' || !t.attachedText)) {
    return fail('`target.attachedText` must be a non-empty string when given.');
  }
  const attachedText = t.attachedText as string | undefined;
  switch (t.kind) {
    case 'file':
      if (t.startLine !== undefined || t.endLine !== undefined) return fail('a `file` target has no lines.');
      return { ok: true, request: { ...base, target: { uri: t.uri, kind: 'file', attachedText } } };
    case 'selection':
      if (!isLine(t.startLine) || !isLine(t.endLine)) return fail('a `selection` target needs whole-number `startLine` and `endLine` from 1.');
      if (t.startLine > t.endLine) return fail('`target.startLine` is after `target.endLine`.');
      return { ok: true, request: { ...base, target: { uri: t.uri, kind: 'selection', startLine: t.startLine, endLine: t.endLine, attachedText } } };
    default:
      return fail('`target.kind` must be "selection" or "file".');
  }
}
