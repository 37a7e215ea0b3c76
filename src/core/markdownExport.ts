// The active path of a conversation as a Markdown document.
import { renderAttachment } from './attachments';
import type { Turn } from './types';

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function conversationToMarkdown(title: string, path: readonly Turn[]): string {
  const out = [`# ${title}`, ''];
  for (const t of path) {
    out.push(`## You (${when(t.createdAt)})`, '', t.question.trim() || '_(no text)_', '');
    for (const a of t.attachments) out.push(renderAttachment(a), '');
    const details = [t.model, t.finishedAt ? when(t.finishedAt) : undefined, t.status !== 'completed' ? t.status : undefined]
      .filter(Boolean)
      .join(', ');
    out.push(`## Assistant${details ? ` (${details})` : ''}`, '', t.answer.trim() || '_(no answer)_', '');
  }
  return out.join('\n');
}
