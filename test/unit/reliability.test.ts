// Reliability at the core level: two windows on one workspace (two stores over the same transcripts and
// the same globalState), and the fake server's model output limit that the integration fault matrix uses.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import type { Conversation } from '../../src/core/conversation';
import { checkSettings } from '../../src/core/inputChecks';
import { renderAttachment } from '../../src/core/attachments';
import { ConversationStore, indexKey } from '../../src/core/store/conversationStore';
import { type FileSystemPort, nodeFileSystem } from '../../src/core/store/fileSystem';
import { MemoryMemento } from '../support/memento';
import type { Turn } from '../../src/core/types';
import { type FakeServer, startFakeServer } from '../support/fakeResponsesServer';
import { assertEventSchema } from '../support/schema';
import { turnRecord } from '../support/turns';

const WS = 'ws-two-windows';
let seq = 0;

function turn(parentId: string | null, o: Partial<Turn> = {}): Turn {
  return turnRecord(`t${++seq}`, parentId, { finishedAt: Date.now(), ...o });
}

/** What ChatController.ask does with the store for one turn: refresh, then the start and end records. */
async function askIn(store: ConversationStore, conv: Conversation, question: string): Promise<{ conv: Conversation; turn: Turn }> {
  const current = await store.fresh(conv);
  const t = turn(current.headId, { question });
  await store.putTurn(current, { ...t, status: 'streaming', answer: '', responseId: undefined });
  await store.putTurn(current, t);
  return { conv: current, turn: t };
}

describe('two windows on one workspace', () => {
  let root: string;
  let globalState: MemoryMemento;
  const window = async (memento = globalState, fsPort: FileSystemPort = nodeFileSystem) => {
    const s = new ConversationStore(fsPort, root, memento, WS);
    await s.open();
    return s;
  };

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tl-2w-'));
    globalState = new MemoryMemento();
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('sending in turn from two windows loses no turn, and each turn chains from the newest answer', async () => {
    const w1 = await window();
    const w2 = await window();
    let c1 = await w1.create({ title: 'shared' });
    const a1 = await askIn(w1, c1, 'A1');
    c1 = a1.conv;
    let c2 = (await w2.load(w2.activeId!))!;
    assert.equal(c2.id, c1.id, 'window 2 opens the conversation window 1 created');
    const b1 = await askIn(w2, c2, 'B1');
    c2 = b1.conv;
    assert.equal(b1.turn.parentId, a1.turn.id);
    const a2 = await askIn(w1, c1, 'A2');
    assert.equal(a2.turn.parentId, b1.turn.id, 'window 1 saw window 2\'s turn before asking');
    assert.deepEqual(a2.conv.contextBefore(a2.turn.parentId).map((t) => t.responseId), [a1.turn.responseId, b1.turn.responseId],
      'the next request chains from window 2\'s answer, with window 1\'s before it');
    const b2 = await askIn(w2, c2, 'B2');
    assert.equal(b2.turn.parentId, a2.turn.id);

    const reopened = (await (await window()).load(c1.id))!;
    assert.deepEqual(reopened.activePath().map((t) => t.question), ['A1', 'B1', 'A2', 'B2']);
    assert.ok(reopened.allTurns().every((t) => reopened.siblingPosition(t.id).count === 1), 'no turn was pushed onto a hidden branch');
  });

  it('keeps a conversation that the other window created when this window writes its own index change', async () => {
    const w1 = await window();
    const w2 = await window();
    const c1 = await w1.create({ title: 'window 1' });
    const x = await w2.create({ title: 'window 2' });
    await askIn(w1, c1, 'after window 2 created its chat');
    await w1.rename(c1, 'renamed in window 1');
    assert.deepEqual(w1.list().map((c) => c.title).sort(), ['renamed in window 1', 'window 2']);
    assert.deepEqual((await window()).list().map((c) => c.id).sort(), [c1.id, x.id].sort());
    await w2.delete(x.id);
    await askIn(w1, c1, 'after window 2 deleted its chat');
    assert.deepEqual((await window()).list().map((c) => c.id), [c1.id], 'a deleted chat does not come back');
  });

  it('two sends at the same moment are both kept, as sibling branches of the same parent', async () => {
    const w1 = await window();
    const w2 = await window();
    const c1 = await w1.create();
    const base = await askIn(w1, c1, 'base');
    const c2 = (await w2.load(c1.id))!;
    // Both start before either has written: each sees the same head.
    const both = await Promise.all([askIn(w1, base.conv, 'from window 1'), askIn(w2, c2, 'from window 2')]);
    assert.equal(both[0].turn.parentId, base.turn.id);
    assert.equal(both[1].turn.parentId, base.turn.id);
    const reopened = (await (await window()).load(c1.id))!;
    const kept = reopened.allTurns().map((t) => t.question).sort();
    assert.deepEqual(kept, ['base', 'from window 1', 'from window 2']);
    const head = reopened.activePath().at(-1)!;
    assert.deepEqual(reopened.siblingPosition(head.id), { index: 2, count: 2 }, 'the other send is one branch away');
    // The next turn from either window goes after the newest answer, on the branch the file ends with.
    const next = await askIn(w1, both[0].conv, 'next');
    assert.equal(next.turn.parentId, head.id);
  });

  it('lists again, at the next start, a chat that a racing index write of the other window dropped', async () => {
    const w1 = await window();
    const c1 = await w1.create({ title: 'window 1' });
    await askIn(w1, c1, 'one');
    // Window 2 keeps its own globalState copy here: its change has not reached window 1 when window 1 writes.
    const lagging = new MemoryMemento();
    await lagging.update(indexKey(WS), globalState.get(indexKey(WS)));
    const w2 = await window(lagging);
    const x = await w2.create({ title: 'window 2' });
    await askIn(w2, x, 'two');
    await askIn(w1, c1, 'three'); // window 1 writes the index without window 2's chat
    assert.deepEqual(w1.list().map((c) => c.title), ['window 1'], 'the race dropped the chat from the index');
    const restarted = await window();
    assert.deepEqual(restarted.list().map((c) => c.title).sort(), ['window 1', 'window 2'], 'its transcript brings it back');
    assert.deepEqual((await restarted.load(x.id))!.activePath().map((t) => t.question), ['two']);
    assert.deepEqual(restarted.warnings, []);
  });

  it('does not take an older copy of its own index back (VS Code echoes a window\'s writes, sometimes late)', async () => {
    // globalState as the extension host has it: every write comes back later as a change event, and until
    // the last one has, get() can return an older value.
    class EchoingMemento extends MemoryMemento {
      readonly writes: unknown[] = [];
      override async update(key: string, value: unknown): Promise<void> {
        this.writes.push(JSON.parse(JSON.stringify(value)));
        await super.update(key, value);
      }
      echo(n: number): Promise<void> {
        return super.update(indexKey(WS), this.writes[n]);
      }
    }
    const echoing = new EchoingMemento();
    const w = await window(echoing);
    const a = await w.create({ title: 'a' });
    await askIn(w, a, 'one');
    const b = await w.create({ title: 'b' });
    await w.setActive(a.id);
    await echoing.echo(0); // the echo of the first write arrives after the later ones
    assert.equal(w.activeId, a.id);
    assert.deepEqual(w.list().map((c) => c.title).sort(), ['a', 'b']);
    await w.rename(b, 'b renamed'); // a write while the old copy is visible
    const reopened = await window(echoing);
    assert.equal(reopened.activeId, a.id, 'the stale copy brought an old active chat back');
    assert.deepEqual(reopened.list().map((c) => c.title).sort(), ['a', 'b renamed']);
  });

  it('does not reload when the file is unchanged, and copes without a size() port', async () => {
    const w1 = await window();
    const c1 = await w1.create();
    const a = await askIn(w1, c1, 'one');
    assert.equal(await w1.fresh(a.conv), a.conv, 'no reload after its own writes');
    const noSize: FileSystemPort = { ...nodeFileSystem, size: undefined };
    const w2 = await window(globalState, noSize);
    const c2 = (await w2.load(c1.id))!;
    await askIn(w1, a.conv, 'two');
    assert.equal(await w2.fresh(c2), c2, 'without size() the store keeps what it has');
  });
});

describe('fake server: the model output limit', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeServer({ apiKey: null, maxOutputTokens: 16 });
  });
  after(() => fake.close());

  it('ends a request that sets no max_output_tokens incomplete at the model limit, with schema-valid events', async () => {
    const c = new OpenAI({ baseURL: fake.url, apiKey: 'unused', maxRetries: 0 });
    fake.script({ text: 'word '.repeat(40) });
    const events = [];
    for await (const e of await c.responses.create({ model: 'm', input: 'x', stream: true })) events.push(e);
    events.forEach(assertEventSchema);
    const last = events.at(-1)!;
    assert.equal(last.type, 'response.incomplete');
    assert.deepEqual(last.type === 'response.incomplete' && last.response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(last.type === 'response.incomplete' && last.response.max_output_tokens, null, 'the request sent none');
    // A request's own limit wins.
    fake.script({ text: 'short' });
    const ok = await c.responses.create({ model: 'm', input: 'x', max_output_tokens: 100 });
    assert.equal(ok.status, 'completed');
  });
});

describe('bad input found by the reliability runs', () => {
  it('fences a large selection with more backtick runs than a call may have arguments', () => {
    const code = '`a` '.repeat(200_000); // 400,000 runs of one backtick, 800 KB
    const out = renderAttachment({ kind: 'selection', path: 'notes.md', uri: 'file:///notes.md', startLine: 1, endLine: 1, languageId: 'markdown', code });
    assert.ok(out.startsWith('notes.md:L1-L1\n```markdown\n'), out.slice(0, 40));
    assert.ok(out.endsWith('\n```'));
    const longer = renderAttachment({ kind: 'selection', path: 'a', uri: 'u', startLine: 1, endLine: 1, languageId: '', code: `${'`x` '.repeat(150_000)}\`\`\`\`\`` });
    assert.ok(longer.includes('\n``````\n'), 'the fence outgrows the longest run (5) inside');
  });

  it('quotes the baseURL as typed when it has no http(s) scheme, and suggests the http:// form', () => {
    assert.equal(checkSettings({ baseURL: 'localhost:8080/v1', model: 'm' })?.message,
      'threadline.baseURL "localhost:8080/v1" must start with https:// or http://, for example http://localhost:8080/v1.');
    assert.equal(checkSettings({ baseURL: 'ftp://example.com/v1', model: 'm' })?.message, 'threadline.baseURL "ftp://example.com/v1" must start with https:// or http://.');
    assert.match(checkSettings({ baseURL: 'not a url', model: 'm' })!.message, /is not a URL/);
    assert.equal(checkSettings({ baseURL: 'not a url', model: 'm' })!.kind, 'invalid_settings', 'a check returns the same typed error as a turn');
    assert.equal(checkSettings({ baseURL: 'http://127.0.0.1:1234/v1', model: 'm' }), undefined);
  });
});
