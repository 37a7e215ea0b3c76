// Host-side validation of webview messages: well-formed ones pass, anything else is dropped. And every
// message type, both ways, has a schema that accepts a real message of that type.
import assert from 'node:assert/strict';
import { safeParse } from 'valibot';
import { attachmentChip } from '../../src/core/attachments';
import type { Turn } from '../../src/core/types';
import {
  type HostToWebview, hostToWebviewSchema, parseWebviewMessage, type TurnView, type WebviewToHost, webviewToHostSchema,
} from '../../src/shared/protocol';

/** A small deterministic PRNG, so a failing fuzz case can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('protocol: parseWebviewMessage', () => {

  it('accepts each well-formed message', () => {
    const good = [
      { type: 'ready' }, { type: 'stop' }, { type: 'newChat' }, { type: 'setApiKey' }, { type: 'openSettings' },
      { type: 'showHistory' }, { type: 'exportChat' }, { type: 'copyAsMarkdown' }, { type: 'selectEffort' },
      { type: 'send', requestId: 'r1', text: 'hi', attachments: ['chip-1', 'chip-2'] }, { type: 'retry', turnId: 't' }, { type: 'fork', turnId: 't' },
      { type: 'loadEarlier', requestId: 'r2', beforeTurnId: 't' }, { type: 'edit', turnId: 't', text: 'x' },
      { type: 'switchBranch', turnId: 't', direction: 'next' }, { type: 'copy', text: 'x' }, { type: 'insertCode', code: 'x' },
      { type: 'openLink', href: 'https://example.com' }, { type: 'openAttachment', uri: 'file:///a', startLine: 1, endLine: 3 },
      { type: 'requestHistory', requestId: 'r3' }, { type: 'switchConversation', conversationId: 'c' }, { type: 'deleteConversation', conversationId: 'c' },
      { type: 'renameConversation', conversationId: 'c', title: 'Parser notes' }, { type: 'renameConversation', conversationId: 'c', title: 'x'.repeat(200) },
    ];
    for (const m of good) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
  });

  it('drops malformed ones', () => {
    const bad: unknown[] = [
      null, undefined, 42, 'ready', [], {}, { type: 'nope' }, { type: 'ready', extra: 1 },
      { type: 'send', requestId: 'r', text: 5, attachments: [] }, { type: 'send', requestId: 'r', text: 'x' },
      { type: 'send', text: 'x', attachments: [] }, { type: 'send', requestId: '', text: 'x', attachments: [] },
      { type: 'send', requestId: 'r'.repeat(201), text: 'x', attachments: [] },
      { type: 'send', requestId: 'r', text: 'x', attachments: [{ kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 2, languageId: 'ts', code: 'x' }] },
      { type: 'send', requestId: 'r', text: 'x', attachments: [''] }, { type: 'send', requestId: 'r', text: 'x', attachments: ['c'.repeat(201)] },
      { type: 'send', requestId: 'r', text: 'x', attachments: [1] }, { type: 'send', requestId: 'r', text: 'x', attachments: [], evil: true },
      { type: 'send', requestId: 'r', text: 'x', attachments: new Array(21).fill('c') },
      { type: 'send', requestId: 'r', text: 'x'.repeat(1_000_001), attachments: [] },
      { type: 'selectEffort', level: 'high' }, { type: 'loadEarlier', beforeTurnId: 't' }, { type: 'requestHistory' }, { type: 'requestHistory', requestId: 7 },
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
      'requestHistory', 'loadEarlier', 'switchConversation', 'renameConversation', 'deleteConversation'];
    const values = (): unknown => {
      const k = Math.floor(r() * 10);
      return [null, 0, -1, Infinity, 'str', '', [], {}, { a: 1 }, 'x'.repeat(Math.floor(r() * 3000))][k];
    };
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const m: Record<string, unknown> = { type: types[Math.floor(r() * types.length)] };
      for (const key of ['requestId', 'text', 'turnId', 'beforeTurnId', 'attachments', 'direction', 'uri', 'startLine', 'endLine', 'href', 'conversationId', 'title', 'junk']) {
        if (r() < 0.3) m[key] = values();
      }
      const out = parseWebviewMessage(r() < 0.05 ? values() : m);
      if (out) {
        accepted++;
        assert.ok(['ready', 'stop'].includes(out.type) || Object.keys(m).length > 1, `accepted ${JSON.stringify(m).slice(0, 200)}`);
        assert.deepEqual(Object.keys(out).sort(), Object.keys(m).sort());
      }
    }
    assert.ok(accepted > 0 && accepted < 20_000);
  });
});

describe('protocol: a schema for every message type', () => {
  const turn: Turn = {
    id: 't1', parentId: null, createdAt: 1, question: 'Why?', answer: 'Because.', status: 'completed', responseId: 'resp_1',
    attachments: [{ kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 2, languageId: 'typescript', code: 'x' }],
    usage: { inputTokens: 1, cachedTokens: 0, outputTokens: 2 }, mode: 'fresh', finishedAt: 2,
  };
  const view: TurnView = { ...turn, attachments: turn.attachments.map(attachmentChip), siblingIndex: 1, siblingCount: 1 };
  const state = { busy: false, hasKey: true, model: 'gpt-5.1', chaining: 'auto', endpoint: 'https://api.openai.com/v1', effort: 'high' } as const;
  const chip = { id: 'chip-1', ...attachmentChip(turn.attachments[0]!) };

  // One sample per type: the compiler refuses this object when a message type is added without a sample.
  const toWebview: { [K in HostToWebview['type']]: Extract<HostToWebview, { type: K }> } = {
    snapshot: { type: 'snapshot', conversation: { id: 'c', title: 'Chat', turns: [view], hasEarlier: false }, state },
    earlierTurns: { type: 'earlierTurns', requestId: 'r', conversationId: 'c', turns: [view], hasEarlier: true },
    turnStarted: { type: 'turnStarted', requestId: 'r', conversationId: 'c', turn: { ...view, status: 'streaming', answer: '' } },
    delta: { type: 'delta', conversationId: 'c', turnId: 't1', part: 'text', text: 'Be' },
    turnFinished: { type: 'turnFinished', conversationId: 'c', turn: { ...view, status: 'failed', error: { kind: 'auth', message: 'No key.', actions: ['setApiKey'], status: 401 } } },
    notice: { type: 'notice', requestId: 'r', level: 'warning', message: 'Busy.', actions: [] },
    state: { type: 'state', state },
    addAttachments: { type: 'addAttachments', attachments: [chip] },
    setDraft: { type: 'setDraft', text: 'x' },
    focusComposer: { type: 'focusComposer' },
    history: { type: 'history', requestId: 'r', conversations: [{ id: 'c', title: 'Chat', createdAt: 1, updatedAt: 2 }], activeId: 'c', total: 1 },
  };
  const toHost: { [K in WebviewToHost['type']]: Extract<WebviewToHost, { type: K }> } = {
    ready: { type: 'ready' }, send: { type: 'send', requestId: 'r', text: 'hi', attachments: ['chip-1'] }, stop: { type: 'stop' },
    retry: { type: 'retry', turnId: 't' }, compact: { type: 'compact', turnId: 't' }, newChat: { type: 'newChat' }, copy: { type: 'copy', text: 'x' }, insertCode: { type: 'insertCode', code: 'x' },
    openAttachment: { type: 'openAttachment', uri: 'file:///a.ts', startLine: 1, endLine: 2 }, openLink: { type: 'openLink', href: 'https://example.com' },
    setApiKey: { type: 'setApiKey' }, openSettings: { type: 'openSettings' }, loadEarlier: { type: 'loadEarlier', requestId: 'r', beforeTurnId: 't' },
    fork: { type: 'fork', turnId: 't' }, edit: { type: 'edit', turnId: 't', text: 'x' }, switchBranch: { type: 'switchBranch', turnId: 't', direction: 'previous' },
    showHistory: { type: 'showHistory' }, exportChat: { type: 'exportChat' }, copyAsMarkdown: { type: 'copyAsMarkdown' },
    requestHistory: { type: 'requestHistory', requestId: 'r' }, switchConversation: { type: 'switchConversation', conversationId: 'c' },
    renameConversation: { type: 'renameConversation', conversationId: 'c', title: 'T' }, deleteConversation: { type: 'deleteConversation', conversationId: 'c' },
    selectModel: { type: 'selectModel' }, selectEffort: { type: 'selectEffort' }, regenerate: { type: 'regenerate', turnId: 't', choose: true },
    chatAction: { type: 'chatAction', action: 'move', conversationId: 'c' },
    addContext: { type: 'addContext' }, attachFiles: { type: 'attachFiles', uris: ['file:///w/a.ts'] }, applyCode: { type: 'applyCode', turnId: 't', code: 'x' },
  };

  for (const [name, schema, samples] of [
    ['host to webview', hostToWebviewSchema, toWebview],
    ['webview to host', webviewToHostSchema, toHost],
  ] as const) {
    it(`${name}: the schema has exactly the message types, and accepts a sample of each unchanged`, () => {
      const declared = schema.options.map((o) => o.entries.type.literal).sort();
      assert.deepEqual(declared, Object.keys(samples).sort());
      for (const sample of Object.values(samples)) {
        const r = safeParse(schema, sample);
        assert.ok(r.success, `${sample.type}: ${r.issues?.[0]?.message}`);
        assert.deepEqual(r.output, sample);
      }
    });
  }

  it('rejects a host message of the wrong shape', () => {
    for (const bad of [
      { ...toWebview.delta, part: 'tool_call' }, { ...toWebview.notice, level: 'fatal' }, { type: 'history', conversations: [], activeId: null },
      { ...toWebview.turnStarted, turn: { ...view, status: 'thinking' } }, { type: 'addAttachments', attachments: [{ ...chip, code: 'x' }] },
    ]) {
      assert.equal(safeParse(hostToWebviewSchema, bad).success, false, JSON.stringify(bad).slice(0, 120));
    }
  });
});
