// Model output is untrusted: nothing in it may run, load, navigate or become markup. The page's CSP is the
// second line of defence, and these tests check the first one (DOM built from tokens) on its own: a payload
// is harmless because it never becomes an element, not because the CSP blocked it.
import assert from 'node:assert/strict';
import { CONV, chip, draftChip, turn } from './support/fixtures';
import { webviewEnv } from './support/harness';
import { CORPUS, assertInert } from './support/inert';

describe('sanitisation', function () {
  const env = webviewEnv();

  it('renders the whole corpus as inert text and links, in a finished answer', env.run(async (v) => {
    const t = turn({ answer: CORPUS });
    await v.snapshot([t]);
    // The corpus's fenced code is highlighted too: the highlighted blocks must be just as inert.
    await v.highlighting();
    await assertInert(v);
    const text = (await v.page.locator('.msg-assistant .markdown').textContent()) ?? '';
    // Raw HTML is shown as the text it is.
    assert.ok(text.includes('<script>window.__pwned = 1</script>'), 'script tag shown as text');
    assert.ok(text.includes('<img src=x onerror="window.__pwned = 2">'), 'img tag shown as text');
    assert.ok(text.includes('<iframe src="http://127.0.0.2/frame">'), 'iframe shown as text');
    // Unsafe links keep their words but are not links.
    for (const words of ['js link', 'js caps', 'data link', 'vscode link', 'command link', 'file link', 'relative', 'reference link']) {
      assert.ok(text.includes(words), `"${words}" shown`);
    }
    assert.equal(await v.page.locator('.msg-assistant .markdown a').count(), 1, 'only the http image became a link');
    assert.equal(await v.page.locator('.msg-assistant .markdown a').getAttribute('href'), 'http://127.0.0.2/a.png');
    assert.ok(text.includes('remote image') && text.includes('data image'), 'images shown by their alt text');

    // Clicking, hovering and focusing everything does nothing dangerous and never navigates.
    const url = v.page.url();
    const targets = v.page.locator('.msg-assistant .markdown :is(a, .md-unsafe-link, .md-image, .md-raw)');
    const n = await targets.count();
    for (let i = 0; i < n; i++) await targets.nth(i).click({ force: true, timeout: 2000 }).catch(() => undefined);
    await v.frames();
    assert.equal(v.page.url(), url);
    assert.deepEqual([...new Set((await v.postedOf('openLink')).map((m) => m.href))], ['http://127.0.0.2/a.png']);
    await assertInert(v);
  }));

  it('is just as safe while streaming, whatever the chunking', env.run(async (v) => {
    await v.snapshot([], { state: { busy: true } });
    const t = turn({ status: 'streaming', answer: '' });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: t });
    // 7-character chunks split tags, entities and link syntax mid-way; a frame is rendered every 20 chunks.
    for (let i = 0; i < CORPUS.length; i += 140) {
      const deltas = [];
      for (let j = i; j < Math.min(i + 140, CORPUS.length); j += 7) {
        deltas.push({ type: 'delta' as const, conversationId: CONV, turnId: t.id, part: 'text' as const, text: CORPUS.slice(j, j + 7) });
      }
      await v.send(...deltas);
      await v.frames();
      await assertInert(v);
    }
    await v.highlighting();
    await assertInert(v);
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...t, status: 'completed', answer: CORPUS } });
    await assertInert(v);
  }));

  it('shows questions, attachment paths, titles, errors and notices as text', env.run(async (v) => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const t = turn({
      question: evil,
      attachments: [chip({ path: `src/${evil}.ts` })],
      status: 'failed',
      answer: '',
      error: { kind: 'server', message: evil, actions: ['retry'] },
    });
    await v.snapshot([t], { title: evil, state: { model: evil } });
    await v.send({ type: 'notice', level: 'error', message: evil, actions: ['openSettings'] });
    await v.send({ type: 'addAttachments', attachments: [draftChip({ path: evil })] });
    await v.frames();
    await assertInert(v);
    assert.equal(await v.page.locator('.user-text').textContent(), evil);
    assert.equal(await v.page.locator('.msg-error-text').textContent(), evil);
    assert.equal(await v.page.locator('.notice-text').textContent(), evil);
    assert.equal(await v.page.locator('.conv-title').textContent(), evil);
    assert.equal(await v.page.locator('.composer-chips .chip-label').textContent(), `${evil}:L3-L9`);
  }));

  it('never requests anything but its own bundle, highlighting chunk, stylesheet and font', env.run(async (v) => {
    await v.snapshot([turn({ answer: CORPUS })]);
    await v.page.locator('.msg-assistant').hover();
    await v.frames();
    const hosts = new Set(v.requests.map((u) => new URL(u).pathname));
    assert.deepEqual([...hosts].sort(), ['/', '/codicon.ttf', '/highlight.js', '/main.css', '/main.js']);
  }));

  describe('the CSP in force (canaries for the harness itself)', () => {
    it('blocks an injected remote image, inline script and fetch, and the harness sees it', env.run({
      expectViolation: (v) => /img-src|script-src|connect-src|default-src/.test(v.directive),
      expectConsoleError: (t) => /Content Security Policy|Failed to fetch/.test(t),
      expectRequest: (url) => url.startsWith('http://127.0.0.2/canary.png'),
    }, async (v) => {
      const result = await v.page.evaluate(async () => {
        const img = document.createElement('img');
        img.src = 'http://127.0.0.2/canary.png';
        document.body.appendChild(img);
        const s = document.createElement('script');
        s.textContent = 'window.__pwned = "inline"';
        document.body.appendChild(s);
        const fetched = await fetch(location.origin + '/main.js').then(() => 'yes', () => 'blocked');
        await new Promise((r) => setTimeout(r, 50));
        return { fetched, pwned: (window as unknown as { __pwned?: string }).__pwned ?? null };
      });
      assert.deepEqual(result, { fetched: 'blocked', pwned: null });
      await v.page.evaluate(() => 0);
      const directives = new Set(v.violations.map((x) => x.directive));
      assert.ok(directives.has('img-src'), 'image blocked: ' + JSON.stringify(v.violations));
      assert.ok(directives.has('script-src-elem'), 'inline script blocked');
      assert.ok(directives.has('connect-src'), 'fetch blocked');
    }));
  });
});
