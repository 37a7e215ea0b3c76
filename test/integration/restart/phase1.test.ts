// Restart, phase 1 (workspace A, fresh user data): build a chain and hand its ids to the later runs.
// scripts/integration.mjs then runs workspaceB.test.js and phase2.test.js in the same user-data dir.
import * as assert from 'assert';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, closeAllEditors, createRequests, startAndUseFake, writeIds } from '../helpers';

const PHASE1_QUESTIONS = ['Phase one: remember the word teal.', 'Phase one: and the number 42.'];

describe('restart, phase 1: a chain in workspace A', () => {
  let fake: FakeServer;
  before(async () => {
    await closeAllEditors();
    fake = await startAndUseFake();
  });
  after(async () => {
    await fake?.close();
  });

  it('chains two turns and records their ids for the next runs', async () => {
    const r1 = await askOk(PHASE1_QUESTIONS[0]);
    const r2 = await askOk(PHASE1_QUESTIONS[1]);
    const reqs = createRequests(fake);
    assert.strictEqual(reqs[0].body.previous_response_id ?? undefined, undefined, 'fresh user data must start a fresh chain');
    assert.strictEqual(reqs[1].body.previous_response_id, r1.responseId);
    // The later runs listen on the same port, so the endpoint (threadline.baseURL) stays the same.
    writeIds({
      port: fake.port,
      phase1: { conversationId: r1.conversationId, responseIds: [r1.responseId, r2.responseId],
        answers: [r1.text, r2.text], questions: PHASE1_QUESTIONS },
    });
  });
});
