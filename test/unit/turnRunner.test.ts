// The chaining rules, end to end: the real openai SDK over loopback HTTP against the fake server.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Conversation } from '../../src/core/conversation';
import { EndpointCapabilities } from '../../src/core/endpointCapabilities';
import { ResponsesClient } from '../../src/core/responsesClient';
import { MemoryMemento } from '../support/memento';
import { runTurn, type TurnOutcome, type TurnSettings } from '../../src/core/turnRunner';
import type { Turn } from '../../src/core/types';
import { DEFAULT_API_KEY, startFakeServer, type FakeServer } from '../support/fakeResponsesServer';
import { assertSchema } from '../support/schema';

const SETTINGS: TurnSettings = { model: 'gpt-test', instructions: 'Be brief.', store: true, chaining: 'auto', retentionDays: 30, reasoningEffort: 'default', reasoningSummary: 'auto', compaction: 'auto', contextWindow: 0 };

describe('turnRunner (real SDK, fake server)', () => {
  let fake: FakeServer;
  let caps: EndpointCapabilities;
  let client: ResponsesClient;

  before(async () => {
    fake = await startFakeServer({ recall: true });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    caps = new EndpointCapabilities(new MemoryMemento());
    client = new ResponsesClient({ baseURL: fake.url, apiKey: DEFAULT_API_KEY, maxRetries: 0, timeoutMs: 5000 });
  });

  const newConv = () => new Conversation({ id: randomUUID(), title: 't', createdAt: Date.now(), updatedAt: Date.now() });

  /** Runs one turn the way the controller does: record it, run it, record the outcome. */
  async function ask(conv: Conversation, question: string, o: { settings?: Partial<TurnSettings>; signal?: AbortSignal; onDelta?: (d: string) => void; now?: () => number } = {}): Promise<TurnOutcome> {
    const turn: Turn = { id: randomUUID(), parentId: conv.headId, createdAt: Date.now(), question, attachments: [], answer: '', status: 'streaming' };
    conv.put(turn);
    const out = await runTurn({
      client,
      capabilities: caps,
      endpoint: fake.url,
      settings: { ...SETTINGS, ...o.settings },
      conversationId: conv.id,
      context: conv.contextBefore(turn.parentId),
      turn,
      signal: o.signal,
      onEvent: o.onDelta && ((e) => e.type === 'text.delta' && o.onDelta!(e.text)),
      now: o.now,
    });
    conv.put({ ...turn, status: out.status, answer: out.answer, responseId: out.responseId, stored: out.stored, mode: out.mode, finishedAt: Date.now() });
    return out;
  }

  const posts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/responses').map((r) => r.body);

  it('chains three turns: each sends only the new input and the previous response id', async () => {
    const conv = newConv();
    const a = await ask(conv, 'first question');
    const b = await ask(conv, 'second question');
    const c = await ask(conv, 'third question');
    assert.deepEqual([a.mode, b.mode, c.mode], ['fresh', 'chained', 'chained']);
    assert.equal(c.status, 'completed');
    assert.equal(c.answer, 'echo#3: third question', 'the server saw three user turns in its context');
    const [r1, r2, r3] = posts();
    assert.equal(r1.previous_response_id, undefined);
    assert.equal(r2.previous_response_id, a.responseId);
    assert.equal(r3.previous_response_id, b.responseId);
    assert.deepEqual(r3.input, [{ role: 'user', content: 'third question' }]);
    for (const r of [r1, r2, r3]) {
      assert.equal(r.instructions, 'Be brief.', 'instructions are not inherited, so every turn sends them');
      assert.equal(r.store, true);
      assert.equal(r.stream, true);
      assertSchema('CreateResponse', r);
    }
    assert.deepEqual(conv.responseChain(), [a.responseId, b.responseId, c.responseId]);
  });

  it('recovers when the server forgot the chain: replays the transcript once and starts a new chain', async () => {
    const conv = newConv();
    await ask(conv, 'my name is Ada');
    await ask(conv, 'I like tea');
    fake.forget();
    const out = await ask(conv, 'What did I say first?');
    assert.equal(out.status, 'completed');
    assert.equal(out.mode, 'replayed');
    assert.equal(out.replayedBecause, 'forgotten');
    assert.equal(out.answer, 'my name is Ada', 'the replayed input rebuilt the context');
    const [, , broken, replay] = posts();
    assert.ok(broken.previous_response_id);
    assert.equal(replay.previous_response_id, undefined);
    assert.deepEqual(replay.input.map((m: { role: string }) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assertSchema('CreateResponse', replay);
    const next = await ask(conv, 'and then?');
    assert.equal(next.mode, 'chained');
    assert.equal(posts().at(-1).previous_response_id, out.responseId, 'the new chain continues from the replayed turn');
  });

  it('treats a 404 "Response with id … not found" (vLLM) like previous_response_not_found', async () => {
    fake.options.notFoundStatus = 404;
    const conv = newConv();
    await ask(conv, 'one');
    fake.forget();
    const out = await ask(conv, 'two');
    assert.equal(out.status, 'completed');
    assert.equal(out.replayedBecause, 'forgotten');
  });

  it('in server mode reports a broken chain instead of replaying', async () => {
    const conv = newConv();
    await ask(conv, 'one');
    fake.forget();
    const out = await ask(conv, 'two', { settings: { chaining: 'server' } });
    assert.equal(out.status, 'failed');
    assert.equal(out.error?.kind, 'previous_response_not_found');
    assert.match(out.error!.message, /"server"/);
    assert.deepEqual(out.error!.actions, ['newChat', 'openSettings']);
    assert.equal(posts().length, 2, 'no replay request was made');
  });

  it('local mode replays the transcript every turn and sends store:false', async () => {
    const conv = newConv();
    await ask(conv, 'alpha', { settings: { chaining: 'local' } });
    const out = await ask(conv, 'What did I say first?', { settings: { chaining: 'local' } });
    assert.equal(out.mode, 'local');
    assert.equal(out.answer, 'alpha');
    for (const r of posts()) {
      assert.equal(r.store, false);
      assert.equal(r.previous_response_id, undefined);
    }
    assert.equal(posts()[1].input.length, 3);
  });

  it('store:false behaves like local mode (a response that is not stored cannot be a parent)', async () => {
    const conv = newConv();
    await ask(conv, 'alpha', { settings: { store: false } });
    const out = await ask(conv, 'beta', { settings: { store: false } });
    assert.equal(out.mode, 'local');
    assert.equal(posts()[1].previous_response_id, undefined);
    // Switching store back on: the parent was not stored, so the next turn replays without failing first.
    const on = await ask(conv, 'gamma');
    assert.equal(on.mode, 'replayed');
    assert.equal(on.replayedBecause, 'not_stored');
    assert.equal(posts().length, 3);
  });

  it('replays without a failing request when the parent is older than the retention', async () => {
    const conv = newConv();
    await ask(conv, 'old');
    const later = Date.now() + 31 * 86_400_000;
    const out = await ask(conv, 'new', { now: () => later });
    assert.equal(out.mode, 'replayed');
    assert.equal(out.replayedBecause, 'expired');
    assert.equal(posts().length, 2);
    assert.equal(posts()[1].previous_response_id, undefined);
  });

  it('replays without a failing request after a turn imported from another endpoint, then chains again', async () => {
    const conv = newConv();
    await ask(conv, 'asked elsewhere');
    const parent = conv.getTurn(conv.headId!)!;
    conv.put({ ...parent, responseId: 'resp_from_elsewhere', importedFrom: 'https://other.example/v1' });
    const out = await ask(conv, 'asked here');
    assert.equal(out.mode, 'replayed');
    assert.equal(out.replayedBecause, 'imported');
    assert.equal(posts()[1].previous_response_id, undefined, 'the foreign id is never sent');
    assert.equal(out.answer, 'echo#2: asked here', 'the transcript was replayed');
    assert.equal((await ask(conv, 'again')).mode, 'chained');
  });

  it('chains from an imported turn whose endpoint is this one', async () => {
    const conv = newConv();
    await ask(conv, 'asked before');
    const parent = conv.getTurn(conv.headId!)!;
    conv.put({ ...parent, importedFrom: fake.url.replace(/\/+$/, '') });
    assert.equal((await ask(conv, 'asked here')).mode, 'chained');
  });

  it('stop mid-stream keeps the partial text, and the next turn chains from the last completed response', async () => {
    const conv = newConv();
    const first = await ask(conv, 'first');
    fake.options.interDeltaDelayMs = 30;
    fake.options.chunkSize = 2;
    const abort = new AbortController();
    let got = '';
    const stopped = await ask(conv, 'a long question to answer slowly', {
      signal: abort.signal,
      onDelta: (d) => {
        got += d;
        if (got.length >= 4) abort.abort();
      },
    });
    assert.equal(stopped.status, 'cancelled');
    assert.ok(stopped.answer.length >= 4 && stopped.answer.length < 'echo#2: a long question to answer slowly'.length, `partial: ${stopped.answer}`);
    fake.options.interDeltaDelayMs = 0;
    const next = await ask(conv, 'next');
    assert.equal(next.mode, 'chained');
    assert.equal(posts().at(-1).previous_response_id, first.responseId, 'the cancelled turn is not a parent');
    assert.equal(next.answer, 'echo#2: next', 'the cancelled exchange is not in the server context');
  });

  it('remembers an endpoint that rejects previous_response_id and uses local replay from then on', async () => {
    fake.options.chaining = 'reject';
    const conv = newConv();
    await ask(conv, 'one');
    const two = await ask(conv, 'What did I say first?');
    assert.equal(two.status, 'completed');
    assert.equal(two.replayedBecause, 'unsupported');
    assert.equal(two.answer, 'one');
    assert.equal(caps.chainingUnsupported(fake.url), true);
    const before = posts().length;
    const three = await ask(conv, 'three');
    assert.equal(three.mode, 'local');
    assert.equal(posts().length, before + 1, 'no failing chained attempt first');
    assert.equal(posts().at(-1).previous_response_id, undefined);
  });

  it('detects an endpoint that silently ignores previous_response_id and replays instead', async () => {
    fake.options.chaining = 'ignore';
    const conv = newConv();
    await ask(conv, 'remember this');
    const out = await ask(conv, 'What did I say first?');
    assert.equal(out.status, 'completed');
    assert.equal(out.answer, 'remember this', 'the answer came from the replayed context, not a context-less one');
    assert.equal(out.replayedBecause, 'unsupported');
    assert.equal(caps.chainingUnsupported(fake.url), true);
  });

  it('chains from the last completed turn after a failed one, and does not replay the failure', async () => {
    const conv = newConv();
    const ok = await ask(conv, 'good');
    fake.inject({ status: 500, times: 1 });
    const bad = await ask(conv, 'bad');
    assert.equal(bad.status, 'failed');
    assert.equal(bad.error?.kind, 'server');
    const next = await ask(conv, 'after');
    assert.equal(posts().at(-1).previous_response_id, ok.responseId);
    assert.equal(next.answer, 'echo#2: after');
    fake.forget();
    const replayed = await ask(conv, 'replay now');
    const input = posts().at(-1).input.map((m: { content: string }) => m.content);
    assert.equal(replayed.mode, 'replayed');
    assert.ok(!input.includes('bad'), 'the failed turn is not replayed');
  });
});
