// The session core without VS Code: the real store on a temp directory, the real openai SDK over
// loopback HTTP against the h.fake server.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EndpointCapabilities } from '../../src/core/endpointCapabilities';
import type { AskOutcome, SessionEvent } from '../../src/core/session';
import type { Turn } from '../../src/core/types';
import { DEFAULT_API_KEY } from '../support/fakeResponsesServer';
import { useSessionHarness } from '../support/sessionHarness';

const WS = 'ws-session';

describe('session (real store, real SDK, h.fake server)', () => {
  const h = useSessionHarness(
    { model: 'gpt-test', instructions: '', store: true, chaining: 'auto', retentionDays: 30, maxRetries: 0, timeoutMs: 5000, reasoningEffort: 'default', reasoningSummary: 'auto', compaction: 'auto', contextWindow: 0 },
    WS,
  );
  const { session, openStore } = h;

  const ran = (o: AskOutcome): Turn => {
    assert.equal(o.kind, 'ran', JSON.stringify(o));
    return (o as Extract<AskOutcome, { kind: 'ran' }>).turn;
  };
  const posts = () => h.fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/responses').map((r) => r.body);
  const ofType = <T extends SessionEvent['type']>(type: T) => h.events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);

  it('chains turns, streams deltas per part and persists the final answer', async () => {
    const s = session();
    const a = ran(await s.ask('first', []));
    const b = ran(await s.ask('second', []));
    assert.equal(b.status, 'completed');
    assert.equal(b.answer, 'echo#2: second');
    assert.equal(posts()[1].previous_response_id, a.responseId);
    const deltas = ofType('delta').filter((d) => d.turnId === b.id);
    assert.ok(deltas.every((d) => d.part === 'text'));
    assert.equal(deltas.map((d) => d.text).join(''), b.answer, 'the deltas add up to the persisted answer');
    const reopened = await openStore();
    const conv = (await reopened.load(reopened.activeId!))!;
    assert.deepEqual(conv.responseChain(), [a.responseId, b.responseId]);
    assert.equal(conv.getTurn(b.id)?.answer, b.answer);
    assert.deepEqual(ofType('turnFinished').map((e) => e.turn.id), [a.id, b.id]);
  });

  it('replays once when the server forgot the chain, and logs why (the reset event)', async () => {
    const lines: string[] = [];
    const s = session({ log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) } });
    ran(await s.ask('first', []));
    h.fake.forget();
    const t = ran(await s.ask('second', []));
    assert.equal(t.status, 'completed');
    assert.equal(t.mode, 'replayed');
    assert.equal(t.replayedBecause, 'forgotten');
    assert.ok(lines.some((l) => /chain broken \(the server no longer had the previous response\); replaying 1 earlier turn/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`turn ${t.id.slice(0, 8)}: completed`) && l.includes('replayed=forgotten')));
    assert.ok(!lines.join('\n').includes(DEFAULT_API_KEY), 'the key is never logged');
  });

  it('refuses a second send to the same conversation with busy and gives its text back; another conversation runs meanwhile', async () => {
    const s = session();
    const a = await s.ask('chat A', []);
    await s.newChat();
    const b = await s.ask('chat B', []);
    assert.ok((await s.switchTo(a.conversationId)).ok);
    h.fake.options.interDeltaDelayMs = 20;
    const slow = s.ask('slow one', []);
    const second = await s.ask('impatient one', []);
    assert.equal(second.kind, 'refused');
    assert.equal(second.kind === 'refused' && second.error.kind, 'busy');
    assert.deepEqual(ofType('refused').map((e) => e.draft), ['impatient one']);
    assert.ok(s.isBusy());

    assert.ok((await s.switchTo(b.conversationId)).ok);
    assert.equal(s.isBusy(), false, 'busy is per conversation: the other chat may send');
    h.fake.options.interDeltaDelayMs = 0;
    const other = await s.ask('in chat B again', []);
    assert.equal(other.conversationId, b.conversationId);
    assert.equal(ran(other).status, 'completed');
    assert.ok(s.isBusy(a.conversationId), 'chat A is still answering');
    assert.equal(ran(await slow).status, 'completed', 'chat A kept running');
    assert.equal(posts().filter((p) => JSON.stringify(p.input).includes('impatient')).length, 0, 'the refused text reached the server');
  });

  it('stop keeps the partial text, and the next turn chains from the last completed one', async () => {
    let stopAt = Infinity;
    const s = session({
      events: (e) => {
        h.events.push(e);
        if (e.type === 'delta' && ofType('delta').filter((d) => d.turnId === e.turnId).length === stopAt) s.stop();
      },
    });
    const warm = ran(await s.ask('first', []));
    stopAt = 2;
    h.fake.options.interDeltaDelayMs = 20;
    const stopped = ran(await s.ask('a long question to answer slowly', []));
    assert.equal(stopped.status, 'cancelled');
    assert.ok(stopped.answer.length > 0 && stopped.answer.length < 'echo#2: a long question to answer slowly'.length, stopped.answer);
    assert.equal(ofType('turnError').length, 0, 'Stop is not an error to show');
    h.fake.options.interDeltaDelayMs = 0;
    stopAt = Infinity;
    ran(await s.ask('next', []));
    assert.equal(posts().at(-1).previous_response_id, warm.responseId);
  });

  it('retry and edit add sibling branches; switching branches moves the active path; fork copies the path', async () => {
    const s = session();
    const a = ran(await s.ask('root question', []));
    const b = ran(await s.ask('original question', []));
    const edited = await s.edit(b.id, 'edited question');
    assert.ok(edited.ok);
    const e = ran(edited.value);
    assert.equal(e.parentId, a.id, 'an edit is a sibling of the original');
    const retried = await s.retry(e.id);
    assert.ok(retried.ok);
    const r = ran(retried.value);
    assert.equal(r.question, 'edited question');
    let conv = (await s.activeConversation())!;
    assert.deepEqual(conv.siblingPosition(r.id), { index: 3, count: 3 });

    assert.deepEqual(await s.switchBranch(r.id, 'next'), { ok: false, reason: 'no_branch' });
    assert.deepEqual(await s.switchBranch(r.id, 'previous'), { ok: true, value: undefined });
    conv = (await s.activeConversation())!;
    assert.deepEqual(conv.activePath().map((t) => t.id), [a.id, e.id]);

    assert.deepEqual(await s.fork('no-such-turn'), { ok: false, reason: 'no_such_turn' });
    const forked = await s.fork(a.id);
    assert.ok(forked.ok);
    assert.deepEqual(forked.value.activePath().map((t) => t.question), ['root question']);
    const next = ran(await s.ask('after the fork', []));
    assert.equal(posts().at(-1).previous_response_id, a.responseId, 'a fork chains from the forked turn');
    assert.equal(next.parentId, a.id);
    assert.deepEqual(await s.switchTo('no-such-chat'), { ok: false, reason: 'no_such_conversation' });
    assert.deepEqual(await s.rename(forked.value.id, '   '), { ok: false, reason: 'blank_title' });
  });

  it('a failed turn is reported as a turn error with its actions, and an invalid send is refused with the same error type', async () => {
    const s = session({ apiKey: async () => 'sk-wrong' });
    const t = ran(await s.ask('hello', []));
    assert.equal(t.status, 'failed');
    assert.equal(t.error?.kind, 'auth');
    assert.deepEqual(ofType('turnError').map((e) => e.error.actions), [['setApiKey']]);
    const big = await s.ask('about this', [{ kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 1, languageId: 'ts', code: 'x'.repeat(600 * 1024) }]);
    assert.equal(big.kind === 'refused' && big.error.kind, 'invalid_input');
  });

  it('emits turn finished even when persisting the final turn throws', async () => {
    let puts = 0;
    const s = session({
      openStore: async () => {
        const store = await openStore();
        const put = store.putTurn.bind(store);
        store.putTurn = async (conv, turn) => {
          if (++puts === 2) throw new Error('disk full');
          return put(conv, turn);
        };
        return store;
      },
    });
    await assert.rejects(s.ask('hello', []), /disk full/);
    assert.equal(ofType('turnStarted').length, 1);
    assert.equal(ofType('turnFinished').length, 1, 'the view would keep a live turn and a blocked Send');
    assert.equal(ofType('turnFinished')[0]!.turn.status, 'completed');
    assert.equal(s.isBusy(), false);
  });

  it('emits turn finished, with a clear error, when reading the key throws', async () => {
    const s = session({ apiKey: async () => { throw new Error('keychain locked'); } });
    const t = ran(await s.ask('hello', []));
    assert.equal(t.status, 'failed');
    assert.match(t.error!.message, /keychain locked/);
    assert.equal(ofType('turnFinished').length, 1);
    const reopened = await openStore();
    assert.equal((await reopened.load(reopened.activeId!))!.getTurn(t.id)?.status, 'failed', 'the failed turn is recorded, not left streaming');
  });

  it('does not keep a failed store open: the next call opens it again', async () => {
    let opens = 0;
    const s = session({
      openStore: async () => {
        if (++opens === 1) throw new Error('storage unavailable');
        return openStore();
      },
    });
    await assert.rejects(s.list(), /storage unavailable/);
    assert.deepEqual(await s.list(), []);
    assert.equal(opens, 2);
  });

  it('reports store warnings as one event per load', async () => {
    const s1 = session();
    const t = ran(await s1.ask('hello', []));
    const file = path.join(h.root, 'conversations', WS, `${t ? (await s1.activeConversation())!.id : ''}.jsonl`);
    await fs.appendFile(file, '{"v":1,"t":"turn","turn":{"id":');
    h.events = [];
    const s2 = session();
    await s2.activeConversation();
    await s2.activeConversation();
    assert.equal(ofType('storeWarnings').length, 1);
    assert.match(ofType('storeWarnings')[0]!.messages.join(' '), /cut short/);
  });

  it('forgets that an endpoint cannot chain when the key or the baseURL changes', async () => {
    const caps = new EndpointCapabilities(h.memento);
    const s = session({ capabilities: caps });
    await caps.markChainingUnsupported(h.fake.url);
    await s.keyChanged();
    assert.equal(caps.chainingUnsupported(h.fake.url), false);
    await caps.markChainingUnsupported(h.fake.url);
    const old = h.settings.baseURL;
    h.settings = { ...h.settings, baseURL: 'http://127.0.0.1:9/v1' };
    await caps.markChainingUnsupported(h.settings.baseURL);
    await s.settingsChanged();
    assert.equal(caps.chainingUnsupported(old), false);
    assert.equal(caps.chainingUnsupported(h.settings.baseURL), false);
  });
  describe('the model of each conversation', () => {
    const selection = { kind: 'selection' as const, path: 'src/a.ts', uri: 'file:///w/src/a.ts', startLine: 1, endLine: 2, languageId: 'typescript', code: 'let a = 1;' };

    it('new chats start from threadline.model; a switch mid-chain sends the new model with the previous response id; the choice is stored', async () => {
      const s = session();
      assert.equal(s.model, 'gpt-test');
      const a = ran(await s.ask('first', []));
      assert.equal(posts()[0].model, 'gpt-test');
      assert.equal((await s.activeConversation())?.meta.model, undefined, 'nothing picked: the chat follows threadline.model');
      h.settings = { ...h.settings, model: 'gpt-test-2' };
      assert.equal(s.model, 'gpt-test-2');
      h.settings = { ...h.settings, model: 'gpt-test' };
      assert.deepEqual(await s.setModel('  gpt-5-mini '), { ok: true, value: 'gpt-5-mini' });
      assert.equal(ofType('modelChanged').length, 1);
      h.settings = { ...h.settings, model: 'gpt-later' };
      assert.equal(s.model, 'gpt-5-mini', 'the conversation keeps its own model when the setting changes');
      const b = ran(await s.ask('second', []));
      assert.equal(posts()[1].model, 'gpt-5-mini');
      assert.equal(posts()[1].previous_response_id, a.responseId, 'the switch keeps the chain');
      assert.equal(b.model, 'gpt-5-mini', 'the turn records the model that answered');
      assert.equal(a.model, 'gpt-test');

      const reopened = await openStore();
      const conv = (await reopened.load(reopened.activeId!))!;
      assert.equal(conv.meta.model, 'gpt-5-mini', 'the transcript keeps the choice');
      assert.equal(reopened.entry(conv.id)?.model, 'gpt-5-mini', 'so does the index');

      assert.deepEqual(await s.setModel('   '), { ok: false, reason: 'blank_model' });
      await s.newChat();
      assert.equal(s.model, 'gpt-later', 'a new chat starts from threadline.model');
      await s.setModel('gpt-4.1');
      assert.equal(s.model, 'gpt-4.1', 'a model picked before the first turn is the new chat\'s');
      ran(await s.ask('in a new chat', []));
      assert.equal(posts()[2].model, 'gpt-4.1');
      assert.equal(posts()[2].previous_response_id, undefined);
      assert.equal((await s.activeConversation())?.meta.model, 'gpt-4.1');
      await s.newChat();
      assert.equal(s.model, 'gpt-later', 'the pick went with that chat');
    });

    it('reasoning effort: new chats start from the setting; a pick is the chat\'s, stored with it, kept across a model switch (mapped when the model does not take it); another chat keeps its own', async () => {
      const s = session();
      h.settings = { ...h.settings, reasoningEffort: 'low' };
      await s.setModel('gpt-5-mini');
      assert.equal(s.reasoningEffort, 'low');
      assert.equal(s.effortPicked, false);
      ran(await s.ask('first', []));
      assert.equal(posts()[0].reasoning.effort, 'low');
      assert.equal(await s.setReasoningEffort('minimal'), 'minimal');
      assert.ok(s.effortPicked);
      h.settings = { ...h.settings, reasoningEffort: 'high' };
      assert.equal(s.reasoningEffort, 'minimal', 'the chat keeps its own effort when the setting changes');
      ran(await s.ask('second', []));
      assert.equal(posts()[1].reasoning.effort, 'minimal');
      await s.setModel('gpt-5.1');
      const third = ran(await s.ask('third', []));
      assert.equal(third.status, 'completed', third.error?.message);
      assert.equal(posts()[2].reasoning.effort, 'none', 'gpt-5.1 takes no minimal: the nearest, lower on a tie');
      assert.deepEqual(third.notes, ['Effort minimal is not offered by gpt-5.1; sent none.']);
      assert.equal(s.reasoningEffort, 'minimal', 'the choice survives the switch');

      const first = (await s.activeConversation())!.id;
      let reopened = await openStore();
      assert.equal((await reopened.load(first))?.meta.reasoningEffort, 'minimal', 'the transcript keeps the choice');
      assert.equal(reopened.entry(first)?.reasoningEffort, 'minimal', 'so does the index');

      await s.newChat();
      assert.equal(s.reasoningEffort, 'high', 'a new chat starts from the setting');
      await s.setReasoningEffort('medium');
      ran(await s.ask('another chat', []));
      assert.equal(posts()[3].reasoning.effort, 'medium', 'an effort picked before the first turn is the new chat\'s');
      assert.ok((await s.switchTo(first)).ok);
      assert.equal(s.reasoningEffort, 'minimal', 'each chat keeps its own');
      assert.equal(await s.setReasoningEffort('default'), 'high', 'Default: the chat follows the setting again');
      reopened = await openStore();
      assert.equal((await reopened.load(first))?.meta.reasoningEffort, undefined);
      assert.equal(reopened.entry(first)?.reasoningEffort, undefined);
    });

    it('regenerate: a sibling branch chained from the same parent with the same question and attachments, with the same or another model', async () => {
      const s = session();
      const a = ran(await s.ask('root', []));
      const b = ran(await s.ask('explain this', [selection]));
      const other = await s.retry(b.id, 'gpt-5-mini');
      assert.ok(other.ok);
      const c = ran(other.value);
      const [asked, again] = [posts()[1], posts()[2]];
      assert.equal(again.previous_response_id, a.responseId, 'chained from the parent, not from the answer it replaces');
      assert.deepEqual(again.input, asked.input, 'the same question and attachments, without the history');
      assert.equal(again.model, 'gpt-5-mini');
      assert.equal(c.model, 'gpt-5-mini');
      assert.deepEqual(c.attachments, [selection]);
      let conv = (await s.activeConversation())!;
      assert.deepEqual(conv.activePath().map((t) => t.id), [a.id, c.id], 'the active path follows the new answer');
      assert.deepEqual(conv.siblingPosition(c.id), { index: 2, count: 2 });

      const same = await s.retry(c.id);
      assert.ok(same.ok);
      const d = ran(same.value);
      assert.equal(posts()[3].model, 'gpt-5-mini', 'Same model: the conversation\'s model, now the chosen one');
      assert.equal(posts()[3].previous_response_id, a.responseId);
      conv = (await s.activeConversation())!;
      assert.deepEqual(conv.siblingPosition(d.id), { index: 3, count: 3 });
      assert.deepEqual(await s.switchBranch(d.id, 'previous'), { ok: true, value: undefined });
      assert.deepEqual((await s.activeConversation())!.activePath().map((t) => t.id), [a.id, c.id]);
      assert.deepEqual(await s.switchBranch(c.id, 'previous'), { ok: true, value: undefined });
      assert.deepEqual((await s.activeConversation())!.activePath().map((t) => t.id), [a.id, b.id]);

      const first = await s.retry(a.id, 'gpt-4.1');
      assert.ok(first.ok);
      assert.equal(posts()[4].previous_response_id, undefined, 'a h.root turn regenerates without a previous response');
      assert.deepEqual(await s.retry(a.id, ' '), { ok: false, reason: 'blank_model' });
      assert.deepEqual(await s.retry('nope', 'gpt-4.1'), { ok: false, reason: 'no_such_turn' });
    });

    it('an unknown model fails the turn naming it, offers the picker and keeps the question', async () => {
      h.fake.options.unknownModels = ['gpt-nope'];
      const s = session();
      await s.setModel('gpt-nope');
      const t = ran(await s.ask('keep me', []));
      assert.equal(t.status, 'failed');
      assert.equal(t.error?.kind, 'unknown_model');
      assert.match(t.error!.message, /"gpt-nope" is not available/);
      assert.deepEqual(t.error?.actions, ['selectModel', 'retry']);
      assert.equal((await s.activeConversation())!.getTurn(t.id)?.question, 'keep me');
      await s.setModel('gpt-5.1');
      const retried = await s.retry(t.id);
      assert.ok(retried.ok);
      assert.equal(ran(retried.value).status, 'completed', 'Retry after picking a model asks the kept question of it');
      assert.equal(posts().at(-1).model, 'gpt-5.1');
    });
  });
});
