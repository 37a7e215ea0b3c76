// Host-side validation of webview messages: well-formed ones pass, anything else is dropped.
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/shared/protocol';

/** A small deterministic PRNG, so a failing fuzz case can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('protocol: parseWebviewMessage', () => {
  const att = { kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 2, languageId: 'typescript', code: 'x' };

  it('accepts each well-formed message', () => {
    const good = [
      { type: 'ready' }, { type: 'stop' }, { type: 'newChat' }, { type: 'setApiKey' }, { type: 'openSettings' },
      { type: 'showHistory' }, { type: 'exportChat' }, { type: 'copyAsMarkdown' },
      { type: 'send', text: 'hi', attachments: [att] }, { type: 'retry', turnId: 't' }, { type: 'fork', turnId: 't' },
      { type: 'loadEarlier', beforeTurnId: 't' }, { type: 'edit', turnId: 't', text: 'x' },
      { type: 'switchBranch', turnId: 't', direction: 'next' }, { type: 'copy', text: 'x' }, { type: 'insertCode', code: 'x' },
      { type: 'openLink', href: 'https://example.com' }, { type: 'openAttachment', uri: 'file:///a', startLine: 1, endLine: 3 },
      { type: 'requestHistory' }, { type: 'switchConversation', conversationId: 'c' }, { type: 'deleteConversation', conversationId: 'c' },
      { type: 'renameConversation', conversationId: 'c', title: 'Parser notes' }, { type: 'renameConversation', conversationId: 'c', title: 'x'.repeat(200) },
    ];
    for (const m of good) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
  });

  it('drops malformed ones', () => {
    const bad: unknown[] = [
      null, undefined, 42, 'ready', [], {}, { type: 'nope' }, { type: 'ready', extra: 1 },
      { type: 'send', text: 5, attachments: [] }, { type: 'send', text: 'x' }, { type: 'send', text: 'x', attachments: [{ ...att, startLine: 0 }] },
      { type: 'send', text: 'x', attachments: [{ ...att, endLine: 0 }] }, { type: 'send', text: 'x', attachments: [{ ...att, evil: true }] },
      { type: 'send', text: 'x', attachments: new Array(21).fill(att) }, { type: 'send', text: 'x'.repeat(1_000_001), attachments: [] },
      { type: 'retry', turnId: '' }, { type: 'retry', turnId: 'x'.repeat(201) }, { type: 'switchBranch', turnId: 't', direction: 'up' },
      { type: 'openAttachment', uri: 'file:///a', startLine: 1.5, endLine: 2 }, { type: '__proto__' }, { type: 'constructor' },
      JSON.parse('{"type":"ready","__proto__":{"x":1}}'),
      { type: 'requestHistory', conversationId: 'c' }, { type: 'switchConversation' }, { type: 'switchConversation', conversationId: '' },
      { type: 'switchConversation', conversationId: 'c'.repeat(201) }, { type: 'switchConversation', conversationId: 7 },
      { type: 'deleteConversation', conversationId: ['c'] }, { type: 'deleteConversation', conversationId: 'c', confirmed: true },
      { type: 'renameConversation', conversationId: 'c' }, { type: 'renameConversation', conversationId: 'c', title: '' },
      { type: 'renameConversation', conversationId: 'c', title: ' \n ' }, { type: 'renameConversation', conversationId: 'c', title: 'x'.repeat(201) },
      { type: 'renameConversation', conversationId: '', title: 'x' }, { type: 'renameConversation', conversationId: 'c', title: null },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
  });

  it('never throws and never accepts garbage over 20,000 random messages', () => {
    const r = rng(7);
    const types = ['ready', 'send', 'stop', 'retry', 'edit', 'switchBranch', 'openAttachment', 'openLink', 'x', '',
      'requestHistory', 'switchConversation', 'renameConversation', 'deleteConversation'];
    const values = (): unknown => {
      const k = Math.floor(r() * 10);
      return [null, 0, -1, Infinity, 'str', '', [], {}, { a: 1 }, 'x'.repeat(Math.floor(r() * 3000))][k];
    };
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const m: Record<string, unknown> = { type: types[Math.floor(r() * types.length)] };
      for (const key of ['text', 'turnId', 'attachments', 'direction', 'uri', 'startLine', 'endLine', 'href', 'conversationId', 'title', 'junk']) {
        if (r() < 0.3) m[key] = values();
      }
      const out = parseWebviewMessage(r() < 0.05 ? values() : m);
      if (out) {
        accepted++;
        assert.ok(['ready', 'stop', 'requestHistory'].includes(out.type) || Object.keys(m).length > 1, `accepted ${JSON.stringify(m).slice(0, 200)}`);
        assert.deepEqual(Object.keys(out).sort(), Object.keys(m).sort());
      }
    }
    assert.ok(accepted > 0 && accepted < 20_000);
  });
});
