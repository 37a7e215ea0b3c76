// The conversation tree in the view: Fork from here, Edit (Save and send / Cancel), branch switching.
import assert from 'node:assert/strict';
import { chain, chip as chipOf, turn } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';

const user = (v: View, id: string) => v.page.locator(`.turn[data-turn-id="${id}"] [role=article][aria-label^="You"]`);
const assistant = (v: View, id: string) => v.page.locator(`.turn[data-turn-id="${id}"] [role=article][aria-label^="Assistant"]`);

describe('conversation tree', function () {
  const env = webviewEnv();

  it('offers Fork from here on completed answers only, posting fork', env.run(async (v) => {
    const [a, b] = chain(2);
    const failed = turn({ parentId: b!.id, status: 'failed', answer: '' });
    await v.snapshot([a!, b!, failed]);
    assert.equal(await v.page.getByRole('button', { name: 'Fork from here' }).count(), 2);
    assert.equal(await assistant(v, failed.id).getByRole('button', { name: 'Fork from here' }).count(), 0);
    await assistant(v, b!.id).getByRole('button', { name: 'Fork from here' }).click();
    assert.deepEqual(await v.waitPosted('fork'), { type: 'fork', turnId: b!.id });
  }));

  it('offers Regenerate on completed answers only: "Same model" and "Choose model…" post regenerate; Escape closes the menu', env.run(async (v) => {
    const [a, b] = chain(2);
    const failed = turn({ parentId: b!.id, status: 'failed', answer: '' });
    await v.snapshot([a!, b!, failed]);
    assert.equal(await v.page.getByRole('button', { name: 'Regenerate', exact: true }).count(), 2);
    assert.equal(await assistant(v, failed.id).getByRole('button', { name: 'Regenerate', exact: true }).count(), 0);
    const answer = assistant(v, b!.id);
    const toggle = answer.getByRole('button', { name: 'Regenerate', exact: true });
    const menu = answer.getByRole('menu', { name: 'Regenerate' });
    assert.equal(await menu.isVisible(), false);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await v.focusedName(), 'Same model', 'the first choice has focus');
    await v.page.keyboard.press('Escape');
    assert.equal(await menu.isVisible(), false);
    assert.equal(await v.focusedName(), 'Regenerate');

    await toggle.click();
    await menu.getByRole('menuitem', { name: 'Same model' }).click();
    assert.deepEqual(await v.waitPosted('regenerate'), { type: 'regenerate', turnId: b!.id, choose: false });
    assert.equal(await menu.isVisible(), false);
    await v.clearPosted();
    await toggle.click();
    await menu.getByRole('menuitem', { name: 'Choose model…' }).click();
    assert.deepEqual(await v.waitPosted('regenerate'), { type: 'regenerate', turnId: b!.id, choose: true });
  }));

  it('an unknown model offers Select Model next to the error', env.run(async (v) => {
    const t = turn({ status: 'failed', answer: '', error: { kind: 'unknown_model', message: 'The model "gpt-nope" is not available.', actions: ['selectModel', 'retry'], status: 404 } });
    await v.snapshot([t]);
    await assistant(v, t.id).getByRole('button', { name: 'Select Model' }).click();
    assert.deepEqual(await v.waitPosted('selectModel'), { type: 'selectModel' });
  }));

  it('edits a message: Edit opens "Edit message", Save and send posts edit, Cancel restores', env.run(async (v) => {
    const [a, b] = chain(2);
    await v.snapshot([a!, b!]);
    assert.equal(await v.page.getByRole('button', { name: 'Edit', exact: true }).count(), 2, 'every user message has Edit');
    const msg = user(v, b!.id);
    await msg.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = msg.getByRole('textbox', { name: 'Edit message' });
    assert.equal(await editor.inputValue(), b!.question);
    assert.equal(await editor.evaluate((e) => e === document.activeElement), true, 'the editor has focus');
    assert.equal(await msg.locator('.user-text').isVisible(), false);

    await msg.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await editor.count(), 0);
    assert.equal(await msg.locator('.user-text').isVisible(), true);
    assert.equal(await v.focusedName(), 'Edit', 'focus returns to Edit');
    assert.equal((await v.postedOf('edit')).length, 0);

    await v.page.keyboard.press('Enter'); // Edit again, from the keyboard
    await editor.fill('A better question');
    await msg.getByRole('button', { name: 'Save and send' }).click();
    assert.deepEqual(await v.waitPosted('edit'), { type: 'edit', turnId: b!.id, text: 'A better question' });

    // Escape cancels, Enter saves, from inside the editor.
    await user(v, a!.id).getByRole('button', { name: 'Edit', exact: true }).click();
    await v.page.keyboard.press('Escape');
    assert.equal(await user(v, a!.id).getByRole('textbox', { name: 'Edit message' }).count(), 0);
    await v.page.keyboard.press('Enter');
    await v.page.keyboard.press('End');
    await v.page.keyboard.type(' (edited)');
    await v.page.keyboard.press('Enter');
    assert.deepEqual((await v.postedOf('edit')).pop(), { type: 'edit', turnId: a!.id, text: `${a!.question} (edited)` });
  }));

  it('does not send an edit while an answer streams, and says why', env.run(async (v) => {
    const [a] = chain(1);
    await v.snapshot([a!], { state: { busy: true } });
    await user(v, a!.id).getByRole('button', { name: 'Edit', exact: true }).click();
    await user(v, a!.id).getByRole('button', { name: 'Save and send' }).click();
    assert.match((await user(v, a!.id).locator('.edit-box .hint').textContent()) ?? '', /still being written/);
    assert.equal((await v.postedOf('edit')).length, 0);
  }));

  it('shows branch buttons and n/m on messages with siblings, disabled at the ends', env.run(async (v) => {
    const first = turn({ siblingIndex: 1, siblingCount: 3 });
    const middle = turn({ parentId: first.id, siblingIndex: 2, siblingCount: 3 });
    const last = turn({ parentId: middle.id, siblingIndex: 2, siblingCount: 2 });
    const only = turn({ parentId: last.id });
    await v.snapshot([first, middle, last, only]);
    const nav = async (id: string) => {
      const m = user(v, id);
      return {
        pos: await m.locator('.branch-pos').textContent(),
        prev: await m.getByRole('button', { name: 'Previous branch' }).isEnabled(),
        next: await m.getByRole('button', { name: 'Next branch' }).isEnabled(),
      };
    };
    assert.deepEqual(await nav(first.id), { pos: '1/3', prev: false, next: true });
    assert.deepEqual(await nav(middle.id), { pos: '2/3', prev: true, next: true });
    assert.deepEqual(await nav(last.id), { pos: '2/2', prev: true, next: false });
    assert.equal(await user(v, only.id).getByRole('button', { name: /branch/ }).count(), 0);

    await user(v, first.id).getByRole('button', { name: 'Next branch' }).click();
    assert.deepEqual((await v.posted()).pop(), { type: 'switchBranch', turnId: first.id, direction: 'next' });
    await user(v, middle.id).getByRole('button', { name: 'Previous branch' }).click();
    assert.deepEqual((await v.posted()).pop(), { type: 'switchBranch', turnId: middle.id, direction: 'previous' });
  }));

  it('opens an attachment of a sent message', env.run(async (v) => {
    const t = turn({ attachments: [chipOf({ path: 'lib/x.go', uri: 'file:///w/lib/x.go', startLine: 4, endLine: 20, languageId: 'go' })] });
    await v.snapshot([t]);
    const chip = user(v, t.id).getByRole('button', { name: 'lib/x.go:L4-L20' });
    await chip.click();
    assert.deepEqual(await v.waitPosted('openAttachment'), { type: 'openAttachment', uri: 'file:///w/lib/x.go', startLine: 4, endLine: 20 });
  }));
});
