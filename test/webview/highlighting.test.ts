// The highlighting chunk (dist/webview/highlight.js) is loaded lazily: on the first code block that needs
// it, once, by a <script> that carries the page's nonce. Until it arrives code is plain text; if it never
// does, code stays plain and the page keeps working.
import assert from 'node:assert/strict';
import { CONV, turn, viewState } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';

const TS = 'const s = "a < b && c > d";\nfunction f(x: number) {\n  return x; // <b>not markup</b>\n}';
const PY = 'def f(x):\n    return "<i>" + x';
const ANSWER = 'Two blocks:\n\n```ts\n' + TS + '\n```\n\nand\n\n```python\n' + PY + '\n```';

const chunkRequests = (v: View) => v.requests.filter((u) => new URL(u).pathname === '/highlight.js').length;
const codes = (v: View) => v.page.locator('pre code');
const spans = (v: View) => v.page.locator('pre code span[class^="hljs-"]').count();

/** What each code block shows, and whether it has any element inside (highlighting spans). */
const blocks = (v: View) => codes(v).evaluateAll((cs) => cs.map((c) => ({ text: c.textContent, elements: c.children.length })));

describe('lazy highlighting', function () {
  const env = webviewEnv();

  it('loads the chunk once, on the first code block, and highlights the blocks shown before it arrived', env.run(async (v) => {
    const release = await v.holdHighlighting();
    assert.equal(chunkRequests(v), 0, 'not loaded with the page');
    const first = turn({ answer: ANSWER });
    await v.snapshot([first], { state: { busy: true } });
    // A live turn's code block while the chunk is on its way: plain as well, no second load.
    const live = turn({ parentId: first.id, status: 'streaming', answer: '' });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: live });
    await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: '```ts\nlet n = 1;\nif (n) {' });
    await v.frames();
    assert.deepEqual(await blocks(v), [{ text: TS, elements: 0 }, { text: PY, elements: 0 }, { text: 'let n = 1;\nif (n) {', elements: 0 }], 'plain, escaped text meanwhile');
    const heights = await codes(v).evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().height));

    await release();
    assert.equal(chunkRequests(v), 1, 'exactly one load');
    const after = await blocks(v);
    assert.deepEqual(after.map((b) => b.text), [TS, PY, 'let n = 1;\nif (n) {'], 'the same text, exactly');
    assert.ok(after.every((b) => b.elements > 0), 'every block is highlighted: ' + JSON.stringify(after));
    assert.equal(await v.page.locator('pre code b, pre code i').count(), 0, 'markup in code stays text');
    assert.deepEqual(await codes(v).evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().height)), heights, 'no layout jump, only colour');

    // Later blocks, streamed and finished, are highlighted at once, and nothing loads again.
    await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: '\n  n++;' });
    await v.frames();
    assert.ok((await v.page.locator(`.turn[data-turn-id="${live.id}"] pre code .hljs-keyword`).count()) >= 2, 'the live block is highlighted as it grows');
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...live, status: 'completed', answer: '```go\nfunc main() {}\n```' } });
    await v.frames();
    assert.ok((await v.page.locator(`.turn[data-turn-id="${live.id}"] pre code .hljs-keyword`).count()) >= 1, 'the finished block is highlighted');
    assert.equal(chunkRequests(v), 1);
    assert.equal(await v.page.locator('script').count(), 2, "the page's script and the chunk's");
  }));

  it('never loads the chunk for a conversation without code to highlight', env.run(async (v) => {
    const huge = 'x = 1\n'.repeat(20_000);
    const words = turn({ answer: 'Just words, `inline code` and a list:\n\n- one\n- two' });
    const plain = turn({ parentId: words.id, answer: 'A block without a language:\n\n```\nplain text\n```' });
    const big = turn({ parentId: plain.id, answer: 'A block too big to highlight:\n\n```python\n' + huge + '```' });
    await v.snapshot([words, plain, big], { state: { busy: true } });
    const live = turn({ parentId: big.id, status: 'streaming', answer: '' });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: live });
    await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: 'Still **no** code.' });
    await v.frames();
    await v.page.waitForTimeout(200);
    assert.equal(chunkRequests(v), 0);
    assert.equal(await v.page.locator('script').count(), 1, 'no script added');
    assert.equal(await codes(v).nth(0).textContent(), 'plain text');
  }));

  for (const failure of [
    { name: 'is missing', respond: { status: 404, body: 'not found' } },
    { name: 'runs but hands over no engine', respond: { status: 200, contentType: 'text/javascript', body: '' } },
  ]) {
    it(`leaves code plain and the page working when the chunk ${failure.name}`, env.run({
      expectConsoleError: (t) => failure.respond.status === 404 && /Failed to load resource.*404/.test(t),
    }, async (v) => {
      await v.page.route('**/highlight.js', (route) => route.fulfill(failure.respond));
      const warned = v.page.waitForEvent('console', { predicate: (m) => m.type() === 'warning', timeout: 5000 });
      const first = turn({ answer: ANSWER });
      await v.snapshot([first], { state: { busy: true } });
      assert.equal((await warned).text(), 'threadline: syntax highlighting is unavailable (its script did not load); code is shown plain');
      await v.frames();
      assert.deepEqual(await blocks(v), [{ text: TS, elements: 0 }, { text: PY, elements: 0 }]);

      // The page still works: a new turn with code renders (plain, no new attempt) and the composer sends.
      const next = turn({ parentId: first.id, status: 'streaming', answer: '' });
      await v.send({ type: 'turnStarted', conversationId: CONV, turn: next });
      await v.send({ type: 'delta', conversationId: CONV, turnId: next.id, part: 'text', text: '```ts\nconst z = 2;\n```' });
      await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...next, status: 'completed', answer: '```ts\nconst z = 2;\n```' } });
      await v.send({ type: 'state', state: viewState({ busy: false }) });
      await v.frames();
      assert.equal(await codes(v).nth(2).textContent(), 'const z = 2;');
      assert.equal(await spans(v), 0);
      assert.equal(chunkRequests(v), 1, 'no retry storm');
      await v.page.getByRole('textbox', { name: 'Message' }).fill('still here');
      await v.page.getByRole('textbox', { name: 'Message' }).press('Enter');
      assert.equal((await v.waitPosted('send')).text, 'still here');
    }));
  }

  it("gives the chunk's script the page's nonce, within the page's CSP", env.run(async (v) => {
    await v.snapshot([turn({ answer: ANSWER })]);
    await v.highlighting();
    const script = await v.page.evaluate(() => {
      const s = document.querySelector<HTMLScriptElement>('script[src$="/highlight.js"]');
      return s && { nonce: s.nonce, src: s.src };
    });
    assert.deepEqual(script, { nonce: v.server.lastNonce, src: v.server.origin + '/highlight.js' });
    const csp = await v.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', new RegExp(`script-src 'nonce-${v.server.lastNonce}';`), 'scripts still need the nonce');
    assert.ok((await spans(v)) > 0);
    // The harness fails the test on any CSP violation, request elsewhere or console error.
  }));
});
