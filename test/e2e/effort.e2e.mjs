// The reasoning-effort control through the real VS Code UI: the composer's "Effort: <level>" button opens the
// workbench quick pick of Default and the levels the model takes (screenshot for the README), and the level
// picked goes on the wire as `reasoning.effort`.
import assert from 'node:assert/strict';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;
const SHOTS = process.env.THREADLINE_SHOTS;

describe('e2e: reasoning effort, in the real VS Code', function () {
  this.timeout(120_000);
  const s = useSession({ vsix: VSIX, shots: SHOTS, theme: 'Default Dark Modern' });
  let chat;
  const quickPick = () => s.page.locator('.quick-input-widget');
  const rows = () => quickPick().locator('.quick-input-list .monaco-list-row');
  const row = (label) => rows().filter({ hasText: label }).first();

  before(async () => {
    chat = await s.openChat();
    await s.widenSidebar(520);
  });

  it('the Effort button offers Default and exactly the levels gpt-5.1 takes; the level picked is sent', async () => {
    await s.webview.getByRole('button', { name: 'Model: gpt-5.1' }).waitFor();
    await s.webview.getByRole('button', { name: 'Effort: default' }).click();
    await row('Default').waitFor({ timeout: 20_000 });
    const texts = (await rows().allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(texts.map((t) => t.replace(/\s*current$/, '')), ["Default (the model's own)", 'none', 'low', 'medium', 'high']);
    assert.deepEqual(texts.map((t) => t.endsWith('current')), [true, false, false, false, false], 'the current one marked');
    await s.shot('effort-picker.png');
    await row('high').click();
    await s.webview.getByRole('button', { name: 'Effort: high' }).waitFor();

    await chat.fill('Think hard about this one');
    await s.webview.getByRole('button', { name: 'Send' }).click();
    await s.webview.getByRole('article', { name: /^Assistant/ }).first().waitFor();
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });
    const [post] = await s.fake.posts();
    assert.equal(post.model, 'gpt-5.1');
    assert.equal(post.reasoning.effort, 'high');
  });
});
