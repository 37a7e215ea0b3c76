// Restart, between the phases: workspace B (a .code-workspace file) in the same user data as phase 1.
// Its chat must be its own: it never chains from workspace A's response ids.
import * as assert from 'assert';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, closeAllEditors, createRequests, readIds, singleUserMessage, startAndUseFake, writeIds } from '../helpers';

describe('restart: workspace B has its own chain', () => {
  let fake: FakeServer;
  let ids: Record<string, any>;
  before(async () => {
    ids = readIds();
    assert.ok(ids.phase1?.responseIds?.length, `phase 1 left no ids: ${JSON.stringify(ids)}`);
    await closeAllEditors();
    fake = await startAndUseFake({ port: ids.port });
  });
  after(async () => {
    await fake?.close();
  });

  it('starts fresh, not from workspace A\'s last response', async () => {
    const r1 = await askOk('Workspace B: first question');
    const r2 = await askOk('Workspace B: second question');
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 2, 'a fresh chain needs no replay');
    assert.strictEqual(reqs[0].body.previous_response_id ?? undefined, undefined,
      `workspace B chained from ${reqs[0].body.previous_response_id} (workspace A's ids: ${ids.phase1.responseIds})`);
    assert.strictEqual(singleUserMessage(reqs[0].body), 'Workspace B: first question');
    assert.strictEqual(reqs[1].body.previous_response_id, r1.responseId);
    assert.notStrictEqual(r1.conversationId, ids.phase1.conversationId);
    assert.strictEqual(r2.text, 'echo#2: Workspace B: second question');
    writeIds({ workspaceB: { conversationId: r1.conversationId, responseIds: [r1.responseId, r2.responseId] } });
  });
});
