// What the fake "model" writes in its `assistant` answer mode (for `npm start`) and in reasoning summaries:
// deterministic text made from the question and the attached code, shaped like a model's Markdown answer.

/** An attachment as Threadline renders it in a user message: `path:Lx-Ly`, then a fenced code block. */
interface QuotedCode {
  path: string;
  startLine: number;
  lang: string;
  code: string;
}

const ATTACHMENT = /^(\S[^\n]*?):L(\d+)-L(\d+)\n(`{3,})([^\n`]*)\n([\s\S]*?)\n?\4[ \t]*$/gm;
const QUOTED_LINES = 6;

/** The question (the text before the first attachment) and the attachments of a user message. */
function parseUserText(text: string): { question: string; attachments: QuotedCode[] } {
  const attachments: QuotedCode[] = [];
  let firstAt = text.length;
  for (const m of text.matchAll(ATTACHMENT)) {
    firstAt = Math.min(firstAt, m.index);
    attachments.push({ path: m[1], startLine: Number(m[2]), lang: m[5].trim(), code: m[6] });
  }
  return { question: text.slice(0, firstAt).trim(), attachments };
}

/** A fence longer than any backtick run in the code, so quoted code cannot close it. */
function fence(code: string): string {
  const longest = Math.max(2, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function oneLine(text: string, max = 80): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Names a reader would look for first: declared functions, classes and constants. */
function declaredNames(code: string): string[] {
  const names = Array.from(code.matchAll(/\b(?:function|class|def|fn|const|let|var)\s+([A-Za-z_$][\w$]*)/g), (m) => m[1]);
  return [...new Set(names)].slice(0, 3);
}

function explainCode(a: QuotedCode): string {
  const lines = a.code.split('\n');
  const quoted = lines.slice(0, QUOTED_LINES).join('\n');
  const endLine = a.startLine + Math.min(lines.length, QUOTED_LINES) - 1;
  const names = declaredNames(a.code);
  const branches = (a.code.match(/\b(if|else|switch|case|match|when)\b/g) ?? []).length;
  const returns = (a.code.match(/\breturn\b/g) ?? []).length;
  const f = fence(quoted);
  return [
    `In \`${a.path}\`, lines ${a.startLine}–${endLine}:`,
    '',
    `${f}${a.lang}\n${quoted}\n${f}`,
    '',
    `- The selection has ${lines.length} line${lines.length === 1 ? '' : 's'}${a.lang ? ` of ${a.lang}` : ''}` +
      (names.length > 0 ? ` and declares ${names.map((n) => `\`${n}\``).join(', ')}.` : '.'),
    branches === 0
      ? '- It runs straight through, without branches, so every call takes the same path.'
      : `- It has ${branches} branch${branches === 1 ? '' : 'es'} and ${returns} \`return\` statement${returns === 1 ? '' : 's'}, ` +
        'so the order of the checks decides the result.',
  ].join('\n');
}

/**
 * A Markdown answer to the last user message: it restates the question, quotes the first lines of each
 * attached file in a fenced block with a short explanation, or, with nothing attached, sketches an example.
 */
export function assistantAnswer(userText: string, turn: number): string {
  const { question, attachments } = parseUserText(userText);
  const asked = oneLine(question) || 'a question about the selection';
  const intro = `**Answer ${turn}.** You asked: _${asked}_`;
  if (attachments.length > 0) {
    return [intro, '', ...attachments.map(explainCode).flatMap((s) => [s, '']), 'Ask a follow-up to go deeper.'].join('\n');
  }
  const example = ['// A sketch for: ' + asked, 'function answer(question: string): string {', '  return `Thinking about ${question}`;', '}'].join('\n');
  return [intro, '', 'Here is a small example to start from:', '', '```ts', example, '```', '', 'Attach a selection to get an answer about your code.'].join('\n');
}

/** The reasoning summary parts of a turn: one part, and a second one when `detailed` is asked. */
export function reasoningSummaryParts(userText: string, detailed: boolean): string[] {
  const { question, attachments } = parseUserText(userText);
  const files = attachments.map((a) => `\`${a.path}\``).join(', ');
  const parts = [`**Reading the question**\n\nThe user asks: "${oneLine(question, 60)}"${files ? `, about ${files}` : ''}.`];
  if (detailed) parts.push('**Planning the answer**\n\nI will answer briefly and quote the relevant lines.');
  return parts;
}
