// An empty window (no folder, no workspace): the context kinds that need a folder or an editor say so and
// send nothing; an untitled document still attaches, and a chat works and chains under the empty
// window's own key.
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, closeAllEditors, createRequests, newChat, singleUserMessage, startAndUseFake, threadline, writeReliability } from '../helpers';
import { completed, observed, refusedWith, run } from './refusals';

describe('an empty window, no folder open', () => {
  let fake: FakeServer;
  before(async () => {
    assert.strictEqual(vscode.workspace.workspaceFolders, undefined, 'the runner opens no folder for this run');
    fake = await startAndUseFake();
  });
  after(async () => {
    writeReliability('context-no-folder', observed);
    await closeAllEditors();
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  it('Ask About Current File with no editor open is refused, nothing sent', async () => {
    await closeAllEditors();
    refusedWith(fake, 'Ask About Current File: no editor open', await run('threadline.askAboutFile', { question: 'Review this.' }), /^Open a file in an editor first\.$/);
  });

  it('Ask About Uncommitted Changes is refused: no folder is open', async () => {
    refusedWith(fake, 'Ask About Uncommitted Changes: no folder open', await run('threadline.askAboutChanges', { question: 'Review my changes.' }),
      /^No folder is open: open a folder in a git repository to attach its uncommitted changes\.$/);
  });

  it('Add Context with a file from disk is refused: there is no workspace to attach it from', async () => {
    const file = vscode.Uri.file(path.join(os.tmpdir(), 'threadline-no-folder.txt'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('not in any workspace\n'));
    try {
      refusedWith(fake, 'Add Context: a file with no folder open', await run('threadline.addContext', { files: [file] }),
        /^No folder is open, so threadline-no-folder\.txt cannot be attached from the workspace\. Open it in an editor and use "Ask About Current File"\.$/);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  it('an untitled document attaches, and the chat chains in the empty window', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'print("scratch")\n' });
    await vscode.window.showTextDocument(doc);
    const first = completed(await run('threadline.askAboutFile', { question: 'Is this fine?' }));
    assert.ok(singleUserMessage(createRequests(fake)[0]!.body).includes('```python\nprint("scratch")\n```'));
    await askOk('and then?');
    assert.strictEqual(createRequests(fake).at(-1)?.body.previous_response_id, first.responseId);
    const conv = await (await threadline()).activeConversation();
    assert.deepStrictEqual(conv?.turns.map((t) => t.question), ['Is this fine?', 'and then?']);
    await vscode.window.showTextDocument(doc);
    // Closed without a save prompt, which the test window could not answer.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
