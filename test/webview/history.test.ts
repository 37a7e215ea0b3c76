// The chat history in the view: the History toggle in the header, the list the host sends (title, when it
// was last used, the active chat marked), switching, renaming in place, deleting through the host, the
// keyboard, and Copy as Markdown next to the title.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ConversationSummary } from '../../src/core/types';
import type { HostToWebview } from '../../src/shared/protocol';
import { CONV, chain } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';

const MIN = 60_000;

function chats(now = Date.now()): ConversationSummary[] {
  return [
    { id: CONV, title: 'Explain the parser', createdAt: now - 90 * MIN, updatedAt: now - 5 * MIN },
    { id: 'c2', title: 'Why is the LRU cache slow?', createdAt: now - 30 * 60 * MIN, updatedAt: now - 3 * 60 * MIN },
    { id: 'c3', title: 'Fork of Explain the parser', createdAt: now - 4 * 1440 * MIN, updatedAt: now - 30 * 60 * MIN },
  ];
}

const historyMsg = (conversations: ConversationSummary[], activeId: string | null = CONV, total = conversations.length): HostToWebview =>
  ({ type: 'history', conversations, activeId, total });

const toggle = (v: View) => v.page.getByRole('button', { name: 'History', exact: true });
const panel = (v: View) => v.page.getByRole('region', { name: 'Chat history' });
const items = (v: View) => panel(v).getByRole('listitem');
const item = (v: View, title: string) => items(v).filter({ has: v.page.getByText(title, { exact: true }) });
const opener = (v: View, title: string) => item(v, title).getByRole('button', { name: new RegExp(`^${title.replace(/[?.]/g, '\\$&')}`) });

/** Opens the history from the header and answers its request with `list`. */
async function openHistory(v: View, list = chats()): Promise<void> {
  await v.clearPosted();
  await toggle(v).click();
  const asked = await v.waitPosted('requestHistory');
  assert.deepEqual(asked, { type: 'requestHistory', requestId: asked.requestId });
  assert.match(asked.requestId, /\S/);
  await v.send({ ...historyMsg(list), requestId: asked.requestId } as HostToWebview);
  await items(v).first().waitFor();
}

describe('history in the view', function () {
  const env = webviewEnv();

  it('opens from the header in place of the transcript: titles, last used, the active chat marked and focused', env.run(async (v) => {
    await v.snapshot(chain(2));
    assert.equal(await toggle(v).getAttribute('aria-expanded'), 'false');
    assert.equal(await panel(v).isVisible(), false);
    await openHistory(v);
    assert.equal(await toggle(v).getAttribute('aria-expanded'), 'true');
    assert.equal(await panel(v).isVisible(), true);
    assert.equal(await v.page.getByRole('log').isVisible(), false, 'the transcript gives way to the list');
    assert.equal(await v.page.getByRole('textbox', { name: 'Message' }).isVisible(), true, 'the composer stays');
    const rows = await items(v).evaluateAll((els) => els.map((e) => ({
      title: e.querySelector('.history-title')!.textContent,
      meta: e.querySelector('.history-meta')!.textContent,
      current: e.querySelector('.history-open')!.getAttribute('aria-current'),
    })));
    assert.deepEqual(rows, [
      { title: 'Explain the parser', meta: 'Active · 5 min. ago', current: 'true' },
      { title: 'Why is the LRU cache slow?', meta: '3 hr. ago', current: null },
      { title: 'Fork of Explain the parser', meta: 'yesterday', current: null },
    ]);
    assert.match(await v.focusedName(), /^Explain the parser/, 'the keyboard lands on the active chat');
    for (const t of ['Explain the parser', 'Why is the LRU cache slow?']) {
      assert.equal(await item(v, t).getByRole('button', { name: 'Rename' }).count(), 1);
      assert.equal(await item(v, t).getByRole('button', { name: 'Delete' }).count(), 1);
    }
    // Escape closes it, the keyboard goes back to History, and the transcript is back.
    await v.page.keyboard.press('Escape');
    assert.equal(await panel(v).isVisible(), false);
    assert.equal(await toggle(v).getAttribute('aria-expanded'), 'false');
    assert.equal(await v.focusedName(), 'History');
    assert.equal(await v.page.getByRole('log').isVisible(), true);
  }));

  it('switches with a click or from the keyboard, then closes and focuses the composer', env.run(async (v) => {
    await v.snapshot(chain(1));
    await openHistory(v);
    await opener(v, 'Why is the LRU cache slow?').click();
    assert.deepEqual(await v.waitPosted('switchConversation'), { type: 'switchConversation', conversationId: 'c2' });
    assert.equal(await panel(v).isVisible(), false);
    assert.equal(await v.focusedName(), 'Message');

    // Arrow keys, Home and End move between chats; Enter switches.
    await openHistory(v);
    await v.page.keyboard.press('ArrowDown');
    assert.match(await v.focusedName(), /^Why is the LRU/);
    await v.page.keyboard.press('End');
    assert.match(await v.focusedName(), /^Fork of/);
    await v.page.keyboard.press('ArrowDown');
    assert.match(await v.focusedName(), /^Fork of/, 'stays at the end');
    await v.page.keyboard.press('Home');
    await v.page.keyboard.press('ArrowDown');
    await v.page.keyboard.press('ArrowDown');
    await v.page.keyboard.press('ArrowUp');
    await v.page.keyboard.press('Enter');
    assert.deepEqual((await v.postedOf('switchConversation')).pop(), { type: 'switchConversation', conversationId: 'c2' });

    // Picking the chat that is already active only closes the list.
    await openHistory(v);
    await opener(v, 'Explain the parser').click();
    assert.equal((await v.postedOf('switchConversation')).length, 0);
    assert.equal(await panel(v).isVisible(), false);

    // New Chat from the list.
    await openHistory(v);
    await panel(v).getByRole('button', { name: 'New Chat' }).click();
    assert.deepEqual(await v.waitPosted('newChat'), { type: 'newChat' });
    assert.equal(await panel(v).isVisible(), false);
  }));

  it('renames in place: Enter or leaving the box saves, Escape cancels, F2 starts it from the keyboard', env.run(async (v) => {
    await v.snapshot(chain(1));
    await openHistory(v);
    await item(v, 'Why is the LRU cache slow?').getByRole('button', { name: 'Rename' }).click();
    const box = panel(v).getByRole('textbox', { name: 'Chat title' });
    assert.equal(await box.inputValue(), 'Why is the LRU cache slow?');
    assert.equal(await v.focusedName(), 'Chat title');
    assert.equal(await box.getAttribute('maxlength'), '200');
    await box.fill('LRU cache   performance ');
    await v.page.keyboard.press('Enter');
    assert.deepEqual(await v.waitPosted('renameConversation'), { type: 'renameConversation', conversationId: 'c2', title: 'LRU cache performance' });
    assert.equal(await box.count(), 0);
    assert.match(await v.focusedName(), /^LRU cache performance/, 'the new title shows at once, and keeps the keyboard');

    // F2 on a chat, then Escape: nothing is sent, the keyboard stays on the chat.
    await v.clearPosted();
    await v.page.keyboard.press('ArrowDown');
    await v.page.keyboard.press('F2');
    await box.fill('Never mind');
    await v.page.keyboard.press('Escape');
    assert.equal(await box.count(), 0);
    assert.equal(await panel(v).isVisible(), true, 'Escape in the box does not close the list');
    assert.match(await v.focusedName(), /^Fork of Explain the parser/);
    // An empty or unchanged title sends nothing.
    await v.page.keyboard.press('F2');
    await box.fill('   ');
    await v.page.keyboard.press('Enter');
    await v.page.keyboard.press('F2');
    await v.page.keyboard.press('Enter');
    assert.equal((await v.postedOf('renameConversation')).length, 0);
    // Leaving the box (a click elsewhere) saves.
    await item(v, 'Explain the parser').getByRole('button', { name: 'Rename' }).click();
    await box.fill('Parser notes');
    await v.page.getByRole('textbox', { name: 'Message' }).click();
    assert.deepEqual(await v.waitPosted('renameConversation'), { type: 'renameConversation', conversationId: CONV, title: 'Parser notes' });

    // The host's list has the last word, and renames the active chat's title in the header too.
    const renamed = chats().map((c) => (c.id === CONV ? { ...c, title: 'Parser notes (final)' } : c));
    await v.send(historyMsg(renamed));
    assert.equal(await v.page.locator('.conv-title').textContent(), 'Parser notes (final)');
    assert.equal(await items(v).first().locator('.history-title').textContent(), 'Parser notes (final)');
    // A list where another chat is active leaves the header alone.
    await v.send(historyMsg(renamed.map((c) => ({ ...c, title: 'Other' })), 'c2'));
    assert.equal(await v.page.locator('.conv-title').textContent(), 'Parser notes (final)');
  }));

  it('asks the host to export, copy or move one chat, and changes nothing itself', env.run(async (v) => {
    await v.snapshot(chain(1));
    await openHistory(v);
    const row = item(v, 'Why is the LRU cache slow?');
    for (const [label, action] of [['Export as JSON…', 'export'], ['Copy to Workspace…', 'copy'], ['Move to Workspace…', 'move']] as const) {
      await v.clearPosted();
      await row.getByRole('button', { name: label }).click();
      assert.deepEqual(await v.waitPosted('chatAction'), { type: 'chatAction', action, conversationId: 'c2' });
    }
    assert.equal(await items(v).count(), 3, 'a move shows once the host sends the new list');
  }));

  it('deletes through the host, which confirms; the list that comes back keeps the keyboard in place', env.run(async (v) => {
    await v.snapshot(chain(1));
    await openHistory(v);
    await item(v, 'Why is the LRU cache slow?').getByRole('button', { name: 'Delete' }).click();
    assert.deepEqual(await v.waitPosted('deleteConversation'), { type: 'deleteConversation', conversationId: 'c2' });
    assert.equal(await items(v).count(), 3, 'nothing goes until the host says so (after its confirmation dialog)');
    // The host's modal dialog takes the focus away (the webview's document is left with <body> focused).
    await v.page.evaluate(() => (document.activeElement as HTMLElement).blur());
    const [a, , c] = chats();
    await v.send(historyMsg([a!, c!]));
    assert.equal(await items(v).count(), 2);
    assert.match(await v.focusedName(), /^Fork of Explain the parser/, 'the keyboard moves to the chat now in its place');
    // The Delete key, on the last chat.
    await v.clearPosted();
    await v.page.keyboard.press('Delete');
    assert.deepEqual(await v.waitPosted('deleteConversation'), { type: 'deleteConversation', conversationId: 'c3' });
    await v.send(historyMsg([a!]));
    assert.match(await v.focusedName(), /^Explain the parser/);
    // The host declined (the user cancelled): the same list again, the keyboard where it was.
    await v.page.keyboard.press('Tab');
    await v.send(historyMsg([a!]));
    assert.equal(await v.focusedName(), 'Rename');
    await v.send(historyMsg([], null));
    assert.equal(await panel(v).getByRole('status').textContent(), 'No chats in this workspace yet.');
    assert.equal(await v.focusedName(), 'New Chat');
  }));

  it('lists at most what the host sent, with "Show all" for the rest; titles are text', env.run(async (v) => {
    await v.snapshot(chain(1));
    const evil = '<img src=x onerror=alert(1)> **bold**';
    await openHistory(v, [...chats(), { id: 'c4', title: evil, createdAt: 0, updatedAt: new Date(2023, 0, 5).getTime() }]);
    assert.equal(await item(v, evil).locator('.history-title').textContent(), evil);
    assert.equal(await panel(v).locator('img').count(), 0);
    assert.match((await item(v, evil).locator('.history-meta').textContent()) ?? '', /2023/);
    assert.equal(await panel(v).getByRole('button', { name: /Show all/ }).isVisible(), false);
    await v.send(historyMsg(chats(), CONV, 250));
    await panel(v).getByRole('button', { name: 'Show all 250 chats…' }).click();
    assert.deepEqual(await v.waitPosted('showHistory'), { type: 'showHistory' });
  }));

  it('closes when a turn starts, and brings the transcript back where it was', env.run({ height: 420 }, async (v) => {
    const turns = chain(12);
    await v.snapshot(turns);
    const scroller = v.page.locator('.scroller');
    await scroller.evaluate((s) => (s.scrollTop = 200));
    await openHistory(v);
    await toggle(v).click();
    assert.equal(await scroller.evaluate((s) => s.scrollTop), 200, 'the reading position survives the list');
    await openHistory(v);
    const next = { ...turns[11]!, id: 'live', parentId: turns[11]!.id, status: 'streaming' as const, answer: '' };
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: next });
    assert.equal(await panel(v).isVisible(), false);
    assert.equal(await v.page.getByRole('article', { name: 'Assistant, streaming' }).isVisible(), true);
  }));

  it('offers Copy as Markdown next to the title, and History in the empty state', env.run(async (v) => {
    await v.snapshot([], { title: 'New chat' });
    const copy = v.page.getByRole('button', { name: 'Copy as Markdown' });
    assert.equal(await copy.isVisible(), false, 'nothing to copy in an empty chat');
    assert.equal(await v.page.locator('.conv-title').textContent(), 'New chat');
    await v.page.getByRole('button', { name: 'Show Chat History' }).click();
    await v.waitPosted('requestHistory');
    assert.equal(await panel(v).isVisible(), true);
    await v.page.keyboard.press('Escape');

    await v.snapshot(chain(1), { title: 'Explain the parser' });
    assert.equal(await v.page.locator('.conv-title').textContent(), 'Explain the parser');
    await copy.click();
    assert.deepEqual(await v.waitPosted('copyAsMarkdown'), { type: 'copyAsMarkdown' });
    assert.equal(await v.page.locator('.conv-header [role=status]').textContent(), 'Copied the chat as Markdown.');
  }));

  it('renders the history for people to look at', env.run({ height: 520 }, async (v) => {
    await v.snapshot(chain(2));
    await openHistory(v);
    await item(v, 'Why is the LRU cache slow?').hover();
    const dir = process.env.WEBVIEW_SHOTS ?? '/tmp/wv-shots';
    fs.mkdirSync(dir, { recursive: true });
    await v.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await v.page.screenshot({ path: path.join(dir, 'history-dark.png') });
  }));
});
