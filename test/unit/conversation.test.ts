// The turn tree: active path, branching, and the chain of response ids along a branch.
import assert from 'node:assert/strict';
import { cleanTitle, Conversation, TITLE_MAX_CHARS, titleFrom } from '../../src/core/conversation';
import { conversationToMarkdown, conversationTreeToMarkdown } from '../../src/core/markdownExport';
import type { Turn, TurnStatus } from '../../src/core/types';
import { turnRecord } from '../support/turns';

function t(id: string, parentId: string | null, status: TurnStatus = 'completed'): Turn {
  return turnRecord(id, parentId, { createdAt: 1, question: `q${id}`, answer: `a${id}`, status, responseId: status === 'completed' ? `r${id}` : undefined });
}

describe('conversation tree', () => {
  const make = () => new Conversation({ id: 'c', title: 'T', createdAt: 0, updatedAt: 0 });

  it('follows the newest turn, and derives the chain along the active path', () => {
    const c = make();
    c.put(t('1', null));
    c.put(t('2', '1'));
    c.put(t('3', '2'));
    assert.deepEqual(c.activePath().map((x) => x.id), ['1', '2', '3']);
    assert.deepEqual(c.responseChain(), ['r1', 'r2', 'r3']);
    assert.equal(c.chainTip(), 'r3');
  });

  it('keeps failed, cancelled and interrupted turns on the path but out of the context and the chain', () => {
    const c = make();
    c.put(t('1', null));
    c.put(t('2', '1', 'failed'));
    c.put(t('3', '2', 'cancelled'));
    c.put(t('4', '3', 'interrupted'));
    assert.deepEqual(c.activePath().map((x) => x.id), ['1', '2', '3', '4']);
    assert.deepEqual(c.contextBefore('4').map((x) => x.id), ['1']);
    assert.deepEqual(c.responseChain(), ['r1']);
    assert.equal(c.chainTip(), 'r1');
  });

  it('branches: siblings, positions, switching moves the head to the branch\'s newest leaf', () => {
    const c = make();
    c.put(t('1', null));
    c.put(t('2', '1'));
    c.put(t('2b', '1'));
    c.put(t('3b', '2b'));
    assert.deepEqual(c.siblingPosition('2'), { index: 1, count: 2 });
    assert.deepEqual(c.siblingPosition('2b'), { index: 2, count: 2 });
    assert.equal(c.headId, '3b');
    assert.equal(c.switchBranch('2b', 'previous'), '2');
    assert.deepEqual(c.responseChain(), ['r1', 'r2'], 'switching changes the id the next turn chains from');
    assert.equal(c.chainTip(), 'r2');
    assert.equal(c.switchBranch('2', 'previous'), undefined, 'no branch before the first');
    assert.equal(c.switchBranch('2', 'next'), '3b');
    assert.deepEqual(c.activePath().map((x) => x.id), ['1', '2b', '3b']);
  });

  it('has several roots when the first message is edited', () => {
    const c = make();
    c.put(t('1', null));
    c.put(t('1b', null));
    assert.deepEqual(c.siblingPosition('1b'), { index: 2, count: 2 });
    assert.deepEqual(c.contextBefore(null), []);
  });

  it('refuses a head that does not exist and survives a parent cycle in bad data', () => {
    const c = make();
    c.put(t('1', '2'));
    c.put(t('2', '1'));
    assert.equal(c.setHead('nope'), false);
    assert.equal(c.activePath().length, 2);
  });

  it('titles from the first line, cut to about 60 characters', () => {
    assert.equal(titleFrom('  How do I sort?\nmore text'), 'How do I sort?');
    assert.equal(titleFrom(''), 'New chat');
    const long = titleFrom('x'.repeat(100));
    assert.equal(long.length, 60);
    assert.ok(long.endsWith('…'));
  });

  it('cleans a title typed in a rename box: one line, spaces collapsed, cut; blank is no title', () => {
    assert.equal(cleanTitle('  Parser\n  notes\t v2  '), 'Parser notes v2');
    assert.equal(cleanTitle(' \n\t '), undefined);
    const long = cleanTitle('é'.repeat(TITLE_MAX_CHARS + 50))!;
    assert.equal([...long].length, TITLE_MAX_CHARS);
    assert.equal([...cleanTitle('😀'.repeat(TITLE_MAX_CHARS + 1))!].length, TITLE_MAX_CHARS, 'cut by code points, not halves of a pair');
  });

  it('exports the active path as Markdown with attachments, model and date', () => {
    const c = make();
    c.put({ ...t('1', null), model: 'gpt-test', finishedAt: Date.UTC(2026, 0, 2, 3, 4, 5), attachments: [{ kind: 'selection', path: 'src/a.ts', uri: 'file:///w/src/a.ts', startLine: 3, endLine: 4, languageId: 'typescript', code: 'let a = 1;\nlet b = 2;\n' }] });
    const md = conversationToMarkdown('My chat', c.activePath());
    assert.match(md, /^# My chat/);
    assert.match(md, /## You \(/);
    assert.ok(md.includes('src/a.ts:L3-L4\n```typescript\nlet a = 1;\nlet b = 2;\n```'));
    assert.match(md, /## Assistant \(gpt-test, 2026-01-02 03:04:05 UTC\)/);
    assert.ok(md.includes('a1'));
  });

  it('exports the whole branch tree: every branch, numbered by depth, the active one marked', () => {
    const c = make();
    c.put({ ...t('1', null), createdAt: 1 });
    c.put({ ...t('2', '1'), createdAt: 2 });
    c.put({ ...t('2b', '1'), createdAt: 3 });
    c.put({ ...t('3', '2b'), createdAt: 4 });
    c.setHead('2');
    const md = conversationTreeToMarkdown('Tree', c.allTurns(), c.activePath());
    const headings = md.split('\n').filter((l) => l.startsWith('## ') && l.includes('You'));
    assert.deepEqual(headings.map((h) => h.replace(/ \(.*$/, '')), [
      '## Turn 1 · active · You',
      '## Turn 2 · branch 1 of 2 · active · You',
      '## Turn 2 · branch 2 of 2 · You',
      '## Turn 3 · You',
    ]);
    for (const id of ['1', '2', '2b', '3']) assert.ok(md.includes(`a${id}`), `the answer of ${id} is there`);
    assert.ok(md.indexOf('a2\n') < md.indexOf('a2b') && md.indexOf('a2b') < md.indexOf('a3'), 'depth first');
  });
});
