// Visible thinking: the reasoning summary streams into a Thinking block above the answer, which closes when
// the answer starts, reopens on request, and reads "Thought for N s" afterwards; finished turns show it
// closed; a model that reasons without a summary still shows the seconds; hostile summaries stay inert.
import assert from 'node:assert/strict';
import type { StreamPart, TurnView } from '../../src/shared/protocol';
import { CONV, turn, viewState } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';
import { CORPUS, assertInert } from './support/inert';

const toggleOf = (v: View, id: string) => v.page.locator(`.turn[data-turn-id="${id}"] .thinking-toggle`);
const bodyOf = (v: View, id: string) => v.page.locator(`.turn[data-turn-id="${id}"] .thinking-body`);

async function startStreaming(v: View): Promise<TurnView> {
  await v.snapshot([]);
  const t = turn({ status: 'streaming', answer: '', usage: undefined, responseId: undefined, finishedAt: undefined, mode: undefined });
  await v.send({ type: 'state', state: viewState({ busy: true }) }, { type: 'turnStarted', conversationId: CONV, turn: t });
  await v.frames();
  return t;
}

async function delta(v: View, t: TurnView, part: StreamPart, ...texts: string[]): Promise<void> {
  await v.send(...texts.map((text) => ({ type: 'delta' as const, conversationId: CONV, turnId: t.id, part, text })));
  await v.frames();
}

/** The toggle's state as a user and a screen reader get it. */
async function toggleState(v: View, id: string) {
  const toggle = toggleOf(v, id);
  const controls = await toggle.getAttribute('aria-controls');
  return {
    name: (await toggle.textContent())?.trim(),
    expanded: await toggle.getAttribute('aria-expanded'),
    bodyVisible: await bodyOf(v, id).isVisible(),
    controlsBody: controls !== null && (await v.page.locator(`#${controls}`).getAttribute('class')) === 'thinking-body',
  };
}

describe('thinking', function () {
  const env = webviewEnv();

  it('streams the summary open above the answer, closes it on the first answer text, reopens on request, then reads "Thought for N s"', env.run(async (v) => {
    const t = await startStreaming(v);
    assert.equal(await toggleOf(v, t.id).count(), 0, 'no block before the model reasons');
    await delta(v, t, 'reasoning', '**Reading the ', 'parser**\n\nThe tokenizer splits on');
    let s = await toggleState(v, t.id);
    assert.match(s.name!, /^Thinking… \d+ s$/);
    assert.equal(s.expanded, 'true');
    assert.equal(s.bodyVisible, true);
    assert.equal(s.controlsBody, true);
    assert.equal(await v.page.getByRole('button', { name: /^Thinking/ }).count(), 1, 'the accessible name starts with Thinking');
    assert.equal(await bodyOf(v, t.id).locator('strong').textContent(), 'Reading the parser', 'the summary is Markdown');
    assert.equal(await v.page.locator('.waiting').count(), 0, 'the block replaces "Waiting for the model…"');
    const order = await v.page.locator(`.turn[data-turn-id="${t.id}"] .msg-assistant`).evaluate((a) =>
      [...a.children].map((c) => c.className).filter((c) => c === 'thinking' || c === 'markdown'));
    assert.deepEqual(order, ['thinking', 'markdown'], 'the block is above the answer');

    await delta(v, t, 'reasoning', ' whitespace.');
    assert.match((await bodyOf(v, t.id).textContent())!, /The tokenizer splits on whitespace\.$/);

    // An empty text delta is not the answer starting.
    await delta(v, t, 'text', '');
    assert.equal((await toggleState(v, t.id)).expanded, 'true');
    await delta(v, t, 'text', 'The parser ');
    s = await toggleState(v, t.id);
    assert.match(s.name!, /^Thought for \d+ s$/);
    assert.equal(s.expanded, 'false');
    assert.equal(s.bodyVisible, false);
    assert.equal(await v.page.getByRole('button', { name: /^Thought for/ }).count(), 1);

    // The user opens it again; later deltas do not close it.
    await toggleOf(v, t.id).click();
    assert.equal((await toggleState(v, t.id)).expanded, 'true');
    assert.equal(await bodyOf(v, t.id).isVisible(), true);
    await delta(v, t, 'text', 'reads tokens.');
    assert.equal((await toggleState(v, t.id)).expanded, 'true', 'a user toggle holds for the rest of the turn');

    const kept = await bodyOf(v, t.id).evaluate((b) => ((window as unknown as { __p: Element }).__p = b.querySelector('p')!) !== null);
    assert.ok(kept);
    const final: TurnView = {
      ...t, status: 'completed', answer: 'The parser reads tokens.', reasoningSummary: '**Reading the parser**\n\nThe tokenizer splits on whitespace.',
      reasoningMs: 12_300, usage: { inputTokens: 900, cachedTokens: 0, outputTokens: 300, reasoningTokens: 192 }, mode: 'fresh', finishedAt: t.createdAt + 15_000,
    };
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: final }, { type: 'state', state: viewState({ busy: false }) });
    await v.frames();
    s = await toggleState(v, t.id);
    assert.deepEqual(s, { name: 'Thought for 12 s', expanded: 'true', bodyVisible: true, controlsBody: true });
    assert.equal(await bodyOf(v, t.id).evaluate(() => (window as unknown as { __p: Element }).__p.isConnected), true, 'the streamed summary\'s blocks are kept');
    assert.equal(await v.page.locator(`.turn[data-turn-id="${t.id}"] .markdown`).last().textContent(), 'The parser reads tokens.');
    assert.equal(await v.page.locator(`.turn[data-turn-id="${t.id}"] .msg-details`).textContent(), 'gpt-5.1 · 900 in · 0 cached · 300 out · 192 reasoning · new chain · 15 s');
  }));

  it('closes on the answer and stays closed at finish when the user did not touch it', env.run(async (v) => {
    const t = await startStreaming(v);
    await delta(v, t, 'reasoning', 'Plan');
    await delta(v, t, 'text', 'Done.');
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...t, status: 'completed', answer: 'Done.', reasoningSummary: 'Plan', reasoningMs: 2_000 } });
    await v.frames();
    assert.deepEqual(await toggleState(v, t.id), { name: 'Thought for 2 s', expanded: 'false', bodyVisible: false, controlsBody: true });
  }));

  it('shows "Thinking" with the seconds for a model that reasons without a summary, ticking only the label', env.run(async (v) => {
    const t = await startStreaming(v);
    await delta(v, t, 'reasoning', '');
    assert.equal((await toggleState(v, t.id)).name, 'Thinking… 0 s');
    assert.equal(await v.page.locator('.waiting').count(), 0, 'the wait is not silent: the block says the model thinks');
    // Each second changes the label's text and nothing else in the transcript.
    await v.page.evaluate(() => {
      const w = window as unknown as { __mutated: Node[] };
      w.__mutated = [];
      new MutationObserver((rs) => rs.forEach((r) => w.__mutated.push(r.target))).observe(document.querySelector('.log')!, {
        subtree: true, childList: true, characterData: true, attributes: true,
      });
    });
    await v.page.waitForFunction((id) => document.querySelector(`.turn[data-turn-id="${id}"] .thinking-toggle`)?.textContent === 'Thinking… 1 s', t.id, { timeout: 5000 });
    const outside = await v.page.evaluate((id) => {
      const label = document.querySelector(`.turn[data-turn-id="${id}"] .thinking-toggle .btn-text`)!;
      return (window as unknown as { __mutated: Node[] }).__mutated.filter((n) => n !== label && !label.contains(n)).length;
    }, t.id);
    assert.equal(outside, 0, 'only the label changed');

    // Stopped while reasoning, with no answer: the block stays as it is, and says how long it thought.
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...t, status: 'cancelled', answer: '', reasoningMs: 1_400 } });
    await v.frames();
    const s = await toggleState(v, t.id);
    assert.deepEqual(s, { name: 'Thought for 1 s', expanded: 'true', bodyVisible: true, controlsBody: true });
    assert.equal(await bodyOf(v, t.id).textContent(), 'The model shared no summary of its reasoning.');
    // The timer is gone: the label no longer changes.
    await v.page.waitForTimeout(1100);
    assert.equal((await toggleState(v, t.id)).name, 'Thought for 1 s');
  }));

  it('shows finished turns (snapshot, reload) closed, with their summary a click away, and nothing for turns that did not reason', env.run(async (v) => {
    const withSummary = turn({ reasoningSummary: '**Step one**\n\nCheck the `lexer`.', reasoningMs: 7_200, usage: { inputTokens: 10, cachedTokens: 0, outputTokens: 50, reasoningTokens: 40 }, mode: 'replayed', replayedBecause: 'forgotten', replay: 'items' });
    const timeOnly = turn({ parentId: withSummary.id, reasoningMs: 3_000, mode: 'local', replay: 'text' });
    const plain = turn({ parentId: timeOnly.id });
    await v.snapshot([withSummary, timeOnly, plain]);
    assert.deepEqual(await toggleState(v, withSummary.id), { name: 'Thought for 7 s', expanded: 'false', bodyVisible: false, controlsBody: true });
    assert.deepEqual(await toggleState(v, timeOnly.id), { name: 'Thought for 3 s', expanded: 'false', bodyVisible: false, controlsBody: true });
    assert.equal(await toggleOf(v, plain.id).count(), 0, 'a turn without reasoning has no block');

    await toggleOf(v, withSummary.id).click();
    assert.equal((await toggleState(v, withSummary.id)).expanded, 'true');
    assert.equal(await bodyOf(v, withSummary.id).locator('strong').textContent(), 'Step one');
    assert.equal(await bodyOf(v, withSummary.id).locator('code.md-codespan').textContent(), 'lexer');
    await toggleOf(v, withSummary.id).click();
    assert.equal(await bodyOf(v, withSummary.id).isVisible(), false);

    const details = (id: string) => v.page.locator(`.turn[data-turn-id="${id}"] .msg-details`).textContent();
    assert.match((await details(withSummary.id))!, / · 10 in · 0 cached · 50 out · 40 reasoning · replayed \(chain restarted\): the server no longer had the previous response · replayed with reasoning items · /);
    assert.match((await details(timeOnly.id))!, / · local · replayed as plain text · /);
    assert.doesNotMatch((await details(plain.id))!, /reasoning|replayed/);

    // A reload mid-turn: the summary so far, open and ticking; and one whose answer had started, closed.
    const reasoning = turn({ status: 'streaming', answer: '', reasoningSummary: 'Halfway', createdAt: Date.now() - 5_000, finishedAt: undefined });
    await v.snapshot([reasoning], { id: 'c2', state: { busy: true } });
    const s = await toggleState(v, reasoning.id);
    assert.match(s.name!, /^Thinking… [5-9] s$/);
    assert.equal(s.expanded, 'true');
    assert.equal(await bodyOf(v, reasoning.id).textContent(), 'Halfway');
    const answering = turn({ status: 'streaming', answer: 'Partly', reasoningSummary: 'Done thinking', finishedAt: undefined });
    await v.snapshot([answering], { id: 'c3', state: { busy: true } });
    assert.deepEqual(await toggleState(v, answering.id), { name: 'Thought', expanded: 'false', bodyVisible: false, controlsBody: true });
    await v.send({ type: 'delta', conversationId: 'c3', turnId: answering.id, part: 'text', text: ' more' });
    await v.frames();
    assert.equal(await v.page.locator(`.turn[data-turn-id="${answering.id}"] .markdown`).last().textContent(), 'Partly more');
  }));

  it('operates from the keyboard, and keeps the streaming summary away from screen readers until the turn ends', env.run(async (v) => {
    const t = await startStreaming(v);
    await delta(v, t, 'reasoning', 'A thought.');
    await delta(v, t, 'text', 'An answer.');
    const toggle = toggleOf(v, t.id);
    assert.equal(await toggle.evaluate((b) => b.tagName), 'BUTTON');
    assert.equal(await toggle.getAttribute('type'), 'button');
    await toggle.focus();
    assert.match(await v.focusedName(), /^Thought for \d+ s$/);
    await v.page.keyboard.press('Enter');
    assert.equal((await toggleState(v, t.id)).expanded, 'true');
    await v.page.keyboard.press('Space');
    assert.equal((await toggleState(v, t.id)).expanded, 'false');
    // The block is inside the streaming article, which is aria-busy: no per-token announcements.
    assert.equal(await v.page.locator(`.turn[data-turn-id="${t.id}"] .msg-assistant`).getAttribute('aria-busy'), 'true');
    assert.equal(await v.page.locator(`.turn[data-turn-id="${t.id}"] .msg-assistant .thinking [aria-live]`).count(), 0);
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...t, status: 'completed', answer: 'An answer.', reasoningSummary: 'A thought.', reasoningMs: 4_000 } });
    await v.frames();
    assert.equal(await v.page.locator(`.turn[data-turn-id="${t.id}"] .msg-assistant`).getAttribute('aria-busy'), null);
    assert.equal(await v.page.getByRole('button', { name: 'Thought for 4 s' }).count(), 1);
  }));

  it('renders a hostile summary as inert text, finished and streamed in small chunks', env.run(async (v) => {
    const t = await startStreaming(v);
    for (let i = 0; i < CORPUS.length; i += 140) {
      const chunks = [];
      for (let j = i; j < Math.min(i + 140, CORPUS.length); j += 7) chunks.push(CORPUS.slice(j, j + 7));
      await delta(v, t, 'reasoning', ...chunks);
      await assertInert(v);
    }
    const text = (await bodyOf(v, t.id).textContent()) ?? '';
    assert.ok(text.includes('<script>window.__pwned = 1</script>'), 'raw HTML is shown as text');
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...t, status: 'completed', answer: 'ok', reasoningSummary: CORPUS, reasoningMs: 1_000 } });
    await v.frames();
    await assertInert(v);
    await v.snapshot([turn({ reasoningSummary: CORPUS, reasoningMs: 1_000 })], { id: 'c2' });
    await v.page.locator('.thinking-toggle').click();
    await assertInert(v);
    assert.ok(((await v.page.locator('.thinking-body').textContent()) ?? '').includes('<img src=x onerror="window.__pwned = 2">'));
    // Clicking every link-ish thing in the summary never navigates; only http(s) links reach the host.
    const url = v.page.url();
    const targets = v.page.locator('.thinking-body :is(a, .md-unsafe-link, .md-image, .md-raw)');
    for (let i = 0, n = await targets.count(); i < n; i++) await targets.nth(i).click({ force: true, timeout: 2000 }).catch(() => undefined);
    await v.frames();
    assert.equal(v.page.url(), url);
    assert.deepEqual([...new Set((await v.postedOf('openLink')).map((m) => m.href))], ['http://127.0.0.2/a.png']);
    await assertInert(v);
  }));
});
