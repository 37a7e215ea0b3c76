// Accessibility: the names and roles the e2e tests and screen readers rely on, keyboard reach, focus rings.
import assert from 'node:assert/strict';
import { CONV, chain, draftChip, turn } from './support/fixtures';
import { webviewEnv } from './support/harness';

describe('accessibility', function () {
  const env = webviewEnv();

  it('exposes the log, the labelled articles, the Message box, Send and Stop', env.run(async (v) => {
    const [a] = chain(1);
    const live = turn({ parentId: a!.id, status: 'streaming', answer: 'Thinking' });
    await v.snapshot([a!, live], { state: { busy: true } });
    const log = v.page.getByRole('log');
    assert.equal(await log.count(), 1);
    assert.equal(await log.getAttribute('aria-live'), 'polite');
    const labels = await v.page.getByRole('article').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!));
    assert.equal(labels.length, 4);
    assert.match(labels[0]!, /^You, \d\d:\d\d$/);
    assert.equal(labels[1], 'Assistant, completed');
    assert.match(labels[2]!, /^You/);
    assert.equal(labels[3], 'Assistant, streaming');
    assert.equal(await log.getByRole('article').count(), 4, 'the articles are inside the log');
    assert.equal(await v.page.getByRole('textbox', { name: 'Message', exact: true }).count(), 1);
    assert.equal(await v.page.getByRole('button', { name: 'Send', exact: true }).isVisible(), true);
    assert.equal(await v.page.getByRole('button', { name: 'Stop', exact: true }).isEnabled(), true);
    // Every button has a name.
    const unnamed = await v.page.locator('button').evaluateAll((bs) => bs.filter((b) => !(b.getAttribute('aria-label') || b.textContent?.trim())).length);
    assert.equal(unnamed, 0);
  }));

  it('reaches every action with Tab, in reading order, with a visible focus ring', env.run(async (v) => {
    const a = turn({ answer: 'Use this:\n\n```ts\nconst x = 1;\n```\n\nSee [docs](https://example.com).', siblingIndex: 1, siblingCount: 2 });
    const live = turn({ parentId: a.id, status: 'streaming', answer: '' });
    await v.snapshot([a, live], { state: { busy: true } });
    await v.send({ type: 'addAttachments', attachments: [draftChip({ uri: 'file:///a.ts' })] });
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      await v.page.keyboard.press('Tab');
      const name = await v.focusedName();
      if (seen.includes(name) && name === seen[0]) break;
      seen.push(name);
    }
    const order = ['Previous branch', 'Next branch', 'Edit', 'Fork from here', 'Copy', 'Insert at Cursor', 'docs', 'Edit', 'src/a.ts:L3-L9', 'Remove src/a.ts:L3-L9', 'Message', 'Stop', 'Send'];
    const filtered = seen.filter((n) => order.includes(n));
    // "Previous branch" is disabled at the first branch, so it is skipped.
    assert.deepEqual(filtered, order.filter((n) => n !== 'Previous branch'), `Tab order was: ${seen.join(' | ')}`);

    // The focus ring is drawn in the theme's focus colour.
    await v.page.getByRole('button', { name: 'Send' }).focus();
    await v.page.keyboard.press('Shift+Tab');
    await v.page.keyboard.press('Tab');
    const ring = await v.page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, color: s.outlineColor, width: s.outlineWidth };
    });
    assert.deepEqual(ring, { style: 'solid', color: 'rgb(0, 120, 212)', width: '1px' });
  }));

  it('keeps per-token changes away from screen readers: the streaming answer is aria-busy', env.run(async (v) => {
    await v.snapshot([]);
    const t = turn({ status: 'streaming', answer: '' });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: t }, { type: 'delta', conversationId: CONV, turnId: t.id, part: 'text', text: 'Hello' });
    await v.frames();
    const live = v.page.getByRole('article', { name: 'Assistant, streaming' });
    assert.equal(await live.getAttribute('aria-busy'), 'true');
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...t, status: 'completed', answer: 'Hello world' } });
    const done = v.page.getByRole('article', { name: 'Assistant, completed' });
    assert.equal(await done.getAttribute('aria-busy'), null);
  }));
});
