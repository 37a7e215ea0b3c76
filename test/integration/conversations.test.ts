// Conversations, fork and edit, through the commands and the API that activate() returns: what each
// chains from on the wire, branches, history (Quick Pick, switch, rename), deletion on the server, export.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { titleFrom } from '../../src/core/conversation';
import type { ThreadlineApi } from '../../src/host/api';
import type { FakeServer } from '../support/fakeResponsesServer';
import {
  MODEL, askOk, closeAllEditors, closeExports, createRequests, createRequestsSince, exportedChat, fencedBlockUnder,
  newChat, openFixture, singleUserMessage, startAndUseFake, waitFor,
  threadline,
} from './helpers';


describe('conversations: fork, edit, branches, history', () => {
  let fake: FakeServer;
  let api: ThreadlineApi;
  before(async () => {
    await closeAllEditors(); // no selection may ride along
    fake = await startAndUseFake();
    api = await threadline();
  });
  after(async () => {
    await closeExports();
    await closeAllEditors();
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  /** The previous_response_id of the last create request (undefined when it sent none). */
  const lastPrevious = (): string | undefined => createRequests(fake).at(-1)!.body.previous_response_id ?? undefined;

  it('Fork from here: a new active chat "Fork of <title>" whose first request chains from the forked turn, without replay', async () => {
    const r1 = await askOk('Fork source: explain the visitor pattern');
    await askOk('Fork source: and double dispatch?');
    const original = (await api.activeConversation())!;
    assert.strictEqual(original.title, titleFrom('Fork source: explain the visitor pattern'));

    assert.strictEqual(await api.fork('no-such-turn'), undefined, 'an unknown turn cannot be forked');
    const forkId = await api.fork(r1.turnId);
    assert.ok(forkId, 'fork returned no id');
    assert.notStrictEqual(forkId, original.id);
    const fork = (await api.activeConversation())!;
    assert.strictEqual(fork.id, forkId, 'the fork is the active chat');
    assert.strictEqual(fork.title, `Fork of ${original.title}`);
    assert.deepStrictEqual(fork.turns.map((t) => t.question), ['Fork source: explain the visitor pattern'], 'the path up to the forked turn');
    assert.deepStrictEqual(fork.responseChain, [r1.responseId]);
    assert.ok((await api.conversations()).some((c) => c.id === forkId && c.title === fork.title), 'the fork is in the history');

    const mark = createRequests(fake).length;
    const r = await askOk('In the fork: and the strategy pattern?');
    const reqs = createRequestsSince(fake, mark);
    assert.strictEqual(reqs.length, 1, 'no replay: the server still has the forked response');
    assert.strictEqual(reqs[0].body.previous_response_id, r1.responseId);
    assert.strictEqual(singleUserMessage(reqs[0].body), 'In the fork: and the strategy pattern?');
    // echo#N counts the user messages the model saw: the forked turn and this one, not the second question.
    assert.strictEqual(r.text, 'echo#2: In the fork: and the strategy pattern?');
    assert.strictEqual(r.conversationId, forkId);

    // The original is untouched, and switching back continues it from its own tip.
    assert.ok(await api.switchTo(original.id));
    assert.deepStrictEqual((await api.activeConversation())!.turns.map((t) => t.id), original.turns.map((t) => t.id));
    const back = await askOk('Back in the original');
    assert.strictEqual(lastPrevious(), original.responseChain.at(-1));

    // Deleting the fork deletes its own response on the server, not the ones it shares with the original.
    await api.delete(forkId);
    await waitFor('the fork\'s response to be deleted on the server', () => fake.requests.some((q) => q.method === 'DELETE'));
    await new Promise((res) => setTimeout(res, 200)); // any further DELETE would have come by now
    assert.deepStrictEqual(fake.requests.filter((q) => q.method === 'DELETE').map((q) => q.path), [`/v1/responses/${r.responseId}`]);
    const mark2 = createRequests(fake).length;
    await askOk('The original still chains');
    assert.strictEqual(createRequestsSince(fake, mark2).length, 1, 'the original had to replay: its responses were deleted');
    assert.strictEqual(lastPrevious(), back.responseId);
  });

  it('Edit: the new request chains from the parent turn\'s response, the old branch stays, and switching branches moves the chain', async () => {
    const r1 = await askOk('Edit base: first question');
    const r2 = await askOk('Edit base: second question');
    const r3 = await askOk('Edit base: third question');

    const mark = createRequests(fake).length;
    const e = await api.edit(r2.turnId, 'Edit base: second question, edited');
    assert.ok(e && e.status === 'completed', JSON.stringify(e));
    const reqs = createRequestsSince(fake, mark);
    assert.strictEqual(reqs.length, 1);
    assert.strictEqual(reqs[0].body.previous_response_id, r1.responseId, 'an edit chains from the parent turn');
    assert.strictEqual(singleUserMessage(reqs[0].body), 'Edit base: second question, edited');
    assert.strictEqual(e.text, 'echo#2: Edit base: second question, edited');
    assert.strictEqual(e.conversationId, r1.conversationId, 'the edit stays in the same chat');
    let conv = (await api.activeConversation())!;
    assert.deepStrictEqual(conv.turns.map((t) => t.id), [r1.turnId, e.turnId], 'the view shows the new branch');

    // The old branch is still there: back to it, down to its newest turn; the next turn chains from r3.
    await api.switchBranch(e.turnId, 'previous');
    conv = (await api.activeConversation())!;
    assert.deepStrictEqual(conv.turns.map((t) => t.id), [r1.turnId, r2.turnId, r3.turnId]);
    assert.deepStrictEqual(conv.responseChain, [r1.responseId, r2.responseId, r3.responseId]);
    const onOld = await askOk('On the old branch');
    assert.strictEqual(lastPrevious(), r3.responseId);
    assert.strictEqual(onOld.text, 'echo#4: On the old branch');

    // And to the edited branch again: the next turn chains from the edited answer.
    await api.switchBranch(r2.turnId, 'next');
    assert.deepStrictEqual((await api.activeConversation())!.turns.map((t) => t.id), [r1.turnId, e.turnId]);
    const onNew = await askOk('On the edited branch');
    assert.strictEqual(lastPrevious(), e.responseId);
    assert.strictEqual(onNew.text, 'echo#3: On the edited branch');
    // At an end, switching further does nothing.
    await api.switchBranch(e.turnId, 'next');
    assert.strictEqual((await api.activeConversation())!.turns.at(-1)!.id, onNew.turnId);
  });

  it('Edit of the first message: a new root with no previous_response_id, the original attachments kept', async () => {
    const editor = await openFixture('src/math.ts');
    editor.selections = [new vscode.Selection(1, 0, 3, 1)]; // add(), lines 2-4
    const code = editor.document.getText(editor.selection);
    const r1 = await askOk('What does add do?');
    await closeAllEditors();
    await askOk('Any edge cases?');
    const mark = createRequests(fake).length;
    const e = await api.edit(r1.turnId, 'What does add return?');
    assert.ok(e && e.status === 'completed', JSON.stringify(e));
    const [req] = createRequestsSince(fake, mark);
    assert.strictEqual(req.body.previous_response_id ?? undefined, undefined, 'a new root chains from nothing');
    const message = singleUserMessage(req.body);
    assert.ok(message.startsWith('What does add return?'), message);
    assert.strictEqual(fencedBlockUnder(message, 'src/math.ts:L2-L4'), code, 'the edit keeps the original attachment');
    const conv = (await api.activeConversation())!;
    assert.deepStrictEqual(conv.turns.map((t) => t.id), [e.turnId]);
    await api.switchBranch(e.turnId, 'previous');
    assert.strictEqual((await api.activeConversation())!.turns.length, 2, 'the first branch is still there');
  });

  it('Show Chat History: a Quick Pick of this workspace\'s chats, newest first; picking one switches; rename changes the title', async () => {
    const a = await askOk('History: chat A');
    await newChat();
    const b = await askOk('History: chat B');
    const list = await api.conversations();
    assert.deepStrictEqual(list.slice(0, 2).map((c) => c.id), [b.conversationId, a.conversationId], 'most recently used first');

    await vscode.commands.executeCommand('threadline.showHistory');
    await new Promise((r) => setTimeout(r, 300)); // the list renders
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    for (let i = 0; (await api.activeConversation())?.id !== a.conversationId; i++) {
      assert.ok(i < 100, 'picking the second chat in the Quick Pick did not switch to it');
      await new Promise((r) => setTimeout(r, 50));
    }
    await askOk('History: back in A');
    assert.strictEqual(lastPrevious(), a.responseId, 'the switched-to chat chains from its own last response');

    await api.rename(b.conversationId, '  Renamed\n chat B  ');
    assert.strictEqual((await api.conversations()).find((c) => c.id === b.conversationId)?.title, 'Renamed chat B');
    await api.rename(b.conversationId, '   ');
    assert.strictEqual((await api.conversations()).find((c) => c.id === b.conversationId)?.title, 'Renamed chat B', 'a blank title changes nothing');
    assert.strictEqual((await api.activeConversation())!.id, a.conversationId, 'renaming another chat does not switch to it');
    assert.strictEqual(await api.switchTo('no-such-chat'), false);
  });

  it('Delete removes the chat and deletes its stored responses on the server', async () => {
    const keep = await askOk('Delete: a chat to keep');
    await newChat();
    const d1 = await askOk('Delete: doomed one');
    const d2 = await askOk('Delete: doomed two');
    await api.delete(d1.conversationId);
    assert.ok(!(await api.conversations()).some((c) => c.id === d1.conversationId), 'the deleted chat left the history');
    assert.notStrictEqual((await api.activeConversation())?.id, d1.conversationId);
    const deletes = () => fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path).sort();
    await waitFor('DELETE requests for both stored responses', () => deletes().length >= 2);
    assert.deepStrictEqual(deletes(), [`/v1/responses/${d1.responseId}`, `/v1/responses/${d2.responseId}`].sort());
    assert.strictEqual(await api.switchTo(d1.conversationId), false);
    // The kept chat's responses were not touched: it still chains without a replay.
    assert.ok(await api.switchTo(keep.conversationId));
    const mark = createRequests(fake).length;
    await askOk('Delete: the kept chat goes on');
    assert.strictEqual(createRequestsSince(fake, mark).length, 1);
    assert.strictEqual(lastPrevious(), keep.responseId);
  });

  it('Export Chat as Markdown: questions, attachments with path:Lx-Ly and fenced code, answers, model and date', async () => {
    const editor = await openFixture('src/math.ts');
    editor.selections = [new vscode.Selection(6, 0, 8, 3)]; // the `if` of clamp(), lines 7-9
    const r1 = await askOk('Export: why the early return?');
    await closeAllEditors();
    const r2 = await askOk('Export: and without it?');
    const md = await exportedChat();
    const conv = (await api.activeConversation())!;
    assert.ok(md.startsWith(`# ${conv.title}\n`), md);
    const at = (s: string) => {
      const i = md.indexOf(s);
      assert.ok(i >= 0, `"${s}" is not in the export:\n${md}`);
      return i;
    };
    const order = [
      at('Export: why the early return?'),
      at('src/math.ts:L7-L9\n```typescript\n  if (value < min) {\n    return min;\n  }\n```'),
      at(r1.text),
      at('Export: and without it?'),
      at(r2.text),
    ];
    assert.deepStrictEqual([...order].sort((x, y) => x - y), order, 'in conversation order');
    const stamp = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/.source;
    assert.strictEqual(md.match(new RegExp(`^## You \\(${stamp}\\)$`, 'gm'))?.length, 2, md);
    assert.strictEqual(md.match(new RegExp(`^## Assistant \\(${MODEL}, ${stamp}\\)$`, 'gm'))?.length, 2, md);
  });
});
