// The reasoning effort of each conversation, in the real extension host: "Select Reasoning Effort" sets it
// for the active chat and it goes on the wire as `reasoning.effort`; a switch to a model that does not take
// it sends the nearest level it takes, and the turn's details say so; another chat keeps its own.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ThreadlineApi } from '../../src/host/api';
import type { FakeServer } from '../support/fakeResponsesServer';
import { askOk, closeAllEditors, createRequests, newChat, setUserSetting, startAndUseFake, threadline } from './helpers';

const selectEffort = (level: unknown) => vscode.commands.executeCommand<string | undefined>('threadline.selectReasoningEffort', { level });
const selectModel = (model: string) => vscode.commands.executeCommand<string | undefined>('threadline.selectModel', { model });

describe('reasoning effort: per conversation, only what the model takes', function () {
  this.timeout(60_000);
  let fake: FakeServer;
  let api: ThreadlineApi;

  before(async () => {
    await closeAllEditors();
    api = await threadline();
    fake = await startAndUseFake();
  });
  after(async () => {
    await setUserSetting('reasoningEffort', undefined);
    await fake?.close();
  });
  beforeEach(async () => {
    await setUserSetting('reasoningEffort', undefined);
    await newChat();
    fake.reset();
  });

  const efforts = () => createRequests(fake).map((r) => r.body.reasoning?.effort);

  it('a level set for the chat goes on the wire; after a switch to a model that does not take it, the nearest is sent and the details say so', async () => {
    assert.strictEqual(await selectModel('gpt-5-mini'), 'gpt-5-mini');
    assert.strictEqual(api.reasoningEffort(), 'default', 'a new chat starts from the setting');
    assert.strictEqual(await selectEffort('minimal'), 'minimal');
    const first = await askOk('Think a little');
    assert.strictEqual(await selectModel('gpt-5.1'), 'gpt-5.1');
    await askOk('And now?');
    const [a, b] = createRequests(fake);
    assert.deepStrictEqual(a.body.reasoning, { effort: 'minimal', summary: 'auto' });
    assert.strictEqual(b.body.reasoning.effort, 'none', 'gpt-5.1 takes no minimal: the nearest level, the lower on a tie');
    assert.strictEqual(b.body.previous_response_id, first.responseId, 'the chain is kept');
    const turns = (await api.activeConversation())!.turns;
    assert.strictEqual(turns[0].notes, undefined);
    assert.deepStrictEqual(turns[1].notes, ['Effort minimal is not offered by gpt-5.1; sent none.']);
    assert.strictEqual(api.reasoningEffort(), 'minimal', 'the choice survives the switch');
  });

  it('a second conversation keeps its own effort; Default follows the setting again', async () => {
    await selectModel('gpt-5.1');
    await selectEffort('high');
    const one = await askOk('First chat');
    await newChat();
    assert.strictEqual(api.reasoningEffort(), 'default', 'a new chat starts from the setting, not the last chat\'s pick');
    await selectModel('gpt-5.1');
    await selectEffort('low');
    await askOk('Second chat');
    assert.ok(await api.switchTo(one.conversationId));
    assert.strictEqual(api.reasoningEffort(), 'high');
    await askOk('First chat again');
    await setUserSetting('reasoningEffort', 'medium');
    assert.strictEqual(await api.setReasoningEffort('default'), 'medium');
    await askOk('Following the setting');
    assert.deepStrictEqual(efforts(), ['high', 'low', 'high', 'medium']);
  });

  it('refuses what is not an effort, and changes nothing', async () => {
    await selectModel('gpt-5.1');
    await selectEffort('high');
    assert.strictEqual(await selectEffort('ultra'), undefined);
    assert.strictEqual(await selectEffort({ level: 'high' }), undefined);
    assert.strictEqual(api.reasoningEffort(), 'high');
    await askOk('Still high?');
    assert.deepStrictEqual(efforts(), ['high']);
  });
});
