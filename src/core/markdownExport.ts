// The active path of a conversation as a Markdown document.
import { renderAttachment } from './attachments';
import { thinkingSeconds } from '../shared/thinkingTime';
import type { Turn } from './types';

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/**
 * The reasoning summary as a quote above the answer, so the answer stays the main text. Every line is
 * quoted, so nothing in the summary (model output) can end the quote and pass for the answer.
 */
function thinkingQuote(summary: string, ms: number | undefined): string {
  const head = ms === undefined ? '**Thinking**' : `**Thinking** (${thinkingSeconds(ms)} s)`;
  return [head, '', ...summary.split(/\r?\n/)].map((line) => (line ? `> ${line}` : '>')).join('\n');
}

export function conversationToMarkdown(title: string, path: readonly Turn[]): string {
  const out = [`# ${title}`, ''];
  for (const t of path) {
    out.push(`## You (${when(t.createdAt)})`, '', t.question.trim() || '_(no text)_', '');
    for (const a of t.attachments) out.push(renderAttachment(a), '');
    const details = [t.model, t.finishedAt ? when(t.finishedAt) : undefined, t.status !== 'completed' ? t.status : undefined]
      .filter(Boolean)
      .join(', ');
    out.push(`## Assistant${details ? ` (${details})` : ''}`, '');
    const summary = t.reasoningSummary?.trim();
    if (summary) out.push(thinkingQuote(summary, t.reasoningMs), '');
    out.push(t.answer.trim() || '_(no answer)_', '');
  }
  return out.join('\n');
}
