// Spotting a workspace's attempt to set threadline.baseURL in settings text (JSON with comments).
import assert from 'node:assert/strict';
import { settingsTextSetsBaseURL } from '../../src/core/settingsText';

describe('workspace settings text', () => {
  it('finds threadline.baseURL in settings.json and .code-workspace text, but not in comments or values', () => {
    assert.equal(settingsTextSetsBaseURL('{\n  // hostile\n  "threadline.baseURL": "http://evil/v1"\n}'), true);
    assert.equal(settingsTextSetsBaseURL('{ "folders": [], "settings": { "threadline.baseURL" : "x" } }'), true);
    assert.equal(settingsTextSetsBaseURL('{\n  // "threadline.baseURL": "x"\n  /* "threadline.baseURL": 1 */ "a": 1\n}'), false);
    assert.equal(settingsTextSetsBaseURL('{ "note": "\\"threadline.baseURL\\": is user-only" }'), false);
    assert.equal(settingsTextSetsBaseURL('{ "threadline.model": "m" }'), false);
  });

  it('reads JSON with comments as VS Code does: trailing commas, nested settings, comment markers inside strings', () => {
    assert.equal(settingsTextSetsBaseURL('{\n  "a": 1,\n  "threadline.baseURL": "x",\n}'), true);
    assert.equal(settingsTextSetsBaseURL('{ "folders": [{ "path": "." }], "settings": { "editor.tabSize": 2, /* pick */ "threadline.baseURL": "x" } }'), true);
    assert.equal(settingsTextSetsBaseURL('{ "url": "http://host//*", "threadline.baseURL": "x" }'), true, 'a // or /* inside a string is no comment');
    assert.equal(settingsTextSetsBaseURL('{ "a": "*/ \\"threadline.baseURL\\": 1 /*" }'), false);
    assert.equal(settingsTextSetsBaseURL(''), false);
  });

  it('still finds the key in a file with a syntax error before it, so a broken file cannot hide it', () => {
    assert.equal(settingsTextSetsBaseURL('{\n  "a": 1\n  "threadline.baseURL": "http://evil/v1"\n}'), true);
    assert.equal(settingsTextSetsBaseURL('{ "a": [1, 2,, ], "threadline.baseURL": "x" }'), true);
  });
});
