// Turns and attachments -> Responses API `input`.
import type { Attachment, Turn } from './types';

/** An input message in the plain form of `EasyInputMessage`; valid against `CreateResponse`. */
export interface InputMessage {
  role: 'user' | 'assistant';
  content: string;
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

export function renderAttachment(a: Attachment): string {
  const fence = fenceFor(a.code);
  const lang = UNTAGGED.has(a.languageId) ? '' : a.languageId;
  const body = a.code.endsWith('\n') ? a.code : `${a.code}\n`;
  return `${a.path}:L${a.startLine}-L${a.endLine}\n${fence}${lang}\n${body}${fence}`;
}

/** The user message for one turn: the question, then each attachment under its `path:Lx-Ly` header. */
export function renderUserMessage(question: string, attachments: readonly Attachment[]): string {
  const parts = [question.trim(), ...attachments.map(renderAttachment)].filter((p) => p.length > 0);
  return parts.join('\n\n');
}

export function turnInput(turn: Pick<Turn, 'question' | 'attachments'>): InputMessage[] {
  return [{ role: 'user', content: renderUserMessage(turn.question, turn.attachments) }];
}

/**
 * The whole context as plain messages, for recovery and `local` mode: each earlier completed turn as a
 * user and an assistant message, then the new turn.
 */
export function replayInput(context: readonly Turn[], turn: Pick<Turn, 'question' | 'attachments'>): InputMessage[] {
  const history = context.flatMap((t): InputMessage[] => [
    ...turnInput(t),
    { role: 'assistant', content: t.answer },
  ]);
  return [...history, ...turnInput(turn)];
}
