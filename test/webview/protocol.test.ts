// The message protocol as the view sees it: handshake, snapshots, streaming, finishing, earlier turns,
// notices, state, attachments, drafts.
import assert from 'node:assert/strict';
import type { TurnView } from '../../src/shared/protocol';
import { CONV, chain, draftChip, snapshot, turn, viewState } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';

const articles = (v: View) => v.page.locator('[role=article]');
const labels = (v: View) => articles(v).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

async function startStreaming(v: View, parent?: TurnView, answer = ''): Promise<TurnView> {
  const t = turn({ parentId: parent?.id ?? null, status: 'streaming', answer, usage: undefined, responseId: undefined, finishedAt: undefined, model: undefined, mode: undefined });
  await v.send({ type: 'state', state: viewState({ busy: true }) }, { type: 'turnStarted', conversationId: CONV, turn: t });
  await v.frames();
  return t;
}

describe('protocol handling', function () {
  const env = webviewEnv();

  describe('handshake', () => {
    it('posts ready first, and renders nothing but a loading state until the snapshot', env.run(async (v) => {
      assert.deepEqual(await v.posted(), [{ type: 'ready' }]);
      assert.equal(await v.page.evaluate(() => (window as unknown as { __acquired: number }).__acquired), 1, 'acquireVsCodeApi called once');
      assert.equal(await v.page.getByRole('status').filter({ hasText: 'Loading' }).count(), 1);
      // Early turn messages are not rendered (the snapshot will carry them).
      const early = turn();
      await v.send({ type: 'turnStarted', conversationId: CONV, turn: early }, { type: 'delta', conversationId: CONV, turnId: early.id, part: 'text', text: 'x' });
      await v.frames();
      assert.equal(await articles(v).count(), 0);
      assert.equal(await v.page.getByRole('textbox', { name: 'Message' }).isVisible(), false);
      assert.equal(await v.page.getByRole('log').count(), 0);

      const turns = chain(2);
      await v.snapshot(turns);
      assert.deepEqual(await labels(v), turns.flatMap((t) => [`You, ${clock(t.createdAt)}`, 'Assistant, completed']));
      assert.equal(await v.page.getByRole('status').filter({ hasText: 'Loading' }).count(), 0);
      assert.equal(await v.page.getByRole('textbox', { name: 'Message' }).isVisible(), true);
      assert.deepEqual(await v.posted(), [{ type: 'ready' }], 'nothing else was posted');
    }));

    it('renders a new snapshot at any time (conversation switch, new chat)', env.run(async (v) => {
      await v.snapshot(chain(3), { id: 'a', title: 'First' });
      assert.equal(await articles(v).count(), 6);
      await v.snapshot(chain(1), { id: 'b', title: 'Second' });
      assert.equal(await articles(v).count(), 2);
      assert.equal(await v.page.locator('.conv-title').textContent(), 'Second');
      // A streaming turn of the old conversation no longer lands here.
      await v.send({ type: 'delta', conversationId: 'a', turnId: 't1', part: 'text', text: 'stale' });
      await v.snapshot([], { id: 'c', title: 'New chat' });
      assert.equal(await articles(v).count(), 0);
      assert.match((await v.page.locator('.empty').textContent()) ?? '', /Ask about your code/);
    }));

    it('ignores malformed messages without breaking', env.run(async (v) => {
      await v.page.evaluate(() => {
        for (const data of [null, 42, 'snapshot', { type: 7 }, { type: 'nope' }, [], { nottype: 'snapshot' }]) {
          window.dispatchEvent(new MessageEvent('message', { data }));
        }
      });
      await v.snapshot(chain(1));
      assert.equal(await articles(v).count(), 2);
    }));
  });

  describe('streaming', () => {
    it('renders a delta that follows a quiet frame in the next task, not at the next frame; a burst waits for the frame', env.run(async (v) => {
      const turns = chain(1);
      await v.snapshot(turns);
      const live = await startStreaming(v, turns[0]);
      const shown = await v.page.evaluate(async ({ conv, id }) => {
        // Frames never come from here on: only the task path can render.
        window.requestAnimationFrame = () => 0;
        const md = () => document.querySelector(`.turn[data-turn-id="${id}"] .markdown`)!.textContent ?? '';
        const send = (text: string) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'delta', conversationId: conv, turnId: id, part: 'text', text } }));
        const task = () => new Promise((r) => setTimeout(r, 0));
        await new Promise((r) => setTimeout(r, 40));
        send('quiet ');
        const inHandler = md();
        await task();
        await task();
        const afterTask = md();
        send('burst');
        await task();
        await task();
        return { inHandler, afterTask, burstBeforeFrame: md() };
      }, { conv: CONV, id: live.id });
      assert.equal(shown.inHandler.trim(), '', 'never inside the message handler');
      assert.equal(shown.afterTask.trim(), 'quiet');
      assert.equal(shown.burstBeforeFrame.trim(), 'quiet', 'a delta right after a render waits for the next frame');
    }));

    it('appends deltas to the live message only, batched per animation frame', env.run(async (v) => {
      const turns = chain(3);
      await v.snapshot(turns);
      const live = await startStreaming(v, turns[2]);
      await v.page.evaluate(() => {
        const w = window as unknown as { __before: Element[] };
        w.__before = [...document.querySelectorAll('[role=article]')].slice(0, 6);
      });
      // Record every DOM change in the transcript from here on.
      await v.page.evaluate(() => {
        const w = window as unknown as { __mutated: Node[] };
        w.__mutated = [];
        new MutationObserver((records) => records.forEach((r) => w.__mutated.push(r.target))).observe(document.querySelector('.log')!, {
          subtree: true, childList: true, characterData: true, attributes: true,
        });
      });
      await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: 'First paragraph.\n\n' });
      await v.frames();
      await v.page.evaluate(() => {
        (window as unknown as { __p1: Element }).__p1 = document.querySelector('.turn:last-child .markdown p')!;
      });
      // 200 deltas in one task: the DOM must not change until the next frame, then show all of them.
      const sync = await v.page.evaluate(({ conv, id }) => {
        const md = document.querySelector('.turn:last-child .markdown')!;
        const before = md.textContent;
        for (let i = 0; i < 200; i++) window.dispatchEvent(new MessageEvent('message', { data: { type: 'delta', conversationId: conv, turnId: id, part: 'text', text: `w${i} ` } }));
        return md.textContent === before;
      }, { conv: CONV, id: live.id });
      assert.equal(sync, true, 'no synchronous re-render per delta');
      await v.frames();
      const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
      const text = await v.page.locator(`.turn[data-turn-id="${live.id}"] .markdown`).textContent();
      assert.equal(text?.trimEnd(), 'First paragraph.' + words);
      const same = await v.page.evaluate(() => {
        const w = window as unknown as { __before: Element[]; __p1: Element };
        const now = [...document.querySelectorAll('[role=article]')].slice(0, 6);
        return {
          articles: w.__before.every((el, i) => el === now[i] && el.isConnected),
          firstParagraphKept: w.__p1.isConnected,
        };
      });
      assert.deepEqual(same, { articles: true, firstParagraphKept: true }, 'finished turns and finished blocks keep their DOM nodes');
      const outside = await v.page.evaluate((id) => {
        const liveArticle = document.querySelector(`.turn[data-turn-id="${id}"] [aria-label^="Assistant"]`)!;
        return (window as unknown as { __mutated: Node[] }).__mutated.filter((n) => !liveArticle.contains(n)).length;
      }, live.id);
      assert.equal(outside, 0, 'streaming changed nothing outside the live answer');
      assert.equal(await v.page.locator(`.turn[data-turn-id="${live.id}"] [role=article][aria-label="Assistant, streaming"]`).getAttribute('aria-busy'), 'true');
      // Deltas for another turn or conversation are ignored.
      await v.send({ type: 'delta', conversationId: CONV, turnId: turns[0]!.id, part: 'text', text: 'NO' }, { type: 'delta', conversationId: 'other', turnId: live.id, part: 'text', text: 'NO' });
      await v.frames();
      assert.ok(!(await v.page.locator('.log').textContent())!.includes('NO'));
    }));

    it('replaces the live turn with its final record on turnFinished', env.run(async (v) => {
      const [first] = chain(1);
      await v.snapshot([first!]);
      const live = await startStreaming(v, first);
      assert.equal(await v.page.getByRole('button', { name: 'Stop' }).isVisible(), true);
      await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: 'Partial' });
      const final: TurnView = {
        ...live,
        status: 'completed',
        answer: 'Final **answer**',
        model: 'gpt-5-mini',
        usage: { inputTokens: 12345, cachedTokens: 12000, outputTokens: 678 },
        mode: 'chained',
        responseId: 'resp_x',
        finishedAt: live.createdAt + 2500,
      };
      await v.send({ type: 'turnFinished', conversationId: CONV, turn: final }, { type: 'state', state: viewState({ busy: false }) });
      await v.frames();
      const a = v.page.locator(`.turn[data-turn-id="${live.id}"] [role=article][aria-label^="Assistant"]`);
      assert.equal(await a.getAttribute('aria-label'), 'Assistant, completed');
      assert.equal(await a.getAttribute('aria-busy'), null);
      assert.equal(await a.locator('.markdown').textContent(), 'Final answer');
      assert.equal(await a.locator('.msg-details').textContent(), 'gpt-5-mini · 12,345 in · 12,000 cached · 678 out · chained · 2.5 s');
      assert.equal(await a.getByRole('button', { name: 'Fork from here' }).count(), 1);
      assert.equal(await v.page.getByRole('button', { name: 'Stop' }).isVisible(), false);
    }));

    it('names each context mode, and marks unfinished turns as not in the model\'s context with Retry', env.run(async (v) => {
      const modes = [
        turn({ mode: 'fresh' }),
        turn({ mode: 'chained' }),
        turn({ mode: 'replayed' }),
        turn({ mode: 'local' }),
      ];
      const failed = turn({ status: 'failed', answer: '', error: { kind: 'server', message: 'The server at api.openai.com failed (HTTP 503).', actions: ['retry'], status: 503 } });
      const cancelled = turn({ status: 'cancelled', answer: 'Half an ans' });
      const incomplete = turn({ status: 'incomplete', answer: 'Cut', error: { kind: 'incomplete', message: 'The answer hit max_output_tokens.', actions: [] } });
      const interrupted = turn({ status: 'interrupted', answer: 'Lost', usage: undefined });
      await v.snapshot([...modes, failed, cancelled, incomplete, interrupted]);
      const details = await v.page.locator('.msg-details').allTextContents();
      for (const [i, word] of ['new chain', 'chained', 'replayed (chain restarted)', 'local'].entries()) assert.ok(details[i]!.endsWith(`· ${word} · 4.2 s`), details[i]);
      for (const t of [failed, cancelled, incomplete, interrupted]) {
        const a = v.page.locator(`.turn[data-turn-id="${t.id}"] [role=article][aria-label^="Assistant"]`);
        assert.equal(await a.getAttribute('aria-label'), `Assistant, ${t.status}`);
        assert.match((await a.locator('.msg-status').textContent()) ?? '', /not in the model's context/);
        assert.equal(await a.getByRole('button', { name: 'Retry' }).count(), 1, `one Retry on ${t.status}`);
        assert.equal(await a.getByRole('button', { name: 'Fork from here' }).count(), 0, `no Fork on ${t.status}`);
        await a.getByRole('button', { name: 'Retry' }).click();
        assert.deepEqual((await v.postedOf('retry')).pop(), { type: 'retry', turnId: t.id });
      }
      assert.equal(await v.page.locator(`.turn[data-turn-id="${failed.id}"] .msg-error`).getAttribute('role'), 'alert');
      assert.match((await v.page.locator(`.turn[data-turn-id="${failed.id}"] .msg-error`).textContent()) ?? '', /HTTP 503/);
      assert.equal(await v.page.locator(`.turn[data-turn-id="${cancelled.id}"] .markdown`).textContent(), 'Half an ans', 'partial text kept');
    }));

    it('shows a turn error\'s actions as buttons that post them', env.run(async (v) => {
      const t = turn({ status: 'failed', answer: '', error: { kind: 'auth', message: 'The API key was rejected (401).', actions: ['setApiKey', 'retry', 'newChat', 'openSettings'], status: 401 } });
      await v.snapshot([t]);
      const box = v.page.locator('.msg-error');
      assert.equal(await box.locator('.msg-error-text').textContent(), 'The API key was rejected (401).');
      for (const [name, msg] of [
        ['Set API Key', { type: 'setApiKey' }],
        ['Retry', { type: 'retry', turnId: t.id }],
        ['New Chat', { type: 'newChat' }],
        ['Open Settings', { type: 'openSettings' }],
      ] as const) {
        await box.getByRole('button', { name, exact: true }).click();
        assert.deepEqual((await v.posted()).pop(), msg, name);
      }
    }));
  });

  describe('earlier turns', () => {
    it('loads earlier turns on request, prepending them without moving what the user sees', env.run({ height: 500 }, async (v) => {
      const all = chain(12);
      const older = all.slice(0, 6);
      const newer = all.slice(6);
      await v.snapshot(newer, { hasEarlier: true });
      const button = v.page.getByRole('button', { name: 'Load earlier messages' });
      await v.page.locator('.scroller').evaluate((s) => (s.scrollTop = 0));
      await button.click();
      const asked = await v.waitPosted('loadEarlier');
      assert.deepEqual(asked, { type: 'loadEarlier', requestId: asked.requestId, beforeTurnId: newer[0]!.id });
      assert.match(asked.requestId, /\S/);
      await button.click(); // a second click while loading does not ask again
      assert.equal((await v.postedOf('loadEarlier')).length, 1);
      const anchor = v.page.locator(`.turn[data-turn-id="${newer[0]!.id}"]`);
      const topBefore = await anchor.evaluate((e) => e.getBoundingClientRect().top);
      await v.send({ type: 'earlierTurns', requestId: asked.requestId, conversationId: CONV, turns: older, hasEarlier: false });
      await v.frames();
      const topAfter = await anchor.evaluate((e) => e.getBoundingClientRect().top);
      assert.ok(Math.abs(topAfter - topBefore) <= 1, `anchor stayed (${topBefore} → ${topAfter})`);
      const ids = await v.page.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.turnId));
      assert.deepEqual(ids, all.map((t) => t.id));
      assert.equal(await button.isVisible(), false, 'no more earlier turns');
      // Earlier turns of another conversation are ignored.
      await v.send({ type: 'earlierTurns', requestId: asked.requestId, conversationId: 'other', turns: chain(2), hasEarlier: true });
      assert.equal(await v.page.locator('.turn').count(), 12);
    }));
  });

  it('keeps the DOM bounded in a long session, offering the dropped turns again', env.run(async (v) => {
    const turns = chain(150);
    await v.snapshot(turns);
    assert.equal(await v.page.getByRole('button', { name: 'Load earlier messages' }).isVisible(), false);
    const next = turn({ parentId: turns[149]!.id, status: 'streaming', answer: '' });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: next });
    await v.frames();
    const ids = await v.page.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.turnId));
    assert.equal(ids.length, 150);
    assert.equal(ids[0], turns[1]!.id);
    assert.equal(ids[149], next.id);
    await v.page.getByRole('button', { name: 'Load earlier messages' }).click();
    const asked = await v.waitPosted('loadEarlier');
    assert.deepEqual(asked, { type: 'loadEarlier', requestId: asked.requestId, beforeTurnId: turns[1]!.id });
  }));

  describe('other host messages', () => {
    it('shows a notice as a dismissible banner with its actions', env.run(async (v) => {
      const turns = [turn({ status: 'failed', answer: '' })];
      await v.snapshot(turns);
      await v.send({ type: 'notice', level: 'warning', message: 'The workspace tried to set threadline.baseURL; it was ignored.', actions: ['openSettings', 'retry'] });
      const banner = v.page.locator('.notice');
      assert.equal(await banner.getAttribute('role'), 'alert');
      assert.equal(await banner.locator('.notice-text').textContent(), 'The workspace tried to set threadline.baseURL; it was ignored.');
      await banner.getByRole('button', { name: 'Retry' }).click();
      assert.deepEqual((await v.posted()).pop(), { type: 'retry', turnId: turns[0]!.id });
      await v.send({ type: 'notice', level: 'info', message: 'Chain restarted.', actions: ['openSettings'] });
      const info = v.page.locator('.notice-info');
      assert.equal(await info.getAttribute('role'), 'status');
      await info.getByRole('button', { name: 'Open Settings' }).click();
      assert.deepEqual((await v.posted()).pop(), { type: 'openSettings' });
      await v.send({ type: 'notice', level: 'error', message: 'Boom', actions: [] });
      await v.page.locator('.notice-error').getByRole('button', { name: 'Dismiss' }).click();
      assert.equal(await v.page.locator('.notice').count(), 0);
    }));

    it('adds attachment chips from addAttachments (no duplicates) and sends them with the next message', env.run(async (v) => {
      await v.snapshot([]);
      const a = draftChip();
      const again = draftChip(); // the same selection added again: a new id, the same chip
      const b = draftChip({ path: 'lib/b.py', uri: 'file:///w/lib/b.py', startLine: 10, endLine: 10, languageId: 'python', code: 'x = 1' });
      assert.ok(!JSON.stringify([a, b]).includes('return a + b') && !JSON.stringify(b).includes('x = 1'), 'chips carry no code');
      await v.send({ type: 'addAttachments', attachments: [a] }, { type: 'addAttachments', attachments: [again, b] });
      const chips = v.page.locator('.composer-chips .chip-label');
      assert.deepEqual(await chips.allTextContents(), ['src/a.ts:L3-L9', 'lib/b.py:L10-L10']);
      await chips.first().click();
      assert.deepEqual((await v.posted()).pop(), { type: 'openAttachment', uri: a.open!.uri, startLine: 3, endLine: 9 });
      await v.page.getByRole('textbox', { name: 'Message' }).fill('What does this do?');
      await v.page.getByRole('button', { name: 'Send' }).click();
      const sent = await v.waitPosted('send');
      assert.deepEqual(sent, { type: 'send', requestId: sent.requestId, text: 'What does this do?', attachments: [a.id, b.id] });
    }));

    it('follows state: Stop while busy, the key prompt, the model', env.run(async (v) => {
      await v.send(snapshot([], { state: { hasKey: false, model: 'o4-mini', endpoint: 'http://127.0.0.1:1234/v1' } }));
      await v.frames();
      const stop = v.page.getByRole('button', { name: 'Stop' });
      assert.equal(await stop.isVisible(), false);
      assert.match((await v.page.locator('.empty').textContent()) ?? '', /o4-mini · 127\.0\.0\.1:1234/);
      await v.page.locator('.empty').getByRole('button', { name: 'Set API Key' }).click();
      assert.deepEqual((await v.posted()).pop(), { type: 'setApiKey' });
      await v.send({ type: 'state', state: viewState({ busy: true, hasKey: true }) });
      assert.equal(await stop.isVisible(), true);
      assert.equal(await stop.isEnabled(), true);
      assert.equal(await v.page.locator('.empty').getByRole('button', { name: 'Set API Key' }).count(), 0);
      await stop.click();
      assert.deepEqual((await v.posted()).pop(), { type: 'stop' });
      await v.send({ type: 'state', state: viewState({ busy: false }) });
      assert.equal(await stop.isVisible(), false);
      assert.equal(await v.focusedName(), 'Message', 'focus left the vanished Stop for the message box');
    }));

    it('applies setDraft and focusComposer', env.run(async (v) => {
      await v.snapshot([]);
      await v.send({ type: 'setDraft', text: 'Explain src/a.ts' }, { type: 'focusComposer' });
      const box = v.page.getByRole('textbox', { name: 'Message' });
      assert.equal(await box.inputValue(), 'Explain src/a.ts');
      assert.equal(await box.evaluate((e) => e === document.activeElement), true);
    }));

    it('starts an edited branch after its parent, dropping the old branch from view', env.run(async (v) => {
      const turns = chain(3);
      await v.snapshot(turns);
      const edited = turn({ parentId: turns[0]!.id, question: 'Edited', status: 'streaming', answer: '', siblingIndex: 2, siblingCount: 2 });
      await v.send({ type: 'turnStarted', conversationId: CONV, turn: edited });
      await v.frames();
      assert.deepEqual(await v.page.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.turnId)), [turns[0]!.id, edited.id]);
      assert.equal(await v.page.locator(`.turn[data-turn-id="${edited.id}"] .branch-pos`).textContent(), '2/2');
      // A new root (editing the first message) replaces everything.
      const root = turn({ parentId: null, question: 'New root', status: 'streaming', answer: '' });
      await v.send({ type: 'turnStarted', conversationId: CONV, turn: root });
      assert.deepEqual(await v.page.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.turnId)), [root.id]);
      // Another conversation's turn does not show here.
      await v.send({ type: 'turnStarted', conversationId: 'other', turn: turn() });
      assert.equal(await v.page.locator('.turn').count(), 1);
    }));
  });
});

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
