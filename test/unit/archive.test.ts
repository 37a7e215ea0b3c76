// The chat archive (archive, archiveReader, archiveMerge): lossless export, a strict reader for untrusted
// files (fuzzed), and an idempotent merge.
import assert from 'node:assert/strict';
import { buildArchive, type ChatArchive } from '../../src/core/archive';
import { type ExistingConversation, planMerge } from '../../src/core/archiveMerge';
import { type ArchiveErrorKind, type ArchiveParseResult, parseArchive } from '../../src/core/archiveReader';
import { Conversation } from '../../src/core/conversation';
import type { Turn } from '../../src/core/types';

const ENDPOINT = 'https://api.example.test/v1';
const SOURCE = { workspaceKey: 'abc123', workspaceName: 'shop', endpoint: ENDPOINT };
const NOW = new Date('2026-11-30T12:00:00.000Z');
const LIMITS = { maxBytes: 1024 * 1024, maxConversations: 50, maxTurns: 500 };

function turn(id: string, parentId: string | null, o: Partial<Turn> = {}): Turn {
  return { id, parentId, createdAt: 1_000, question: `q ${id}`, attachments: [], answer: `a ${id}`, status: 'completed', responseId: `resp_${id}`, stored: true, model: 'gpt-5.1', ...o };
}

/** A conversation with two branches under `a` (head on `b`), an attachment, usage, an error turn, its own effort and a fork link. */
function sampleConversations(): Conversation[] {
  const c1 = new Conversation({ id: 'c1', title: 'Cache bug', createdAt: 1_000, updatedAt: 1_000, reasoningEffort: 'high' });
  c1.put(turn('a', null, { attachments: [{ kind: 'selection', path: 'src/cache.ts', uri: 'file:///w/src/cache.ts', startLine: 3, endLine: 9, languageId: 'typescript', code: 'const x = 1;' }] }));
  c1.put(turn('b', 'a', { usage: { inputTokens: 10, cachedTokens: 4, outputTokens: 7 }, mode: 'chained', previousResponseId: 'resp_a', finishedAt: 2_000 }));
  c1.put(turn('b2', 'a', { model: 'gpt-5-mini', mode: 'replayed', replayedBecause: 'forgotten' }));
  c1.put(turn('e', 'b2', { status: 'failed', responseId: undefined, error: { kind: 'rate_limit', message: 'Slow down.', actions: ['retry'], status: 429, retryAfter: 2 } }));
  c1.setHead('b');
  const c2 = new Conversation({ id: 'c2', title: 'Fork of Cache bug', createdAt: 3_000, updatedAt: 3_000, forkOf: { conversationId: 'c1', turnId: 'a' } });
  c2.put(turn('a', null));
  c2.put(turn('s', 'a', { status: 'streaming', responseId: undefined }));
  return [c1, c2];
}

const sample = (): ChatArchive => buildArchive(SOURCE, sampleConversations(), NOW);
const sampleText = () => JSON.stringify(sample());

function errorOf(r: ArchiveParseResult): { kind: ArchiveErrorKind; message: string } {
  assert.equal(r.ok, false, 'expected an error');
  if (r.ok) throw new Error('unreachable');
  assert.deepEqual(Object.keys(r), ['ok', 'error'], 'an error and nothing else');
  return r.error;
}

function expectError(text: string, kind: ArchiveErrorKind, message?: RegExp): void {
  const e = errorOf(parseArchive(text, LIMITS));
  assert.equal(e.kind, kind, e.message);
  if (message) assert.match(e.message, message);
}

/** The sample archive with one change made to its JSON. */
function edited(change: (a: any) => void): string {
  const a = JSON.parse(sampleText());
  change(a);
  return JSON.stringify(a);
}

describe('archive: export', () => {
  it('holds every branch and every field, and reads back the same', () => {
    const archive = sample();
    assert.equal(archive.format, 'threadline-chats');
    assert.equal(archive.version, 1);
    assert.equal(archive.exportedAt, '2026-11-30T12:00:00.000Z');
    assert.deepEqual(archive.conversations.map((c) => c.turns.map((t) => t.id)), [['a', 'b', 'b2', 'e'], ['a', 's']]);
    assert.equal(archive.conversations[0]!.summary.headId, 'b');
    assert.deepEqual(archive.conversations[1]!.summary.forkOf, { conversationId: 'c1', turnId: 'a' });
    assert.equal(archive.conversations[0]!.summary.reasoningEffort, 'high', 'the chat\'s own reasoning effort');
    const read = parseArchive(JSON.stringify(archive), LIMITS);
    assert.ok(read.ok, read.ok ? '' : read.error.message);
    assert.deepEqual(read.archive, JSON.parse(JSON.stringify(archive)));
  });

  it('writes a turn still streaming as interrupted', () => {
    assert.equal(sample().conversations[1]!.turns[1]!.status, 'interrupted');
  });

  it('keeps credentials, query and fragment of the endpoint out of the file', () => {
    const a = buildArchive({ ...SOURCE, endpoint: 'https://user:sk-secret@Proxy.Example.test:8443/v1/?key=sk-other#x' }, [], NOW);
    assert.equal(a.source.endpoint, 'https://proxy.example.test:8443/v1');
    assert.doesNotMatch(JSON.stringify(a), /sk-secret|sk-other|user/);
  });

  it('writes parents before children whatever order the turns were recorded in', () => {
    const c = new Conversation({ id: 'c3', title: 't', createdAt: 1, updatedAt: 1 });
    c.put(turn('child', 'root'));
    c.put(turn('root', null));
    assert.deepEqual(buildArchive(SOURCE, [c], NOW).conversations[0]!.turns.map((t) => t.id), ['root', 'child']);
  });
});

describe('archive: bad files get one clear error', () => {
  it('an empty or non-JSON file', () => {
    expectError('', 'malformed', /empty/);
    expectError('   \n', 'malformed', /empty/);
    expectError('hello', 'malformed', /not valid JSON/);
    expectError('{"format": threadline}', 'malformed');
  });

  it('a file nested too deeply', () => {
    const n = 300_000; // three times the depth that overflows a default Node stack
    const e = errorOf(parseArchive(`{"format":"threadline-chats","version":1,"x":${'['.repeat(n)}${']'.repeat(n)}}`, { ...LIMITS, maxBytes: 4 * n }));
    assert.equal(e.kind, 'malformed');
    assert.match(e.message, /nested too deeply/);
  });

  it('a file cut short anywhere', () => {
    const text = sampleText();
    for (const at of [1, 10, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length - 2, text.length - 1]) {
      expectError(text.slice(0, at), 'truncated', /cut short/);
    }
  });

  it('JSON that is not an archive', () => {
    for (const text of ['null', '[]', '"threadline-chats"', '42', '{}', '{"format":"other-chats","version":1}', '[{"format":"threadline-chats"}]']) {
      expectError(text, 'not_an_archive', /not a Threadline chat archive/);
    }
  });

  it('a future version, named in the message', () => {
    expectError(edited((a) => (a.version = 7)), 'future_version', /version 7.*newer Threadline.*reads version 1/);
  });

  it('a version that is not one', () => {
    for (const version of [0, -1, 1.5, '1', null]) expectError(edited((a) => (a.version = version)), 'invalid', /version/);
    expectError(edited((a) => delete a.version), 'invalid', /missing/);
  });

  it('a file over the byte limit, before it is parsed', () => {
    const e = errorOf(parseArchive(sampleText(), { ...LIMITS, maxBytes: 100 }));
    assert.equal(e.kind, 'too_large');
    assert.match(e.message, /up to 0\.0 MB/);
    const big = 'x'.repeat(2 * 1024 * 1024);
    assert.equal(errorOf(parseArchive(big, LIMITS)).kind, 'too_large');
    assert.equal(errorOf(parseArchive('"é"'.repeat(200_000), { ...LIMITS, maxBytes: 700_000 })).kind, 'too_large', 'bytes, not characters');
  });

  it('too many conversations or turns', () => {
    assert.match(errorOf(parseArchive(sampleText(), { ...LIMITS, maxConversations: 1 })).message, /2 conversations; at most 1/);
    assert.match(errorOf(parseArchive(sampleText(), { ...LIMITS, maxTurns: 5 })).message, /6 turns; at most 5/);
  });

  it('unsafe ids: path separators, "..", overlong, empty', () => {
    for (const id of ['../etc', 'a/b', 'a\\b', '..', '.', 'x'.repeat(129), '', 'c1 ', 'c\u00001']) {
      expectError(edited((a) => (a.conversations[0].summary.id = id)), 'unsafe_id', /unsafe id at conversations\.0\.summary\.id/);
      expectError(edited((a) => (a.conversations[0].turns[1].id = id)), 'unsafe_id', /conversations\.0\.turns\.1\.id/);
    }
    expectError(edited((a) => (a.conversations[1].summary.forkOf.conversationId = '../c1')), 'unsafe_id');
    expectError(edited((a) => (a.source.workspaceKey = '../../x')), 'unsafe_id');
    expectError(edited((a) => (a.conversations[0].turns[1].responseId = 'resp a')), 'invalid', /response id/);
  });

  it('prototype pollution keys, at any depth', () => {
    const text = sampleText();
    for (const hostile of [
      text.replace('"format"', '"__proto__":{"polluted":true},"format"'),
      text.replace('"question"', '"__proto__":{"isAdmin":true},"question"'),
      text.replace('"code"', '"constructor":{"prototype":{"x":1}},"code"'),
      text.replace('"summary":{', '"summary":{"prototype":1,'),
    ]) {
      expectError(hostile, 'hostile_key', /never has/);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  it('turns whose parent or head points nowhere, or that form a cycle', () => {
    expectError(edited((a) => (a.conversations[0].turns[1].parentId = 'ghost')), 'broken_tree', /"b" follows "ghost", which is not in the archive/);
    expectError(edited((a) => (a.conversations[0].summary.headId = 'ghost')), 'broken_tree', /active turn "ghost"/);
    expectError(edited((a) => (a.conversations[0].turns[0].parentId = 'a')), 'broken_tree', /own ancestor/);
    expectError(edited((a) => (a.conversations[0].turns[0].parentId = 'e')), 'broken_tree', /own ancestor/);
  });

  it('duplicate ids', () => {
    expectError(edited((a) => a.conversations[0].turns.push({ ...a.conversations[0].turns[1] })), 'duplicate_id', /two turns have the id "b"/);
    expectError(edited((a) => (a.conversations[1].summary.id = 'c1')), 'duplicate_id', /Two conversations/);
  });

  it('missing fields, wrong types and unknown fields, with where they are', () => {
    expectError(edited((a) => delete a.conversations[0].turns[2].question), 'invalid', /conversations\.0\.turns\.2/);
    expectError(edited((a) => (a.conversations[0].turns[2].createdAt = 'yesterday')), 'invalid', /createdAt/);
    expectError(edited((a) => (a.conversations[0].turns[2].status = 'exploded')), 'invalid', /status/);
    expectError(edited((a) => (a.conversations[0].turns[0].attachments[0].kind = 'shell')), 'invalid', /attachments/);
    expectError(edited((a) => (a.conversations[0].turns[3].error.kind = 'nope')), 'invalid', /error\.kind/);
    expectError(edited((a) => (a.conversations[0].turns[2].extra = 1)), 'invalid', /extra/);
    expectError(edited((a) => (a.conversations = {})), 'invalid', /conversations/);
    expectError(edited((a) => (a.exportedAt = 'last week')), 'invalid', /exportedAt/);
  });

  it('reads a hand-written turn that is still streaming as interrupted, parents first', () => {
    const r = parseArchive(edited((a) => {
      a.conversations[0].turns.reverse();
      a.conversations[0].turns[0].status = 'streaming';
    }), LIMITS);
    assert.ok(r.ok);
    const turns = r.archive.conversations[0]!.turns;
    assert.deepEqual(turns.map((t) => t.id), ['a', 'b2', 'e', 'b']);
    assert.equal(turns.find((t) => t.id === 'e')!.status, 'interrupted');
  });
});

describe('archive: merge plan', () => {
  const existingOf = (a: ChatArchive): ExistingConversation[] =>
    a.conversations.map((c) => ({ id: c.summary.id, turnIds: new Set(c.turns.map((t) => t.id)) }));

  it('creates what is not here and trusts response ids from the same endpoint', () => {
    const plan = planMerge([], sample(), 'HTTPS://api.example.test/v1/');
    assert.deepEqual(plan.create.map((c) => c.summary.id), ['c1', 'c2']);
    assert.deepEqual(plan.append, []);
    assert.deepEqual(plan.unchanged, []);
    assert.equal(plan.turnCount, 6);
    assert.deepEqual(plan.untrustedResponseIds, []);
  });

  it('is idempotent: a second import of the same file plans nothing', () => {
    const archive = sample();
    const first = planMerge([], archive, ENDPOINT);
    const after = existingOf({ ...archive, conversations: first.create });
    const second = planMerge(after, archive, ENDPOINT);
    assert.deepEqual(second, { create: [], append: [], unchanged: ['c1', 'c2'], untrustedResponseIds: [], turnCount: 0 });
  });

  it('appends only the new turns of a conversation that is here, parents first, and never overwrites a local turn', () => {
    const archive = sample();
    const plan = planMerge([{ id: 'c1', turnIds: new Set(['a', 'b']) }], archive, ENDPOINT);
    assert.deepEqual(plan.create.map((c) => c.summary.id), ['c2']);
    assert.deepEqual(plan.append.map((x) => [x.conversationId, x.turns.map((t) => t.id)]), [['c1', ['b2', 'e']]]);
    assert.equal(plan.turnCount, 4);
  });

  it('marks every imported response id untrusted when the archive comes from another endpoint', () => {
    const plan = planMerge([{ id: 'c1', turnIds: new Set(['a', 'b']) }], sample(), 'https://other.example.test/v1');
    assert.deepEqual(plan.untrustedResponseIds.sort(), ['resp_a', 'resp_b2'], 'the appended b2 and the created c2 turn a (e and s have none)');
    const unknownSource = { ...sample(), source: { ...SOURCE, endpoint: '' } };
    assert.equal(planMerge([], unknownSource, ENDPOINT).untrustedResponseIds.length, 4, 'an archive that does not say where it came from');
  });
});

describe('archive: fuzzed files never throw and never half-parse', () => {
  /** Deterministic, so a failure can be replayed. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      s ^= s + Math.imul(s ^ (s >>> 7), 61 | s);
      return ((s ^ (s >>> 14)) >>> 0) / 4294967296;
    };
  }
  const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
  const STATUSES = new Set(['completed', 'failed', 'cancelled', 'incomplete', 'interrupted']);
  const KINDS = new Set(['too_large', 'malformed', 'truncated', 'not_an_archive', 'future_version', 'invalid', 'unsafe_id', 'hostile_key', 'duplicate_id', 'broken_tree']);
  const ODD_VALUES = [null, 0, -1, 1.5, 1e308, '', 'x', '../..', '__proto__', [], {}, true, 'resp_a', 'a', 'b', 'c1', 'selection', 'completed', 2, 'threadline-chats'];

  /** Every container (object or array) in a JSON value, with its keys. */
  function containers(x: unknown, out: any[] = []): any[] {
    if (typeof x === 'object' && x !== null) {
      out.push(x);
      for (const v of Object.values(x)) containers(v, out);
    }
    return out;
  }

  function mutate(text: string, r: () => number): string {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const op = Math.floor(r() * 9);
    if (op === 0) return text.slice(0, Math.floor(r() * text.length));
    if (op === 1) {
      const at = Math.floor(r() * text.length);
      return text.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + text.slice(at + 1);
    }
    if (op === 2) {
      const at = Math.floor(r() * text.length);
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 20));
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return text.slice(0, Math.floor(r() * text.length)); // already broken by an earlier text mutation
    }
    const target = pick(containers(doc));
    const keys = Object.keys(target);
    if (!keys.length) return JSON.stringify(doc);
    const key = pick(keys);
    if (op === 3) delete target[key];
    else if (op === 4) target[key] = structuredClone(pick(ODD_VALUES));
    else if (op === 5 && Array.isArray(target)) target.push(structuredClone(target[Number(key)]));
    else if (op === 6) target[key] = structuredClone(pick(containers(doc)));
    else if (op === 7) {
      // An own key named like a prototype link, as JSON.parse would make it.
      Object.defineProperty(target, pick(['__proto__', 'constructor', 'prototype']), { value: target[key], enumerable: true, configurable: true, writable: true });
      delete target[key];
    } else {
      const other = pick(containers(doc));
      const otherKeys = Object.keys(other);
      if (otherKeys.length) target[key] = structuredClone(other[pick(otherKeys)]);
    }
    return JSON.stringify(doc);
  }

  /** Checks a parsed archive without the parser: what "fully valid" promises to its users. */
  function assertWhole(a: ChatArchive): void {
    assert.equal(a.format, 'threadline-chats');
    assert.equal(a.version, 1);
    assert.ok(SAFE_ID.test(a.source.workspaceKey));
    const convIds = new Set<string>();
    for (const c of a.conversations) {
      assert.ok(SAFE_ID.test(c.summary.id) && !convIds.has(c.summary.id));
      convIds.add(c.summary.id);
      assert.equal(typeof c.summary.title, 'string');
      const seen = new Set<string>();
      for (const t of c.turns) {
        assert.ok(SAFE_ID.test(t.id) && !seen.has(t.id), 'unique safe turn id');
        assert.ok(t.parentId === null || seen.has(t.parentId), 'parent present and written first');
        assert.ok(STATUSES.has(t.status));
        assert.equal(typeof t.question, 'string');
        assert.equal(typeof t.answer, 'string');
        assert.ok(Array.isArray(t.attachments) && Number.isSafeInteger(t.createdAt));
        seen.add(t.id);
      }
      assert.ok(c.summary.headId === null || seen.has(c.summary.headId));
    }
    const again = parseArchive(JSON.stringify(a), LIMITS);
    assert.ok(again.ok);
    assert.deepEqual(again.archive, a);
  }

  it('survives 3,000 mutated archives: truncations, type swaps, random bytes, moved values', () => {
    const r = rng(20261201);
    const base = sampleText();
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 3_000; i++) {
      let text = base;
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) text = mutate(text, r);
      let result: ArchiveParseResult;
      try {
        result = parseArchive(text, LIMITS);
      } catch (e) {
        assert.fail(`parseArchive threw on case ${i}: ${String(e)}\n${text.slice(0, 500)}`);
      }
      if (result.ok) {
        outcomes.ok++;
        assertWhole(result.archive);
      } else {
        outcomes.error++;
        assert.deepEqual(Object.keys(result), ['ok', 'error'], `case ${i}`);
        assert.ok(KINDS.has(result.error.kind), `case ${i}: ${result.error.kind}`);
        assert.ok(result.error.message.length > 10 && result.error.message.length < 600, `case ${i}: ${result.error.message}`);
      }
    }
    assert.ok(outcomes.error > 1_500, `most mutations are errors (${outcomes.error})`);
    assert.ok(outcomes.ok > 0, 'some mutations (an emptied string, a swapped title) are still valid archives');
  });
});
