// A folder that is in no git repository (a scratch folder under the temp dir): Ask About Uncommitted
// Changes says so and sends nothing; the rest of Threadline works there: a file of the folder attaches,
// and the chat chains.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, createRequests, newChat, singleUserMessage, startAndUseFake, workspaceRoot, writeReliability } from '../helpers';
import { completed, observed, refusedWith, run } from './refusals';

describe('outside a git repository', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startAndUseFake();
  });
  after(async () => {
    writeReliability('context-outside-git', observed);
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  it('Ask About Uncommitted Changes is refused with the reason, nothing sent, and the next question still chains', async () => {
    refusedWith(fake, 'Ask About Uncommitted Changes: a folder in no git repository', await run('threadline.askAboutChanges', { question: 'Review my changes.' }),
      /^This workspace is not in a git repository, so there are no uncommitted changes to attach\.$/);
    const first = await askOk('first');
    await askOk('second');
    assert.strictEqual(createRequests(fake).at(-1)?.body.previous_response_id, first.responseId);
  });

  it('Ask About Current File attaches a file of the folder and sends it as the next turn', async () => {
    await vscode.window.showTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'notes.txt'));
    completed(await run('threadline.askAboutFile', { question: 'What is this?' }));
    const message = singleUserMessage(createRequests(fake)[0]!.body);
    assert.match(message, /^What is this\?[\s\S]*notes\.txt:L1-L1 \(whole file\)\n```\w*\nA folder in no git repository\.\n```/);
  });
});
