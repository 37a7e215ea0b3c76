// A conversation as a Markdown document: its active path, or its whole branch tree.
import { thinkingSeconds } from '../shared/thinkingTime';
import { renderAttachment } from './attachments';
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

/**
 * One turn: the question under `you`, the answer under an "Assistant" heading with its details (and its
 * reasoning summary, quoted, above it).
 */
function turnMarkdown(t: Turn, you: string, level: string): string[] {
  const out = [`${level} ${you} (${when(t.createdAt)})`, '', t.question.trim() || '_(no text)_', ''];
  for (const a of t.attachments) out.push(renderAttachment(a), '');
  const details = [t.model, t.finishedAt ? when(t.finishedAt) : undefined, t.status !== 'completed' ? t.status : undefined]
    .filter(Boolean)
    .join(', ');
  out.push(`${level} Assistant${details ? ` (${details})` : ''}`, '');
  const summary = t.reasoningSummary?.trim();
  if (summary) out.push(thinkingQuote(summary, t.reasoningMs), '');
  out.push(t.answer.trim() || '_(no answer)_', '');
  return out;
}

export function conversationToMarkdown(title: string, path: readonly Turn[]): string {
  return [`# ${title}`, '', ...path.flatMap((t) => turnMarkdown(t, 'You', '##'))].join('\n');
}

/**
 * Every branch, depth first: each turn numbered by its depth, with "branch i of n" where a turn has
 * alternatives (an edit or a retry), and the active path marked.
 */
export function conversationTreeToMarkdown(title: string, turns: readonly Turn[], activePath: readonly Turn[]): string {
  const active = new Set(activePath.map((t) => t.id));
  const ids = new Set(turns.map((t) => t.id));
  const children = new Map<string | null, Turn[]>();
  for (const t of [...turns].sort((a, b) => a.createdAt - b.createdAt)) {
    const parent = t.parentId !== null && ids.has(t.parentId) ? t.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out = [`# ${title}`, '', '_Every branch; the turns of the active branch are marked "active"._', ''];
  const walk = (parent: string | null, depth: number) => {
    const kids = children.get(parent) ?? [];
    kids.forEach((t, i) => {
      const branch = kids.length > 1 ? ` · branch ${i + 1} of ${kids.length}` : '';
      out.push(...turnMarkdown(t, `Turn ${depth}${branch}${active.has(t.id) ? ' · active' : ''} · You`, '##'));
      walk(t.id, depth + 1);
    });
  };
  walk(null, 1);
  return out.join('\n');
}
