// The argument of threadline.applyCode can come from the webview: each mistake gets its own message.
import assert from 'node:assert/strict';
import { APPLY_LIMITS, parseApplyRequest } from '../../src/core/applyRequest';

const reason = (arg: unknown): string => {
  const r = parseApplyRequest(arg);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(arg)}`);
  return (r as { message: string }).message;
};

describe('apply requests', () => {
  it('accepts code alone, a selection target and a file target', () => {
    assert.deepEqual(parseApplyRequest({ code: 'x' }), { ok: true, request: { code: 'x', turnLabel: undefined } });
    assert.deepEqual(parseApplyRequest({ code: 'x', turnLabel: 'turn 2', target: { uri: 'file:///w/a.ts', kind: 'selection', startLine: 2, endLine: 4, attachedText: 'y' } }), {
      ok: true,
      request: { code: 'x', turnLabel: 'turn 2', target: { uri: 'file:///w/a.ts', kind: 'selection', startLine: 2, endLine: 4, attachedText: 'y' } },
    });
    assert.deepEqual(parseApplyRequest({ code: '', target: { uri: 'untitled:Untitled-1', kind: 'file' } }), {
      ok: true,
      request: { code: '', turnLabel: undefined, target: { uri: 'untitled:Untitled-1', kind: 'file', attachedText: undefined } },
    });
  });

  it('names what is wrong', () => {
    assert.match(reason(undefined), /expected \{ code, target\? \}/);
    assert.match(reason('code'), /expected/);
    assert.match(reason({ code: 3 }), /`code` must be a string/);
    assert.match(reason({ code: 'x'.repeat(APPLY_LIMITS.maxCodeChars + 1) }), /longer than/);
    assert.match(reason({ code: 'x', path: '/etc/passwd' }), /unknown field `path`/);
    assert.match(reason({ code: 'x', turnLabel: 7 }), /turnLabel/);
    assert.match(reason({ code: 'x', target: 'file:///a' }), /`target` must be an object/);
    assert.match(reason({ code: 'x', target: { kind: 'file' } }), /target\.uri/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'folder' } }), /"selection" or "file"/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'file', startLine: 1 } }), /has no lines/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'selection' } }), /needs whole-number/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'selection', startLine: 0, endLine: 2 } }), /needs whole-number/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'selection', startLine: 1.5, endLine: 2 } }), /needs whole-number/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'selection', startLine: 5, endLine: 2 } }), /after/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'file', attachedText: '' } }), /attachedText/);
    assert.match(reason({ code: 'x', target: { uri: 'file:///a', kind: 'file', mode: 'write' } }), /unknown target field `mode`/);
  });
});
