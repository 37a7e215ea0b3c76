// History across a restart, phase 1. Runs in the restart-phase1 run right after phase1.test.js (workspace A,
// fresh user data), whose chat is then the oldest: three more chats; one renamed, one deleted (on the
// server too), and phase 1's chat made active again, though it is not the newest. historyPhase2.test.js
// checks all of it after the restart, once phase2.test.js has continued that chat.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ThreadlineApi } from '../../../src/host/api';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, closeAllEditors, newChat, readIds, startAndUseFake, waitFor, writeIds } from '../helpers';

const RENAMED = 'Renamed: B survives the restart';

describe('history across a restart, phase 1: create, rename, delete, switch', () => {
  let fake: FakeServer;
  let api: ThreadlineApi;
  let ids: Record<string, any>;
  before(async () => {
    ids = readIds();
    assert.ok(ids.phase1?.conversationId, `phase1.test.js left no ids: ${JSON.stringify(ids)}`);
    await closeAllEditors();
    fake = await startAndUseFake({ port: ids.port }); // the endpoint stays the same for the later runs
    api = await vscode.extensions.getExtension<ThreadlineApi>('threadline.threadline')!.activate();
  });
  after(async () => {
    await fake?.close();
  });

  it('leaves three chats, one renamed, one deleted on the server too, and the oldest one active', async () => {
    const first = ids.phase1.conversationId;
    await newChat();
    const b = await askOk('History B: a chat to rename');
    await newChat();
    const c = await askOk('History C: a chat to delete');
    await newChat();
    const d = await askOk('History D: the newest chat');

    await api.rename(b.conversationId, RENAMED);
    await api.delete(c.conversationId);
    await waitFor('the deleted chat\'s response to be deleted on the server',
      () => fake.requests.some((r) => r.method === 'DELETE' && r.path === `/v1/responses/${c.responseId}`));
    assert.ok(await api.switchTo(first));

    const list = await api.conversations();
    assert.deepStrictEqual(list.map((x) => x.id), [d.conversationId, b.conversationId, first], 'most recently used first');
    assert.strictEqual(list[1].title, RENAMED);
    assert.strictEqual((await api.activeConversation())?.id, first);
    writeIds({ history: { list: list.map((x) => ({ id: x.id, title: x.title })), deleted: c.conversationId, renamed: RENAMED } });
  });
});
