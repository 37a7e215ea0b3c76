// The model picker and Regenerate through the real VS Code UI: the composer's "Model: <id>" button opens
// the workbench quick pick (screenshot for the README), a pick switches the model mid-chain, and
// Regenerate → "Choose model…" asks the same question of another model as a sibling branch.
import assert from 'node:assert/strict';
import { useSession } from './session.mjs';

const VSIX = process.env.THREADLINE_VSIX;
const SHOTS = process.env.THREADLINE_SHOTS;

describe('e2e: models, in the real VS Code', function () {
  this.timeout(120_000);
  const s = useSession({ vsix: VSIX, shots: SHOTS, theme: 'Default Dark Modern' });
  let chat;
  const assistant = () => s.webview.getByRole('article', { name: /^Assistant/ });
  const quickPick = () => s.page.locator('.quick-input-widget');
  const row = (label) => quickPick().locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  const settled = async (n) => {
    await assistant().nth(n - 1).waitFor();
    await s.webview.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 30_000 });
  };
  const send = async (text, n) => {
    await chat.fill(text);
    await s.webview.getByRole('button', { name: 'Send' }).click();
    await settled(n);
  };

  before(async () => {
    chat = await s.openChat();
    await s.widenSidebar(520);
  });

  it('the Model button opens the picker with the endpoint\'s models; a pick switches the model mid-chain', async () => {
    await send('Which model answers this?', 1);
    await s.webview.getByRole('button', { name: 'Model: gpt-5.1' }).click();
    await row('gpt-5-mini').waitFor({ timeout: 20_000 });
    assert.match(await row('gpt-5.1').innerText(), /current/);
    assert.match(await row('gpt-5-mini').innerText(), /reasons: minimal\/low\/medium\/high/);
    await row('Enter a model id').waitFor();
    await s.shot('model-picker.png');
    await quickPick().locator('input').fill('gpt-5-mini');
    await row('gpt-5-mini').click();
    await s.webview.getByRole('button', { name: 'Model: gpt-5-mini' }).waitFor();

    await send('And which one answers now?', 2);
    const [first, second] = await s.fake.posts();
    assert.equal(first.model, 'gpt-5.1');
    assert.equal(second.model, 'gpt-5-mini');
    const streams = await s.fake.streams();
    assert.equal(second.previous_response_id, streams[0].responseId, 'the switch keeps the chain');
    await assistant().nth(1).getByText(/gpt-5-mini/).first().waitFor();
  });

  it('Regenerate → Choose model… answers the same question again as a sibling branch, and the switcher moves between them', async () => {
    const answer = assistant().nth(1);
    await answer.getByRole('button', { name: 'Regenerate', exact: true }).click();
    await answer.getByRole('menuitem', { name: 'Choose model…' }).click();
    await quickPick().locator('input').fill('gpt-4.1');
    await row('gpt-4.1').click();
    await s.webview.getByText('2/2').waitFor({ timeout: 30_000 });
    await settled(2);
    const posts = await s.fake.posts();
    const [, asked, again] = posts;
    const streams = await s.fake.streams();
    assert.equal(again.model, 'gpt-4.1');
    assert.equal(again.previous_response_id, streams[0].responseId, 'chained from the same parent');
    assert.deepEqual(again.input, asked.input, 'the same question, without the history');
    await assistant().nth(1).getByText(/gpt-4\.1/).first().waitFor();
    await s.webview.getByRole('button', { name: 'Model: gpt-4.1' }).waitFor();

    await s.webview.getByRole('button', { name: 'Previous branch' }).click();
    await s.webview.getByText('1/2').waitFor();
    await assistant().nth(1).getByText(/gpt-5-mini/).first().waitFor();

    await assistant().nth(1).getByRole('button', { name: 'Regenerate', exact: true }).click();
    await assistant().nth(1).getByRole('menuitem', { name: 'Same model' }).click();
    await s.webview.getByText('3/3').waitFor({ timeout: 30_000 });
    await settled(2);
    assert.equal((await s.fake.posts()).at(-1).model, 'gpt-4.1', 'Same model: the conversation\'s model');
  });

  it('a list that does not come never blocks: while it loads, a typed id is taken at once', async () => {
    await s.fake.control('options', { modelsEndpoint: 'hang' });
    await s.webview.getByRole('button', { name: 'Model: gpt-4.1' }).click();
    await quickPick().getByRole('button', { name: 'Refresh the list of models' }).click();
    await row('Loading models').waitFor();
    await quickPick().locator('input').fill('my-local-model');
    await s.page.keyboard.press('Enter');
    await s.webview.getByRole('button', { name: 'Model: my-local-model' }).waitFor({ timeout: 5000 });
    await s.fake.control('options', { modelsEndpoint: 'list' });
    await send('Typed while the list was loading', 3);
    assert.equal((await s.fake.posts()).at(-1).model, 'my-local-model');
  });
});
