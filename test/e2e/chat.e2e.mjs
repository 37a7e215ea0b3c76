// End to end through the real VS Code UI (code-server + headless Chromium), with Threadline installed
// from the built .vsix and the fake Responses server behind it. The tests run in order, as one user's
// session: each builds on the conversation the previous one left.
import assert from 'node:assert/strict';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;
const SHOTS = process.env.THREADLINE_SHOTS;
const SIDEBAR_WIDTH = 520;

describe('e2e: the chat view in the real VS Code', function () {
  this.timeout(120_000);
  const s = useSession({ vsix: VSIX, shots: SHOTS, theme: 'Default Dark Modern' });
  let chat;
  const assistant = () => s.webview.getByRole('article', { name: /^Assistant/ });
  const user = () => s.webview.getByRole('article', { name: /^You/ });
  const send = async (text) => {
    await chat.fill(text);
    await s.webview.getByRole('button', { name: 'Send' }).click();
  };
  const settled = async (n) => {
    await assistant().nth(n - 1).waitFor();
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });
  };


  it('opens the view with an empty state, then streams an answer in', async () => {
    chat = await s.openChat();
    await s.widenSidebar(SIDEBAR_WIDTH); // wide enough for code blocks in the README's screenshots
    await s.webview.getByText(/Ask Follow-up About Selection/).first().waitFor();
    await s.shot('01-empty-state-dark.png');
    await s.fake.control('options', { interDeltaDelayMs: 25 });
    await send('How does an LRU cache decide what to evict?');
    const stop = s.webview.getByRole('button', { name: 'Stop' });
    await stop.waitFor({ state: 'visible' });
    assert.equal(await stop.isEnabled(), true, 'Stop is enabled while the answer streams');
    const first = assistant().first();
    await first.waitFor();
    // Seen part-way: the text grows while the stream runs.
    await s.webview.getByText(/^echo#1: How/).first().waitFor();
    const partial = (await first.innerText()).length;
    await settled(1);
    assert.ok((await first.innerText()).length > partial, 'more text arrived after the first look');
    assert.match(await first.innerText(), /echo#1: How does an LRU cache decide what to evict\?/);
    assert.equal(await chat.inputValue(), '', 'the composer is cleared once the turn started');
    await s.fake.control('options', { interDeltaDelayMs: 8 });
  });

  it('chains the second turn on the server', async () => {
    await s.fake.control('script', [{ text: 'Move the entry to the end on every read:\n\n```ts\nconst value = this.entries.get(key);\nthis.entries.delete(key);\nthis.entries.set(key, value);\n```\n\nA `Map` iterates in insertion order, so the **first** key is the least recently used.' }]);
    await send('Show me how get() keeps the order');
    await settled(2);
    const posts = await s.fake.posts();
    const [, second] = posts;
    assert.ok(second.previous_response_id, 'the second request carries previous_response_id');
    assert.deepEqual(second.input, [{ role: 'user', content: 'Show me how get() keeps the order' }], 'only the new turn is sent');
    const streams = await s.fake.streams();
    assert.equal(second.previous_response_id, streams[0].responseId);
    await s.webview.locator('pre code .hljs-keyword, pre code [class*="hljs-"]').first().waitFor();
    await s.webview.getByText(/chained/).first().waitFor();
    await s.shot('02-chained-conversation-dark.png');
  });

  it('stops mid-stream, keeps the partial answer, and marks it not in the model\'s context', async () => {
    await s.fake.control('options', { interDeltaDelayMs: 120 });
    await send('Explain every line of the cache in great detail, please, slowly');
    const live = assistant().nth(2);
    await live.getByText(/echo#3/).waitFor();
    await s.webview.getByRole('button', { name: 'Stop' }).click();
    await s.webview.getByText(/not in the model's context/i).first().waitFor();
    const kept = await live.innerText();
    assert.match(kept, /echo#3/, 'the partial text stays');
    await live.getByRole('button', { name: 'Retry' }).waitFor();
    await s.fake.control('options', { interDeltaDelayMs: 8 });
    await send('After the stop');
    await settled(4);
    const posts = await s.fake.posts();
    const streams = await s.fake.streams();
    assert.equal(posts.at(-1).previous_response_id, streams[1].responseId, 'the next turn chains from the last completed response');
    assert.match(await assistant().nth(3).innerText(), /echo#3: After the stop/, 'the stopped exchange is not in the server context');
  });

  it('asks about a selection from the editor context menu', async () => {
    const page = s.page;
    const lines = await s.selectLines('cache.ts', 7, 13); // the get method
    await lines.click({ button: 'right', position: { x: 120, y: 130 } });
    const item = page.locator('.context-view .action-label', { hasText: 'Ask Follow-up About Selection' }).first();
    await item.waitFor({ timeout: 15_000 });
    await s.shot('03-context-menu.png');
    await item.click();
    const box = page.locator('.quick-input-widget input');
    await box.waitFor();
    await box.fill('Is this get() O(1)?');
    await s.shot('04-selection-question.png');
    await page.keyboard.press('Enter');
    await settled(5);
    const body = (await s.fake.posts()).at(-1);
    const content = body.input[0].content;
    assert.ok(content.startsWith('Is this get() O(1)?\n\nsrc/cache.ts:L7-L13\n```typescript\n  get(key: K): V | undefined {\n'), content);
    assert.ok(body.previous_response_id, 'the selection turn chains too');
    await s.webview.getByText('src/cache.ts:L7-L13').first().waitFor();
    await s.shot('05-selection-answer-dark.png');
  });

  it('shows an error inline with its action, and keeps the question', async () => {
    await s.fake.control('fault', { status: 401 });
    await send('This one fails');
    await s.webview.getByRole('button', { name: 'Set API Key' }).first().waitFor();
    await s.webview.getByText(/rejected/i).first().waitFor();
    assert.match(await user().last().innerText(), /This one fails/, 'the question stays in the transcript');
    await s.shot('06-error-state-dark.png');
  });

  it('edits a question into a branch, switches branches, and forks', async () => {
    const lastUser = user().last();
    await lastUser.getByRole('button', { name: 'Edit' }).click();
    const edit = s.webview.getByRole('textbox', { name: 'Edit message' });
    await edit.fill('This one works');
    await s.webview.getByRole('button', { name: 'Save and send' }).click();
    await s.webview.getByText(/echo#\d+: This one works/).first().waitFor();
    await s.webview.getByText('2/2').first().waitFor();
    const posts = await s.fake.posts();
    const edited = posts.at(-1);
    const failedTurnParent = posts.at(-2).previous_response_id;
    assert.equal(edited.previous_response_id, failedTurnParent, 'the edit chains from the same parent response');
    await s.shot('07-branch-switcher-dark.png');
    await s.webview.getByRole('button', { name: 'Previous branch' }).click();
    await s.webview.getByText('1/2').first().waitFor();
    await s.webview.getByRole('button', { name: 'Next branch' }).click();
    await s.webview.getByText('2/2').first().waitFor();
    const streams = await s.fake.streams();
    const editedId = streams.at(-1).responseId;
    await assistant().last().getByRole('button', { name: 'Fork from here' }).click();
    await s.webview.getByText(/Fork of/).first().waitFor();
    await send('Continue in the fork');
    await s.webview.getByText(/Continue in the fork/).nth(1).waitFor();
    assert.equal((await s.fake.posts()).at(-1).previous_response_id, editedId, 'the fork chains from the forked turn, with no replay');
  });

  it('New Chat starts a fresh chain', async () => {
    await s.runCommand('Threadline: New Chat');
    await s.webview.getByText(/Ask Follow-up About Selection/).first().waitFor();
    await send('A fresh start');
    await settled(1);
    assert.equal((await s.fake.posts()).at(-1).previous_response_id, undefined);
    assert.match(await assistant().first().innerText(), /echo#1: A fresh start/);
  });

  it('switches, renames and deletes chats from the history in the view', async () => {
    const original = 'How does an LRU cache decide what to evict?';
    const fork = `Fork of ${original}`;
    const toggle = s.webview.getByRole('button', { name: 'History', exact: true });
    const panel = s.webview.getByRole('region', { name: 'Chat history' });
    const items = panel.getByRole('listitem');
    const titles = () => items.locator('.history-title').allTextContents();
    const header = s.webview.locator('.conv-title');
    const requestsBefore = (await s.fake.posts()).length;

    await toggle.click();
    await panel.waitFor();
    await items.nth(2).waitFor();
    assert.deepEqual(await titles(), ['A fresh start', fork, original], 'most recently used first');
    assert.equal(await items.first().getByRole('button', { name: /^A fresh start/ }).getAttribute('aria-current'), 'true');
    assert.match(await items.first().innerText(), /Active · (now|\d+ min\. ago)/);
    await items.nth(1).hover();
    await s.shot('09-history-dark.png');

    // A click switches: the view shows that chat, with its title in the header.
    await items.nth(2).getByRole('button', { name: new RegExp(`^${original.replace(/\?/g, '\\?')}`) }).click();
    await panel.waitFor({ state: 'hidden' });
    await s.webview.getByText(/echo#1: How does an LRU cache/).first().waitFor();
    assert.equal(await header.textContent(), original);

    // F2 renames the active chat in place; the header follows.
    await toggle.click();
    await items.nth(2).waitFor();
    await s.page.keyboard.press('F2');
    const box = panel.getByRole('textbox', { name: 'Chat title' });
    await box.waitFor();
    await box.fill('LRU cache: eviction and get()');
    await s.page.keyboard.press('Enter');
    await s.webview.locator('.conv-title', { hasText: 'LRU cache: eviction and get()' }).waitFor();
    assert.deepEqual(await titles(), ['A fresh start', fork, 'LRU cache: eviction and get()']);

    // Delete asks in a modal dialog first; the fork's own response goes on the server, not the shared ones.
    const streams = await s.fake.streams();
    const forkAnswer = streams.find((x) => /Continue in the fork/.test(x.text)).responseId;
    await items.nth(1).getByRole('button', { name: 'Delete' }).click();
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Delete the chat "Fork of How does an LRU cache/);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await s.webview.getByRole('listitem').nth(1).locator('.history-title', { hasText: 'LRU cache: eviction' }).waitFor();
    assert.deepEqual(await titles(), ['A fresh start', 'LRU cache: eviction and get()']);
    const deletes = (await s.fake.control('requests')).filter((r) => r.method === 'DELETE').map((r) => r.path);
    assert.deepEqual(deletes, [`/v1/responses/${forkAnswer}`]);

    // Back to "A fresh start" from the keyboard: Home, Enter.
    // The dialog took the focus away; it comes back to the chat now in the deleted one's place.
    const focused = await s.webview.locator('body').evaluate((body) => body.ownerDocument.activeElement?.textContent ?? '');
    assert.match(focused, /LRU cache: eviction/, 'the keyboard moved to the chat now in the deleted one\'s place');
    await s.page.keyboard.press('Home');
    await s.page.keyboard.press('Enter');
    await panel.waitFor({ state: 'hidden' });
    await s.webview.getByText(/echo#1: A fresh start/).first().waitFor();
    assert.equal(await header.textContent(), 'A fresh start');
    assert.equal((await s.fake.posts()).length, requestsBefore, 'switching and renaming send nothing to the model');
  });

  it('reloads the window: the transcript is back and the next turn chains', async () => {
    const before = await s.fake.streams();
    await s.page.reload();
    await s.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    chat = await s.openChat();
    await s.webview.getByText(/echo#1: A fresh start/).first().waitFor({ timeout: 30_000 });
    await send('Still there?');
    await s.webview.getByText(/echo#2: Still there\?/).first().waitFor({ timeout: 30_000 });
    assert.equal((await s.fake.posts()).at(-1).previous_response_id, before.at(-1).responseId);
  });

  it('made no network request from the webview and hit no CSP violation', () => {
    const foreign = s.webviewRequests.filter((u) => !/\/(dist\/webview|webview\/browser\/pre)\/|^data:|^blob:/.test(u) && !/threadline/.test(u));
    assert.deepEqual(foreign, [], `unexpected webview requests:\n${foreign.join('\n')}`);
    assert.deepEqual(s.cspViolations, []);
  });
});

describe('e2e: light theme', function () {
  this.timeout(120_000);
  const s = useSession({ vsix: VSIX, shots: SHOTS, theme: 'Default Light Modern' });

  it('renders a chained conversation with highlighted code in the light theme', async () => {
    const chat = await s.openChat();
    await s.widenSidebar(SIDEBAR_WIDTH);
    const sendAndWait = async (text, n) => {
      await chat.fill(text);
      await s.webview.getByRole('button', { name: 'Send' }).click();
      await s.webview.getByRole('article', { name: /^Assistant/ }).nth(n - 1).waitFor();
      await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });
    };
    await sendAndWait('How does an LRU cache decide what to evict?', 1);
    await s.fake.control('script', [{ text: 'Evict the **least recently used** key. With a `Map`, that is the first one:\n\n```ts\nconst oldest = this.entries.keys().next().value as K;\nthis.entries.delete(oldest);\n```' }]);
    await sendAndWait('Which line evicts?', 2);
    assert.ok((await s.fake.posts())[1].previous_response_id);
    // The highlighting chunk loads on the first code block; the shot shows the code highlighted.
    await s.webview.locator('pre code .hljs-keyword').first().waitFor();
    await s.shot('08-chained-conversation-light.png');
  });
});
