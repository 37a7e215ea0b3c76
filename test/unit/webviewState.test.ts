// The webview's saved state (getState) read back through its schema: what is well formed is kept, part
// by part, and nothing else.
import assert from 'node:assert/strict';
import { readState } from '../../src/webview/state';

const chip = { id: 'c1', kind: 'selection', label: 'src/a.ts:L3-L9', open: { uri: 'file:///w/src/a.ts', startLine: 3, endLine: 9 } } as const;
const scroll = { conversationId: 'conv', top: 300, atBottom: false };
const EMPTY = { v: 1, draft: { text: '', attachments: [] } };

describe('webview state: readState', () => {
  it('keeps a well-formed state as it was saved', () => {
    const saved = { v: 1, draft: { text: 'half-written', attachments: [chip] }, scroll };
    assert.deepEqual(readState(saved), saved);
    assert.deepEqual(readState({ v: 1, draft: { text: 'x', attachments: [] } }), { v: 1, draft: { text: 'x', attachments: [] } });
  });

  it('starts empty from nothing, another version, or garbage', () => {
    for (const raw of [undefined, null, 7, 'state', [], {}, { v: 2, draft: { text: 'x', attachments: [] } }]) {
      assert.deepEqual(readState(raw), EMPTY, JSON.stringify(raw));
    }
  });

  it('drops a bad part alone: the typed text survives bad chips or a bad scroll position', () => {
    const oldChip = { kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 2, languageId: 'ts', code: 'x' };
    const withCode = { ...chip, code: 'secret' };
    assert.deepEqual(
      readState({ v: 1, draft: { text: 'keep me', attachments: [oldChip, chip, withCode, null] }, scroll: { ...scroll, top: 'far' } }),
      { v: 1, draft: { text: 'keep me', attachments: [chip] } },
    );
    assert.deepEqual(readState({ v: 1, draft: { text: 'keep me', attachments: 'nope' }, scroll }), { v: 1, draft: { text: 'keep me', attachments: [] }, scroll });
    assert.deepEqual(readState({ v: 1, draft: 'nope', scroll }), { v: 1, draft: { text: '', attachments: [] }, scroll });
    assert.deepEqual(readState({ v: 1, draft: { text: 5, attachments: [chip] } }), { v: 1, draft: { text: '', attachments: [chip] } });
  });
});
