// Where a code block from an answer goes in the file it is about, and the text the file would have after.
// Pure, so every case (moved selection, changed file, line endings) is unit-tested without VS Code.

/** What an answer is about: an attached selection (1-based inclusive lines) or a whole file. */
export type ProposalTarget =
  | { kind: 'selection'; startLine: number; endLine: number; attachedText?: string }
  | { kind: 'file'; attachedText?: string };

export interface Proposal {
  kind: 'proposal';
  /** The whole document as it would be after Accept. */
  proposedText: string;
  /** The file differs from the attached text; the review is against the current text. */
  changedSinceAttached: boolean;
}

export interface Refusal {
  kind: 'refused';
  /** A sentence for people: what is wrong and what to do instead. */
  message: string;
}

/** One replacement that turns one text into another: what Accept applies, as a single undo step. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

const eolOf = (text: string): '\n' | '\r\n' => (text.includes('\r\n') ? '\r\n' : '\n');

/** The code in the document's line endings, ending in a line break exactly when `replaced` did. */
function fitCode(code: string, replaced: string, eol: string): string {
  const body = code.replace(/\r?\n/g, eol);
  const endsWithEol = (s: string) => s.endsWith('\n');
  if (endsWithEol(replaced) && !endsWithEol(body)) return body + eol;
  if (!endsWithEol(replaced) && endsWithEol(body)) return body.slice(0, body.endsWith('\r\n') ? -2 : -1);
  return body;
}

/** Offsets of the start of each line, plus the text length as a sentinel. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = haystack.indexOf(needle); i >= 0 && needle; i = haystack.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/**
 * The proposed full text of a document whose current text is `current`, with `code` in place of the
 * target. A selection is found only where it was attached: when its text is no longer on its lines, the
 * proposal is refused rather than applied to a guessed range.
 */
export function proposeText(current: string, target: ProposalTarget, code: string, where: string): Proposal | Refusal {
  const eol = eolOf(current);
  if (target.kind === 'file') {
    return {
      kind: 'proposal',
      proposedText: fitCode(code, current, eol),
      changedSinceAttached: target.attachedText !== undefined && target.attachedText !== current,
    };
  }
  const starts = lineStarts(current);
  const lines = starts.length;
  const { startLine, endLine } = target;
  if (endLine > lines) {
    return { kind: 'refused', message: `${where} has ${lines} line(s) now, fewer than the attached L${startLine}-L${endLine}: it changed since it was attached, so the code was not applied. Select the code again and ask, or use Replace Selection.` };
  }
  const regionStart = starts[startLine - 1];
  const regionEnd = endLine < lines ? starts[endLine] : current.length;
  if (target.attachedText === undefined) {
    // Whole lines, without the last line break, so the lines around the block keep their own.
    const lineEnd = endLine < lines ? starts[endLine] - (current[starts[endLine] - 2] === '\r' ? 2 : 1) : current.length;
    return splice(current, regionStart, lineEnd, fitCode(code, '', eol));
  }
  const attached = target.attachedText.replace(/\r?\n/g, eol);
  const found = occurrences(current.slice(regionStart, regionEnd), attached);
  if (found.length !== 1) {
    const why = found.length === 0 ? 'changed or moved since it was attached' : 'appears more than once on its lines, so where to put the code is ambiguous';
    return { kind: 'refused', message: `The code attached from ${where}:L${startLine}-L${endLine} ${why}; Threadline did not apply the code to a guessed range. Select the code again and ask, or use Replace Selection.` };
  }
  const start = regionStart + found[0];
  return splice(current, start, start + attached.length, fitCode(code, attached, eol));
}

function splice(current: string, start: number, end: number, text: string): Proposal {
  return { kind: 'proposal', proposedText: current.slice(0, start) + text + current.slice(end), changedSinceAttached: false };
}

/** The smallest single replacement from `from` to `to` (common prefix and suffix kept), so cursors and marks outside it stay put. */
export function minimalEdit(from: string, to: string): TextEdit {
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && from.charCodeAt(from.length - 1 - tail) === to.charCodeAt(to.length - 1 - tail)) tail++;
  // Never split a \r\n pair: VS Code's documents cannot hold half of one.
  if (start > 0 && from[start - 1] === '\r' && from[start] === '\n') start--;
  if (tail > 0 && from[from.length - tail] === '\n' && from[from.length - tail - 1] === '\r') tail--;
  return { start, end: from.length - tail, text: to.slice(start, to.length - tail) };
}
