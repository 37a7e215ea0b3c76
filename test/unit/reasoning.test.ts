// Reasoning models first-class, end to end: the real openai SDK over loopback HTTP against the fake server,
// which seals and verifies encrypted reasoning, streams summaries, and refuses what OpenAI refuses.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Conversation } from '../../src/core/conversation';
import { EndpointCapabilities } from '../../src/core/endpointCapabilities';
import { refusedParameter, requestOptions, type ReasoningSettings } from '../../src/core/requestOptions';
import { ResponsesClient } from '../../src/core/responsesClient';
import type { Session } from '../../src/core/session';
import { ConversationStore } from '../../src/core/store/conversationStore';
import { nodeFileSystem } from '../../src/core/store/fileSystem';
import { migrate } from '../../src/core/store/transcriptLog';
import type { StreamEvent } from '../../src/core/streamEvents';
import { runTurn, type TurnOutcome, type TurnSettings } from '../../src/core/turnRunner';
import type { Turn } from '../../src/core/types';
import { DEFAULT_API_KEY, startFakeServer, type FakeServer } from '../support/fakeResponsesServer';
import { MemoryMemento } from '../support/memento';
import { useSessionHarness } from '../support/sessionHarness';
import { assertSchema } from '../support/schema';

const BASE: TurnSettings = {
  model: 'gpt-5-mini', instructions: 'Be brief.', store: true, chaining: 'auto', retentionDays: 30,
  reasoningEffort: 'default', reasoningSummary: 'auto', compaction: 'auto', contextWindow: 0,
};

describe('request options (one descriptor per optional parameter)', () => {
  const opts = (s: Partial<ReasoningSettings>) => requestOptions({ ...BASE, ...s }, 'conv-1');

  it('a reasoning model: summary, encrypted reasoning, the cache key and compaction at ~90% of its window; no effort by default', () => {
    const o = opts({});
    assert.deepEqual(o.reasoning, { effort: undefined, summary: 'auto' });
    assert.deepEqual(o.include, ['reasoning.encrypted_content']);
    assert.equal(o.prompt_cache_key, 'conv-1');
    assert.equal(o.context_management?.[0]?.type, 'compaction');
    assert.ok(o.context_management![0]!.compact_threshold < 400_000 * 0.9);
  });

  it('sends the chosen effort and summary; off sends no summary', () => {
    assert.deepEqual(opts({ reasoningEffort: 'high', reasoningSummary: 'detailed' }).reasoning, { effort: 'high', summary: 'detailed' });
    assert.deepEqual(opts({ reasoningSummary: 'off' }).reasoning, undefined);
    assert.equal(opts({ compaction: 'off' }).context_management, undefined);
  });

  it('an unknown model (a local server) gets only the cache key, unless the user asks for more', () => {
    assert.deepEqual(opts({ model: 'llama-3.1-8b' }), { prompt_cache_key: 'conv-1' });
    const asked = opts({ model: 'llama-3.1-8b', reasoningEffort: 'low', contextWindow: 8192 });
    assert.deepEqual(asked.reasoning, { effort: 'low', summary: 'auto' });
    assert.deepEqual(asked.include, ['reasoning.encrypted_content']);
    assert.equal(asked.context_management?.[0]?.type, 'compaction');
  });

  it('leaves out what the endpoint refused', () => {
    const o = requestOptions(BASE, 'c', ['include', 'prompt_cache_key']);
    assert.equal(o.include, undefined);
    assert.equal(o.prompt_cache_key, undefined);
    assert.ok(o.reasoning);
  });

  it('tells a refused parameter from a refused reasoning item', () => {
    const sent = opts({});
    const bad = (message: string, param?: string) => ({ kind: 'bad_request' as const, status: 400, message, actions: [], param });
    assert.equal(refusedParameter(bad("Unsupported parameter: 'include'", 'include'), sent), 'include');
    assert.equal(refusedParameter(bad('Unsupported value', 'reasoning.effort'), sent), 'reasoning');
    assert.equal(refusedParameter(bad('body -> prompt_cache_key: extra inputs are not permitted'), sent), 'prompt_cache_key');
    assert.equal(refusedParameter(bad("Item 'rs_1' of type 'reasoning' was provided without its required following item.", 'input'), sent), undefined);
    assert.equal(refusedParameter(bad("Item 'rs_1' of type 'reasoning' was provided without its required following item."), sent), undefined);
    assert.equal(refusedParameter(bad("Unsupported parameter: 'include'", 'include'), {}), undefined, 'not sent, not refused');
  });
});

describe('transcript schema version 2', () => {
  it('migrates a version 1 turn record on load, and rejects an unknown version', () => {
    const turn = { id: 't', parentId: null, createdAt: 1, question: 'q', attachments: [], answer: 'a', status: 'completed' };
    assert.deepEqual(migrate({ v: 1, t: 'turn', turn }), { v: 2, t: 'turn', turn });
    assert.equal(migrate({ v: 3, t: 'turn', turn }), undefined);
  });

  it('a transcript written by version 1 still loads, and new records are written as version 2', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tl-v1-'));
    try {
      const memento = new MemoryMemento();
      const open = async () => {
        const s = new ConversationStore(nodeFileSystem, root, memento, 'ws');
        await s.open();
        return s;
      };
      const store = await open();
      const conv = await store.create({ title: 'old chat' });
      await store.putTurn(conv, { id: 't1', parentId: null, createdAt: 1, question: 'q', attachments: [], answer: 'a', status: 'completed', responseId: 'resp_1' });
      const files = (await fs.readdir(root, { recursive: true })).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(root, f));
      assert.equal(files.length, 1);
      const v2 = await fs.readFile(files[0]!, 'utf8');
      assert.ok(v2.split('\n').filter(Boolean).every((line) => JSON.parse(line).v === 2));
      await fs.writeFile(files[0]!, v2.replace(/"v":2/g, '"v":1'));
      const loaded = await (await open()).load(conv.id);
      assert.equal(loaded?.getTurn('t1')?.answer, 'a');
      assert.equal(loaded?.meta.title, 'old chat');
      assert.equal(loaded?.meta.reasoningEffort, undefined, 'from before the effort control: the chat follows the setting');
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('the endpoint memory of refused parameters is forgotten with the endpoint', async () => {
    const caps = new EndpointCapabilities(new MemoryMemento());
    await caps.markParameterRefused('http://h/v1/', 'include');
    await caps.markParameterRefused('http://h/v1', 'include');
    assert.deepEqual(caps.refusedParameters('http://h/v1'), ['include']);
    await caps.forget('http://h/v1');
    assert.deepEqual(caps.refusedParameters('http://h/v1'), []);
  });
});

describe('reasoning turns (real SDK, fake server)', () => {
  let fake: FakeServer;
  let caps: EndpointCapabilities;
  let client: ResponsesClient;

  before(async () => {
    fake = await startFakeServer();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    caps = new EndpointCapabilities(new MemoryMemento());
    client = new ResponsesClient({ baseURL: fake.url, apiKey: DEFAULT_API_KEY, maxRetries: 0, timeoutMs: 5000 });
  });

  const newConv = () => new Conversation({ id: randomUUID(), title: 't', createdAt: Date.now(), updatedAt: Date.now() });
  const bodies = () => fake.requests.filter((r) => r.path === '/v1/responses').map((r) => r.body);

  async function ask(
    conv: Conversation,
    question: string,
    o: { settings?: Partial<TurnSettings>; signal?: AbortSignal; onEvent?: (e: StreamEvent) => void; onNotice?: (m: string) => void } = {},
  ): Promise<TurnOutcome> {
    const turn: Turn = { id: randomUUID(), parentId: conv.headId, createdAt: Date.now(), question, attachments: [], answer: '', status: 'streaming' };
    conv.put(turn);
    const out = await runTurn({
      client, capabilities: caps, endpoint: fake.url, settings: { ...BASE, ...o.settings }, conversationId: conv.id,
      context: conv.contextBefore(turn.parentId), turn, signal: o.signal, onEvent: o.onEvent, onNotice: o.onNotice,
    });
    const { status, answer, responseId, stored, mode, model, output, reasoningSummary, reasoningMs, usage } = out;
    conv.put({ ...turn, status, answer, responseId, stored, mode, model, output, reasoningSummary, reasoningMs, usage, finishedAt: Date.now() });
    return out;
  }

  it('streams the summary as reasoning deltas (a blank line between parts), then keeps it, the time, the tokens and the items', async () => {
    const events: StreamEvent[] = [];
    const out = await ask(newConv(), 'explain closures', { settings: { reasoningSummary: 'detailed' }, onEvent: (e) => events.push(e) });
    assert.equal(out.status, 'completed');
    const reasoning = events.filter((e) => e.type === 'reasoning.delta').map((e) => (e as { text: string }).text);
    assert.equal(reasoning[0], '', 'an empty delta first: the view shows Thinking before any summary text');
    assert.equal(reasoning.join(''), out.reasoningSummary);
    assert.match(out.reasoningSummary!, /\S\n\n\S/, 'detailed summaries have several parts');
    const firstText = events.findIndex((e) => e.type === 'text.delta');
    assert.ok(!events.slice(firstText).some((e) => e.type === 'reasoning.delta'), 'the summary streams before the answer');
    assert.ok(out.reasoningMs !== undefined && out.reasoningMs >= 0);
    assert.ok((out.usage?.reasoningTokens ?? 0) > 0);
    const [rs, msg] = out.output!;
    assert.equal(rs?.type, 'reasoning');
    assert.equal(typeof rs?.encrypted_content, 'string');
    assert.equal(msg?.type, 'message');
    assert.ok(msg?.id);
  });

  it('sends include and the conversation id as prompt_cache_key on every request, chained or not', async () => {
    const conv = newConv();
    await ask(conv, 'one');
    await ask(conv, 'two');
    const [a, b] = bodies();
    for (const body of [a, b]) {
      assert.deepEqual(body.include, ['reasoning.encrypted_content']);
      assert.equal(body.prompt_cache_key, conv.id);
      assert.equal(body.reasoning.summary, 'auto');
      assert.equal(body.reasoning.effort, undefined, 'default: no effort sent');
    }
    assert.ok(b.previous_response_id);
  });

  it('sends the chosen effort', async () => {
    await ask(newConv(), 'q', { settings: { reasoningEffort: 'low' } });
    assert.equal(bodies()[0].reasoning.effort, 'low');
  });

  it('a model that reasons without summaries still signals Thinking, and records the time', async () => {
    const events: StreamEvent[] = [];
    const out = await ask(newConv(), 'q', { settings: { model: 'o3-mini' }, onEvent: (e) => events.push(e) });
    assert.equal(out.status, 'completed');
    assert.ok(events.some((e) => e.type === 'reasoning.delta'));
    assert.equal(out.reasoningSummary, undefined);
    assert.ok(out.reasoningMs !== undefined);
  });

  it('after a forgotten chain, replays the stored items losslessly: each reasoning item right before its message', async () => {
    const conv = newConv();
    await ask(conv, 'first question');
    fake.forget();
    fake.requests.length = 0;
    const out = await ask(conv, 'second question');
    assert.equal(out.status, 'completed', out.error?.message);
    assert.equal(out.mode, 'replayed');
    assert.equal(out.replay, 'items');
    const input = bodies().at(-1).input as Array<Record<string, unknown>>;
    const i = input.findIndex((item) => item.type === 'reasoning');
    assert.ok(i > 0, 'the reasoning item is replayed');
    assert.equal(typeof input[i]!.encrypted_content, 'string');
    assert.equal(input[i + 1]!.type, 'message');
    assert.equal(input[i + 1]!.role, 'assistant');
    assert.match(out.answer, /^echo#2: second question/);
    for (const body of bodies()) assertSchema('CreateResponse', body);
  });

  it('local mode replays items on every turn with store: false', async () => {
    const conv = newConv();
    for (const q of ['a', 'b', 'c']) assert.equal((await ask(conv, q, { settings: { chaining: 'local' } })).status, 'completed');
    const last = bodies().at(-1);
    assert.equal(last.store, false);
    assert.equal(last.input.filter((i: { type?: string }) => i.type === 'reasoning').length, 2);
  });

  it('a replayed reasoning item the server refuses: sent again once as plain messages, noted, no turn lost', async () => {
    const conv = newConv();
    await ask(conv, 'first');
    const first = conv.activePath()[0]!;
    // As after a key rotation on the server: the sealed content no longer verifies.
    conv.put({ ...first, output: first.output!.map((i) => (i.type === 'reasoning' ? { ...i, encrypted_content: 'gAAAAB-tampered' } : i)) });
    fake.forget();
    fake.requests.length = 0;
    const out = await ask(conv, 'second');
    assert.equal(out.status, 'completed', out.error?.message);
    assert.equal(out.replay, 'text');
    assert.match(out.notes!.join(' '), /plain messages/);
    assert.equal(bodies().length, 3, 'the broken chain, the refused items, then the text replay');
    assert.ok(!bodies()[2].input.some((i: { type?: string }) => i.type === 'reasoning'));
  });

  it('a model change replays the other family\'s turns as text without a refused request', async () => {
    const conv = newConv();
    await ask(conv, 'first');
    fake.requests.length = 0;
    const out = await ask(conv, 'second', { settings: { model: 'o4-mini', chaining: 'local' } });
    assert.equal(out.status, 'completed', out.error?.message);
    assert.equal(out.replay, 'text');
    assert.equal(bodies().length, 1);
  });

  for (const param of ['reasoning', 'include', 'prompt_cache_key', 'context_management'] as const) {
    it(`a server that refuses ${param}: the turn is retried once without it, noted and remembered`, async () => {
      fake.options.rejectParameters = [param];
      const conv = newConv();
      const out = await ask(conv, 'q', { settings: { reasoningEffort: 'low' } });
      assert.equal(out.status, 'completed', out.error?.message);
      assert.match(out.notes!.join(' '), new RegExp(param));
      assert.deepEqual(caps.refusedParameters(fake.url), [param]);
      fake.requests.length = 0;
      const next = await ask(conv, 'again', { settings: { reasoningEffort: 'low' } });
      assert.equal(next.status, 'completed');
      assert.equal(bodies().length, 1, 'remembered: no refused request first');
      assert.equal(bodies()[0][param], undefined);
    });
  }

  it('an effort the model does not take is sent as the nearest it takes, noted, and reasoning stays on for the endpoint', async () => {
    const conv = newConv();
    const out = await ask(conv, 'q', { settings: { model: 'gpt-5.1', reasoningEffort: 'xhigh' } });
    assert.equal(out.status, 'completed', out.error?.message);
    assert.equal(bodies().length, 1, 'no refused request first');
    assert.equal(bodies()[0].reasoning.effort, 'high');
    assert.deepEqual(out.notes, ['Effort xhigh is not offered by gpt-5.1; sent high.']);
    assert.deepEqual(caps.refusedParameters(fake.url), []);
    const next = await ask(conv, 'again', { settings: { model: 'gpt-5-mini', reasoningEffort: 'minimal' } });
    assert.equal(next.status, 'completed');
    assert.deepEqual(bodies()[1].reasoning, { effort: 'minimal', summary: 'auto' }, 'a later turn keeps its reasoning');
    assert.equal(next.notes, undefined);
  });

  it('a value refused by one model (a model the table does not know) is dropped for that turn only, not remembered', async () => {
    fake.inject({
      model: 'my-local-model', status: 400,
      error: { message: "Unsupported value: 'xhigh' is not supported with the 'my-local-model' model. Supported values are: 'low', 'medium', and 'high'.", param: 'reasoning.effort', code: 'unsupported_value' },
    });
    const notices: string[] = [];
    const conv = newConv();
    const out = await ask(conv, 'q', { settings: { model: 'my-local-model', reasoningEffort: 'xhigh' }, onNotice: (m) => notices.push(m) });
    assert.equal(out.status, 'completed', out.error?.message);
    assert.equal(bodies()[0].reasoning.effort, 'xhigh', 'an unknown model gets what was chosen');
    assert.equal(bodies()[1].reasoning, undefined);
    assert.match(out.notes!.join(' '), /model refused `reasoning`/);
    assert.deepEqual(caps.refusedParameters(fake.url), []);
    assert.deepEqual(notices, []);
    await ask(conv, 'again', { settings: { model: 'gpt-5-mini', reasoningEffort: 'low' } });
    assert.equal(bodies()[2].reasoning.effort, 'low', 'another model at the endpoint still gets reasoning');
  });

  it('tells a user whose explicit setting was refused; not for parameters Threadline chose', async () => {
    const notices: string[] = [];
    fake.options.rejectParameters = ['reasoning', 'prompt_cache_key'];
    const out = await ask(newConv(), 'q', { settings: { reasoningEffort: 'high' }, onNotice: (m) => notices.push(m) });
    assert.equal(out.status, 'completed');
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, /reasoning/);
  });

  it('Stop while the model reasons keeps the summary so far', async () => {
    fake.options.interDeltaDelayMs = 30;
    const ac = new AbortController();
    let summary = '';
    const out = await ask(newConv(), 'think hard', {
      settings: { reasoningSummary: 'detailed' },
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'reasoning.delta' && (summary += e.text).length > 8) ac.abort();
      },
    });
    assert.equal(out.status, 'cancelled');
    assert.equal(out.answer, '');
    assert.ok(out.reasoningSummary && out.reasoningSummary.length > 8);
    assert.ok(summary.startsWith(out.reasoningSummary!));
  });

  it('a drop mid-reasoning fails the turn as a cut stream, keeping the summary so far', async () => {
    fake.inject({ dropAfterDeltas: 3 });
    const out = await ask(newConv(), 'q', { settings: { reasoningSummary: 'detailed' } });
    assert.equal(out.status, 'failed');
    assert.equal(out.error?.kind, 'stream_cut');
    assert.ok(out.reasoningSummary);
  });

  it('compaction auto: context_management at the threshold; the compaction item then stands for the earlier turns in a replay', async () => {
    fake.options.contextWindow = 4000;
    const conv = newConv();
    const long = (n: number) => `question ${n} ${'lorem ipsum '.repeat(120)}`;
    const outs: TurnOutcome[] = [];
    for (let n = 1; n <= 4; n++) outs.push(await ask(conv, long(n), { settings: { contextWindow: 4000 } }));
    assert.ok(outs.every((o) => o.status === 'completed'), outs.map((o) => o.error?.message).join());
    assert.ok(bodies().every((b) => b.context_management?.[0]?.compact_threshold >= 1000));
    for (const body of bodies()) assertSchema('CreateResponse', body);
    const compacted = outs.findIndex((o) => o.output?.[0]?.type === 'compaction');
    assert.ok(compacted >= 0, 'the server compacted');
    fake.forget();
    fake.requests.length = 0;
    const out = await ask(conv, 'after', { settings: { contextWindow: 4000 } });
    assert.equal(out.status, 'completed', out.error?.message);
    assert.equal(bodies()[1].input[0].type, 'compaction', 'the replay starts at the compaction item');
  });
});

describe('Compact and continue (session, real store)', () => {
  const h = useSessionHarness({ ...BASE, maxRetries: 0, timeoutMs: 5000, compaction: 'off' });

  it('offers Compact and continue on context_length_exceeded; it compacts with the API, marks the turn and keeps the chain', async () => {
    const s = h.session();
    h.fake.options.contextWindow = 900;
    const turnOf = (o: Awaited<ReturnType<Session['ask']>>) => (o.kind === 'ran' ? o.turn : assert.fail(JSON.stringify(o)));
    let failed: Turn | undefined;
    for (let n = 1; n <= 10 && !failed; n++) {
      const t = turnOf(await s.ask(`question ${n} ${'words '.repeat(100)}`, []));
      if (t.status !== 'completed') failed = t;
    }
    assert.equal(failed?.error?.kind, 'context_too_long');
    assert.deepEqual(failed.error.actions, ['compact', 'newChat', 'retry']);
    const before = (await s.activeConversation())!.contextBefore(failed.parentId).length;

    const r = await s.compactAndContinue(failed.id);
    assert.ok(r.ok);
    const turn = turnOf(r.value);
    assert.equal(turn.status, 'completed', turn.error?.message);
    assert.equal(turn.parentId, failed.parentId, 'a sibling of the failed turn');
    assert.equal(turn.compacted?.at(-1)?.type, 'compaction');
    assert.match(turn.notes!.join(' '), /compacted/);
    const compact = h.fake.requests.find((q) => q.path === '/v1/responses/compact');
    assert.ok(compact);
    assertSchema('CompactResponseMethodPublicBody', compact.body);
    const conv = (await s.activeConversation())!;
    assert.equal(conv.contextBefore(turn.id).length, before + 1, 'the local transcript keeps every earlier turn');

    // The chain goes on from the compacted turn.
    const next = turnOf(await s.ask('and then?', []));
    assert.equal(next.status, 'completed', next.error?.message);
    assert.equal(next.previousResponseId, turn.responseId);

    // And the mark survives a reload of the transcript.
    const reloaded = new ConversationStore(nodeFileSystem, h.root, h.memento, 'ws');
    await reloaded.open();
    const again = await reloaded.load(conv.id);
    assert.ok(again?.getTurn(turn.id)?.compacted?.length);
    assert.ok(!s.isBusy());
  });

  it('refuses Compact and continue on a turn that did not outgrow the window', async () => {
    const s = h.session();
    const o = await s.ask('hi', []);
    assert.equal(o.kind, 'ran');
    const r = await s.compactAndContinue((o as { turn: Turn }).turn.id);
    assert.deepEqual(r, { ok: false, reason: 'not_compactable' });
  });
});
