// Restart, phase 2: workspace A again, after phase 1 and workspace B, in the same user data. The chat
// and its chain survived: the first request chains from phase 1's last response id (not from B's). The
// fake server is a new process that has forgotten everything, so the transcript, which also survived,
// is replayed.
import * as assert from 'assert';
import type { FakeServer } from '../../support/fakeResponsesServer';
import {
  askOk, closeAllEditors, createRequests, inputMessages, readIds, singleUserMessage, startAndUseFake,
} from '../helpers';

describe('restart, phase 2: workspace A continues its chat', () => {
  let fake: FakeServer;
  let ids: Record<string, any>;
  before(async () => {
    ids = readIds();
    assert.ok(ids.phase1?.responseIds?.length, `phase 1 left no ids: ${JSON.stringify(ids)}`);
    await closeAllEditors();
    fake = await startAndUseFake({ port: ids.port, recall: true });
  });
  after(async () => {
    await fake?.close();
  });

  it('chains from phase 1\'s last response, then replays the persisted transcript when the server forgot it', async () => {
    const { phase1, workspaceB } = ids;
    const r = await askOk('Phase two: what did I ask you to remember?');
    assert.strictEqual(r.conversationId, phase1.conversationId, 'the active chat of workspace A was not restored');
    const [first, replay, ...rest] = createRequests(fake);
    assert.strictEqual(first.body.previous_response_id, phase1.responseIds.at(-1),
      `expected phase 1's last id ${phase1.responseIds.at(-1)}` +
      (workspaceB ? ` (workspace B's ids: ${workspaceB.responseIds})` : ''));
    assert.strictEqual(singleUserMessage(first.body), 'Phase two: what did I ask you to remember?');
    assert.ok(replay, 'the server did not know the id, but no replay followed');
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(replay.body.previous_response_id ?? undefined, undefined);
    assert.deepStrictEqual(inputMessages(replay.body), [
      { role: 'user', content: phase1.questions[0] },
      { role: 'assistant', content: phase1.answers[0] },
      { role: 'user', content: phase1.questions[1] },
      { role: 'assistant', content: phase1.answers[1] },
      { role: 'user', content: 'Phase two: what did I ask you to remember?' },
    ]);

    const recall = await askOk('What did I say first?');
    assert.strictEqual(recall.text, phase1.questions[0]);
    assert.strictEqual(createRequests(fake).at(-1)!.body.previous_response_id, r.responseId);
  });
});
