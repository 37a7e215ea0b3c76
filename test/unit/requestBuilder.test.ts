// Turn input, attachment rendering and transcript replay, validated against the official schema.
import assert from 'node:assert/strict';
import { renderAttachment } from '../../src/core/attachments';
import { checkSettings } from '../../src/core/inputChecks';
import { settingsTextSetsBaseURL } from '../../src/core/settingsText';
import { renderUserMessage, replayInput, turnInput } from '../../src/core/requestBuilder';
import { workspaceKey, EMPTY_WINDOW_KEY } from '../../src/core/workspaceKey';
import type { SelectionAttachment, Turn } from '../../src/core/types';
import { assertSchema } from '../support/schema';

const sel = (o: Partial<SelectionAttachment> = {}): SelectionAttachment => ({
  kind: 'selection', path: 'src/math.ts', uri: 'file:///w/src/math.ts', startLine: 12, endLine: 14, languageId: 'typescript',
  code: '  if (x) {\n    return y;\n  }', ...o,
});

describe('requestBuilder', () => {
  it('renders a selection as path:Lstart-Lend above a fenced block tagged with the language, indentation kept', () => {
    assert.equal(renderAttachment(sel()), 'src/math.ts:L12-L14\n```typescript\n  if (x) {\n    return y;\n  }\n```');
  });

  it('uses a longer fence when the code itself contains backticks', () => {
    const out = renderAttachment(sel({ code: 'const s = ```md```;', languageId: 'javascript' }));
    assert.ok(out.includes('\n````javascript\n'));
    assert.ok(out.endsWith('\n````'));
  });

  it('leaves plaintext untagged', () => {
    assert.ok(renderAttachment(sel({ languageId: 'plaintext' })).includes('\n```\n'));
  });

  it('puts the question and every attachment in one user message', () => {
    const msg = renderUserMessage('Why?', [sel(), sel({ path: 'b.py', languageId: 'python', code: 'x = 1\n', startLine: 1, endLine: 1 })]);
    assert.equal(msg, `Why?\n\n${renderAttachment(sel())}\n\nb.py:L1-L1\n\`\`\`python\nx = 1\n\`\`\``);
    const input = turnInput({ question: 'Why?', attachments: [sel()] });
    assert.equal(input.length, 1);
    assertSchema('CreateResponse', { model: 'm', input });
  });

  it('replays completed history as plain user/assistant messages, valid against CreateResponse', () => {
    const ctx: Turn[] = [
      { id: '1', parentId: null, createdAt: 0, question: 'q1', attachments: [sel()], answer: 'a1', status: 'completed' },
      { id: '2', parentId: '1', createdAt: 0, question: 'q2', attachments: [], answer: 'a2', status: 'completed' },
    ];
    const input = replayInput(ctx, { question: 'q3', attachments: [] });
    assert.deepEqual(input.map((m) => [m.role, m.content.split('\n')[0]]), [
      ['user', 'q1'], ['assistant', 'a1'], ['user', 'q2'], ['assistant', 'a2'], ['user', 'q3'],
    ]);
    assertSchema('CreateResponse', { model: 'm', input, store: false });
  });
});

describe('input checks', () => {
  it('checks settings before any request', () => {
    assert.equal(checkSettings({ baseURL: 'https://api.openai.com/v1', model: 'gpt-5.1' }), undefined);
    assert.match(checkSettings({ baseURL: 'not a url', model: 'm' })!.message, /not a URL/);
    assert.match(checkSettings({ baseURL: 'file:///etc/passwd', model: 'm' })!.message, /https:\/\/ or http:\/\//);
    assert.match(checkSettings({ baseURL: 'https://user:pw@host/v1', model: 'm' })!.message, /user name or password/);
    assert.match(checkSettings({ baseURL: 'http://127.0.0.1:1/v1', model: '  ' })!.message, /threadline\.model is empty/);
  });
});

describe('workspace settings text', () => {
  it('finds threadline.baseURL in settings.json and .code-workspace text, but not in comments or values', () => {
    assert.equal(settingsTextSetsBaseURL('{\n  // hostile\n  "threadline.baseURL": "http://evil/v1"\n}'), true);
    assert.equal(settingsTextSetsBaseURL('{ "folders": [], "settings": { "threadline.baseURL" : "x" } }'), true);
    assert.equal(settingsTextSetsBaseURL('{\n  // "threadline.baseURL": "x"\n  /* "threadline.baseURL": 1 */ "a": 1\n}'), false);
    assert.equal(settingsTextSetsBaseURL('{ "note": "\\"threadline.baseURL\\": is user-only" }'), false);
    assert.equal(settingsTextSetsBaseURL('{ "threadline.model": "m" }'), false);
  });
});

describe('workspaceKey', () => {
  it('single folder: stable, and different folders differ', () => {
    const a = workspaceKey({ folders: ['file:///home/u/proj'] });
    assert.equal(a, workspaceKey({ folders: ['file:///home/u/proj/'] }));
    assert.notEqual(a, workspaceKey({ folders: ['file:///home/u/other'] }));
  });

  it('multi-root: order-independent; a saved .code-workspace file wins over its folders', () => {
    const a = workspaceKey({ folders: ['file:///a', 'file:///b'] });
    assert.equal(a, workspaceKey({ folders: ['file:///b', 'file:///a'] }));
    const saved = workspaceKey({ workspaceFile: 'file:///w/x.code-workspace', folders: ['file:///a', 'file:///b'] });
    assert.notEqual(saved, a);
    assert.equal(saved, workspaceKey({ workspaceFile: 'file:///w/x.code-workspace', folders: ['file:///c'] }), 'adding a folder keeps the key');
  });

  it('empty window: one key; remote and local URIs stay apart', () => {
    assert.equal(workspaceKey({ folders: [] }), EMPTY_WINDOW_KEY);
    assert.notEqual(workspaceKey({ folders: ['file:///p'] }), workspaceKey({ folders: ['vscode-remote://ssh-remote+box/p'] }));
    assert.equal(workspaceKey({ folders: ['VSCODE-REMOTE://SSH-REMOTE+BOX/p'] }), workspaceKey({ folders: ['vscode-remote://ssh-remote+box/p'] }));
    assert.notEqual(workspaceKey({ folders: ['file:///P'] }), workspaceKey({ folders: ['file:///p'] }), 'paths keep their case');
  });
});
