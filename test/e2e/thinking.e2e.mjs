// Visible thinking in the real VS Code: a reasoning model (gpt-5-mini, with reasoning summaries asked for)
// streams its summary into the Thinking block, open and ticking; the block closes when the answer starts and
// reads "Thought for N s" after; it opens again on a click and keeps its summary after a window reload.
import assert from 'node:assert/strict';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;
const SHOTS = process.env.THREADLINE_SHOTS;

describe('e2e: thinking, in the real VS Code', function () {
  this.timeout(120_000);
  const s = useSession({
      vsix: VSIX,
      shots: SHOTS,
      theme: 'Default Dark Modern',
      settings: { 'threadline.model': 'gpt-5-mini', 'threadline.reasoningSummary': 'detailed' },
    });
  const assistant = () => s.webview.getByRole('article', { name: /^Assistant/ });


  it('streams the summary into an open Thinking block, then closes it when the answer starts', async () => {
    const chat = await s.openChat();
    await s.widenSidebar(520);
    // Slow enough to see the summary stream before the answer (3 characters a delta).
    await s.fake.control('options', { interDeltaDelayMs: 60 });
    await chat.fill('Why does a Map keep insertion order?');
    await s.webview.getByRole('button', { name: 'Send' }).click();

    const live = assistant().first();
    const thinking = live.getByRole('button', { name: /^Thinking… \d+ s$/ });
    await thinking.waitFor({ timeout: 30_000 });
    assert.equal(await thinking.getAttribute('aria-expanded'), 'true', 'open while the model reasons');
    // The summary's first part in full, its second still to come: the README's picture of a model thinking.
    await live.getByText(/The user asks: .*insertion order\?"\./).waitFor();
    assert.equal(await live.getByText('Planning the answer').count(), 0, 'the summary is still streaming');
    await s.shot('10-thinking-dark.png');

    const posts = await s.fake.posts();
    assert.deepEqual(posts.at(-1).reasoning?.summary, 'detailed', 'the request asks for summaries');

    const thought = live.getByRole('button', { name: /^Thought for \d+ s$/ });
    await thought.waitFor({ timeout: 30_000 });
    assert.equal(await thought.getAttribute('aria-expanded'), 'false', 'closed once the answer started');
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });
    assert.match(await live.innerText(), /echo#1: Why does a Map keep insertion order\?/);
    assert.match(await live.locator('.msg-details').innerText(), / reasoning · /, 'reasoning tokens in the details');
    assert.equal(await thought.getAttribute('aria-expanded'), 'false');
    await s.fake.control('options', { interDeltaDelayMs: 8 });

    await thought.click();
    assert.equal(await thought.getAttribute('aria-expanded'), 'true');
    assert.match(await live.locator('.thinking-body').innerText(), /Planning the answer/);
    await s.shot('11-thought-dark.png');
  });

  it('shows the finished turn\'s Thinking block, closed, after the window reloads', async () => {
    await s.page.reload();
    await s.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await s.openChat();
    const thought = assistant().first().getByRole('button', { name: /^Thought for \d+ s$/ });
    await thought.waitFor({ timeout: 30_000 });
    assert.equal(await thought.getAttribute('aria-expanded'), 'false');
    await thought.click();
    await assistant().first().getByText('Reading the question').waitFor();
  });

  it('made no network request from the webview and hit no CSP violation', () => {
    const foreign = s.webviewRequests.filter((u) => !/\/(dist\/webview|webview\/browser\/pre)\/|^data:|^blob:/.test(u) && !/threadline/.test(u));
    assert.deepEqual(foreign, [], `unexpected webview requests:\n${foreign.join('\n')}`);
    assert.deepEqual(s.cspViolations, []);
  });
});
