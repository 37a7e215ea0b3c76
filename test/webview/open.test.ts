// Opening a conversation viewport first: the newest turns that fill the view are rendered (and their code
// highlighted, once the highlighting chunk is in) before the first paint; the older turns of the snapshot
// follow in idle time, their code highlighted only when it scrolls near.
import assert from 'node:assert/strict';
import type { TurnView } from '../../src/shared/protocol';
import { CONV, chain, snapshot, turn } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';

const CODE_ANSWER = 'Like this:\n\n```ts\nexport function add(a: number, b: number) {\n  return a + b;\n}\n```\n\n' + 'More words. '.repeat(30);

function conversation(n: number): TurnView[] {
  return chain(n).map((t) => ({ ...t, answer: CODE_ANSWER }));
}

/** Dispatches the snapshot and reports what the DOM holds right after the message was handled (no frame yet). */
async function openSync(v: View, turns: TurnView[]): Promise<{ inDom: number; live: string | null }> {
  return v.page.evaluate((m) => {
    window.dispatchEvent(new MessageEvent('message', { data: m }));
    return { inDom: document.querySelectorAll('.turn').length, live: document.querySelector('[role=log]')!.getAttribute('aria-live') };
  }, snapshot(turns));
}

const allIn = (v: View, n: number) => v.page.waitForFunction((k) => document.querySelectorAll('.turn').length === k, n);
const highlighted = (v: View, id: string) => v.page.locator(`.turn[data-turn-id="${id}"] pre code`).evaluate((c) => c.querySelector('span') !== null);

describe('opening a conversation', function () {
  const env = webviewEnv();

  it('renders the newest turns that fill the view first, then the older ones, in order', env.run(async (v) => {
    const turns = conversation(20);
    const first = await openSync(v, turns);
    assert.ok(first.inDom >= 1 && first.inDom < 20, `only the turns that fill the view at first (${first.inDom})`);
    assert.equal(first.live, 'off', 'the log stays silent while the opened conversation goes in');
    const newest = v.page.locator(`.turn[data-turn-id="${turns[19]!.id}"]`);
    assert.equal(await newest.isVisible(), true);
    await allIn(v, 20);
    const ids = await v.page.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.turnId));
    assert.deepEqual(ids, turns.map((t) => t.id));
    assert.equal(await v.page.getByRole('log').getAttribute('aria-live'), 'polite');
    const atBottom = await v.page.locator('.scroller').evaluate((s) => s.scrollHeight - s.scrollTop - s.clientHeight <= 24);
    assert.equal(atBottom, true, 'the view stays at the newest turn while the older ones go in above it');
  }));

  it('highlights the code on screen as soon as the chunk is in, and the code off screen when it scrolls near', env.run(async (v) => {
    const turns = conversation(20);
    const release = await v.holdHighlighting();
    await openSync(v, turns);
    assert.equal(await highlighted(v, turns[19]!.id), false, 'plain until the highlighting chunk has loaded');
    await allIn(v, 20);
    await release();
    assert.equal(await highlighted(v, turns[19]!.id), true, 'the newest turn is highlighted when the chunk arrives');
    // With the chunk in, a conversation's code on screen is highlighted before the first paint.
    await openSync(v, turns);
    assert.equal(await highlighted(v, turns[19]!.id), true, 'the newest turn is highlighted before the first paint');
    await allIn(v, 20);
    await v.frames();
    assert.equal(await highlighted(v, turns[0]!.id), false, 'the oldest turn, far off screen, is not highlighted yet');
    await v.page.locator('.scroller').evaluate((s) => (s.scrollTop = 0));
    await v.page.waitForFunction((id) => document.querySelector(`.turn[data-turn-id="${id}"] pre code span`) !== null, turns[0]!.id, { timeout: 5000 });
    const code = await v.page.locator(`.turn[data-turn-id="${turns[0]!.id}"] pre code`).textContent();
    assert.equal(code, 'export function add(a: number, b: number) {\n  return a + b;\n}');
  }));

  it('puts the older turns in at once when something changes the turns before they are in', env.run(async (v) => {
    const turns = conversation(20);
    const live = turn({ parentId: turns[19]!.id, status: 'streaming', answer: '' });
    await v.page.evaluate(([snap, started]) => {
      window.dispatchEvent(new MessageEvent('message', { data: snap }));
      window.dispatchEvent(new MessageEvent('message', { data: started }));
    }, [snapshot(turns), { type: 'turnStarted', conversationId: CONV, turn: live }] as const);
    const ids = await v.page.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.turnId));
    assert.deepEqual(ids, [...turns, live].map((t) => t.id));
    assert.equal(await v.page.getByRole('log').getAttribute('aria-live'), 'polite');
  }));

  it('restores a saved place above the bottom with every turn of the snapshot in', env.run({
    state: { v: 1, draft: '', scroll: { conversationId: CONV, top: 300, atBottom: false } },
  }, async (v) => {
    await v.snapshot(conversation(20));
    assert.equal(await v.page.locator('.turn').count(), 20);
    assert.equal(await v.page.locator('.scroller').evaluate((s) => Math.round(s.scrollTop)), 300);
  }));
});
