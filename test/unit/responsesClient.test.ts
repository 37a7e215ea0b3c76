// Every failure class, through the real SDK and real HTTP, classified for the UI.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { ResponsesClient, type ClientConfig, type StreamCallbacks, type StreamResult } from '../../src/core/responsesClient';
import type { StreamEvent } from '../../src/core/streamEvents';
import { DEFAULT_API_KEY, startFakeServer, type FakeServer } from '../support/fakeResponsesServer';

describe('responsesClient: streaming and error classification', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeServer();
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  const client = (o: Partial<ClientConfig> = {}) =>
    new ResponsesClient({ baseURL: fake.url, apiKey: DEFAULT_API_KEY, maxRetries: 0, timeoutMs: 5000, ...o });
  const ask = (c = client(), text = 'hello there', extra: StreamCallbacks = {}): Promise<StreamResult> =>
    c.stream({ model: 'gpt-test', input: [{ role: 'user', content: text }], store: true }, extra);

  it('streams typed events and returns the completed response with usage', async () => {
    const events: StreamEvent[] = [];
    const r = await ask(client(), 'hello there', { onEvent: (e) => events.push(e) });
    assert.equal(r.status, 'completed');
    assert.equal(r.answer, 'echo#1: hello there');
    const deltas = events.flatMap((e) => (e.type === 'text.delta' ? [e.text] : []));
    assert.equal(deltas.join(''), r.answer);
    assert.ok(deltas.length > 1, 'the answer arrived as several deltas');
    assert.match(r.responseId!, /^resp_/);
    assert.ok(r.usage && r.usage.inputTokens > 0 && r.usage.outputTokens > 0);
    assert.equal(r.model, 'gpt-test');
    assert.deepEqual(events[0], { type: 'created', responseId: r.responseId }, 'the id comes first');
    assert.ok(events.some((e) => e.type === 'item.done' && e.itemType === 'message'));
    assert.deepEqual(events.at(-1), { type: 'usage', usage: r.usage }, 'usage comes with the terminal event');
  });

  it('401: auth, offering Set API Key', async () => {
    const r = await ask(client({ apiKey: 'sk-wrong' }));
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.kind, 'auth');
    assert.equal(r.error?.status, 401);
    assert.deepEqual(r.error?.actions, ['setApiKey']);
    assert.ok(!r.error!.message.includes('sk-wrong'), 'the key is never echoed');
  });

  it('429 twice with retry-after, then success: the SDK retries and the turn completes', async () => {
    fake.inject({ status: 429, times: 2, headers: { 'retry-after-ms': '10' } });
    const retries: number[] = [];
    const r = await ask(client({ maxRetries: 2, onRetry: (n) => retries.push(n) }));
    assert.equal(r.status, 'completed');
    const counts = fake.requests.map((q) => q.headers['x-stainless-retry-count']);
    assert.deepEqual(counts, ['0', '1', '2']);
    assert.deepEqual(retries, [1, 2], 'each retry is told, through the SDK logger');
  });

  it('429 that persists: rate_limit with the wait from retry-after', async () => {
    fake.inject({ status: 429, times: 3, headers: { 'retry-after-ms': null, 'retry-after': '7' } });
    const r = await ask(client({ maxRetries: 0 }));
    assert.equal(r.error?.kind, 'rate_limit');
    assert.equal(r.error?.retryAfter, 7);
    assert.match(r.error!.message, /Wait 7 s/);
  });

  it('429 insufficient_quota: quota, not a wait', async () => {
    fake.inject({ status: 429, error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota.' } });
    const r = await ask();
    assert.equal(r.error?.kind, 'quota');
  });

  for (const status of [500, 502, 503]) {
    it(`${status}: server error naming the endpoint, with Retry`, async () => {
      fake.inject({ status });
      const r = await ask();
      assert.equal(r.error?.kind, 'server');
      assert.equal(r.error?.status, status);
      assert.ok(r.error!.message.includes(`127.0.0.1:${fake.port}`));
      assert.deepEqual(r.error?.actions, ['retry']);
    });
  }

  it('a connection reset before the headers: retried, then connection', async () => {
    fake.inject({ resetBeforeHeaders: true, times: 2 });
    const r = await ask(client({ maxRetries: 1 }));
    assert.equal(r.error?.kind, 'connection');
    assert.equal(fake.requests.length, 2, 'the SDK retried once');
  });

  it('connection refused: connection, naming the endpoint', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await ask(client({ baseURL: `http://127.0.0.1:${port}/v1` }));
    assert.equal(r.error?.kind, 'connection');
    assert.ok(r.error!.message.includes(`127.0.0.1:${port}`));
  });

  it('a timeout: timeout', async () => {
    fake.inject({ latencyMs: 1500 });
    const r = await ask(client({ timeoutMs: 200 }));
    assert.equal(r.error?.kind, 'timeout');
  });

  it('a hard drop after k deltas: stream_cut, keeping the partial text', async () => {
    fake.inject({ dropAfterDeltas: 2 });
    const r = await ask();
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.kind, 'stream_cut');
    assert.ok(r.answer.length > 0 && r.answer.length < 'echo#1: hello there'.length, `partial: "${r.answer}"`);
    assert.equal(r.answer, fake.streams[0]!.sentText);
  });

  it('a graceful drop (no terminal event): stream_cut, keeping the partial text', async () => {
    fake.inject({ dropAfterDeltas: 2, graceful: true });
    const r = await ask();
    assert.equal(r.error?.kind, 'stream_cut');
    assert.equal(r.answer, fake.streams[0]!.sentText);
  });

  it('an error event mid-stream: stream_failed with the server message', async () => {
    fake.inject({ errorEventAfterDeltas: 1, error: { message: 'The server had an error while processing your request.' } });
    const r = await ask();
    assert.equal(r.error?.kind, 'stream_failed');
    assert.match(r.error!.message, /server had an error/);
    assert.ok(r.answer.length > 0);
  });

  it('an error event without its event: line is still an error, not a cut stream', async () => {
    fake.inject({ errorEventAfterDeltas: 1, malformed: 'noEventLines', error: { message: 'Overloaded.' } });
    const r = await ask();
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.kind, 'stream_failed');
    assert.match(r.error!.message, /Overloaded\./);
  });

  it('response.failed: failed with the reason; context_length_exceeded there is context_too_long', async () => {
    fake.inject({ failAfterDeltas: 1 });
    const r = await ask();
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.kind, 'stream_failed');
    fake.inject({ failAfterDeltas: 0, error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } });
    const r2 = await ask();
    assert.equal(r2.error?.kind, 'context_too_long');
  });

  it('incomplete for max_output_tokens: incomplete, keeping the text', async () => {
    fake.options.maxOutputTokens = 16;
    const r = await client().stream({ model: 'gpt-test', input: [{ role: 'user', content: 'x'.repeat(400) }], store: true });
    assert.equal(r.status, 'incomplete');
    assert.equal(r.error?.kind, 'incomplete');
    assert.match(r.error!.message, /output token limit/);
    assert.ok(r.answer.length > 0);
  });

  it('context_length_exceeded (400): context_too_long, offering to compact and continue or start a new chat', async () => {
    fake.options.contextWindow = 10;
    const r = await ask(client(), 'a question far longer than the tiny context window allows');
    assert.equal(r.error?.kind, 'context_too_long');
    assert.equal(r.error?.status, 400);
    assert.deepEqual(r.error?.actions, ['compact', 'newChat', 'retry']);
  });

  it('an unknown model: unknown_model, naming the model and the picker', async () => {
    fake.options.unknownModels = ['gpt-nope'];
    const r = await client().stream({ model: 'gpt-nope', input: [{ role: 'user', content: 'hi' }], store: true });
    assert.equal(r.error?.kind, 'unknown_model');
    assert.match(r.error!.message, /"gpt-nope" is not available/);
    assert.match(r.error!.message, /Select Model/);
    assert.deepEqual(r.error!.actions, ['selectModel', 'retry']);
  });

  it('malformed SSE (bad JSON): stream_failed', async () => {
    fake.inject({ malformed: 'badJson' });
    const r = await ask();
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.kind, 'stream_failed');
    assert.match(r.error!.message, /malformed/i);
  });

  it('SSE without event: lines still streams the answer', async () => {
    fake.inject({ malformed: 'noEventLines' });
    const r = await ask();
    assert.equal(r.status, 'completed');
    assert.equal(r.answer, 'echo#1: hello there');
  });

  it('abort before the headers: cancelled', async () => {
    fake.inject({ latencyMs: 500 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const r = await ask(client(), 'hi', { signal: abort.signal });
    assert.equal(r.status, 'cancelled');
    assert.equal(r.error?.kind, 'aborted');
  });

  it('works without a key against an endpoint that needs none', async () => {
    fake.options.apiKey = null;
    const r = await ask(client({ apiKey: undefined }));
    assert.equal(r.status, 'completed');
    assert.equal(fake.requests[0]!.headers.authorization, undefined, 'no Authorization header at all');
  });

  it('deletes a stored response', async () => {
    const r = await ask();
    await client().deleteResponse(r.responseId!);
    const del = fake.requests.find((q) => q.method === 'DELETE');
    assert.equal(del?.path, `/v1/responses/${r.responseId}`);
  });
});
