// Attaching a file with "Add context" in the real VS Code UI: the composer's button opens the quick pick of
// the kinds and the workspace's files, picking a file adds its chip, and Send carries the whole file under
// its header to the (fake) endpoint.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;
const SHOTS = process.env.THREADLINE_SHOTS;

describe('e2e: Add context', function () {
  this.timeout(120_000);
  const s = useSession({ vsix: VSIX, shots: SHOTS, theme: 'Default Dark Modern' });


  it('attaches a workspace file picked from the Add context quick pick, and sends it whole', async () => {
    const chat = await s.openChat();
    await s.widenSidebar(520);
    await chat.fill('What does this cache evict first?');
    await s.webview.getByRole('button', { name: 'Add context' }).click();

    const pick = s.page.locator('.quick-input-widget');
    await pick.getByText('Uncommitted Changes').waitFor();
    const row = pick.locator('.quick-input-list .monaco-list-row', { hasText: 'cache.ts' }).first();
    await row.waitFor(); // the workspace's files, listed after the kinds
    await s.shot('add-context.png');
    await pick.locator('input').first().fill('cache');
    await row.waitFor();
    await s.page.keyboard.press('Enter');

    const chip = s.webview.locator('.composer-chips .chip-label', { hasText: 'src/cache.ts:L1-L' });
    await chip.waitFor();
    assert.equal(await chat.inputValue(), 'What does this cache evict first?', 'the typed question stays');
    await s.webview.getByRole('button', { name: 'Send' }).click();
    await s.webview.getByRole('article', { name: /^Assistant/ }).first().getByText(/^echo#1/).first().waitFor({ timeout: 30_000 });
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });

    const [post] = await s.fake.posts();
    const message = post.input.at(-1).content;
    const text = fs.readFileSync(path.join(s.workspace, 'src/cache.ts'), 'utf8');
    assert.ok(message.startsWith('What does this cache evict first?'), message);
    assert.ok(message.includes(`src/cache.ts:L1-L${text.split('\n').length - (text.endsWith('\n') ? 1 : 0)} (whole file)\n\`\`\`typescript\n${text}`), message);
  });
});
