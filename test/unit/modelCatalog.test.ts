// The model picker's data: the rows it shows (recent first, then the endpoint's list, chat models first,
// then "Enter a model id…"), the per-endpoint cache of a day, and `GET /v1/models` through the real SDK
// against the fake server, including its failures, which leave typing an id possible.
import assert from 'node:assert/strict';
import { ModelCatalog, MODEL_CATALOG_KEY, MODEL_LIST_TTL_MS, type ModelChoice, modelChoices, modelDetail } from '../../src/core/modelCatalog';
import { ResponsesClient } from '../../src/core/responsesClient';
import { FAKE_MODELS } from '../support/fakeModels';
import { DEFAULT_API_KEY, startFakeServer, type FakeServer } from '../support/fakeResponsesServer';
import { MemoryMemento } from '../support/memento';

const EP = 'http://127.0.0.1:1/v1';
const ids = (cs: ModelChoice[]) => cs.map((c) => (c.kind === 'model' ? c.id : c.kind === 'section' ? `# ${c.label}` : c.kind));

describe('model picker: rows, cache and the endpoint list', () => {
  it('lists recent models (current first), then the endpoint\'s chat models, then other ids, then "Enter a model id…"', () => {
    const rows = modelChoices({
      current: 'gpt-5-mini',
      recent: ['gpt-4.1', 'gpt-5-mini', ' '],
      listed: ['text-embedding-3-small', 'gpt-5.1', 'gpt-4.1', 'whisper-1', 'my-local-model'],
      list: { state: 'loaded' },
      endpoint: EP,
    });
    assert.deepEqual(ids(rows), [
      '# Recently used', 'gpt-5-mini', 'gpt-4.1',
      `# Models at ${EP}`, 'gpt-5.1', 'my-local-model', 'text-embedding-3-small', 'whisper-1',
      'enterId',
    ]);
    const current = rows.find((r) => r.kind === 'model' && r.current);
    assert.deepEqual(current, { kind: 'model', id: 'gpt-5-mini', current: true, detail: 'reasons: minimal/low/medium/high · 400k context' });
  });

  it('says which models reason, with the efforts each accepts, and nothing for an unknown id', () => {
    assert.equal(modelDetail('gpt-5.1'), 'reasons: none/low/medium/high · 400k context');
    assert.equal(modelDetail('gpt-4.1-2025-04-14'), 'no reasoning · 1M context');
    assert.equal(modelDetail('o1-mini'), 'reasons · 128k context');
    assert.equal(modelDetail('my-local-model'), '');
  });

  it('while the list loads, and when it failed, still offers the current and recent models and typing an id', () => {
    const loading = modelChoices({ current: 'gpt-5.1', recent: [], listed: undefined, list: { state: 'loading' }, endpoint: EP });
    assert.deepEqual(ids(loading), ['# Recently used', 'gpt-5.1', 'enterId', 'status']);
    assert.deepEqual(loading.at(-1), { kind: 'status', failed: false, label: `Loading the models of ${EP}…` });
    const failed = modelChoices({ current: 'gpt-5.1', recent: ['o4-mini'], listed: undefined, list: { state: 'failed', message: 'No route (404).' }, endpoint: EP });
    assert.deepEqual(ids(failed), ['# Recently used', 'gpt-5.1', 'o4-mini', 'enterId', 'status']);
    assert.deepEqual(failed.at(-1), { kind: 'status', failed: true, label: `Could not list the models of ${EP}: No route (404). Type a model id instead.` });
  });

  it('caches each endpoint\'s list for a day, and keeps recent picks per endpoint, newest first, at most five', async () => {
    let now = 1_000_000;
    const memento = new MemoryMemento();
    const catalog = new ModelCatalog(memento, () => now);
    assert.equal(catalog.cached(EP), undefined);
    await catalog.storeList(EP, ['gpt-5.1', 'gpt-4.1']);
    assert.deepEqual(catalog.cached(EP), ['gpt-5.1', 'gpt-4.1']);
    assert.equal(catalog.cached('http://other/v1'), undefined, 'per endpoint');
    now += MODEL_LIST_TTL_MS - 1;
    assert.deepEqual(catalog.cached(EP), ['gpt-5.1', 'gpt-4.1'], 'fresh for a day');
    now += 1;
    assert.equal(catalog.cached(EP), undefined, 'stale after a day');

    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'b']) await catalog.remember(EP, id);
    assert.deepEqual(catalog.recent(EP), ['b', 'f', 'e', 'd', 'c']);
    assert.deepEqual(catalog.recent('http://other/v1'), []);
    assert.deepEqual(new ModelCatalog(memento, () => now).recent(EP), ['b', 'f', 'e', 'd', 'c'], 'kept in globalState');

    await memento.update(MODEL_CATALOG_KEY, { v: 9, junk: true });
    assert.equal(catalog.cached(EP), undefined, 'an unreadable record is an empty cache');
    await catalog.remember(EP, 'gpt-5.1');
    assert.deepEqual(catalog.recent(EP), ['gpt-5.1']);
  });

  describe('GET /v1/models through the SDK', () => {
    let fake: FakeServer;
    before(async () => {
      fake = await startFakeServer();
    });
    after(() => fake.close());
    beforeEach(() => fake.reset());
    const client = () => new ResponsesClient({ baseURL: fake.url, apiKey: DEFAULT_API_KEY, maxRetries: 2, timeoutMs: 5000 });

    it('lists the endpoint\'s model ids', async () => {
      assert.deepEqual((await client().listModels()).sort(), FAKE_MODELS.map((m) => m.id).sort());
    });

    it('a 404 (no such route) and a 401 fail once, with a message that says why', async () => {
      fake.options.modelsEndpoint = 404;
      await assert.rejects(client().listModels(), /does not list its models \(404\)/);
      fake.options.modelsEndpoint = 401;
      await assert.rejects(client().listModels(), /API key was rejected/);
      assert.equal(fake.requests.filter((r) => r.path === '/v1/models').length, 2, 'no retries: the picker does not wait on them');
    });

    it('a list that hangs is given up when the picker closes', async () => {
      fake.options.modelsEndpoint = 'hang';
      const abort = new AbortController();
      const t0 = Date.now();
      const listing = client().listModels(abort.signal);
      setTimeout(() => abort.abort(), 100);
      await assert.rejects(listing);
      assert.ok(Date.now() - t0 < 3000);
    });
  });
});
