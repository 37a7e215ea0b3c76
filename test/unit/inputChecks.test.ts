// The checks on the endpoint settings, before any request. (Attachments are checked by their kind's
// descriptor: test/unit/attachments.test.ts.)
import assert from 'node:assert/strict';
import { checkSettings } from '../../src/core/inputChecks';

describe('input checks', () => {
  it('checks settings before any request, with the same typed error as a turn', () => {
    assert.equal(checkSettings({ baseURL: 'https://api.openai.com/v1', model: 'gpt-5.1' }), undefined);
    assert.equal(checkSettings({ baseURL: 'not a url', model: 'm' })!.kind, 'invalid_settings');
    assert.match(checkSettings({ baseURL: 'not a url', model: 'm' })!.message, /not a URL/);
    assert.match(checkSettings({ baseURL: 'file:///etc/passwd', model: 'm' })!.message, /https:\/\/ or http:\/\//);
    assert.match(checkSettings({ baseURL: 'https://user:pw@host/v1', model: 'm' })!.message, /user name or password/);
    assert.match(checkSettings({ baseURL: 'http://127.0.0.1:1/v1', model: '  ' })!.message, /threadline\.model is empty/);
  });
});
