// "Bring over" in the real UI: a chat asked in one folder is offered, with a notification, in another
// folder of the same name (the same project reached another way: nothing says so but the name), and
// nothing moves until the user clicks the button; then the chat is there, and continues.
import assert from 'node:assert/strict';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;

describe('e2e: bring over chats from a workspace that looks like the same project', function () {
  this.timeout(180_000);
  const s = useSession({ vsix: VSIX, shots: process.env.THREADLINE_SHOTS, theme: 'Default Dark Modern' });

  it('offers the other folder\'s chat, moves nothing before the yes, then brings it over', async () => {
    const chat = await s.openChat();
    await chat.fill('Where does the cache keep its entries?');
    await s.webview.getByRole('button', { name: 'Send' }).click();
    await s.webview.getByText(/^echo#1: Where does the cache/).first().waitFor({ timeout: 30_000 });
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });

    // The same folder name at another path: another key, the same project by its name.
    await s.openFolder('moved/workspace');
    const again = await s.openChat(); // Threadline starts with its view
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'Bring over 1 chat from' });
    await toast.waitFor({ timeout: 60_000 });
    await s.shot('20-bring-over.png');
    assert.equal(await s.webview.getByText(/Where does the cache keep its entries\?/).count(), 0, 'nothing moved before the yes');

    await toast.getByRole('button', { name: 'Bring Over 1 Chat' }).click();
    await s.webview.getByText(/Where does the cache keep its entries\?/).first().waitFor({ timeout: 30_000 });
    await s.page.locator('.notifications-toasts', { hasText: 'brought over 1 new chat' }).waitFor({ timeout: 15_000 });

    await again.fill('And when is one evicted?');
    await s.webview.getByRole('button', { name: 'Send' }).click();
    await s.webview.getByText(/^echo#\d+: And when is one evicted\?/).first().waitFor({ timeout: 30_000 });
    const last = (await s.fake.posts()).at(-1);
    assert.ok(last.previous_response_id, 'the brought-over chat continues its chain: same endpoint, same account');
  });
});
