// The composer: Enter and Shift+Enter, refusals with a hint, the draft kept until the host confirms the
// request it sent (by its id), and the draft, chips and scroll position surviving a reload.
import assert from 'node:assert/strict';
import type { WebviewToHost } from '../../src/shared/protocol';
import { CONV, chain, draftChip, turn, viewState } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';

const box = (v: View) => v.page.getByRole('textbox', { name: 'Message' });
const hint = (v: View) => v.page.locator('.composer > .hint');

/** The send without its request id, after checking it has one. */
function withoutId(m: Extract<WebviewToHost, { type: 'send' }>): Omit<typeof m, 'requestId'> {
  const { requestId, ...rest } = m;
  assert.match(requestId, /\S/);
  return rest;
}

describe('composer', function () {
  const env = webviewEnv();

  it('sends on Enter, inserts a newline on Shift+Enter', env.run(async (v) => {
    await v.snapshot([]);
    await box(v).click();
    await v.page.keyboard.type('first line');
    await v.page.keyboard.press('Shift+Enter');
    await v.page.keyboard.type('second line');
    assert.equal(await box(v).inputValue(), 'first line\nsecond line');
    assert.equal((await v.postedOf('send')).length, 0);
    await v.page.keyboard.press('Enter');
    assert.deepEqual(withoutId(await v.waitPosted('send')), { type: 'send', text: 'first line\nsecond line', attachments: [] });
    assert.equal(await box(v).inputValue(), 'first line\nsecond line', 'kept until the host confirms');
    // A second Enter before the host replies is a double press, not a second turn, however late it comes.
    await new Promise((r) => setTimeout(r, 3100));
    await v.page.keyboard.press('Enter');
    await v.frames();
    assert.equal((await v.postedOf('send')).length, 1);
  }));

  it('sends nothing for an empty or blank message, and says why', env.run(async (v) => {
    await v.snapshot([]);
    await box(v).fill('   \n  ');
    await box(v).press('Enter');
    await v.page.getByRole('button', { name: 'Send' }).click();
    await v.frames();
    assert.equal((await v.postedOf('send')).length, 0);
    assert.match((await hint(v).textContent()) ?? '', /Type a message/);
    // Attachments alone are enough.
    const chip = draftChip();
    await v.send({ type: 'addAttachments', attachments: [chip] });
    await box(v).fill('');
    await box(v).press('Enter');
    assert.deepEqual(withoutId(await v.waitPosted('send')), { type: 'send', text: '', attachments: [chip.id] });
  }));

  it('shows the conversation\'s model on the "Model: <id>" button, which asks the host for the picker', env.run(async (v) => {
    await v.snapshot(chain(1), { state: { model: 'gpt-5.1' } });
    const model = v.page.locator('.composer').getByRole('button', { name: 'Model: gpt-5.1' });
    assert.equal(await model.isVisible(), true);
    await model.click();
    assert.deepEqual(await v.waitPosted('selectModel'), { type: 'selectModel' });
    await v.send({ type: 'state', state: viewState({ model: 'gpt-5-mini' }) });
    assert.equal(await v.page.locator('.composer').getByRole('button', { name: 'Model: gpt-5-mini' }).count(), 1, 'the button follows a switch');
  }));

  it('shows "Effort: <level>" beside the model only for a model that reasons; it asks the host for the effort picker', env.run(async (v) => {
    const effortButton = () => v.page.locator('.composer').getByRole('button', { name: /^Effort: / });
    await v.snapshot(chain(1), { state: { model: 'gpt-4.1' } });
    assert.equal(await effortButton().count(), 0, 'hidden for a model that takes no effort');
    await v.send({ type: 'state', state: viewState({ model: 'gpt-5.1', effort: 'high' }) });
    const shown = v.page.locator('.composer').getByRole('button', { name: 'Effort: high' });
    assert.equal(await shown.isVisible(), true);
    assert.equal(
      await v.page.locator('.composer-bar').evaluate((bar) => [...bar.querySelectorAll('button')].map((b) => b.textContent?.trim()).slice(1, 3).join(' | ')),
      'Model: gpt-5.1 | Effort: high',
      'beside the Model button',
    );
    await shown.click();
    assert.deepEqual(await v.waitPosted('selectEffort'), { type: 'selectEffort' });
    await v.send({ type: 'state', state: viewState({ model: 'gpt-5.1', effort: 'default' }) });
    assert.equal(await v.page.locator('.composer').getByRole('button', { name: 'Effort: default' }).count(), 1, 'the button follows a change');
    await v.send({ type: 'state', state: viewState({ model: 'gpt-4o' }) });
    assert.equal(await effortButton().count(), 0, 'hidden again after a switch to a model that does not reason');
  }));

  it('refuses to send while an answer streams, with a hint, keeping the draft', env.run(async (v) => {
    await v.snapshot(chain(1), { state: { busy: true } });
    await box(v).fill('next question');
    await box(v).press('Enter');
    await v.page.getByRole('button', { name: 'Send' }).click();
    await v.frames();
    assert.equal((await v.postedOf('send')).length, 0);
    assert.match((await hint(v).textContent()) ?? '', /still being written.*Stop/);
    assert.equal(await box(v).inputValue(), 'next question');
    await v.send({ type: 'state', state: viewState({ busy: false }) });
    await box(v).press('Enter');
    assert.equal((await v.waitPosted('send')).text, 'next question');
  }));

  it('clears the draft only when the host confirms the turn it asked for started', env.run(async (v) => {
    const [first] = chain(1);
    await v.snapshot([first!]);
    const chip = draftChip();
    await v.send({ type: 'addAttachments', attachments: [chip] });
    await box(v).fill('  Why is this slow?  ');
    await box(v).press('Enter');
    const sent = await v.waitPosted('send');
    assert.equal(sent.text, 'Why is this slow?');
    assert.deepEqual(sent.attachments, [chip.id]);
    // The host refuses it (the notice echoes its id): nothing typed is lost.
    await v.send({ type: 'notice', requestId: sent.requestId, level: 'warning', message: 'Threadline is still answering.', actions: [] });
    await v.frames();
    assert.equal(await box(v).inputValue(), '  Why is this slow?  ');
    assert.equal(await v.page.locator('.composer-chips .chip').count(), 1);
    // A turn started by someone else (the command palette), even with the same question, does not clear it either.
    const same = turn({ parentId: first!.id, question: 'Why is this slow?', status: 'streaming', answer: '' });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: same });
    await v.frames();
    assert.equal(await box(v).inputValue(), '  Why is this slow?  ');
    await v.send({ type: 'turnFinished', conversationId: CONV, turn: { ...same, status: 'completed', answer: 'Because.' } });
    // Sending again after the refusal is a new request; the host confirming it clears the draft, chips too.
    await box(v).press('Enter');
    await v.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'send').length === 2);
    const again = (await v.postedOf('send'))[1]!;
    assert.notEqual(again.requestId, sent.requestId);
    await v.send({ type: 'turnStarted', requestId: sent.requestId, conversationId: CONV, turn: turn({ parentId: first!.id, question: 'Old', status: 'streaming', answer: '' }) });
    await v.frames();
    assert.equal(await box(v).inputValue(), '  Why is this slow?  ', 'a reply to the refused request does not count');
    await v.send({ type: 'turnStarted', requestId: again.requestId, conversationId: CONV, turn: turn({ parentId: first!.id, question: 'Why is this slow?', status: 'streaming', answer: '' }) });
    await v.frames();
    assert.equal(await box(v).inputValue(), '');
    assert.equal(await v.page.locator('.composer-chips .chip').count(), 0);
  }));

  it('keeps the draft, its chips and the scroll position across a reload (getState)', env.run({ height: 400 }, async (v) => {
    const turns = chain(8);
    await v.snapshot(turns);
    await v.send({ type: 'addAttachments', attachments: [draftChip()] });
    await box(v).fill('half-written question');
    await v.page.locator('.scroller').evaluate((s) => (s.scrollTop = 300));
    await v.page.waitForFunction(() => {
      const s = JSON.parse(sessionStorage.getItem('__threadline_state') ?? 'null');
      return s?.draft?.text === 'half-written question' && s.scroll?.top === 300;
    });
    const saved = (await v.storedState()) as { draft: { attachments: unknown[] }; scroll: unknown };
    assert.equal(saved.draft.attachments.length, 1);
    assert.deepEqual(saved.scroll, { conversationId: CONV, top: 300, atBottom: false });

    await v.page.reload({ waitUntil: 'domcontentloaded' });
    await v.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    await v.snapshot(turns);
    assert.equal(await box(v).inputValue(), 'half-written question');
    assert.deepEqual(await v.page.locator('.composer-chips .chip-label').allTextContents(), ['src/a.ts:L3-L9']);
    assert.equal(await v.page.locator('.scroller').evaluate((s) => s.scrollTop), 300);
  }));

  it('scrolls along with a streaming answer only while the user is at the bottom', env.run({ height: 400 }, async (v) => {
    const turns = chain(6);
    await v.snapshot(turns);
    const scroller = v.page.locator('.scroller');
    const atBottom = () => scroller.evaluate((s) => s.scrollHeight - s.scrollTop - s.clientHeight < 2);
    assert.equal(await atBottom(), true, 'starts at the bottom');
    const live = turn({ parentId: turns[5]!.id, status: 'streaming', answer: '' });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: live });
    for (let i = 0; i < 5; i++) {
      await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: `Paragraph ${i}.\n\n` });
      await v.frames();
      assert.equal(await atBottom(), true, 'follows the answer');
    }
    await scroller.evaluate((s) => (s.scrollTop = 50));
    await v.frames();
    for (let i = 0; i < 5; i++) await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: `More ${i}.\n\n` });
    await v.frames();
    assert.equal(await scroller.evaluate((s) => s.scrollTop), 50, 'left where the user put it');
  }));

  it('removes chips with the mouse or the keyboard', env.run(async (v) => {
    await v.snapshot([]);
    const a = draftChip();
    const b = draftChip({ path: 'src/b.ts', uri: 'file:///work/ws/src/b.ts', startLine: 1, endLine: 2 });
    const c = draftChip({ path: 'src/c.ts', uri: 'file:///work/ws/src/c.ts', startLine: 5, endLine: 6 });
    await v.send({ type: 'addAttachments', attachments: [a, b, c] });
    const labels = () => v.page.locator('.composer-chips .chip-label').allTextContents();
    await v.page.getByRole('button', { name: 'Remove src/b.ts:L1-L2' }).click();
    assert.deepEqual(await labels(), ['src/a.ts:L3-L9', 'src/c.ts:L5-L6']);
    await v.page.getByRole('button', { name: 'Remove src/a.ts:L3-L9' }).focus();
    await v.page.keyboard.press('Enter');
    assert.deepEqual(await labels(), ['src/c.ts:L5-L6']);
    assert.equal(await v.focusedName(), 'src/c.ts:L5-L6', 'focus moved to the next chip');
    await v.page.keyboard.press('Delete');
    assert.deepEqual(await labels(), []);
    assert.equal(await v.focusedName(), 'Message', 'focus back in the message box');
    await v.page.waitForFunction(() => {
      const s = JSON.parse(sessionStorage.getItem('__threadline_state') ?? 'null');
      return Array.isArray(s?.draft?.attachments) && s.draft.attachments.length === 0;
    });
  }));

  it('"Add context" asks the host for its quick pick; the typed text stays', env.run(async (v) => {
    await v.snapshot([]);
    await box(v).fill('Why does this fail?');
    await v.page.getByRole('button', { name: 'Add context' }).click();
    assert.deepEqual(await v.waitPosted('addContext'), { type: 'addContext' });
    assert.equal(await box(v).inputValue(), 'Why does this fail?');
  }));

  it('files dropped from the Explorer go to the host as URIs; dropped text does not', env.run(async (v) => {
    await v.snapshot([]);
    const drop = (type: string, data: string) => v.page.locator('.composer').evaluate((el, [t, d]) => {
      const dt = new DataTransfer();
      dt.setData(t!, d!);
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [type, data]);
    await drop('text/plain', 'just some text');
    await drop('text/uri-list', '# a comment\r\nfile:///w/src/a.ts\r\nfile:///w/src/b.ts\r\n');
    const posted = await v.postedOf('attachFiles');
    assert.deepEqual(posted, [{ type: 'attachFiles', uris: ['file:///w/src/a.ts', 'file:///w/src/b.ts'] }]);
  }));

  it('a terminal chip shows its label with nothing to open, and is removable like any chip', env.run(async (v) => {
    await v.snapshot([]);
    await v.send({ type: 'addAttachments', attachments: [{ id: 'term-1', kind: 'terminal', label: 'Terminal bash: last command' }] });
    const chip = v.page.locator('.composer-chips .chip');
    assert.equal(await chip.locator('.chip-label').textContent(), 'Terminal bash: last command');
    assert.equal(await chip.locator('button.chip-label').count(), 0, 'nothing to open');
    await box(v).fill('What failed?');
    await v.page.getByRole('button', { name: 'Send' }).click();
    assert.deepEqual(withoutId(await v.waitPosted('send')), { type: 'send', text: 'What failed?', attachments: ['term-1'] });
  }));
});
