// The checks on what the user is about to send and on the endpoint settings, before any request.
import assert from 'node:assert/strict';
import { checkAttachments, checkSettings } from '../../src/core/inputChecks';
import type { SelectionAttachment } from '../../src/core/types';

const sel = (o: Partial<SelectionAttachment> = {}): SelectionAttachment => ({
  kind: 'selection', path: 'src/math.ts', uri: 'file:///w/src/math.ts', startLine: 12, endLine: 14, languageId: 'typescript',
  code: '  if (x) {\n    return y;\n  }', ...o,
});

describe('input checks', () => {
  it('refuses a selection over the limit and binary content, with the path in the message', () => {
    assert.equal(checkAttachments([sel()]), undefined);
    assert.match(checkAttachments([sel({ code: 'x'.repeat(600 * 1024) })])!, /src\/math\.ts:L12-L14 is 600 KB/);
    assert.match(checkAttachments([sel({ code: 'PNG\u0000\u0001' })])!, /binary/);
    assert.match(checkAttachments([sel({ code: 'x'.repeat(400 * 1024) }), sel({ code: 'y'.repeat(400 * 1024) }), sel({ code: 'z'.repeat(400 * 1024) })])!, /add up/);
  });

  it('checks settings before any request', () => {
    assert.equal(checkSettings({ baseURL: 'https://api.openai.com/v1', model: 'gpt-5.1' }), undefined);
    assert.match(checkSettings({ baseURL: 'not a url', model: 'm' })!, /not a URL/);
    assert.match(checkSettings({ baseURL: 'file:///etc/passwd', model: 'm' })!, /https:\/\/ or http:\/\//);
    assert.match(checkSettings({ baseURL: 'https://user:pw@host/v1', model: 'm' })!, /user name or password/);
    assert.match(checkSettings({ baseURL: 'http://127.0.0.1:1/v1', model: '  ' })!, /threadline\.model is empty/);
  });
});
