// The workspace key: one per workspace, stable across restarts and folder order.
import assert from 'node:assert/strict';
import { workspaceKey, EMPTY_WINDOW_KEY } from '../../src/core/workspaceKey';

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
