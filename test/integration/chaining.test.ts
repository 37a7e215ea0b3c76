// Follow-ups chain on the server with previous_response_id; the local transcript stays the truth when
// the server forgets, when the user stops a turn, and across New Chat.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../support/fakeResponsesServer';
import {
  INSTRUCTIONS, MODEL, ask, askOk, closeAllEditors, createRequests, createRequestsSince, inputMessages, newChat,
  setUserSetting, singleUserMessage, startAndUseFake, waitFor,
} from './helpers';

describe('chaining', () => {
  let fake: FakeServer;
  before(async () => {
    await closeAllEditors(); // no selection may ride along
    fake = await startAndUseFake();
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  it('sends only the new turn, chained to the previous response, with the instructions every time', async () => {
    const r1 = await askOk('First: what is a monad?');
    const r2 = await askOk('Second: and a functor?');
    const r3 = await askOk('Third: which one came first?');
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 3);
    assert.strictEqual(reqs[0].body.previous_response_id ?? undefined, undefined, 'the first turn of a chat chains from nothing');
    assert.strictEqual(reqs[1].body.previous_response_id, r1.responseId);
    assert.strictEqual(reqs[2].body.previous_response_id, r2.responseId);
    ['First: what is a monad?', 'Second: and a functor?', 'Third: which one came first?'].forEach((q, i) => {
      assert.strictEqual(singleUserMessage(reqs[i].body), q, `request ${i + 1} must hold only its own turn`);
      assert.strictEqual(reqs[i].body.instructions, INSTRUCTIONS, `request ${i + 1} lacks the instructions`);
      assert.strictEqual(reqs[i].body.model, MODEL);
      assert.strictEqual(reqs[i].body.stream, true);
      assert.notStrictEqual(reqs[i].body.store, false);
    });
    // The fake answers `echo#<user messages it saw>: <last>`: the model saw all three turns via the chain.
    assert.strictEqual(r3.text, 'echo#3: Third: which one came first?');
    assert.strictEqual(new Set([r1.conversationId, r2.conversationId, r3.conversationId]).size, 1);
    assert.notStrictEqual(r1.turnId, r2.turnId);
  });

  it('New Chat starts a new chain: the next request has no previous_response_id', async () => {
    const before = await askOk('Old chat question');
    await newChat();
    const after = await askOk('New chat question');
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 2);
    assert.strictEqual(reqs[1].body.previous_response_id ?? undefined, undefined);
    assert.strictEqual(singleUserMessage(reqs[1].body), 'New chat question');
    assert.strictEqual(after.text, 'echo#1: New chat question');
    assert.notStrictEqual(after.conversationId, before.conversationId);
  });

  it('recovers when the server forgot the chain: replays the transcript once, then chains again', async () => {
    const r1 = await askOk('My favourite language is OCaml.');
    const r2 = await askOk('I also like Rust.');
    fake.forget();
    const mark = createRequests(fake).length;
    const r3 = await askOk('Which languages do I like?');
    const reqs = createRequestsSince(fake, mark);
    assert.strictEqual(reqs.length, 2, 'expected the chained attempt, then one replay');
    const [chained, replay] = reqs;
    assert.strictEqual(chained.body.previous_response_id, r2.responseId);
    assert.strictEqual(singleUserMessage(chained.body), 'Which languages do I like?');
    assert.strictEqual(replay.body.previous_response_id ?? undefined, undefined, 'the replay must not chain');
    assert.strictEqual(replay.body.instructions, INSTRUCTIONS);
    assert.deepStrictEqual(inputMessages(replay.body), [
      { role: 'user', content: 'My favourite language is OCaml.' },
      { role: 'assistant', content: r1.text },
      { role: 'user', content: 'I also like Rust.' },
      { role: 'assistant', content: r2.text },
      { role: 'user', content: 'Which languages do I like?' },
    ]);
    assert.strictEqual(r3.text, 'echo#3: Which languages do I like?');

    // The replay started a new chain, and the model has the whole conversation.
    fake.options.recall = true;
    const r4 = await askOk('What did I say first?');
    const last = createRequests(fake).at(-1)!;
    assert.strictEqual(last.body.previous_response_id, r3.responseId);
    assert.strictEqual(singleUserMessage(last.body), 'What did I say first?');
    assert.strictEqual(r4.text, 'My favourite language is OCaml.');
  });

  it('Stop cancels the streaming turn, keeps the partial text, and the next turn chains from the last completed one', async () => {
    const r1 = await askOk('Before the long answer');
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    fake.options.interDeltaDelayMs = 40;
    fake.script({ text: long });
    const streamsBefore = fake.streams.length;
    const pending = ask('Tell me a long story');
    await waitFor('a few streamed deltas', () => (fake.streams[streamsBefore]?.deltas ?? 0) >= 5, 15_000);
    await vscode.commands.executeCommand('threadline.stop');
    const stopped = await pending;
    assert.strictEqual(stopped.status, 'cancelled', JSON.stringify(stopped));
    assert.ok(stopped.text.length > 0, 'the partial text was lost');
    assert.ok(long.startsWith(stopped.text), `the partial text is not a prefix of the answer: ${JSON.stringify(stopped.text)}`);
    assert.ok(stopped.text.length < long.length, 'the whole answer arrived: Stop did nothing');
    await waitFor('the server to see the client go away', () => fake.streams[streamsBefore].outcome !== 'streaming');
    assert.strictEqual(fake.streams[streamsBefore].outcome, 'client_closed');

    fake.options.interDeltaDelayMs = 0;
    const mark = createRequests(fake).length;
    const r3 = await askOk('After the stop');
    const reqs = createRequestsSince(fake, mark);
    assert.strictEqual(reqs.length, 1);
    assert.strictEqual(reqs[0].body.previous_response_id, r1.responseId, 'must chain from the last completed response');
    assert.strictEqual(singleUserMessage(reqs[0].body), 'After the stop');
    assert.strictEqual(r3.text, 'echo#2: After the stop');
  });

  it('chaining "local" replays the transcript on every turn, with store:false and no previous_response_id', async () => {
    await setUserSetting('chaining', 'local');
    try {
      const r1 = await askOk('Local one');
      const r2 = await askOk('Local two');
      const reqs = createRequests(fake);
      assert.strictEqual(reqs.length, 2);
      for (const req of reqs) {
        assert.strictEqual(req.body.previous_response_id ?? undefined, undefined);
        assert.strictEqual(req.body.store, false);
        assert.strictEqual(req.body.instructions, INSTRUCTIONS);
      }
      assert.deepStrictEqual(inputMessages(reqs[1].body), [
        { role: 'user', content: 'Local one' },
        { role: 'assistant', content: r1.text },
        { role: 'user', content: 'Local two' },
      ]);
      assert.strictEqual(r2.text, 'echo#2: Local two');
    } finally {
      await setUserSetting('chaining', 'auto');
    }
  });

  it('chaining "server" reports a forgotten chain instead of replaying it', async () => {
    await askOk('Server mode one');
    await setUserSetting('chaining', 'server');
    try {
      fake.forget();
      const mark = createRequests(fake).length;
      const r = await ask('Server mode two');
      assert.strictEqual(r.status, 'failed', JSON.stringify(r));
      assert.ok(r.error, 'no error');
      assert.strictEqual(createRequestsSince(fake, mark).length, 1, 'the transcript was replayed in server mode');
    } finally {
      await setUserSetting('chaining', 'auto');
    }
  });

  it('refuses a second question while one is streaming, and sends nothing for it', async () => {
    fake.options.interDeltaDelayMs = 30;
    fake.script({ text: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') });
    const first = ask('Slow one');
    await waitFor('the first request', () => createRequests(fake).length === 1);
    const second = await ask('Impatient one');
    assert.strictEqual(second.status, 'failed');
    assert.strictEqual(second.error?.kind, 'busy');
    await vscode.commands.executeCommand('threadline.stop');
    assert.strictEqual((await first).status, 'cancelled');
    assert.strictEqual(createRequests(fake).length, 1, 'the refused question reached the server');
  });
});
