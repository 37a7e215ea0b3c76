// The model of each conversation, in the real extension host: "Select Model" mid-chain keeps the chain,
// Regenerate asks the same question of another model as a sibling branch chained from the same parent,
// an unknown model offers the picker and keeps the question, and the picker's list falls back to typing
// an id when GET /v1/models fails.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ThreadlineApi } from '../../src/host/api';
import type { FakeServer } from '../support/fakeResponsesServer';
import {
  MODEL, askOk, ask, closeAllEditors, closeExports, createRequests, exportedChat, newChat, startAndUseFake, threadline, writeReliability,
} from './helpers';

/** What the picker offered when `GET /v1/models` failed, for docs/reliability.md. */
const observed: Array<{ fault: string; injected: string; message: string; ms: number; offered: string[]; typedIdAnswered: boolean }> = [];

const selectModel = (model: string) => vscode.commands.executeCommand<string | undefined>('threadline.selectModel', { model });

describe('models: per conversation, switch mid-chain, regenerate, picker fallback', () => {
  let fake: FakeServer;
  let api: ThreadlineApi;
  before(async () => {
    await closeAllEditors(); // no selection may ride along
    fake = await startAndUseFake();
    api = await threadline();
  });
  after(async () => {
    writeReliability('models', observed);
    await closeExports();
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  it('a switch mid-chain: the next request carries the new model and the previous response id; details and export name each turn\'s model', async () => {
    assert.strictEqual(api.model(), MODEL, 'a new chat starts from threadline.model');
    const first = await askOk('Which model are you?');
    assert.strictEqual(await selectModel('gpt-5-mini'), 'gpt-5-mini');
    assert.strictEqual(api.model(), 'gpt-5-mini');
    const second = await askOk('And now?');
    const reqs = createRequests(fake);
    assert.strictEqual(reqs[0].body.model, MODEL);
    assert.strictEqual(reqs[1].body.model, 'gpt-5-mini');
    assert.strictEqual(reqs[1].body.previous_response_id, first.responseId, 'the switch keeps the chain');
    assert.strictEqual(second.text, 'echo#2: And now?', 'the new model saw the first turn through the chain');
    const conv = (await api.activeConversation())!;
    assert.deepStrictEqual(conv.turns.map((t) => t.model), [MODEL, 'gpt-5-mini']);
    const md = await exportedChat();
    assert.match(md, new RegExp(`## Assistant \\(${MODEL}, `));
    assert.match(md, /## Assistant \(gpt-5-mini, /);

    await newChat();
    assert.strictEqual(api.model(), MODEL, 'the choice stays with its conversation');
    assert.ok(await api.switchTo(conv.id));
    assert.strictEqual(api.model(), 'gpt-5-mini');
  });

  it('Regenerate: the request carries the parent\'s id and the same input, and the branches are navigable', async () => {
    const root = await askOk('Root question');
    const original = await askOk('Explain closures');
    const regenerated = await api.regenerate(original.turnId, 'gpt-4.1');
    assert.ok(regenerated);
    assert.strictEqual(regenerated.status, 'completed');
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 3);
    assert.strictEqual(reqs[2].body.previous_response_id, root.responseId, 'chained from the same parent');
    assert.deepStrictEqual(reqs[2].body.input, reqs[1].body.input, 'the same question, and no resend of the history');
    assert.strictEqual(reqs[2].body.model, 'gpt-4.1');

    let conv = (await api.activeConversation())!;
    assert.deepStrictEqual(conv.turns.map((t) => t.id), [root.turnId, regenerated.turnId], 'the active path follows the new answer');
    await api.switchBranch(regenerated.turnId, 'previous');
    conv = (await api.activeConversation())!;
    assert.deepStrictEqual(conv.turns.map((t) => t.id), [root.turnId, original.turnId]);
    assert.strictEqual(conv.turns[1].model, MODEL);
    await api.switchBranch(original.turnId, 'next');
    conv = (await api.activeConversation())!;
    assert.deepStrictEqual(conv.turns.map((t) => t.id), [root.turnId, regenerated.turnId]);
    assert.strictEqual(conv.turns[1].model, 'gpt-4.1');

    const same = await api.regenerate(regenerated.turnId);
    assert.strictEqual(same?.status, 'completed');
    assert.strictEqual(createRequests(fake)[3].body.model, 'gpt-4.1', '"Same model" asks the conversation\'s model');
    assert.strictEqual(createRequests(fake)[3].body.previous_response_id, root.responseId);
  });

  it('an unknown model: the error names it and offers the picker; the question is kept and Retry asks it of the next model', async () => {
    fake.options.unknownModels = ['gpt-nope'];
    await selectModel('gpt-nope');
    const failed = await ask('Keep this question');
    assert.strictEqual(failed.status, 'failed');
    assert.strictEqual(failed.error?.kind, 'unknown_model');
    assert.match(failed.error!.message, /"gpt-nope" is not available/);
    assert.deepStrictEqual(failed.error?.actions, ['selectModel', 'retry']);
    const conv = (await api.activeConversation())!;
    assert.strictEqual(conv.turns.at(-1)?.question, 'Keep this question');
    await selectModel('gpt-5.1');
    const retried = await api.retry(failed.turnId);
    assert.strictEqual(retried?.status, 'completed');
    assert.strictEqual(createRequests(fake).at(-1)?.body.model, 'gpt-5.1');
    fake.options.unknownModels = [];
  });

  it('the picker lists the endpoint\'s models, chat models first, and falls back to typing an id when GET /v1/models fails', async function () {
    this.timeout(90_000); // the timeout row waits out the list's 15 s
    await selectModel('gpt-5.1');
    const listed = await api.modelChoices(true);
    assert.strictEqual(listed.error, undefined);
    const ids = listed.choices.flatMap((c) => (c.kind === 'model' ? [c.id] : []));
    assert.ok(ids.includes('gpt-5-mini') && ids.includes('o4-mini'), ids.join());
    assert.strictEqual(ids[0], 'gpt-5.1', 'the current model first');
    const current = listed.choices.find((c) => c.kind === 'model' && c.id === 'gpt-5.1');
    assert.deepStrictEqual(current, { kind: 'model', id: 'gpt-5.1', current: true, detail: 'reasons: none/low/medium/high · 400k context' });

    fake.options.modelsEndpoint = 404;
    const cached = await api.modelChoices();
    assert.strictEqual(cached.error, undefined, 'a list fetched today is cached for the endpoint');
    const failures = [
      { fault: 'no such route (404), as on many local servers', injected: 'modelsEndpoint: 404', mode: 404, says: /does not list its models \(404\)/ },
      { fault: 'the key is refused (401)', injected: 'modelsEndpoint: 401', mode: 401, says: /API key was rejected/ },
      { fault: 'no answer (a timeout)', injected: 'modelsEndpoint: \'hang\'', mode: 'hang', says: /did not list its models within 15 s/ },
    ] as const;
    for (const [i, f] of failures.entries()) {
      fake.options.modelsEndpoint = f.mode;
      const t0 = Date.now();
      const r = await api.modelChoices(true);
      const ms = Date.now() - t0;
      assert.match(r.error ?? '', f.says);
      assert.deepStrictEqual(r.choices.filter((c) => c.kind !== 'model').map((c) => c.kind), ['section', 'enterId', 'status'], 'recent models, then typing an id');
      assert.ok(r.choices.some((c) => c.kind === 'model' && c.id === 'gpt-5.1'), 'the current model is still offered');
      const typed = `my-local-model-${i + 1}`;
      assert.strictEqual(await selectModel(typed), typed, 'a typed id is taken without the list');
      await askOk(`Typed id ${i + 1}`);
      assert.strictEqual(createRequests(fake).at(-1)?.body.model, typed);
      observed.push({
        fault: f.fault, injected: f.injected, message: r.error ?? '', ms,
        offered: r.choices.flatMap((c) => (c.kind === 'model' ? [c.id] : c.kind === 'enterId' ? ['Enter a model id…'] : [])),
        typedIdAnswered: true,
      });
    }
    fake.options.modelsEndpoint = 'list';
  });
});
