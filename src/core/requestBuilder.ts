// Turns and attachments -> Responses API `input`.
import { renderAttachment } from './attachments';
import type { Attachment, Turn } from './types';

/** An input message in the plain form of `EasyInputMessage`; valid against `CreateResponse`. */
export interface InputMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** The user message for one turn: the question, then each attachment as its kind renders it. */
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
