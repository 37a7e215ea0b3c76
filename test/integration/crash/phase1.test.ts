// Crash and load, run 1 of 2 (a scratch workspace, fresh user data; scripts/integration.mjs "crash-1"):
//   - load: 50 conversations, then one conversation of 200 turns, all through threadline.askFollowUp, with
//     the time per turn and the bytes on disk after every turn;
//   - damage for run 2 to find: a torn last record in one conversation (what a crash mid-write leaves) and
//     a corrupt line in another;
//   - the crash: turn 201 is streaming when this extension host SIGKILLs itself.
// Run 2 (phase2.test.ts) restarts on the same user data and checks what survived.
import * as assert from 'assert';
import * as fs from 'fs';
import type { FakeServer } from '../../support/fakeResponsesServer';
import * as vscode from 'vscode';
import { askOk, closeAllEditors, createRequests, newChat, readIds, startAndUseFake, waitFor, writeIds, writeReliability } from '../helpers';
import {
  CONVERSATIONS, CRASH_QUESTION, TURNS, chatQuestion, countPasses, killHost, median, threadline, transcriptFile, turnQuestion,
} from './support';


describe('crash run 1: load, then a kill mid-stream', function () {
  this.timeout(180_000);
  countPasses();
  let fake: FakeServer;
  const load: Record<string, unknown> = {};

  before(async () => {
    await closeAllEditors();
    await threadline();
    // One delta per answer: the load is about storage and the chain, not about streaming.
    fake = await startAndUseFake({ chunkSize: 1000 });
    writeIds({ port: fake.port });
  });

  it(`creates ${CONVERSATIONS} conversations, one turn each`, async () => {
    const ms: number[] = [];
    const ids: Array<{ conversationId: string; responseId: string }> = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      await newChat();
      const t0 = Date.now();
      const r = await askOk(chatQuestion(i));
      ms.push(Date.now() - t0);
      ids.push({ conversationId: r.conversationId, responseId: r.responseId });
    }
    assert.strictEqual(new Set(ids.map((x) => x.conversationId)).size, CONVERSATIONS);
    const api = await threadline();
    assert.strictEqual((await api.conversations()).length, CONVERSATIONS);
    load.conversations = { count: CONVERSATIONS, msPerFirstTurnMedian: median(ms) };
    writeIds({ chats: ids });
  });

  it(`holds a conversation of ${TURNS} turns: nothing lost, cost per turn flat, bytes on disk linear`, async () => {
    await newChat();
    const ms: number[] = [];
    const sizes: number[] = [];
    const responseIds: string[] = [];
    let file = '';
    let conversationId = '';
    for (let i = 1; i <= TURNS; i++) {
      const t0 = Date.now();
      const r = await askOk(turnQuestion(i));
      ms.push(Date.now() - t0);
      responseIds.push(r.responseId);
      conversationId ||= r.conversationId;
      assert.strictEqual(r.conversationId, conversationId);
      file ||= transcriptFile(conversationId);
      sizes.push(fs.statSync(file).size);
    }
    const reqs = createRequests(fake);
    const mine = reqs.slice(-TURNS);
    for (let i = 1; i < TURNS; i++) {
      assert.strictEqual(mine[i]!.body.previous_response_id, responseIds[i - 1], `turn ${i + 1} did not chain from turn ${i}`);
    }
    const api = await threadline();
    const conv = await api.activeConversation();
    assert.strictEqual(conv?.turns.length, TURNS, 'a turn is missing from the active path');
    assert.deepStrictEqual(conv.turns.map((t) => t.question), Array.from({ length: TURNS }, (_, i) => turnQuestion(i + 1)));
    assert.deepStrictEqual(conv.responseChain, responseIds);

    const deltas = sizes.map((s, i) => s - (i ? sizes[i - 1]! : 0)).slice(1);
    const first = median(deltas.slice(0, 20));
    const last = median(deltas.slice(-20));
    // Each turn appends two records of about the same size: bytes per turn do not grow with the length.
    assert.ok(last / first < 1.1, `bytes per turn grew from ${first} to ${last}`);
    const early = median(ms.slice(0, 20));
    const late = median(ms.slice(-20));
    load.longConversation = {
      turns: TURNS,
      transcriptBytes: sizes.at(-1),
      bytesPerTurnFirst20: first,
      bytesPerTurnLast20: last,
      bytesPerTurnMean: Math.round((sizes.at(-1)! - sizes[0]!) / (TURNS - 1)),
      sizeAt: { 1: sizes[0], 50: sizes[49], 100: sizes[99], 150: sizes[149], 200: sizes[199] },
      msPerTurnFirst20Median: early,
      msPerTurnLast20Median: late,
    };
    writeIds({ long: { conversationId, responseIds, file } });
  });

  it('leaves a torn last record in one conversation and a corrupt line in another, for run 2', async () => {
    const { chats } = readIds() as { chats: Array<{ conversationId: string }> };
    const torn = chats[3]!.conversationId;
    const corrupt = chats[7]!.conversationId;
    // A crash mid-append leaves part of a record and no newline. SIGKILL cannot cut a write(2) to a local
    // file in half (the page cache takes it whole), so the torn tail is written as a power cut would leave it.
    fs.appendFileSync(transcriptFile(torn), '{"v":1,"t":"turn","turn":{"id":"torn-by-a-crash","parentId":null,"que');
    const lines = fs.readFileSync(transcriptFile(corrupt), 'utf8').split('\n');
    lines[1] = '{"v":1,"t":"turn","turn":#### not JSON: the disk garbled this line ####';
    fs.writeFileSync(transcriptFile(corrupt), lines.join('\n'));
    writeIds({ torn, corrupt });
    writeReliability('load-run1', load);
  });

  it('is killed while turn 201 streams', async () => {
    const api = await threadline();
    const { long } = readIds() as { long: { conversationId: string; file: string } };
    assert.strictEqual((await api.activeConversation())?.id, long.conversationId);
    fake.options.interDeltaDelayMs = 150;
    fake.script({ text: 'A long answer that streams slowly. '.repeat(40) });
    fake.options.chunkSize = 4;
    const streams = fake.streams.length;
    // Not awaited: the host dies before it ends.
    const askPromise = askOk(CRASH_QUESTION);
    void askPromise.catch(() => undefined);
    await waitFor('5 deltas of turn 201', () => fake.streams.length > streams && fake.streams.at(-1)!.deltas >= 5, 20_000);
    const onDisk = fs.readFileSync(long.file, 'utf8');
    assert.ok(onDisk.includes(CRASH_QUESTION), 'the streaming turn is not on disk yet');
    // Close the sidebar, so that run 2 starts with the chat view hidden and Threadline not yet activated:
    // its first call then measures a cold start.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    writeIds({ crash: { question: CRASH_QUESTION, deltasBeforeKill: fake.streams.at(-1)!.deltas, sentText: fake.streams.at(-1)!.sentText, killedAt: Date.now() } });
    killHost();
  });
});
