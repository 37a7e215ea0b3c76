// Apply in the real VS Code UI: a selection goes into the message box with "Add Selection to Chat", the
// answer's code block gets Apply, the diff editor shows the file against the proposal, and "Accept
// Proposed Change" in its title bar edits the document (one undo step, unsaved), leaving the file on disk
// as it was.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;
const SHOTS = process.env.THREADLINE_SHOTS;

/** The get() of test/fixtures/e2e-workspace/src/cache.ts, rewritten: what the answer proposes. */
const PROPOSED = [
  '  get(key: K): V | undefined {',
  '    if (!this.entries.has(key)) return undefined;',
  '    const value = this.entries.get(key) as V; // proposed by the answer',
  '    this.entries.delete(key);',
  '    this.entries.set(key, value);',
  '    return value;',
  '  }',
].join('\n');

describe('e2e: Apply, with a review', function () {
  this.timeout(120_000);
  const s = useSession({ vsix: VSIX, shots: SHOTS, theme: 'Default Dark Modern', settings: { 'files.autoSave': 'off' } });


  it('applies an answer\'s code block to the attached selection through the diff editor, and Accept edits without saving', async () => {
    const page = s.page;
    const file = path.join(s.workspace, 'src/cache.ts');
    const onDisk = fs.readFileSync(file, 'utf8');
    await s.openChat();
    await s.widenSidebar(520);

    await s.selectLines('cache.ts', 7, 13); // the get method
    await s.runCommand('Threadline: Add Selection to Chat');

    await s.webview.locator('.composer-chips .chip-label', { hasText: 'src/cache.ts:L7-L13' }).waitFor();
    // The fake server echoes the question, so this code block comes back in the answer.
    await s.webview.getByRole('textbox', { name: 'Message' }).fill(`Make get() check first:\n\n\`\`\`typescript\n${PROPOSED}\n\`\`\``);
    await s.webview.getByRole('button', { name: 'Send' }).click();
    const answer = s.webview.getByRole('article', { name: /^Assistant/ }).last();
    await answer.getByText(/^echo#1/).first().waitFor({ timeout: 30_000 });
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });

    await answer.locator('.codeblock', { hasText: 'proposed by the answer' }).first().getByRole('button', { name: 'Apply' }).click();

    const tab = page.locator('.tabs-container .tab', { hasText: 'Threadline proposal' });
    await tab.waitFor({ timeout: 15_000 });
    assert.match(await tab.innerText(), /cache\.ts/);
    const accept = page.locator('.editor-actions .action-label[aria-label^="Accept Proposed Change"]').first();
    await accept.waitFor({ timeout: 15_000 });
    await s.shot('apply-review.png');
    await accept.click();
    await tab.waitFor({ state: 'detached', timeout: 15_000 });

    // The document has the proposal and is unsaved; the file on disk is as it was.
    const editorText = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editorText.getByText('proposed by the answer').waitFor({ timeout: 15_000 });
    await page.locator('.tabs-container .tab.dirty', { hasText: 'cache.ts' }).waitFor({ timeout: 15_000 });
    assert.equal(fs.readFileSync(file, 'utf8'), onDisk, 'nothing was saved behind the user\'s back');

    // One undo step restores the original text.
    await editorText.click();
    await page.keyboard.press('Control+Z');
    await editorText.getByText('proposed by the answer').waitFor({ state: 'detached', timeout: 15_000 });
    const foreign = s.webviewRequests.filter((u) => !/\/(dist\/webview|webview\/browser\/pre)\/|^data:|^blob:/.test(u) && !/threadline/.test(u));
    assert.deepEqual(foreign, [], `unexpected webview requests:\n${foreign.join('\n')}`);
    assert.deepEqual(s.cspViolations, []);
  });
});
