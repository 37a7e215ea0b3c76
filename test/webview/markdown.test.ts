// Markdown in answers: structure, code blocks and their buttons, links, edge cases of streaming.
import assert from 'node:assert/strict';
import { CONV, turn } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';

const md = (v: View, id: string) => v.page.locator(`.turn[data-turn-id="${id}"] [role=article][aria-label^="Assistant"] .markdown`);

async function showAnswer(v: View, answer: string) {
  const t = turn({ answer });
  await v.snapshot([t]);
  return { t, el: md(v, t.id) };
}

describe('markdown rendering', function () {
  const env = webviewEnv();

  it('renders headings, emphasis, lists, quotes, tables, rules and inline code', env.run(async (v) => {
    const { el } = await showAnswer(v, [
      '## Plan',
      '',
      'Some *em*, **strong**, ~~gone~~ and `inline()` code.',
      '',
      '1. first',
      '2. second',
      '   - nested',
      '',
      '- [x] done',
      '- [ ] todo',
      '',
      '> quoted',
      '',
      '| a | b |',
      '|:--|--:|',
      '| 1 | 2 |',
      '',
      '---',
      'line one  ',
      'line two',
    ].join('\n'));
    assert.equal(await el.locator('h2').textContent(), 'Plan');
    assert.equal(await el.locator('em').first().textContent(), 'em');
    assert.equal(await el.locator('strong').first().textContent(), 'strong');
    assert.equal(await el.locator('del').textContent(), 'gone');
    const code = el.locator('code.md-codespan');
    assert.equal(await code.textContent(), 'inline()');
    const bg = await code.evaluate((c) => getComputedStyle(c).backgroundColor);
    assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'inline code has a background');
    assert.equal(await el.locator('ol > li').count(), 2);
    assert.equal(await el.locator('ol ul > li').textContent(), 'nested');
    assert.equal(await el.locator('li.md-task').count(), 2);
    assert.match((await el.locator('li.md-task').first().textContent()) ?? '', /\(done\)\s*done/);
    assert.equal(await el.locator('blockquote').textContent(), 'quoted');
    assert.deepEqual(await el.locator('th').allTextContents(), ['a', 'b']);
    assert.deepEqual(await el.locator('td').allTextContents(), ['1', '2']);
    assert.equal(await el.locator('td.md-align-right').count(), 1);
    assert.equal(await el.locator('hr').count(), 1);
    assert.equal(await el.locator('br').count(), 1);
  }));

  it('highlights fenced code and offers Copy, Insert at Cursor and Apply with the exact code', env.run(async (v) => {
    const code = 'interface P { x: number }\nconst s = "a < b && c > d";\nfunction f(p: P) {\n\treturn p.x; // tab kept\n}';
    const { t, el } = await showAnswer(v, 'Here:\n\n```ts\n' + code + '\n```\n\nDone.');
    await v.highlighting();
    const block = el.locator('.codeblock');
    assert.equal(await block.count(), 1);
    assert.equal(await block.locator('.codeblock-lang').textContent(), 'ts');
    assert.equal(await block.locator('pre code').textContent(), code, 'the text is the code, exactly');
    assert.ok((await block.locator('code .hljs-keyword').count()) >= 3, 'keywords are highlighted');
    assert.ok((await block.locator('code .hljs-string').count()) >= 1, 'strings are highlighted');
    const colors = await block.locator('code .hljs-keyword').first().evaluate((k) => getComputedStyle(k).color);
    const plain = await block.locator('code').evaluate((k) => getComputedStyle(k).color);
    assert.notEqual(colors, plain, 'keywords have their own colour');

    await block.getByRole('button', { name: 'Copy', exact: true }).click();
    assert.deepEqual(await v.waitPosted('copy'), { type: 'copy', text: code });
    await block.getByRole('button', { name: 'Insert at Cursor', exact: true }).click();
    assert.deepEqual(await v.waitPosted('insertCode'), { type: 'insertCode', code });
    // Apply names the turn: the host finds the file to review from that turn's attachments.
    await block.getByRole('button', { name: 'Apply', exact: true }).click();
    assert.deepEqual(await v.waitPosted('applyCode'), { type: 'applyCode', turnId: t.id, code });
  }));

  it('knows the common languages and leaves unknown ones plain', env.run(async (v) => {
    const langs = ['typescript', 'js', 'jsx', 'json', 'python', 'py', 'bash', 'sh', 'shell', 'html', 'xml', 'java', 'go', 'rust', 'c', 'cpp', 'csharp', 'cs', 'yaml', 'diff'];
    const snippet: Record<string, string> = {
      json: '{"a": 1, "b": true}',
      diff: '--- a\n+++ b\n-old\n+new',
      yaml: 'key: value\nn: 1',
      html: '<div class="x">hi</div>',
      xml: '<a b="c"/>',
      shell: '$ ls -la',
    };
    const body = langs.map((l) => '```' + l + '\n' + (snippet[l] ?? 'if (x) { return 1; } // c\nwhile true\nreturn "s"') + '\n```').join('\n\n');
    const { el } = await showAnswer(v, body + '\n\n```klingon\nqapla if return\n```');
    await v.highlighting();
    const blocks = el.locator('.codeblock');
    assert.equal(await blocks.count(), langs.length + 1);
    for (let i = 0; i < langs.length; i++) {
      const spans = await blocks.nth(i).locator('code span[class^="hljs-"]').count();
      assert.ok(spans > 0, `${langs[i]} is highlighted`);
    }
    const unknown = blocks.nth(langs.length);
    assert.equal(await unknown.locator('code span').count(), 0);
    assert.equal(await unknown.locator('code').textContent(), 'qapla if return');
  }));

  it('turns http(s) links into links that ask the host to open them, and never navigates', env.run(async (v) => {
    const { el } = await showAnswer(v, 'See [the docs](https://example.com/a?b=1&c=2 "Docs"), <http://127.0.0.2/x> and www.example.org.');
    const links = el.locator('a');
    assert.equal(await links.count(), 3);
    assert.deepEqual(
      await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      ['https://example.com/a?b=1&c=2', 'http://127.0.0.2/x', 'http://www.example.org/'],
    );
    const before = v.page.url();
    await links.first().click();
    assert.deepEqual(await v.waitPosted('openLink'), { type: 'openLink', href: 'https://example.com/a?b=1&c=2' });
    await links.nth(1).click({ button: 'middle' });
    await links.nth(1).focus();
    await v.page.keyboard.press('Enter');
    await v.frames();
    assert.equal(v.page.url(), before, 'the page did not navigate');
    assert.deepEqual((await v.postedOf('openLink')).map((m) => m.href), ['https://example.com/a?b=1&c=2', 'http://127.0.0.2/x']);
  }));

  it('decodes character references in text but not in code', env.run(async (v) => {
    const { el } = await showAnswer(v, 'a &amp; b &copy; &#169; &lt;b&gt; &nbsp;x `&amp;`\n\n```\n&lt;raw&gt;\n```');
    const p = el.locator('p').first();
    assert.equal(await p.locator('b').count(), 0);
    assert.equal((await p.textContent())!.replace(/\u00a0/g, ' '), 'a & b © © <b>  x &amp;');
    assert.equal(await el.locator('pre code').textContent(), '&lt;raw&gt;');
  }));

  it('shows an unclosed fence as code while it streams, and highlights it once it is closed', env.run(async (v) => {
    const t = turn({ status: 'streaming', answer: '', usage: undefined, responseId: undefined, finishedAt: undefined });
    await v.snapshot([], { state: { busy: true } });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: t });
    await v.send({ type: 'delta', conversationId: CONV, turnId: t.id, part: 'text', text: 'Try:\n\n```ts\nconst a = 1;\nif (a) {' });
    await v.highlighting();
    const el = md(v, t.id);
    assert.equal(await el.locator('pre code').textContent(), 'const a = 1;\nif (a) {');
    assert.ok((await el.locator('pre code .hljs-keyword').count()) >= 2, 'a short open block is highlighted as it grows');
    // A long open block stays plain until it is complete (it is re-rendered every frame).
    const long = '\nlet x = 1;'.repeat(500);
    await v.send({ type: 'delta', conversationId: CONV, turnId: t.id, part: 'text', text: long });
    await v.frames();
    assert.equal(await el.locator('pre code span').count(), 0, 'the long open block is plain');
    await v.send({ type: 'delta', conversationId: CONV, turnId: t.id, part: 'text', text: '\n}\n```\n\nThat is all.' });
    await v.frames();
    assert.equal(await el.locator('pre code').textContent(), 'const a = 1;\nif (a) {' + long + '\n}');
    assert.ok((await el.locator('pre code .hljs-keyword').count()) >= 500, 'closed block highlighted');
    assert.equal(await el.locator('p').last().textContent(), 'That is all.');
  }));

  it('keeps the blocks rendered while streaming when the turn finishes, and redoes only what changed', env.run(async (v) => {
    const t = turn({ status: 'streaming', answer: '', usage: undefined, responseId: undefined, finishedAt: undefined });
    await v.snapshot([], { state: { busy: true } });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: t });
    const streamed = '## Plan\n\nFirst paragraph.\n\n```ts\nconst a = 1;\n```\n\nLast para';
    await v.send({ type: 'delta', conversationId: CONV, turnId: t.id, part: 'text', text: streamed });
    await v.highlighting();
    // Mark the nodes as they are while streaming; a rebuilt answer would not carry the marks.
    await md(v, t.id).evaluate((el) => {
      for (const [i, c] of [...el.children].entries()) (c as HTMLElement).dataset.streamed = String(i);
    });
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...t, status: 'completed', answer: streamed + 'graph, done.', finishedAt: t.createdAt + 1000 } });
    await v.frames();
    const el = md(v, t.id);
    assert.equal(await v.page.getByRole('article', { name: 'Assistant, completed' }).count(), 1);
    const marks = await el.evaluate((e) => [...e.children].map((c) => (c as HTMLElement).dataset.streamed ?? null));
    assert.deepEqual(marks, ['0', '1', '2', null], 'heading, paragraph and code block are the same nodes; the changed last paragraph is new');
    assert.equal(await el.locator('p').last().textContent(), 'Last paragraph, done.');
    assert.ok((await el.locator('pre code .hljs-keyword').count()) >= 1, 'the code block stays highlighted');
  }));

  it('renders a huge code block plain, quickly, and copies all of it', env.run(async (v) => {
    const line = 'const value = computeSomething(alpha, beta, gamma); // 0123456789\n';
    const code = line.repeat(4000).trimEnd(); // ~270 KB
    const t0 = Date.now();
    const { el } = await showAnswer(v, '```ts\n' + code + '\n```');
    const ms = Date.now() - t0;
    assert.ok(ms < 5000, `rendered in ${ms} ms`);
    const text = await el.locator('pre code').evaluate((c) => c.textContent!.length);
    assert.equal(text, code.length);
    assert.equal(await el.locator('pre code span').count(), 0, 'too big to highlight');
    await el.getByRole('button', { name: 'Copy', exact: true }).click();
    const copied = await v.waitPosted('copy');
    assert.equal(copied.text.length, code.length);
    const height = await el.locator('pre').evaluate((p) => p.getBoundingClientRect().height);
    assert.ok(height < 720, 'the block scrolls inside itself instead of growing the page without end');
  }));

  it('says so when an answer is empty, and while waiting for the first token', env.run(async (v) => {
    const done = turn({ answer: '' });
    const live = turn({ parentId: done.id, status: 'streaming', answer: '' });
    await v.snapshot([done, live], { state: { busy: true } });
    assert.match((await v.page.locator(`.turn[data-turn-id="${done.id}"] .msg-assistant`).textContent()) ?? '', /empty answer/);
    const waiting = v.page.locator(`.turn[data-turn-id="${live.id}"] .waiting`);
    assert.equal(await waiting.textContent(), 'Waiting for the model…');
    await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: 'Hi' });
    await v.frames();
    assert.equal(await waiting.count(), 0);
    assert.equal(await md(v, live.id).textContent(), 'Hi');
  }));
});
