// Builds the larger attachment kinds from what the host collected, cutting each to its kind's limit with
// the cut recorded (the kind's render turns that into a visible note): a file keeps its first lines, a
// diff its first files, terminal output its last lines. Pure, so the cuts are unit-tested here.
import { utf8Bytes } from '../shared/bytes';
import {
  type ChangesAttachment, type FileAttachment, MAX_CHANGES_BYTES, MAX_FILE_BYTES, MAX_PROBLEMS_BYTES, MAX_TERMINAL_BYTES, type Problem,
  type ProblemsAttachment, type TerminalAttachment,
} from './attachments';

/** Files above this are refused without reading them: cutting 16 MB to 256 KB would still read it all. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

/** A NUL byte in the first 8 KB: how git tells binary files from text, too. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

const lineCount = (text: string): number => (text === '' ? 1 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** The longest run of whole lines from the start that fits `max` bytes. */
function headLines(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const line of text.split(/(?<=\n)/)) {
    bytes += utf8Bytes(line);
    if (bytes > max) break;
    end += line.length;
  }
  return text.slice(0, end);
}

/** The longest run of whole lines from the end that fits `max` bytes. */
function tailLines(text: string, max: number): string {
  const lines = text.split(/(?<=\n)/);
  let bytes = 0;
  let start = text.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    bytes += utf8Bytes(lines[i]!);
    if (bytes > max) break;
    start -= lines[i]!.length;
  }
  return text.slice(start);
}

export function fileAttachment(f: { path: string; uri: string; languageId: string; text: string }): FileAttachment {
  const whole = utf8Bytes(f.text);
  const base = { kind: 'file' as const, path: f.path, uri: f.uri, languageId: f.languageId };
  if (whole <= MAX_FILE_BYTES) return { ...base, code: f.text, lineCount: lineCount(f.text) };
  const code = headLines(f.text, MAX_FILE_BYTES);
  return { ...base, code, lineCount: lineCount(code), cutFrom: whole };
}

/** A diagnostic message longer than this is cut: the problem's start says what it is. */
const MAX_MESSAGE_CHARS = 2000;

/**
 * The problems in lines start..end (1-based), each with the lines it points at. Errors first, then by
 * position; problems past the limit are left out and counted.
 */
export function problemsAttachment(p: {
  path: string; uri: string; languageId: string; startLine: number; endLine: number; problems: readonly Problem[];
  lineText(line: number): string | undefined;
}): ProblemsAttachment {
  const rank = { error: 0, warning: 1, info: 2, hint: 3 };
  const inRange = p.problems
    .filter((d) => d.endLine >= p.startLine && d.startLine <= p.endLine)
    .sort((a, b) => rank[a.severity] - rank[b.severity] || a.startLine - b.startLine || a.startColumn - b.startColumn);
  const kept: Problem[] = [];
  const lines = new Map<number, string>();
  let bytes = 0;
  for (const found of inRange) {
    const d = { ...found, message: found.message.slice(0, MAX_MESSAGE_CHARS) };
    const its = new Map<number, string>();
    // A problem spanning many lines shows its first few: enough to find it.
    for (let n = d.startLine; n <= Math.min(d.endLine, d.startLine + 4); n++) {
      const text = p.lineText(n);
      if (text !== undefined && !lines.has(n)) its.set(n, text);
    }
    const cost = utf8Bytes(d.message) + 80 + [...its.values()].reduce((s, t) => s + utf8Bytes(t) + 8, 0);
    if (bytes + cost > MAX_PROBLEMS_BYTES - 200) break;
    bytes += cost;
    kept.push(d);
    for (const [n, t] of its) lines.set(n, t);
  }
  const omitted = inRange.length - kept.length;
  return {
    kind: 'problems', path: p.path, uri: p.uri, languageId: p.languageId, startLine: p.startLine, endLine: p.endLine,
    problems: kept.map(({ code, source, ...rest }) => ({ ...rest, ...(source ? { source } : {}), ...(code ? { code } : {}) })),
    lines: [...lines].sort(([a], [b]) => a - b).map(([line, text]) => ({ line, text })),
    ...(omitted > 0 ? { omitted } : {}),
  };
}

/** One repository's diff; the files in order, each a complete `diff --git` section. */
export function changesAttachment(c: { path: string; files: readonly { uri: string; diff: string }[] }): ChangesAttachment {
  const withDiff = c.files.filter((f) => f.diff.trim() !== '');
  const all = withDiff.map((f) => (f.diff.endsWith('\n') ? f.diff : `${f.diff}\n`));
  const whole = all.reduce((n, d) => n + utf8Bytes(d), 0);
  const base = { kind: 'changes' as const, path: c.path, uri: withDiff[0]?.uri ?? '', files: withDiff.length };
  if (whole <= MAX_CHANGES_BYTES) return { ...base, diff: all.join('') };
  let diff = '';
  for (const d of all) {
    if (utf8Bytes(diff) + utf8Bytes(d) > MAX_CHANGES_BYTES) break;
    diff += d;
  }
  // A first file bigger than the whole limit still shows its start rather than nothing.
  if (diff === '') diff = headLines(all[0]!, MAX_CHANGES_BYTES);
  return { ...base, diff, cutFrom: whole };
}

/** Escape sequences (colours, cursor moves, shell-integration marks) that are noise to a model. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Terminal output as text: no escape sequences, `\n` line ends. */
export function plainTerminalText(raw: string): string {
  return raw.replace(ESCAPES, '').replace(/\r\n?/g, '\n');
}

export function terminalAttachment(t: { terminal: string; source: 'selection' | 'lastCommand'; command?: string; output: string }): TerminalAttachment {
  const command = t.command === undefined ? undefined : t.command.slice(0, 4096);
  const base = { kind: 'terminal' as const, terminal: t.terminal, source: t.source, ...(command === undefined ? {} : { command }) };
  const whole = utf8Bytes(t.output);
  const room = MAX_TERMINAL_BYTES - utf8Bytes(command ?? '');
  if (whole <= room) return { ...base, output: t.output };
  return { ...base, output: tailLines(t.output, room), cutFrom: whole };
}
