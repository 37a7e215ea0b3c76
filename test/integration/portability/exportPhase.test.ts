// Export, then import into a fresh profile, phase 1 (run portability-export, its own user data): a chat
// with two branches, exported with "Export All Chats…" to the file that importPhase.test.js reads in a
// fresh profile, against another fake server (so another endpoint).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ThreadlineApi } from '../../../src/host/api';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, closeAllEditors, newChat, startAndUseFake, writeIds } from '../helpers';

describe('portability, phase 1: export every chat with its branches', () => {
  let fake: FakeServer;
  let api: ThreadlineApi;
  before(async () => {
    await closeAllEditors();
    fake = await startAndUseFake();
    api = await vscode.extensions.getExtension<ThreadlineApi>('threadline.threadline')!.activate();
  });
  after(() => fake?.close());

  it('writes one versioned JSON file holding the chats, their branches, models and usage', async () => {
    await newChat();
    const first = await askOk('Portable: the first question');
    const second = await askOk('Portable: the second question');
    const edited = await api.edit(second.turnId, 'Portable: the second question, edited');
    assert.strictEqual(edited?.status, 'completed');
    await newChat();
    const other = await askOk('Portable: another chat');

    const file = path.join(path.dirname(process.env.THREADLINE_IDS_FILE!), 'exported-chats.json');
    const written = await vscode.commands.executeCommand<{ uri: string; conversations: number }>('threadline.exportAll', { scope: 'workspace', uri: vscode.Uri.file(file) });
    assert.strictEqual(written?.conversations, 2);
    const archive = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(archive.format, 'threadline-chats');
    assert.strictEqual(archive.version, 1);
    const branched = archive.conversations.find((c: any) => c.summary.id === first.conversationId);
    assert.strictEqual(branched.turns.length, 3, 'both answers to the second question are in the file');
    assert.ok(branched.turns.every((t: any) => t.model && t.usage), 'each turn keeps its model and usage');
    assert.ok(!fs.readFileSync(file, 'utf8').includes(process.env.OPENAI_API_KEY!), 'the key is never exported');
    writeIds({ portability: { file, conversationId: first.conversationId, otherId: other.conversationId, editedTurnId: edited!.turnId, secondTurnId: second.turnId, firstTurnId: first.turnId } });
  });
});
