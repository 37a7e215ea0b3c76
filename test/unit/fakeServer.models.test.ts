// The fake server's models (`GET /v1/models`, its failures, unknown models, a switch of model in a chain) and
// its `assistant` answer mode for `npm start`, driven by the real `openai` SDK over HTTP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import OpenAI, { APIConnectionTimeoutError, AuthenticationError, NotFoundError } from 'openai';
import { FAKE_MODELS } from '../support/fakeModels';
import { DEFAULT_API_KEY } from '../support/fakeResponsesServer';
import { useFakeServer } from '../support/useFakeServer';
import { assertSchema } from '../support/schema';

/** A question with an attached selection, as Threadline's request builder renders a user message. */
const ATTACHED = [
  'What does this function return for 15?',
  '',
  'src/fizzbuzz.ts:L2-L7',
  '```typescript',
  'export function fizzbuzz(n: number): string {',
  "  if (n % 15 === 0) return 'FizzBuzz';",
  "  if (n % 3 === 0) return 'Fizz';",
  "  if (n % 5 === 0) return 'Buzz';",
  '  return String(n);',
  '}',
  '```',
].join('\n');

describe('fake Responses server: models and answers', function () {
  const server = useFakeServer();
  const client = server.client;

  async function setOptions(options: object): Promise<void> {
    const origin = server.fake.url.replace(/\/v1$/, '');
    const res = await fetch(`${origin}/__options`, { method: 'POST', body: JSON.stringify(options) });
    assert.equal(res.status, 200);
  }

  /** The error a promise rejects with. */
  async function failure(promise: Promise<unknown>): Promise<unknown> {
    let caught: unknown;
    await assert.rejects(promise, (err) => ((caught = err), true));
    return caught;
  }

  describe('GET /v1/models', () => {
    it('lists the model table in the API list shape, and retrieves one model', async () => {
      const res = await fetch(`${server.fake.url}/models`, { headers: { authorization: `Bearer ${DEFAULT_API_KEY}` } });
      assert.equal(res.status, 200);
      const body = await res.json();
      assertSchema('ListModelsResponse', body);
      body.data.forEach((model: unknown) => assertSchema('Model', model));

      const ids = [];
      for await (const model of client().models.list()) ids.push(model.id);
      assert.deepEqual(ids, FAKE_MODELS.map((m) => m.id));
      const one = await client().models.retrieve('o4-mini');
      assert.deepEqual({ id: one.id, object: one.object, owned_by: one.owned_by }, { id: 'o4-mini', object: 'model', owned_by: 'system' });
      const missing = await failure(client().models.retrieve('gpt-nope'));
      assert.ok(missing instanceof NotFoundError);
      assert.equal(missing.code, 'model_not_found');
    });

    it('leaves out the models told to be unknown', async () => {
      server.fake.options.unknownModels = ['o3-mini'];
      const ids = [];
      for await (const model of client().models.list()) ids.push(model.id);
      assert.equal(ids.includes('o3-mini'), false);
      assert.equal(ids.length, FAKE_MODELS.length - 1);
    });

    it('fails with 401, 404 or a hang when told to, set over the control route', async () => {
      await setOptions({ modelsEndpoint: 401 });
      const unauthorized = await failure(client().models.list());
      assert.ok(unauthorized instanceof AuthenticationError);
      assert.equal(unauthorized.code, 'invalid_api_key');
      assertSchema('ErrorResponse', { error: unauthorized.error });

      await setOptions({ modelsEndpoint: 404 });
      const notFound = await failure(client().models.list());
      assert.ok(notFound instanceof NotFoundError);
      assert.equal(notFound.message, '404 Invalid URL (GET /v1/models)');

      await setOptions({ modelsEndpoint: 'hang' });
      const started = Date.now();
      const hung = await failure(client({ timeout: 150 }).models.list());
      assert.ok(hung instanceof APIConnectionTimeoutError);
      // It waited for the client's timeout rather than failing fast; libuv's cached loop clock lets a
      // 150 ms timer fire a millisecond or two early by Date.now().
      assert.ok(Date.now() - started >= 140, `gave up after ${Date.now() - started} ms`);

      // Responses are not affected.
      const answer = await client().responses.create({ model: 'gpt-5.1', input: 'still here' });
      assert.equal(answer.output_text, 'echo#1: still here');
    });
  });

  describe('model choice', () => {
    it('answers an unknown model with 404 model_not_found naming it, with strictModels for any name outside the table', async () => {
      server.fake.options.strictModels = true;
      const err = await failure(client().responses.create({ model: 'gpt-9-turbo', input: 'x' }));
      assert.ok(err instanceof NotFoundError);
      assert.equal(err.code, 'model_not_found');
      assert.equal(err.message, '404 The model `gpt-9-turbo` does not exist or you do not have access to it.');
      assertSchema('ErrorResponse', { error: err.error });
      const known = await client().responses.create({ model: 'gpt-4.1', input: 'x' });
      assert.equal(known.status, 'completed');
    });

    it('switches model inside a chain: the follow-up names the new model and keeps the context', async () => {
      const c = client();
      const r1 = await c.responses.create({ model: 'gpt-5.1', input: 'first' });
      const r2 = await c.responses.create({ model: 'gpt-4.1', input: 'second', previous_response_id: r1.id });
      const r3 = await c.responses.create({ model: 'gpt-5.1', input: 'third', previous_response_id: r2.id });
      assertSchema('Response', r2);
      assert.deepEqual([r1.model, r2.model, r3.model], ['gpt-5.1', 'gpt-4.1', 'gpt-5.1']);
      assert.equal(r2.previous_response_id, r1.id);
      assert.deepEqual([r2.output_text, r3.output_text], ['echo#2: second', 'echo#3: third']);
      assert.deepEqual(server.fake.requests.map((r) => [r.body.model, r.body.previous_response_id]), [
        ['gpt-5.1', undefined],
        ['gpt-4.1', r1.id],
        ['gpt-5.1', r2.id],
      ]);
    });
  });

  describe('assistant answer mode (npm start)', () => {
    it('answers in Markdown about the attached file: its name, a fenced quote of its lines and a short explanation', async () => {
      server.fake.options.answerMode = 'assistant';
      const c = client();
      const first = await c.responses.create({ model: 'gpt-5.1', input: ATTACHED });
      const text = first.output_text;
      assert.match(text, /^\*\*Answer 1\.\*\* You asked: _What does this function return for 15\?_/);
      assert.ok(text.includes('In `src/fizzbuzz.ts`, lines 2–7:'), text);
      assert.ok(text.includes("```typescript\nexport function fizzbuzz(n: number): string {\n  if (n % 15 === 0) return 'FizzBuzz';"), text);
      assert.match(text, /declares `fizzbuzz`/);
      assert.match(text, /It has 3 branches and 4 `return` statements/);
      const again = await c.responses.create({ model: 'gpt-5.1', input: ATTACHED });
      assert.equal(again.output_text, text, 'the same question gets the same answer');

      const bare = await c.responses.create({ model: 'gpt-5.1', input: 'How do I reverse a string?', previous_response_id: first.id });
      assert.match(bare.output_text, /^\*\*Answer 2\.\*\* You asked: _How do I reverse a string\?_/);
      assert.match(bare.output_text, /```ts\n\/\/ A sketch for: How do I reverse a string\?\n/);
    });

    it('quotes code holding backticks inside a longer fence', async () => {
      server.fake.options.answerMode = 'assistant';
      const input = ['Explain', '', 'README.md:L1-L1', '````markdown', 'Use ```ts fences```', '````'].join('\n');
      const res = await client().responses.create({ model: 'gpt-5.1', input });
      assert.ok(res.output_text.includes('````markdown\nUse ```ts fences```\n````'), res.output_text);
      assert.match(res.output_text, /runs straight through, without branches/);
    });

    it('still recalls the first user text in recall mode', async () => {
      Object.assign(server.fake.options, { answerMode: 'assistant', recall: true });
      const c = client();
      const r1 = await c.responses.create({ model: 'gpt-5.1', input: 'my first words' });
      const r2 = await c.responses.create({ model: 'gpt-5.1', input: 'What did I say first?', previous_response_id: r1.id });
      assert.equal(r2.output_text, 'my first words');
    });
  });

  describe('command line', () => {
    const main = path.join(__dirname, '..', 'support', 'fakeServerMain.js');

    it('answers like a model with --answer assistant, as npm start runs it, and refuses a bad mode', async () => {
      assert.ok(fs.existsSync(main), `${main} is built by node esbuild.mjs`);
      const child = spawn(process.execPath, [main, '--no-auth', '--recall', '--answer', 'assistant'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = once(child, 'exit');
      try {
        const [line] = await once(readline.createInterface({ input: child.stdout }), 'line');
        const c = new OpenAI({ apiKey: 'none', baseURL: JSON.parse(line).url, maxRetries: 0 });
        const res = await c.responses.create({ model: 'gpt-5.1', input: ATTACHED });
        assert.ok(res.output_text.includes('In `src/fizzbuzz.ts`, lines 2–7:'), res.output_text);
      } finally {
        child.kill('SIGTERM');
      }
      assert.deepEqual(await exited, [0, null]);

      const bad = spawn(process.execPath, [main, '--answer', 'poetry'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      bad.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = await once(bad, 'exit');
      assert.equal(code, 2);
      assert.match(stderr, /--answer needs echo or assistant/);
    });
  });
});
