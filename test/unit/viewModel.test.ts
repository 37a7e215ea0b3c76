// The view model: what the chat view is sent, projected from a conversation without VS Code.
import assert from 'node:assert/strict';
import { Conversation } from '../../src/core/conversation';
import type { Turn } from '../../src/core/types';
import { DeltaQueue } from '../../src/host/deltaQueue';
import { conversationView, EARLIER_PAGE, earlierTurns, SNAPSHOT_TURNS, turnView } from '../../src/host/viewModel';
import type { HostToWebview } from '../../src/shared/protocol';

function conversationOf(n: number): Conversation {
  const conv = new Conversation({ id: 'c1', title: 'chat', createdAt: 0, updatedAt: 0 });
  for (let i = 1; i <= n; i++) {
    conv.put({
      id: `t${i}`, parentId: i === 1 ? null : `t${i - 1}`, createdAt: i, question: `q${i}`, answer: `a${i}`, status: 'completed',
      attachments: [{ kind: 'selection', path: 'src/a.ts', uri: 'file:///w/src/a.ts', startLine: 1, endLine: 2, languageId: 'typescript', code: 'secret code' }],
    });
  }
  return conv;
}

describe('viewModel', () => {
  it('a snapshot carries the newest SNAPSHOT_TURNS turns and says that earlier ones exist', () => {
    const view = conversationView(conversationOf(SNAPSHOT_TURNS + 5));
    assert.equal(view.turns.length, SNAPSHOT_TURNS);
    assert.equal(view.turns.at(-1)!.id, `t${SNAPSHOT_TURNS + 5}`);
    assert.equal(view.hasEarlier, true);
    assert.deepEqual(conversationView(undefined), { id: '', title: 'New chat', turns: [], hasEarlier: false });
  });

  it('pages earlier turns, EARLIER_PAGE at a time, up to the root', () => {
    const conv = conversationOf(EARLIER_PAGE + 10);
    const page = earlierTurns(conv, `t${EARLIER_PAGE + 1}`, 'r1');
    assert.deepEqual(page.turns.map((t) => t.id), Array.from({ length: EARLIER_PAGE }, (_, i) => `t${i + 1}`));
    assert.equal(page.hasEarlier, false);
    assert.deepEqual(earlierTurns(conv, 't1', 'r2').turns, []);
  });

  it('sends attachment chips without their contents', () => {
    const conv = conversationOf(1);
    const view = turnView(conv, conv.getTurn('t1') as Turn);
    assert.deepEqual(view.attachments, [{ kind: 'selection', label: 'src/a.ts:L1-L2', open: { uri: 'file:///w/src/a.ts', startLine: 1, endLine: 2 } }]);
    assert.ok(!JSON.stringify(view).includes('secret code'));
    assert.ok(!JSON.stringify(view).includes('secret code'));
    assert.deepEqual([view.siblingIndex, view.siblingCount], [1, 1]);
  });
});

describe('deltaQueue (backpressure)', () => {
  type Delta = Extract<HostToWebview, { type: 'delta' }>;
  const delta = (turnId: string, text: string): Delta => ({ type: 'delta', conversationId: 'c1', turnId, part: 'text', text });

  it('keeps one delta in flight and merges what arrives meanwhile per turn and part, in order', async () => {
    const sent: Delta[] = [];
    let release: () => void = () => undefined;
    const q = new DeltaQueue((m) => {
      sent.push(m);
      return new Promise<void>((r) => (release = r));
    });
    q.push(delta('t1', 'a'));
    q.push(delta('t1', 'b'));
    q.push(delta('t2', 'x'));
    q.push(delta('t1', 'c'));
    assert.deepEqual(sent.map((m) => m.text), ['a'], 'one in flight');
    release();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sent.map((m) => [m.turnId, m.text]), [['t1', 'a'], ['t1', 'bc']]);
    q.flush();
    assert.deepEqual(sent.map((m) => [m.turnId, m.text]), [['t1', 'a'], ['t1', 'bc'], ['t2', 'x']], 'flush sends the rest before another message');
  });
});
