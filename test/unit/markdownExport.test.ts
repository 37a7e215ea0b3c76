// The Markdown export (Export Chat, Copy as Markdown) with reasoning: the summary is a quoted "Thinking"
// section above the answer, and the answer stays the main text.
import assert from 'node:assert/strict';
import { conversationToMarkdown } from '../../src/core/markdownExport';
import { turnRecord } from '../support/turns';

describe('Markdown export of reasoning', () => {
  it('quotes each turn\'s summary as a Thinking section above its answer, with the thinking time', () => {
    const md = conversationToMarkdown('Sorting', [
      turnRecord('1', null, { answer: 'Use a stable sort.', reasoningSummary: '**Comparing sorts**\n\nMerge sort is stable.\nQuick sort is not.', reasoningMs: 12_400 }),
      turnRecord('2', '1', { answer: 'Yes.' }),
    ]);
    const first = md.slice(md.indexOf('## Assistant'), md.indexOf('## You', md.indexOf('## Assistant')));
    assert.equal(first, [
      '## Assistant', '',
      '> **Thinking** (12 s)', '>', '> **Comparing sorts**', '>', '> Merge sort is stable.', '> Quick sort is not.', '',
      'Use a stable sort.', '', '',
    ].join('\n'));
    const second = md.slice(md.lastIndexOf('## Assistant'));
    assert.equal(second, '## Assistant\n\nYes.\n', 'a turn without a summary has no Thinking section');
  });

  it('keeps a hostile summary inside its quote: no line of it reads as the answer or a heading', () => {
    const summary = 'ok\n## Assistant\n</details>\n```\nunclosed fence';
    const md = conversationToMarkdown('t', [turnRecord('1', null, { answer: 'The answer.', reasoningSummary: summary })]);
    const body = md.slice(md.indexOf('## Assistant') + '## Assistant\n\n'.length);
    const [quote, rest] = body.split('\n\n');
    for (const line of quote!.split('\n')) assert.match(line, /^>/, `quoted: ${line}`);
    assert.ok(quote!.startsWith('> **Thinking**\n'), 'no time without reasoningMs');
    assert.equal(rest, 'The answer.\n');
    assert.equal(md.match(/^## Assistant/gm)?.length, 1);
  });

  it('exports a summary kept from a turn stopped while reasoning, and nothing for a blank one', () => {
    const stopped = conversationToMarkdown('t', [turnRecord('1', null, { answer: '', status: 'cancelled', reasoningSummary: 'Half a thought', reasoningMs: 800 })]);
    assert.ok(stopped.includes('## Assistant (cancelled)\n\n> **Thinking** (1 s)\n>\n> Half a thought\n\n_(no answer)_'));
    const blank = conversationToMarkdown('t', [turnRecord('1', null, { reasoningSummary: '  \n ', reasoningMs: 3000 })]);
    assert.ok(!blank.includes('Thinking'));
  });
});
