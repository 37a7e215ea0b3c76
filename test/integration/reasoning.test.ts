// Reasoning models in the real extension host, through `threadline.askFollowUp` and the API: the summary
// is kept with the turn, the effort and the new parameters go on the wire, a forgotten chain is replayed
// without loss, a server that refuses a parameter still answers, and "Compact and continue" works.
import * as assert from 'assert';
import type { ThreadlineApi } from '../../src/host/api';
import type { FakeServer } from '../support/fakeResponsesServer';
import { MODEL, askOk, ask, closeAllEditors, createRequests, createRequestsSince, newChat, setUserSetting, startAndUseFake, threadline } from './helpers';


const REASONING_SETTINGS = ['reasoningEffort', 'reasoningSummary', 'compaction', 'contextWindow'];

describe('reasoning models', function () {
  this.timeout(60_000);
  let fake: FakeServer;
  let api: ThreadlineApi;

  before(async () => {
    await closeAllEditors();
    api = await threadline();
    fake = await startAndUseFake();
  });
  after(async () => {
    for (const key of REASONING_SETTINGS) await setUserSetting(key, undefined);
    await setUserSetting('model', MODEL);
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
    await setUserSetting('model', 'gpt-5-mini');
    for (const key of REASONING_SETTINGS) await setUserSetting(key, undefined);
  });

  const turn = async (turnId: string) => (await api.activeConversation())?.turns.find((t) => t.id === turnId);

  it('keeps the reasoning summary and time with the turn, sends the chosen effort, and shows the reasoning tokens', async () => {
    await setUserSetting('reasoningEffort', 'high');
    await setUserSetting('reasoningSummary', 'detailed');
    const r = await askOk('Why is the sky blue?');
    const [req] = createRequests(fake);
    assert.deepStrictEqual(req.body.reasoning, { effort: 'high', summary: 'detailed' });
    const t = await turn(r.turnId);
    assert.ok(t?.reasoningSummary && t.reasoningSummary.length > 20, `no summary kept: ${JSON.stringify(t)}`);
    assert.ok(t.reasoningSummary.includes('\n\n'), 'the detailed summary keeps its paragraphs');
    assert.ok(typeof t.reasoningMs === 'number' && t.reasoningMs >= 0);
    assert.ok((t.usage?.reasoningTokens ?? 0) > 0);
  });

  it('sends include and the conversation id as prompt_cache_key on every request', async () => {
    const r1 = await askOk('one');
    await askOk('two');
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 2);
    for (const req of reqs) {
      assert.deepStrictEqual(req.body.include, ['reasoning.encrypted_content']);
      assert.strictEqual(req.body.prompt_cache_key, r1.conversationId);
      assert.strictEqual(req.body.context_management?.[0]?.type, 'compaction');
    }
  });

  it('after the server forgot the chain, replays the stored items: the reasoning item right before its answer', async () => {
    await askOk('My favourite language is OCaml.');
    fake.forget();
    const mark = createRequests(fake).length;
    const r = await askOk('Which language do I like?');
    const [chained, replay] = createRequestsSince(fake, mark);
    assert.ok(chained.body.previous_response_id);
    const input = replay.body.input as Array<{ type?: string; role?: string; encrypted_content?: unknown }>;
    const i = input.findIndex((item) => item.type === 'reasoning');
    assert.ok(i > 0 && typeof input[i].encrypted_content === 'string', `no sealed reasoning item replayed: ${JSON.stringify(input)}`);
    assert.strictEqual(input[i + 1].type, 'message');
    const t = await turn(r.turnId);
    assert.strictEqual(t?.mode, 'replayed');
    assert.strictEqual(t?.replay, 'items');
  });

  it('a server that refuses prompt_cache_key: the turn is sent again without it, noted, and remembered', async () => {
    fake.options.rejectParameters = ['prompt_cache_key'];
    const r = await askOk('hello there');
    assert.strictEqual(createRequests(fake).length, 2);
    const t = await turn(r.turnId);
    assert.match(t?.notes?.join(' ') ?? '', /prompt_cache_key/);
    const mark = createRequests(fake).length;
    await askOk('and again');
    const next = createRequestsSince(fake, mark);
    assert.strictEqual(next.length, 1, 'remembered for the endpoint');
    assert.strictEqual(next[0].body.prompt_cache_key, undefined);
  });

  it('on context_length_exceeded offers Compact and continue, which compacts with the API and keeps the chain', async () => {
    await setUserSetting('compaction', 'off');
    fake.options.contextWindow = 900;
    let failed;
    for (let n = 1; n <= 10 && !failed; n++) {
      const r = await ask(`question ${n} ${'words '.repeat(100)}`);
      if (r.status !== 'completed') failed = r;
    }
    assert.strictEqual(failed?.error?.kind, 'context_too_long');
    assert.ok(failed.error.actions.includes('compact'));
    const continued = await api.compactAndContinue(failed.turnId);
    assert.strictEqual(continued?.status, 'completed', JSON.stringify(continued));
    assert.ok(fake.requests.some((q) => q.path === '/v1/responses/compact'));
    const t = await turn(continued.turnId);
    assert.strictEqual(t?.compacted, true);
    const next = await askOk('and then?');
    const last = createRequests(fake).at(-1)!;
    assert.strictEqual(last.body.previous_response_id, continued.responseId, 'the chain goes on from the compacted turn');
    assert.ok(next.text.length > 0);
  });
});
