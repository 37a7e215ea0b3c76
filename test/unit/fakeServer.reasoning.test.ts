// The fake server's reasoning models, encrypted reasoning and its replay checks, prompt caching, compaction and
// servers that refuse the newer parameters, driven by the real `openai` SDK over HTTP. Every reply, event and
// error is checked against the vendored OpenAPI schema.
import assert from 'node:assert/strict';
import OpenAI, { APIError, BadRequestError } from 'openai';
import type {
  Response,
  ResponseInputItem,
  ResponseOutputItem,
  ResponseReasoningItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import type { RejectableParameter } from '../support/fakeResponsesServer';
import { useFakeServer } from '../support/useFakeServer';
import { assertEventSchema, assertSchema } from '../support/schema';

const REASONING_STREAM_ORDER = [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.reasoning_summary_part.added',
  'response.reasoning_summary_text.delta',
  'response.reasoning_summary_text.done',
  'response.reasoning_summary_part.done',
  'response.output_item.done',
  'response.output_item.added',
  'response.content_part.added',
  'response.output_text.delta',
  'response.output_text.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.completed',
];

const ENCRYPTED = ['reasoning.encrypted_content' as const];

describe('fake Responses server: reasoning, replay, caching, compaction', function () {
  const server = useFakeServer();
  const client = server.client;

  async function streamEvents(body: Parameters<OpenAI['responses']['create']>[0]): Promise<ResponseStreamEvent[]> {
    const stream = await client().responses.create({ ...body, stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    events.forEach(assertEventSchema);
    return events;
  }

  /** Asserts a 400 with this `param` and `code` whose body is a schema-valid error; returns the error. */
  async function badRequest(promise: Promise<unknown>, param: string | null, code: string | null): Promise<BadRequestError> {
    let caught: unknown;
    await assert.rejects(promise, (err) => ((caught = err), true));
    assert.ok(caught instanceof BadRequestError, `expected a 400, got ${String(caught)}`);
    assert.equal(caught.param, param);
    assert.equal(caught.code, code);
    assertSchema('ErrorResponse', { error: caught.error });
    return caught;
  }

  /** The response's output items as replayable input items. */
  function replayable(response: Response): ResponseInputItem[] {
    return response.output as ResponseInputItem[];
  }

  describe('reasoning models', () => {
    it('streams a reasoning item with summary events before the answer, which carries phase final_answer', async () => {
      server.fake.options.chunkSize = 8;
      const events = await streamEvents({ model: 'gpt-5-mini', input: 'Why is the sky blue?', reasoning: { effort: 'low', summary: 'auto' } });
      const types = events.map((e) => e.type);
      assert.deepEqual(types.filter((t, i) => t !== types[i - 1]), REASONING_STREAM_ORDER);
      assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));

      const final = events.at(-1)!;
      assert.ok(final.type === 'response.completed');
      assertSchema('Response', final.response);
      const [reasoning, message] = final.response.output;
      assert.ok(reasoning.type === 'reasoning' && message.type === 'message');
      assert.match(reasoning.id, /^rs_[0-9a-f]+$/);
      const summary = reasoning.summary[0].text;
      assert.match(summary, /^\*\*Reading the question\*\*\n\nThe user asks: "Why is the sky blue\?"/);
      const deltas = events.filter((e) => e.type === 'response.reasoning_summary_text.delta');
      assert.equal(deltas.map((e) => e.delta).join(''), summary);
      assert.ok(deltas.every((e) => e.item_id === reasoning.id && e.output_index === 0 && e.summary_index === 0));
      assert.equal(message.phase, 'final_answer');
      assert.equal(message.content[0].type === 'output_text' && message.content[0].text, 'echo#1: Why is the sky blue?');

      // effort low = 32 hidden tokens, plus the summary; both are output tokens.
      const reasoningTokens = Math.ceil((32 * 4 + summary.length) / 4);
      assert.equal(final.response.usage?.output_tokens_details.reasoning_tokens, reasoningTokens);
      const answerTokens = Math.ceil('echo#1: Why is the sky blue?'.length / 4);
      assert.ok(final.response.usage!.output_tokens >= reasoningTokens + answerTokens - 1);
      assert.deepEqual(final.response.reasoning, { effort: 'low', summary: 'auto' });
    });

    it('gives two summary parts for detailed, and an empty summary when none is asked', async () => {
      const c = client();
      const detailed = await c.responses.create({ model: 'o4-mini', input: 'q', reasoning: { summary: 'detailed' } });
      assertSchema('Response', detailed);
      const first = detailed.output[0];
      assert.ok(first.type === 'reasoning');
      assert.equal(first.summary.length, 2);

      const events = await streamEvents({ model: 'o4-mini', input: 'q' });
      assert.equal(events.some((e) => e.type.startsWith('response.reasoning_summary')), false);
      const done = events.find((e) => e.type === 'response.output_item.done' && e.item.type === 'reasoning');
      assert.ok(done?.type === 'response.output_item.done' && done.item.type === 'reasoning');
      assert.deepEqual(done.item.summary, []);
      const final = events.at(-1)!;
      assert.ok(final.type === 'response.completed');
      // o4-mini defaults to effort medium: 64 hidden tokens.
      assert.equal(final.response.usage?.output_tokens_details.reasoning_tokens, 64);
      assert.deepEqual(final.response.reasoning, { effort: 'medium', summary: null });
    });

    it('reasons without summaries on o3-mini and on a model named in noSummaryModels', async () => {
      const c = client();
      for (const model of ['o3-mini', 'gpt-5-mini']) {
        if (model === 'gpt-5-mini') server.fake.options.noSummaryModels = ['gpt-5-mini'];
        const res = await c.responses.create({ model, input: 'q', reasoning: { effort: 'high', summary: 'auto' } });
        assertSchema('Response', res);
        const [reasoning] = res.output;
        assert.ok(reasoning.type === 'reasoning', model);
        assert.deepEqual(reasoning.summary, [], model);
        assert.equal(res.usage?.output_tokens_details.reasoning_tokens, 128, model);
      }
    });

    it('does not reason on gpt-5.1 by default (effort none), and does when an effort is asked', async () => {
      const c = client();
      const plain = await c.responses.create({ model: 'gpt-5.1', input: 'q' });
      assert.deepEqual(plain.output.map((item) => item.type), ['message']);
      assert.equal(plain.output[0].type === 'message' && plain.output[0].phase, undefined);
      assert.equal(plain.usage?.output_tokens_details.reasoning_tokens, 0);
      assert.deepEqual(plain.reasoning, { effort: 'none', summary: null });

      const reasoned = await c.responses.create({ model: 'gpt-5.1', input: 'q', reasoning: { effort: 'medium' } });
      assert.deepEqual(reasoned.output.map((item) => item.type), ['reasoning', 'message']);
      assert.equal(reasoned.usage?.output_tokens_details.reasoning_tokens, 64);
    });

    it('refuses an effort the model does not accept, and reasoning on a model that does not reason', async () => {
      const c = client();
      const minimal = await badRequest(
        c.responses.create({ model: 'gpt-5.1', input: 'q', reasoning: { effort: 'minimal' } }),
        'reasoning.effort',
        'unsupported_value',
      );
      assert.equal(
        minimal.message,
        "400 Unsupported value: 'minimal' is not supported with the 'gpt-5.1' model. Supported values are: 'none', 'low', 'medium', and 'high'.",
      );
      await badRequest(c.responses.create({ model: 'o4-mini', input: 'q', reasoning: { effort: 'none' } }), 'reasoning.effort', 'unsupported_value');
      const notReasoning = await badRequest(
        c.responses.create({ model: 'gpt-4.1', input: 'q', reasoning: { effort: 'low' } }),
        'reasoning.effort',
        'unsupported_parameter',
      );
      assert.equal(notReasoning.message, "400 Unsupported parameter: 'reasoning.effort' is not supported with this model.");
      // A model outside the table is served like a local server's: the parameter is ignored.
      const local = await c.responses.create({ model: 'my-local-model', input: 'q', reasoning: { effort: 'high' } });
      assert.deepEqual(local.output.map((item) => item.type), ['message']);
    });

    it('keeps the reasoning of a chain on the server, also across a switch of model', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: 'gpt-5-mini', input: 'first', reasoning: { effort: 'low' } });
      const r2 = await c.responses.create({ model: 'o4-mini', input: 'second', previous_response_id: r1.id });
      assert.equal(r2.model, 'o4-mini');
      assert.equal(r2.output_text, 'echo#2: second');
      const items = await c.responses.inputItems.list(r2.id, { order: 'asc' });
      assert.deepEqual(
        items.data.map((item) => item.id),
        [items.data[0].id, ...r1.output.map((item) => item.id), items.data.at(-1)!.id],
      );
      assert.equal(items.data[1].type, 'reasoning');
    });
  });

  describe('encrypted reasoning and replay', () => {
    async function sealedTurn(model = 'gpt-5-mini'): Promise<Response> {
      return client().responses.create({
        model,
        input: 'first question',
        store: false,
        include: ENCRYPTED,
        reasoning: { effort: 'low', summary: 'auto' },
      });
    }

    it('seals reasoning with include, sends it only on output_item.done, and accepts it back in input', async () => {
      const events = await streamEvents({ model: 'gpt-5-mini', input: 'q', store: false, include: ENCRYPTED, reasoning: { summary: 'auto' } });
      const added = events.find((e) => e.type === 'response.output_item.added' && e.item.type === 'reasoning');
      const done = events.find((e) => e.type === 'response.output_item.done' && e.item.type === 'reasoning');
      assert.ok(added?.type === 'response.output_item.added' && added.item.type === 'reasoning');
      assert.ok(done?.type === 'response.output_item.done' && done.item.type === 'reasoning');
      assert.equal(added.item.encrypted_content, undefined);
      const sealed = done.item.encrypted_content ?? '';
      assert.match(sealed, /^[A-Za-z0-9+/]+=*$/);
      assert.equal(sealed.includes('question'), false);
      assert.equal(Buffer.from(sealed, 'base64').toString('utf8').includes('Reading'), false);

      const r1 = await sealedTurn();
      const r2 = await client().responses.create({
        model: 'gpt-5-mini',
        store: false,
        include: ENCRYPTED,
        input: [{ role: 'user', content: 'first question' }, ...replayable(r1), { role: 'user', content: 'second question' }],
      });
      assertSchema('Response', r2);
      assert.equal(r2.output_text, 'echo#2: second question');
    });

    it('without include, a reasoning item has no encrypted_content', async () => {
      const res = await client().responses.create({ model: 'gpt-5-mini', input: 'q', reasoning: { effort: 'low' } });
      const [reasoning] = res.output;
      assert.ok(reasoning.type === 'reasoning');
      assert.equal(reasoning.encrypted_content, undefined);
    });

    it('refuses tampered encrypted content, and encrypted content sent to another model family', async () => {
      const r1 = await sealedTurn();
      const [reasoning, message] = replayable(r1) as [ResponseReasoningItem, ResponseInputItem];
      const blob = reasoning.encrypted_content ?? '';
      const flipped = blob.slice(0, 20) + (blob[20] === 'A' ? 'B' : 'A') + blob.slice(21);
      const input = (item: ResponseInputItem): ResponseInputItem[] => [
        { role: 'user', content: 'first question' },
        item,
        message,
        { role: 'user', content: 'again' },
      ];
      const tampered = await badRequest(
        client().responses.create({ model: 'gpt-5-mini', store: false, input: input({ ...reasoning, encrypted_content: flipped }) }),
        null,
        'invalid_encrypted_content',
      );
      assert.equal(tampered.message, `400 The encrypted content ${flipped.slice(0, 4)}...${flipped.slice(-4)} could not be verified.`);
      await badRequest(
        client().responses.create({ model: 'o4-mini', store: false, input: input(reasoning) }),
        null,
        'invalid_encrypted_content',
      );
      // The same family accepts it.
      const same = await client().responses.create({ model: 'gpt-5-mini', store: false, input: input(reasoning) });
      assert.equal(same.status, 'completed');
    });

    it('refuses a reasoning item without the item that followed it, and that item without its reasoning', async () => {
      const r1 = await sealedTurn();
      const [reasoning, message] = r1.output as [ResponseOutputItem, ResponseOutputItem];
      const user = (text: string): ResponseInputItem => ({ role: 'user', content: text });
      const orphan = await badRequest(
        client().responses.create({ model: 'gpt-5-mini', store: false, input: [user('a'), reasoning as ResponseInputItem, user('b')] }),
        'input',
        null,
      );
      assert.equal(orphan.message, `400 Item '${reasoning.id}' of type 'reasoning' was provided without its required following item.`);
      const alone = await badRequest(
        client().responses.create({ model: 'gpt-5-mini', store: false, input: [user('a'), message as ResponseInputItem, user('b')] }),
        'input',
        null,
      );
      assert.equal(alone.message, `400 Item '${message.id}' of type 'message' was provided without its required 'reasoning' item.`);
      // Without its id the answer is plain text, which needs no reasoning.
      const text = r1.output_text;
      const plain = await client().responses.create({
        model: 'gpt-5-mini',
        store: false,
        input: [user('a'), { role: 'assistant', content: text }, user('b')],
      });
      assert.equal(plain.output_text, 'echo#2: b');
    });

    it('accepts a reasoning item by id alone only while its response is stored', async () => {
      const c = client();
      const stored = await c.responses.create({ model: 'gpt-5-mini', input: 'a', reasoning: { effort: 'low' } });
      const [reasoning, message] = stored.output;
      assert.ok(reasoning.type === 'reasoning');
      const byId: ResponseInputItem[] = [{ type: 'reasoning', id: reasoning.id, summary: [] }, message as ResponseInputItem, { role: 'user', content: 'b' }];
      const ok = await c.responses.create({ model: 'gpt-5-mini', input: [{ role: 'user', content: 'a' }, ...byId] });
      assert.equal(ok.status, 'completed');

      const unstored = await c.responses.create({ model: 'gpt-5-mini', input: 'a', store: false, reasoning: { effort: 'low' } });
      const id = unstored.output[0].id!;
      const err = await badRequest(
        c.responses.create({ model: 'gpt-5-mini', input: [{ type: 'reasoning', id, summary: [] }, unstored.output[1] as ResponseInputItem] }),
        'input',
        null,
      );
      assert.match(err.message, new RegExp(`^400 Item with id '${id}' not found\\. Items are not persisted when \`store\` is set to false\\.`));
    });
  });

  describe('prompt_cache_key', () => {
    it('echoes the key, and counts the prefix shared with the last prompt under the same key as cached', async () => {
      const c = client();
      const first = 'a'.repeat(400);
      const r1 = await c.responses.create({ model: 'gpt-5.1', input: first, store: false, prompt_cache_key: 'conv-1' });
      assertSchema('Response', r1);
      assert.equal(r1.prompt_cache_key, 'conv-1');
      assert.equal(r1.usage?.input_tokens_details.cached_tokens, 0);

      const replay: ResponseInputItem[] = [
        { role: 'user', content: first },
        { role: 'assistant', content: r1.output_text },
        { role: 'user', content: 'next' },
      ];
      const r2 = await c.responses.create({ model: 'gpt-5.1', input: replay, store: false, prompt_cache_key: 'conv-1' });
      assert.equal(r2.usage?.input_tokens_details.cached_tokens, 100);
      const r3 = await c.responses.create({ model: 'gpt-5.1', input: replay, store: false, prompt_cache_key: 'conv-1' });
      assert.equal(r3.usage?.input_tokens_details.cached_tokens, r3.usage?.input_tokens);
      const other = await c.responses.create({ model: 'gpt-5.1', input: replay, store: false, prompt_cache_key: 'conv-2' });
      assert.equal(other.usage?.input_tokens_details.cached_tokens, 0);
      const none = await c.responses.create({ model: 'gpt-5.1', input: replay, store: false });
      assert.equal(none.usage?.input_tokens_details.cached_tokens, 0);
      assert.equal('prompt_cache_key' in none, false);
      assert.deepEqual(server.fake.requests.map((r) => r.body.prompt_cache_key), ['conv-1', 'conv-1', 'conv-1', 'conv-2', undefined]);
    });
  });

  describe('context windows and compaction', () => {
    const compaction = [{ type: 'compaction', compact_threshold: 1000 }] as const;

    it('compacts a chain over compact_threshold into one compaction item that keeps the user texts', async () => {
      server.fake.options.recall = true;
      server.fake.options.chunkSize = 1000;
      const c = client();
      const r1 = await c.responses.create({ model: 'gpt-5.1', input: 'a'.repeat(2400) });
      const events = await streamEvents({
        model: 'gpt-5.1',
        input: 'b'.repeat(2400),
        previous_response_id: r1.id,
        context_management: [...compaction],
      });
      const r2 = events.at(-1)!;
      assert.ok(r2.type === 'response.completed');
      assertSchema('Response', r2.response);
      const [item, answer] = r2.response.output;
      assert.ok(item.type === 'compaction', 'the compaction item comes first');
      assert.match(item.id, /^cmp_[0-9a-f]+$/);
      assert.equal(typeof item.encrypted_content, 'string');
      assert.equal(answer.type, 'message');
      assert.ok(r2.response.usage!.input_tokens < 1000);
      assert.deepEqual(events.filter((e) => e.type === 'response.output_item.added').map((e) => e.type === 'response.output_item.added' && e.item.type), ['compaction', 'message']);

      // The next turn chains from the compaction: it still knows what was said first.
      const r3 = await c.responses.create({ model: 'gpt-5.1', input: 'What did I say first?', previous_response_id: r2.response.id });
      assert.equal(r3.output_text, 'a'.repeat(2400));
      assert.ok(r3.usage!.input_tokens < 1000);

      // Replayed statelessly, the compaction item stands for everything before it; a changed one is refused.
      const replayed = await c.responses.create({
        model: 'gpt-5.1',
        store: false,
        input: [item as ResponseInputItem, { role: 'user', content: 'What did I say first?' }],
      });
      assert.equal(replayed.output_text, 'a'.repeat(2400));
      const blob = item.encrypted_content;
      const changed = { ...item, encrypted_content: blob.slice(0, 30) + (blob[30] === 'A' ? 'B' : 'A') + blob.slice(31) };
      await badRequest(
        c.responses.create({ model: 'gpt-5.1', store: false, input: [changed as ResponseInputItem, { role: 'user', content: 'x' }] }),
        null,
        'invalid_encrypted_content',
      );
    });

    it("enforces each model's window: over it a switch gets context_length_exceeded, unless compaction is on", async () => {
      server.fake.options.contextWindow = 'model';
      server.fake.script({ text: 'ok' });
      const c = client();
      // About 202,500 tokens: within gpt-4.1's window (1,047,576), over o4-mini's (200,000).
      const r1 = await c.responses.create({ model: 'gpt-4.1', input: 'x'.repeat(810_000) });
      assert.equal(r1.status, 'completed');
      const err = await badRequest(
        c.responses.create({ model: 'o4-mini', input: 'go on', previous_response_id: r1.id }),
        'input',
        'context_length_exceeded',
      );
      assert.equal(err.message, '400 Your input exceeds the context window of this model. Please adjust your input and try again.');
      // No threshold: compaction starts at 90% of the model's window.
      const r2 = await c.responses.create({
        model: 'o4-mini',
        input: 'go on',
        previous_response_id: r1.id,
        context_management: [{ type: 'compaction' }],
      });
      assert.equal(r2.status, 'completed');
      assert.equal(r2.output[0].type, 'compaction');
    });

    it('compacts a chain with POST /responses/compact, whose output is the next input', async () => {
      server.fake.options.recall = true;
      const c = client();
      const r1 = await c.responses.create({ model: 'gpt-5-mini', input: 'my first words', reasoning: { effort: 'low' } });
      const r2 = await c.responses.create({ model: 'gpt-5-mini', input: 'y'.repeat(4000), previous_response_id: r1.id });
      const compacted = await c.responses.compact({ model: 'gpt-5-mini', previous_response_id: r2.id });
      const wire = JSON.parse(JSON.stringify(compacted));
      assertSchema('CompactResource', wire);
      assert.equal(compacted.object, 'response.compaction');
      assert.deepEqual(compacted.output.map((item) => item.type), ['message', 'message', 'compaction']);
      // It read the whole chain, r2's answer included.
      assert.ok(compacted.usage.input_tokens > r2.usage!.input_tokens);

      const next = await c.responses.create({
        model: 'gpt-5-mini',
        store: false,
        input: [...(compacted.output as ResponseInputItem[]), { role: 'user', content: 'What did I say first?' }],
      });
      assert.equal(next.output_text, 'my first words');
      assert.ok(next.usage!.input_tokens < r2.usage!.input_tokens);

      await badRequest(c.responses.compact({ input: 'x' } as never), 'model', 'missing_required_parameter');
    });

    it('validates context_management', async () => {
      const c = client();
      await badRequest(
        c.responses.create({ model: 'gpt-5.1', input: 'q', context_management: [{ type: 'summarize' }] }),
        'context_management[0].type',
        'invalid_value',
      );
      await badRequest(
        c.responses.create({ model: 'gpt-5.1', input: 'q', context_management: [{ type: 'compaction', compact_threshold: 10 }] }),
        'context_management[0].compact_threshold',
        'integer_below_min_value',
      );
      const under = await c.responses.create({ model: 'gpt-5.1', input: 'q', context_management: [...compaction] });
      assert.deepEqual(under.output.map((item) => item.type), ['message']);
    });
  });

  describe('servers that refuse the newer parameters', () => {
    const withParameter: Record<RejectableParameter, Record<string, unknown>> = {
      reasoning: { reasoning: { effort: 'low' } },
      include: { include: ENCRYPTED },
      prompt_cache_key: { prompt_cache_key: 'conv-1' },
      context_management: { context_management: [{ type: 'compaction' }] },
    };

    for (const [param, extra] of Object.entries(withParameter) as Array<[RejectableParameter, Record<string, unknown>]>) {
      it(`answers 400 naming ${param} when told to refuse it, and serves requests without it`, async () => {
        const origin = server.fake.url.replace(/\/v1$/, '');
        const set = await fetch(`${origin}/__options`, { method: 'POST', body: JSON.stringify({ rejectParameters: [param] }) });
        assert.equal(set.status, 200);
        const c = client();
        const err = await badRequest(c.responses.create({ model: 'gpt-5-mini', input: 'q', ...extra }), param, 'unsupported_parameter');
        assert.equal(err.message, `400 Unsupported parameter: '${param}' is not supported by this server.`);
        assert.ok(err instanceof APIError);
        const plain = await c.responses.create({ model: 'gpt-5-mini', input: 'q' });
        assert.equal(plain.status, 'completed');
      });
    }
  });
});
