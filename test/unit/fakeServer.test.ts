// The fake Responses server, driven by the real `openai` SDK over loopback HTTP. These tests pin both the
// fake's faithfulness (every reply and event validates against the official schema) and the SDK 7.x
// behaviour that the product relies on (errors, retries, stream failures), see responses-api.md.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { DEFAULT_API_KEY } from '../support/fakeResponsesServer';
import { useFakeServer } from '../support/useFakeServer';
import { assertEventSchema, assertSchema } from '../support/schema';

const MODEL = 'gpt-5.1';

const TEXT_STREAM_ORDER = [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.content_part.added',
  'response.output_text.delta',
  'response.output_text.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.completed',
];

describe('fake Responses server with the openai SDK', function () {
  const server = useFakeServer({ maxRetries: 2 });
  const client = server.client;

  /** GET on the API with plain fetch, for the wire JSON the SDK would reshape. */
  async function api(pathname: string): Promise<any> {
    const res = await fetch(server.fake.url + pathname, { headers: { authorization: `Bearer ${DEFAULT_API_KEY}` } });
    assert.equal(res.status, 200);
    return res.json();
  }

  /** The `x-stainless-retry-count` of every recorded request to `path`, in order. */
  function attempts(pathname = '/v1/responses'): string[] {
    return server.fake.requests.filter((r) => r.path === pathname).map((r) => String(r.headers['x-stainless-retry-count']));
  }

  describe('replies', () => {
    it('answers a non-stream request with a schema-valid Response', async () => {
      const res = await client().responses.create({ model: MODEL, input: 'Hello there', instructions: 'Be brief.' });
      assertSchema('Response', res);
      assert.equal(res.object, 'response');
      assert.equal(res.status, 'completed');
      assert.match(res.id, /^resp_[0-9a-f]+$/);
      assert.match(res.output[0].id!, /^msg_[0-9a-f]+$/);
      assert.equal(res.output_text, 'echo#1: Hello there');
      assert.equal(res.instructions, 'Be brief.');
      assert.equal(res.previous_response_id, null);
      assert.match(res._request_id ?? '', /^req_[0-9a-f]+$/);
      const chars = 'Be brief.'.length + 'Hello there'.length;
      assert.deepEqual(res.usage, {
        input_tokens: Math.ceil(chars / 4),
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: Math.ceil('echo#1: Hello there'.length / 4),
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: Math.ceil(chars / 4) + Math.ceil('echo#1: Hello there'.length / 4),
      });
    });

    it('sends JSON with x-request-id and without the SDK-only output_text', async () => {
      const res = await fetch(`${server.fake.url}/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEFAULT_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, input: 'hi' }),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
      const body = await res.json();
      assert.equal('output_text' in body, false);
      assert.equal(body.store, true);
    });

    it('streams the exact event order with sequence numbers from 0, each valid against its schema', async () => {
      server.fake.options.chunkSize = 5;
      const stream = await client().responses.create({ model: MODEL, input: 'stream me please', stream: true });
      const events = [];
      for await (const event of stream) events.push(event);

      events.forEach(assertEventSchema);
      assert.deepEqual(
        events.map((e) => e.sequence_number),
        events.map((_, i) => i),
      );
      const types = events.map((e) => e.type);
      const deltas = events.filter((e) => e.type === 'response.output_text.delta');
      assert.deepEqual(types.filter((t, i) => t !== types[i - 1]), TEXT_STREAM_ORDER);
      const text = 'echo#1: stream me please';
      assert.equal(deltas.length, Math.ceil(text.length / 5));
      assert.equal(deltas.map((d) => d.delta).join(''), text);

      const first = events[0];
      const last = events.at(-1)!;
      assert.ok(first.type === 'response.created' && last.type === 'response.completed');
      assert.equal(first.response.id, last.response.id);
      assert.equal(first.response.usage, null);
      assert.equal(last.response.usage?.output_tokens, Math.ceil(text.length / 4));
      const itemIds = new Set(events.flatMap((e) => ('item_id' in e ? [e.item_id] : 'item' in e ? [e.item.id] : [])));
      assert.deepEqual([...itemIds], [last.response.output[0].id]);
    });

    it('writes an event: line for every data: line and no [DONE]', async () => {
      const res = await fetch(`${server.fake.url}/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEFAULT_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, input: 'raw', stream: true }),
      });
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const frames = (await res.text()).split('\n\n').filter(Boolean);
      for (const frame of frames) {
        const [eventLine, dataLine] = frame.split('\n');
        const data = JSON.parse(dataLine.replace(/^data: /, ''));
        assert.equal(eventLine, `event: ${data.type}`);
      }
      assert.equal(frames.at(-1)!.startsWith('event: response.completed'), true);
    });

    it('satisfies the strict SDK 7 stream helper with reasoning, message and function call items', async () => {
      server.fake.script({
        reasoningSummary: 'Thinking it over.',
        text: 'Here you go.',
        functionCall: { name: 'lookup', arguments: '{"q":"x"}' },
      });
      const helper = client().responses.stream({ model: MODEL, input: 'go' });
      const seen: string[] = [];
      helper.on('event', (event) => {
        assertEventSchema(event);
        seen.push(event.type);
      });
      const final = await helper.finalResponse();
      assertSchema('Response', final);
      assert.equal(final.output_text, 'Here you go.');
      assert.deepEqual(
        final.output.map((item) => item.type),
        ['reasoning', 'message', 'function_call'],
      );
      assert.ok(seen.includes('response.reasoning_summary_text.delta'));
      assert.ok(seen.includes('response.function_call_arguments.done'));
      assert.equal(final.usage?.output_tokens_details.reasoning_tokens, Math.ceil('Thinking it over.'.length / 4));
    });

    it('consumes the script queue in order, then falls back to echo', async () => {
      server.fake.script({ text: 'first' }, { text: 'second' });
      const c = client();
      const texts = [];
      for (const input of ['a', 'b', 'c']) texts.push((await c.responses.create({ model: MODEL, input })).output_text);
      assert.deepEqual(texts, ['first', 'second', 'echo#1: c']);
    });
  });

  describe('chaining with previous_response_id', () => {
    it('rebuilds the context through three turns', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'one', instructions: 'sys' });
      const r2 = await c.responses.create({ model: MODEL, input: 'two', instructions: 'sys', previous_response_id: r1.id });
      const r3 = await c.responses.create({ model: MODEL, input: 'three', instructions: 'sys', previous_response_id: r2.id });
      assert.deepEqual(
        [r1, r2, r3].map((r) => r.output_text),
        ['echo#1: one', 'echo#2: two', 'echo#3: three'],
      );
      assert.equal(r3.previous_response_id, r2.id);
      assert.ok(r3.usage!.input_tokens > r2.usage!.input_tokens && r2.usage!.input_tokens > r1.usage!.input_tokens);
      assert.equal(r3.usage!.input_tokens_details.cached_tokens, r2.usage!.input_tokens);
      const sent = server.fake.requests.map((r) => r.body);
      assert.deepEqual(
        sent.map((b) => [b.input, b.previous_response_id]),
        [['one', undefined], ['two', r1.id], ['three', r2.id]],
      );
    });

    it('does not inherit instructions', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'hello', instructions: 'You are a pirate.' });
      const r2 = await c.responses.create({ model: MODEL, input: 'again', previous_response_id: r1.id });
      assert.equal(r1.instructions, 'You are a pirate.');
      assert.equal(r2.instructions, null);
      // Context = hello + r1's answer + again; the pirate instructions are not counted.
      const contextChars = 'hello'.length + r1.output_text.length + 'again'.length;
      assert.equal(r2.usage!.input_tokens, Math.ceil(contextChars / 4));
      const counted = await c.responses.inputTokens.count({ model: MODEL, input: 'again', previous_response_id: r1.id });
      assert.deepEqual(counted, { object: 'response.input_tokens', input_tokens: Math.ceil(contextChars / 4) });
      assertSchema('TokenCountsResource', counted);
    });

    it('recalls the first user text after chaining (recall mode)', async () => {
      server.fake.options.recall = true;
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'My name is Ada.' });
      const r2 = await c.responses.create({ model: MODEL, input: 'Nice weather.', previous_response_id: r1.id });
      const r3 = await c.responses.create({ model: MODEL, input: 'What did I say first?', previous_response_id: r2.id });
      assert.equal(r3.output_text, 'My name is Ada.');
      const fresh = await c.responses.create({ model: MODEL, input: 'What did I say first?' });
      assert.equal(fresh.output_text, 'What did I say first?');
    });

    it('rejects chaining to a store:false response with 400 previous_response_not_found', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'secret', store: false });
      assert.equal((r1 as { store?: boolean }).store, false); // echoed, though not in the SDK type
      const err = await rejection(c.responses.create({ model: MODEL, input: 'next', previous_response_id: r1.id }));
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'previous_response_not_found');
      assert.equal(err.param, 'previous_response_id');
      assert.equal(err.type, 'invalid_request_error');
      assert.equal(err.message, `400 Previous response with id '${r1.id}' not found.`);
      assertSchema('ErrorResponse', { error: err.error });
      assert.ok((await rejection(c.responses.retrieve(r1.id))) instanceof NotFoundError);
    });

    it('forgets everything on forget() and expired entries after ttlMs', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'a' });
      server.fake.forget();
      const forgotten = await rejection(c.responses.create({ model: MODEL, input: 'b', previous_response_id: r1.id }));
      assert.equal((forgotten as BadRequestError).code, 'previous_response_not_found');

      // The TTL is read at lookup time, so shortening it afterwards expires r2 without a race.
      server.fake.options.ttlMs = 60_000;
      const r2 = await c.responses.create({ model: MODEL, input: 'a' });
      await c.responses.create({ model: MODEL, input: 'b', previous_response_id: r2.id });
      server.fake.options.ttlMs = 20;
      await sleep(30);
      const expired = await rejection(c.responses.create({ model: MODEL, input: 'c', previous_response_id: r2.id }));
      assert.equal((expired as BadRequestError).code, 'previous_response_not_found');
    });

    it('retrieves, then deletes, after which chaining gets 400 and a second delete 404', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'a' });
      const got = await c.responses.retrieve(r1.id);
      assert.equal(got.id, r1.id);
      assert.equal(got.output_text, r1.output_text);
      await c.responses.delete(r1.id);
      const err = await rejection(c.responses.create({ model: MODEL, input: 'b', previous_response_id: r1.id }));
      assert.ok(err instanceof BadRequestError);
      const again = await rejection(c.responses.delete(r1.id));
      assert.ok(again instanceof NotFoundError);
      assert.equal(again.message, `404 Response with id '${r1.id}' not found.`);
    });

    it('sends vLLM-style 404 for an unknown previous id when notFoundStatus is 404', async () => {
      server.fake.options.notFoundStatus = 404;
      const err = await rejection(client().responses.create({ model: MODEL, input: 'x', previous_response_id: 'resp_gone' }));
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.message, "404 Response with id 'resp_gone' not found.");
      assert.equal(err.code, 404); // vLLM puts the HTTP status in `code`
      assert.equal(err.param, 'response_id');
    });

    it("rejects previous_response_id with chaining:'reject' (llama.cpp-like servers)", async () => {
      server.fake.options.chaining = 'reject';
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'a' });
      const err = await rejection(c.responses.create({ model: MODEL, input: 'b', previous_response_id: r1.id }));
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.param, 'previous_response_id');
      assert.equal(err.code, 'unsupported_parameter');
      assert.match(err.message, /^400 Unsupported parameter: 'previous_response_id'/);
    });

    it("silently ignores previous_response_id with chaining:'ignore' and echoes null", async () => {
      server.fake.options.chaining = 'ignore';
      server.fake.options.recall = true;
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'first thing' });
      const r2 = await c.responses.create({ model: MODEL, input: 'What did I say first?', previous_response_id: r1.id });
      assert.equal(r2.previous_response_id, null);
      assert.equal(r2.output_text, 'What did I say first?');
      assert.ok((await rejection(c.responses.retrieve(r1.id))) instanceof NotFoundError);
    });
  });

  describe('request errors', () => {
    it('answers an unknown model with 404 model_not_found', async () => {
      server.fake.options.unknownModels = ['gpt-nope'];
      const err = await rejection(client().responses.create({ model: 'gpt-nope', input: 'x' }));
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.code, 'model_not_found');
      assert.equal(err.message, '404 The model `gpt-nope` does not exist or you do not have access to it.');
    });

    it('validates model, input and previous_response_id with conversation', async () => {
      const c = client();
      const noModel = await rejection(c.responses.create({ input: 'x' }));
      assert.equal((noModel as BadRequestError).param, 'model');
      const noInput = await rejection(c.responses.create({ model: MODEL }));
      assert.equal((noInput as BadRequestError).param, 'input');
      const both = await rejection(
        c.responses.create({ model: MODEL, input: 'x', previous_response_id: 'resp_1', conversation: 'conv_1' }),
      );
      assert.equal((both as BadRequestError).code, 'mutually_exclusive_parameters');
      for (const err of [noModel, noInput, both]) assertSchema('ErrorResponse', { error: (err as APIError).error });
    });

    it('refuses a context over the window with 400 context_length_exceeded, unless truncation is auto', async () => {
      server.fake.options.contextWindow = 10;
      const c = client();
      const long = 'x'.repeat(60);
      const err = await rejection(c.responses.create({ model: MODEL, input: long }));
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.code, 'context_length_exceeded');
      assert.equal(err.param, 'input');
      assert.equal(
        err.message,
        '400 Your input exceeds the context window of this model. Please adjust your input and try again.',
      );
      const r1 = await c.responses.create({ model: MODEL, input: 'short one' });
      const r2 = await c.responses.create({ model: MODEL, input: 'x'.repeat(30), previous_response_id: r1.id, truncation: 'auto' });
      assert.equal(r2.status, 'completed');
      assert.ok(r2.usage!.input_tokens <= 10);
    });

    it('cuts the answer at max_output_tokens: incomplete, also when streamed', async () => {
      const answer = 'word '.repeat(40);
      server.fake.script({ text: answer }, { text: answer });
      const c = client();
      const res = await c.responses.create({ model: MODEL, input: 'x', max_output_tokens: 16 });
      assertSchema('Response', res);
      assert.equal(res.status, 'incomplete');
      assert.deepEqual(res.incomplete_details, { reason: 'max_output_tokens' });
      assert.equal(res.output_text, answer.slice(0, 64));
      assert.equal(res.output[0].type === 'message' && res.output[0].status, 'incomplete');
      assert.equal(res.usage!.output_tokens, 16);

      const events = await collect(await c.responses.create({ model: MODEL, input: 'x', max_output_tokens: 16, stream: true }));
      events.forEach(assertEventSchema);
      assert.equal(events.at(-1)!.type, 'response.incomplete');

      const tooSmall = await rejection(c.responses.create({ model: MODEL, input: 'x', max_output_tokens: 5 }));
      assert.equal((tooSmall as BadRequestError).code, 'integer_below_min_value');
    });

    it('answers an unknown route with a 404 JSON error', async () => {
      const err = await rejection(client().get('/nothing/here'));
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.message, '404 Invalid URL (GET /v1/nothing/here)');
    });
  });

  describe('auth', () => {
    it('rejects a wrong key with 401 invalid_api_key and a masked key', async () => {
      const err = await rejection(client({ apiKey: 'sk-abcdefghijkl' }).responses.create({ model: MODEL, input: 'x' }));
      assert.ok(err instanceof AuthenticationError);
      assert.equal(err.code, 'invalid_api_key');
      assert.equal(
        err.message,
        '401 Incorrect API key provided: sk-ab***kl. You can find your API key at https://platform.openai.com/account/api-keys.',
      );
      assert.deepEqual(attempts(), ['0']); // 401 is not retried
    });

    it('accepts any key when apiKey is null', async () => {
      server.fake.options.apiKey = null;
      const res = await client({ apiKey: 'whatever' }).responses.create({ model: MODEL, input: 'x' });
      assert.equal(res.status, 'completed');
    });
  });

  describe('faults before the headers', () => {
    it('retries 429 twice honouring retry-after, then succeeds', async () => {
      server.fake.inject({ status: 429, times: 2 });
      const res = await client().responses.create({ model: MODEL, input: 'x' });
      assert.equal(res.output_text, 'echo#1: x');
      assert.deepEqual(attempts(), ['0', '1', '2']);
    });

    it('gives up on a persistent 429 with RateLimitError after 3 attempts', async () => {
      server.fake.inject({ status: 429, times: Infinity });
      const err = await rejection(client().responses.create({ model: MODEL, input: 'x' }));
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.code, 'rate_limit_exceeded');
      assert.equal(err.headers?.get('retry-after'), '1');
      assert.equal(err.headers?.get('x-ratelimit-remaining-requests'), '0');
      assert.deepEqual(attempts(), ['0', '1', '2']);
      assertSchema('ErrorResponse', { error: err.error });
    });

    it('retries a 503, and obeys x-should-retry:false', async () => {
      server.fake.inject({ status: 503, headers: { 'retry-after-ms': '5' } });
      assert.equal((await client().responses.create({ model: MODEL, input: 'x' })).status, 'completed');
      assert.deepEqual(attempts(), ['0', '1']);

      server.fake.reset();
      server.fake.inject({ status: 500, shouldRetry: false });
      const err = await rejection(client().responses.create({ model: MODEL, input: 'x' }));
      assert.ok(err instanceof InternalServerError);
      assert.equal(err.type, 'server_error');
      assert.deepEqual(attempts(), ['0']);
    });

    it('matches a fault on model only', async () => {
      server.fake.inject({ status: 500, model: 'other-model', shouldRetry: false });
      const c = client();
      assert.equal((await c.responses.create({ model: MODEL, input: 'x' })).status, 'completed');
      assert.ok((await rejection(c.responses.create({ model: 'other-model', input: 'x' }))) instanceof InternalServerError);
    });

    it('retries a reset before headers, then fails with APIConnectionError', async () => {
      server.fake.inject({ resetBeforeHeaders: true });
      assert.equal((await client().responses.create({ model: MODEL, input: 'x' })).status, 'completed');
      assert.deepEqual(attempts(), ['0', '1']);

      // Without retry-after the SDK backs off 0.5 s per retry, so keep this one to a single retry.
      server.fake.reset();
      server.fake.inject({ resetBeforeHeaders: true, times: 2 });
      const err = await rejection(client({ maxRetries: 1 }).responses.create({ model: MODEL, input: 'x' }));
      assert.ok(err instanceof APIConnectionError);
      assert.equal(err.message, 'Connection error.');
      assert.deepEqual(attempts(), ['0', '1']);
    });

    it('times out with APIConnectionTimeoutError on latency beyond the SDK timeout', async () => {
      server.fake.inject({ latencyMs: 100 });
      server.fake.script({ text: 'never sent' });
      const err = await rejection(client({ timeout: 20, maxRetries: 0 }).responses.create({ model: MODEL, input: 'x' }));
      assert.ok(err instanceof APIConnectionTimeoutError);
      // The server drops the abandoned request after its latency instead of answering it late.
      await sleep(150);
      assert.equal((await client().responses.create({ model: MODEL, input: 'y' })).output_text, 'never sent');
    });
  });

  describe('faults mid-stream', () => {
    it('hard drop: the raw iterator throws a non-APIError after the flushed deltas', async () => {
      server.fake.inject({ dropAfterDeltas: 2 });
      const seen: string[] = [];
      const stream = await client().responses.create({ model: MODEL, input: 'a long enough input', stream: true });
      const err = await rejection(
        (async () => {
          for await (const event of stream) seen.push(event.type);
        })(),
      );
      assert.equal(err instanceof APIError, false);
      assert.equal((err as Error).message, 'terminated');
      assert.equal(seen.filter((t) => t === 'response.output_text.delta').length, 2);
      assert.equal(server.fake.streams[0].outcome, 'dropped');
      assert.equal(server.fake.streams[0].sentText, 'echo#1: '.slice(0, 8));
      assert.deepEqual(attempts(), ['0']); // a started stream is never retried
    });

    it('graceful drop: the iterator ends without a terminal event, the helper resolves in_progress', async () => {
      server.fake.inject({ dropAfterDeltas: 1, graceful: true, times: 2 });
      const events = await collect(await client().responses.create({ model: MODEL, input: 'x', stream: true }));
      assert.equal(events.at(-1)!.type, 'response.output_text.delta');
      const partial = await client().responses.stream({ model: MODEL, input: 'x' }).finalResponse();
      assert.equal(partial.status, 'in_progress');
      assert.equal(server.fake.streams[1].outcome, 'ended');
    });

    it('event: error makes the SDK 7 raw iterator throw APIError', async () => {
      server.fake.inject({ errorEventAfterDeltas: 1, error: { message: 'Boom.' } });
      const stream = await client().responses.create({ model: MODEL, input: 'x', stream: true });
      const err = await rejection(collect(stream));
      assert.ok(err instanceof APIError);
      assert.equal(err.status, undefined);
      assert.equal(err.code, 'server_error');
      assert.equal(err.message, 'Boom.');
      assert.equal(server.fake.streams[0].outcome, 'error_event');
    });

    it('without event: lines the error payload is yielded as an ordinary event', async () => {
      server.fake.inject({ errorEventAfterDeltas: 1, malformed: 'noEventLines' });
      const events = await collect(await client().responses.create({ model: MODEL, input: 'x', stream: true }));
      const last = events.at(-1)!;
      assert.equal(last.type, 'error');
      assertEventSchema(last);
    });

    it('response.failed is yielded, not thrown, and stored as failed', async () => {
      server.fake.inject({ failAfterDeltas: 1, error: { code: 'context_length_exceeded' } });
      const events = await collect(await client().responses.create({ model: MODEL, input: 'x', stream: true }));
      events.forEach(assertEventSchema);
      const last = events.at(-1)!;
      assert.ok(last.type === 'response.failed');
      assert.equal(last.response.status, 'failed');
      assert.deepEqual(last.response.error, {
        code: 'context_length_exceeded',
        message: 'Your input exceeds the context window of this model. Please adjust your input and try again.',
      });

      server.fake.inject({ failAfterDeltas: 0 });
      const final = await client().responses.stream({ model: MODEL, input: 'x' }).finalResponse();
      assert.equal(final.status, 'failed');
      assert.equal(final.error?.code, 'server_error');
      assert.equal((await client().responses.retrieve(final.id)).status, 'failed');
    });

    it('bad JSON in a data: line makes the SDK throw a SyntaxError', async () => {
      server.fake.inject({ malformed: 'badJson' });
      const quiet = client({ logLevel: 'off' }); // the SDK logs the bad chunk with console.error
      const err = await rejection(collect(await quiet.responses.create({ model: MODEL, input: 'x', stream: true })));
      assert.ok(err instanceof SyntaxError);
      assert.equal(err.message, 'Error reading response: malformed server-sent event JSON.');
    });

    it('an abort mid-stream closes the socket the server sees; nothing is stored by default', async () => {
      server.fake.inject({ slowDeltaMs: 20 });
      const controller = new AbortController();
      const stream = await client().responses.create(
        { model: MODEL, input: 'abort me please, slowly', stream: true },
        { signal: controller.signal },
      );
      let id = '';
      for await (const event of stream) {
        if (event.type === 'response.created') id = event.response.id;
        if (event.type === 'response.output_text.delta') controller.abort();
      }
      await waitFor(() => server.fake.streams[0].outcome === 'client_closed');
      const { deltas, sentText, text } = server.fake.streams[0];
      assert.ok(deltas >= 1 && sentText.length < text.length, `stopped after ${deltas} deltas`);
      assert.ok((await rejection(client().responses.retrieve(id))) instanceof NotFoundError);
    });

    it('with storeOnDisconnect an aborted response is stored as completed', async () => {
      server.fake.options.storeOnDisconnect = true;
      server.fake.inject({ slowDeltaMs: 20 });
      const controller = new AbortController();
      const helper = client().responses.stream({ model: MODEL, input: 'abort me please' }, { signal: controller.signal });
      helper.on('response.output_text.delta', () => controller.abort());
      const err = await rejection(helper.finalResponse());
      assert.ok(err instanceof APIUserAbortError, String(err));
      await waitFor(() => server.fake.streams[0].outcome === 'client_closed');
      const stored = await client().responses.retrieve(server.fake.streams[0].responseId);
      assert.equal(stored.status, 'completed');
      assert.equal(stored.output_text, server.fake.streams[0].text);
    });
  });

  describe('other endpoints', () => {
    it('pages input_items newest first with after, and oldest first with order=asc', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: MODEL, input: 'one' });
      const r2 = await c.responses.create({
        model: MODEL,
        previous_response_id: r1.id,
        input: [
          { role: 'user', content: 'two' },
          { role: 'user', content: [{ type: 'input_text', text: 'three' }] },
        ],
      });
      const items = [];
      for await (const item of c.responses.inputItems.list(r2.id, { limit: 2 })) items.push(item);
      const texts = items.map((item) => (item.type === 'message' ? (item.content[0] as { text: string }).text : ''));
      assert.deepEqual(texts, ['three', 'two', r1.output_text, 'one']);
      assert.ok(items.every((item) => /^msg_/.test(item.id)));
      assert.deepEqual(attempts(`/v1/responses/${r2.id}/input_items?limit=2`), ['0']);

      const page = await api(`/responses/${r2.id}/input_items?order=asc&limit=3`);
      assertSchema('ResponseItemList', page);
      assert.equal(page.has_more, true);
      assert.deepEqual(
        page.data.map((item: { id: string }) => item.id),
        items.slice(1).reverse().map((item) => item.id),
      );
      assert.equal(page.first_id, items[3].id);
    });

    it('cancels only background responses', async () => {
      server.fake.options.interDeltaDelayMs = 1000; // keeps it queued until the cancel, however slow the machine
      const c = client();
      const sync = await c.responses.create({ model: MODEL, input: 'x' });
      assert.ok((await rejection(c.responses.cancel(sync.id))) instanceof BadRequestError);
      const queued = await c.responses.create({ model: MODEL, input: 'x', background: true });
      assert.equal(queued.status, 'queued');
      const cancelled = await c.responses.cancel(queued.id);
      assert.equal(cancelled.status, 'cancelled');
      assertSchema('Response', cancelled);
      assert.ok((await rejection(c.responses.cancel('resp_unknown'))) instanceof NotFoundError);
    });

    it('completes a background response, which GET then returns', async () => {
      const c = client();
      const queued = await c.responses.create({ model: MODEL, input: 'later', background: true });
      await waitFor(async () => (await c.responses.retrieve(queued.id)).status === 'completed');
      assert.equal((await c.responses.retrieve(queued.id)).output_text, 'echo#1: later');
    });

    it('replays a stored stream with GET ?stream=true&starting_after=n', async () => {
      const c = client();
      const original = await collect(await c.responses.create({ model: MODEL, input: 'replay', stream: true }));
      const id = original[0].type === 'response.created' ? original[0].response.id : '';
      const replay = await collect(await c.responses.retrieve(id, { stream: true, starting_after: 3 }));
      replay.forEach(assertEventSchema);
      assert.deepEqual(
        replay.map((e) => [e.sequence_number, e.type]),
        original.slice(4).map((e) => [e.sequence_number, e.type]),
      );
    });
  });

  describe('HTTP control routes (for tests in another process)', () => {
    async function control(route: string, body?: unknown): Promise<any> {
      const origin = server.fake.url.replace(/\/v1$/, '');
      const res = await fetch(origin + route, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
      assert.equal(res.status, 200);
      return res.json();
    }

    it('injects faults and scripts, reads requests, forgets and resets without auth', async () => {
      await control('/__fault', { status: 500, shouldRetry: false });
      await control('/__script', [{ text: 'scripted' }]);
      const c = client();
      assert.ok((await rejection(c.responses.create({ model: MODEL, input: 'x' }))) instanceof InternalServerError);
      const r1 = await c.responses.create({ model: MODEL, input: 'x' });
      assert.equal(r1.output_text, 'scripted');

      const requests = await control('/__requests');
      assert.deepEqual(
        requests.map((r: { method: string; path: string; body: { input: string } }) => [r.method, r.path, r.body.input]),
        [['POST', '/v1/responses', 'x'], ['POST', '/v1/responses', 'x']],
      );
      assert.equal(requests[0].headers.authorization, `Bearer ${DEFAULT_API_KEY}`);

      await control('/__forget', {});
      const err = await rejection(c.responses.create({ model: MODEL, input: 'y', previous_response_id: r1.id }));
      assert.equal((err as BadRequestError).code, 'previous_response_not_found');

      await control('/__options', { chaining: 'reject' });
      assert.equal(server.fake.options.chaining, 'reject');
      await control('/__reset', {});
      assert.equal(server.fake.options.chaining, undefined);
      assert.deepEqual(await control('/__requests'), []);
    });
  });

  describe('command line', () => {
    const main = path.join(__dirname, '..', 'support', 'fakeServerMain.js');

    it('prints its address as one JSON line, serves, and stops on SIGTERM', async function () {
      if (!fs.existsSync(main)) this.skip();
      const args = [main, '--no-auth', '--recall', '--chunk', '3'];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = once(child, 'exit');
      try {
        const [line] = await once(readline.createInterface({ input: child.stdout }), 'line');
        const info = JSON.parse(line);
        assert.equal(info.pid, child.pid);
        assert.equal(info.url, `http://127.0.0.1:${info.port}/v1`);
        const c = new OpenAI({ apiKey: 'none', baseURL: info.url, maxRetries: 0 });
        const r1 = await c.responses.create({ model: MODEL, input: 'first words' });
        const r2 = await c.responses.create({ model: MODEL, input: 'What did I say first?', previous_response_id: r1.id });
        assert.equal(r2.output_text, 'first words');
      } finally {
        child.kill('SIGTERM');
      }
      assert.deepEqual(await exited, [0, null]);
    });
  });
});

// ---- helpers ----

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The error a promise rejects with; fails when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await sleep(5);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
