// The transcript log and the per-workspace index: append-only, crash-tolerant, never blocking startup.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EndpointCapabilities } from '../../src/core/endpointCapabilities';
import { ConversationStore, indexKey } from '../../src/core/store/conversationStore';
import { nodeFileSystem } from '../../src/core/store/fileSystem';
import { MemoryMemento } from '../support/memento';
import { turnRecord } from '../support/turns';

const WS = 'ws-test';

const turn = turnRecord;

describe('store: transcript log and workspace index', () => {
  let root: string;
  let memento: MemoryMemento;
  const open = async () => {
    const s = new ConversationStore(nodeFileSystem, root, memento, WS);
    await s.open();
    return s;
  };
  const fileOf = (id: string) => path.join(root, 'conversations', WS, `${id}.jsonl`);

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tl-store-'));
    memento = new MemoryMemento();
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('round-trips conversations, turns, head and title across a reopen', async () => {
    const s = await open();
    const c = await s.create({ title: 'First' });
    await s.putTurn(c, turn('a', null));
    await s.putTurn(c, turn('b', 'a'));
    await s.putTurn(c, turn('b2', 'a'));
    await s.setHead(c, 'b');
    await s.rename(c, 'Renamed');
    const again = await open();
    assert.equal(again.activeId, c.id);
    const loaded = (await again.load(c.id))!;
    assert.equal(loaded.meta.title, 'Renamed');
    assert.deepEqual(loaded.activePath().map((t) => t.id), ['a', 'b']);
    assert.deepEqual(loaded.siblingPosition('b2'), { index: 2, count: 2 });
    assert.equal(again.entry(c.id)?.responseId, 'resp_b', 'the index keeps the chain tip');
  });

  it('appends: a turn is written when it starts and when it ends, and the last record wins', async () => {
    const s = await open();
    const c = await s.create();
    await s.putTurn(c, turn('a', null, { status: 'streaming', answer: '' }));
    const size1 = (await fs.stat(fileOf(c.id))).size;
    await s.putTurn(c, turn('a', null));
    const text = await fs.readFile(fileOf(c.id), 'utf8');
    assert.ok(text.startsWith((await fs.readFile(fileOf(c.id), 'utf8')).slice(0, size1)), 'earlier bytes are untouched');
    assert.equal(text.trim().split('\n').length, 3);
    const loaded = (await (await open()).load(c.id))!;
    assert.equal(loaded.getTurn('a')?.status, 'completed');
  });

  it('marks a turn that was streaming when the host died as interrupted', async () => {
    const s = await open();
    const c = await s.create();
    await s.putTurn(c, turn('a', null));
    await s.putTurn(c, turn('b', 'a', { status: 'streaming', answer: '', responseId: undefined }));
    const loaded = (await (await open()).load(c.id))!;
    assert.equal(loaded.getTurn('b')?.status, 'interrupted');
    assert.deepEqual(loaded.responseChain(), ['resp_a'], 'the next turn chains from the last completed response');
  });

  it('drops a torn last record, repairs the file, and keeps appending cleanly', async () => {
    const s = await open();
    const c = await s.create();
    await s.putTurn(c, turn('a', null));
    await fs.appendFile(fileOf(c.id), '{"v":1,"t":"turn","turn":{"id":"b","par');
    const s2 = await open();
    const loaded = (await s2.load(c.id))!;
    assert.deepEqual(loaded.activePath().map((t) => t.id), ['a']);
    assert.match(s2.warnings.join(' '), /cut short/);
    await s2.putTurn(loaded, turn('c', 'a'));
    const again = (await (await open()).load(c.id))!;
    assert.deepEqual(again.activePath().map((t) => t.id), ['a', 'c']);
  });

  it('sets a corrupt transcript aside with a warning, and the other conversations still load', async () => {
    const s = await open();
    const bad = await s.create({ title: 'bad' });
    await s.putTurn(bad, turn('a', null));
    const good = await s.create({ title: 'good' });
    await s.putTurn(good, turn('x', null));
    await fs.writeFile(fileOf(bad.id), 'this is not json\n{"v":1}\n');
    const s2 = await open();
    assert.equal(await s2.load(bad.id), undefined);
    assert.match(s2.warnings.join(' '), /could not be read .* moved to/);
    const files = await fs.readdir(path.dirname(fileOf(bad.id)));
    assert.ok(files.some((f) => f.startsWith(`${bad.id}.jsonl.corrupt-`)), 'the bad file is kept for inspection');
    assert.deepEqual(s2.list().map((c) => c.title), ['good']);
    assert.equal((await s2.load(good.id))?.getTurn('x')?.answer, 'a x');
  });

  it('rejects a record from an unknown future schema version instead of misreading it', async () => {
    const s = await open();
    const c = await s.create();
    await fs.appendFile(fileOf(c.id), '{"v":2,"t":"turn","turn":{}}\n');
    const s2 = await open();
    assert.equal(await s2.load(c.id), undefined);
    assert.ok(s2.warnings.length > 0);
  });

  it('checks every record against its schema: a malformed turn sets the file aside instead of loading it', async () => {
    const bad: unknown[] = [
      { ...turn('b', null), status: 'thinking' },
      { ...turn('b', null), attachments: [{ kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 3, endLine: 1, languageId: 'ts', code: 'x' }] },
      { ...turn('b', null), attachments: [{ kind: 'file', uri: 'file:///a.ts' }] },
      { ...turn('b', null), usage: { inputTokens: '12' } },
      { ...turn('b', null), error: { kind: 'teapot', message: 'x', actions: [] } },
      { ...turn('b', null), parentId: 7 },
    ];
    for (const t of bad) {
      const s = await open();
      const c = await s.create();
      await s.putTurn(c, turn('a', null));
      await fs.appendFile(fileOf(c.id), `${JSON.stringify({ v: 1, t: 'turn', turn: t })}\n`);
      const s2 = await open();
      assert.equal(await s2.load(c.id), undefined, JSON.stringify(t));
      assert.match(s2.warnings.join(' '), /line 3 is not a valid record/);
    }
    // A well-formed turn with a selection loads as written.
    const s = await open();
    const c = await s.create();
    const withSelection = turn('a', null, {
      attachments: [{ kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 3, languageId: 'ts', code: 'x' }],
      usage: { inputTokens: 1, cachedTokens: 0, outputTokens: 2 },
      error: { kind: 'rate_limit', message: 'Slow down.', actions: ['retry'], retryAfter: 3 },
      status: 'failed',
    });
    await s.putTurn(c, withSelection);
    assert.deepEqual((await (await open()).load(c.id))?.getTurn('a'), withSelection);
  });

  it('rebuilds an index whose entries are malformed, like a corrupt one', async () => {
    const s = await open();
    const c = await s.create({ title: 'kept' });
    await s.putTurn(c, turn('a', null));
    await memento.update(indexKey(WS), { v: 1, activeId: c.id, conversations: { [c.id]: { title: 7 } }, rev: 9 });
    const s2 = await open();
    assert.deepEqual(s2.list().map((x) => x.title), ['kept']);
    assert.match(s2.warnings.join(' '), /unreadable/);
  });

  it('reads the endpoint-capabilities record only when it is well formed', async () => {
    const caps = new EndpointCapabilities(memento);
    await memento.update('threadline.endpoints.v1', { v: 1, unsupported: { 'http://a/v1': 'yesterday' } });
    assert.equal(caps.chainingUnsupported('http://a/v1'), false, 'a malformed record counts as empty');
    await caps.markChainingUnsupported('http://a/v1/', 5);
    assert.deepEqual(memento.get('threadline.endpoints.v1'), { v: 1, unsupported: { 'http://a/v1': 5 } });
    assert.equal(caps.chainingUnsupported('http://a/v1'), true);
  });

  it('rebuilds a corrupt index from the transcripts, keeping the bad value aside', async () => {
    const s = await open();
    const c = await s.create({ title: 'kept' });
    await s.putTurn(c, turn('a', null));
    await memento.update(indexKey(WS), { v: 'garbage' });
    const s2 = await open();
    assert.deepEqual(s2.list().map((x) => x.title), ['kept']);
    assert.equal(s2.activeId, c.id);
    assert.equal(s2.entry(c.id)?.responseId, 'resp_a');
    assert.ok(memento.keys().some((k) => k.startsWith(`${indexKey(WS)}.corrupt-`)));
    assert.match(s2.warnings.join(' '), /unreadable/);
  });

  it('rebuilds a missing index from the transcripts (globalState lost, files kept)', async () => {
    const s = await open();
    const c = await s.create({ title: 'orphan' });
    await s.putTurn(c, turn('a', null));
    memento = new MemoryMemento();
    const s2 = await open();
    assert.deepEqual(s2.list().map((x) => x.title), ['orphan']);
  });

  it('keeps the newest active conversation when globalState lost its last writes (a browser reload)', async () => {
    const s = await open();
    const older = await s.create({ title: 'older' });
    await s.putTurn(older, turn('a', null));
    const stale = memento.get<unknown>(indexKey(WS));
    const newer = await s.create({ title: 'newer' });
    await s.putTurn(newer, turn('b', null));
    // The browser kept only the index as it was before "newer" existed; the files on disk are intact.
    memento = new MemoryMemento();
    await memento.update(indexKey(WS), stale);
    const again = await open();
    assert.equal(again.activeId, newer.id, 'the disk pointer, newer than the index, decides');
    assert.deepEqual(again.list().map((c) => c.title).sort(), ['newer', 'older']);
    assert.equal((await again.load(newer.id))?.getTurn('b')?.answer, 'a b');
  });

  it('keeps workspaces apart', async () => {
    const a = await open();
    await a.create({ title: 'in A' });
    const b = new ConversationStore(nodeFileSystem, root, memento, 'other-ws');
    await b.open();
    assert.deepEqual(b.list(), []);
    assert.equal(b.activeId, null);
  });

  it('deletes a conversation and returns its stored response ids', async () => {
    const s = await open();
    const c = await s.create();
    await s.putTurn(c, turn('a', null));
    await s.putTurn(c, turn('b', 'a', { stored: false, responseId: 'resp_local' }));
    const ids = await s.delete(c.id);
    assert.deepEqual(ids, ['resp_a']);
    assert.deepEqual(s.list(), []);
    await assert.rejects(fs.stat(fileOf(c.id)));
  });

  it('deletes on the server only the responses no fork still uses', async () => {
    const s = await open();
    const src = await s.create({ title: 'Source' });
    await s.putTurn(src, turn('a', null));
    await s.putTurn(src, turn('b', 'a'));
    const fork1 = await s.createWithTurns({ title: 'Fork 1', forkOf: { conversationId: src.id, turnId: 'a' } }, src.pathTo('a'));
    await s.putTurn(fork1, turn('f1', 'a'));
    const fork2 = await s.createWithTurns({ title: 'Fork 2', forkOf: { conversationId: src.id, turnId: 'a' } }, src.pathTo('a'));
    await s.putTurn(fork2, turn('f2', 'a'));
    const unrelated = await s.create({ title: 'Other' });
    await s.putTurn(unrelated, turn('z', null));
    assert.equal(s.entry(fork1.id)?.forkOf, src.id);
    assert.deepEqual(await s.delete(fork1.id), ['resp_f1'], 'resp_a belongs to the source too');
    assert.deepEqual(await s.delete(src.id), ['resp_b'], 'resp_a is still used by fork 2');
    // The source is gone, but its forks still find each other through it: reopen, as after a restart.
    const again = await open();
    assert.deepEqual(await again.delete(fork2.id), ['resp_a', 'resp_f2'], 'the last user of resp_a takes it along');
    assert.deepEqual(await again.delete(unrelated.id), ['resp_z']);
  });

  it('keeps a conversation deleted mid-turn deleted: the late records of its turn write nothing', async () => {
    const s = await open();
    const c = await s.create({ title: 'Doomed' });
    await s.putTurn(c, turn('a', null, { status: 'streaming', answer: '' }));
    await s.delete(c.id);
    await s.putTurn(c, turn('a', null, { status: 'cancelled' }));
    await s.setHead(c, 'a');
    await s.rename(c, 'Back from the dead');
    assert.deepEqual(s.list(), []);
    assert.equal(s.entry(c.id), undefined);
    await assert.rejects(fs.stat(fileOf(c.id)));
    assert.deepEqual((await open()).list(), []);
  });

  it('keeps the index entry small and constant as a conversation grows', async () => {
    const s = await open();
    const c = await s.create();
    let parent: string | null = null;
    for (let i = 0; i < 300; i++) {
      await s.putTurn(c, turn(`t${i}`, parent));
      parent = `t${i}`;
      if (i === 0) assert.ok(memento.sizeOf(indexKey(WS)) < 400);
    }
    assert.ok(memento.sizeOf(indexKey(WS)) < 400, `index entry is ${memento.sizeOf(indexKey(WS))} bytes`);
  });
});
