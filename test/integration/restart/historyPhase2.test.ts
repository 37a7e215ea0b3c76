// History across a restart, phase 2. Runs in the restart-phase2 run after phase2.test.js, which found
// phase 1's chat still active (historyPhase1.test.js had switched back to it) and continued it. The list,
// the titles, the deletion and the active chat survived the restart, and the next turn in the active chat
// chains from its last response id.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ThreadlineApi } from '../../../src/host/api';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, closeAllEditors, createRequests, readIds, singleUserMessage, startAndUseFake } from '../helpers';

describe('history across a restart, phase 2: the same chats, titles and active chat', () => {
  let fake: FakeServer;
  let api: ThreadlineApi;
  let ids: Record<string, any>;
  before(async () => {
    ids = readIds();
    assert.ok(ids.history?.list?.length, `historyPhase1.test.js left no ids: ${JSON.stringify(ids)}`);
    await closeAllEditors();
    fake = await startAndUseFake({ port: ids.port });
    api = await vscode.extensions.getExtension<ThreadlineApi>('threadline.threadline')!.activate();
  });
  after(async () => {
    await fake?.close();
  });

  it('lists the same chats and titles without the deleted one, keeps the switched-to chat active, and chains from it', async () => {
    const { list: before, deleted, renamed } = ids.history;
    const first = ids.phase1.conversationId;
    const list = await api.conversations();
    // phase2.test.js added turns to phase 1's chat, so it is the most recently used now.
    const expected = [before.find((c: { id: string }) => c.id === first), ...before.filter((c: { id: string }) => c.id !== first)];
    assert.deepStrictEqual(list.map((c) => ({ id: c.id, title: c.title })), expected);
    assert.ok(list.some((c) => c.title === renamed), 'the rename was lost');
    assert.ok(!list.some((c) => c.id === deleted), 'the deleted chat came back');
    assert.strictEqual(await api.switchTo(deleted), false);

    const active = await api.activeConversation();
    assert.strictEqual(active?.id, first, 'the active chat was not restored');
    const tip = active?.responseChain.at(-1);
    assert.ok(tip);
    const q = 'History after the restart: one more turn';
    const r = await askOk(q);
    assert.strictEqual(r.conversationId, first);
    const reqs = createRequests(fake);
    assert.strictEqual(reqs[0].body.previous_response_id, tip, 'the next turn chains from the active chat\'s last response id');
    assert.strictEqual(singleUserMessage(reqs[0].body), q);
  });
});
