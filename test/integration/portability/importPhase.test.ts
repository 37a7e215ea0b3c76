// Export, then import into a fresh profile, phase 2 (run portability-import, a fresh user data dir and
// another fake server): bad files change nothing; the archive brings the chats and their branches; a
// second import adds nothing; and the first follow-up replays (the ids belong to the other endpoint).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ThreadlineApi } from '../../../src/host/api';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { askOk, closeAllEditors, createRequests, readIds, startAndUseFake, writeReliability } from '../helpers';

type Outcome = { ok: true; result: { created: number; extended: number; unchanged: number; turns: number; elsewhere: number } } | { ok: false; error: { kind: string; message: string } };

describe('portability, phase 2: import into a fresh profile and continue by replay', () => {
  let fake: FakeServer;
  let api: ThreadlineApi;
  let ids: Record<string, any>;
  /** For docs/reliability.md: what each bad file did, and how the good one came in. */
  const observed: { badFiles: { case: string; kind: string; message: string; chatsChanged: boolean }[]; imports: unknown[]; followUp?: unknown } = { badFiles: [], imports: [] };
  const importFile = (file: string) => vscode.commands.executeCommand<Outcome>('threadline.importChats', vscode.Uri.file(file));
  before(async () => {
    ids = readIds().portability;
    assert.ok(ids?.file, 'exportPhase.test.js left no archive');
    await closeAllEditors();
    fake = await startAndUseFake();
    api = await vscode.extensions.getExtension<ThreadlineApi>('threadline.threadline')!.activate();
  });
  after(async () => {
    writeReliability('portability', observed);
    await fake?.close();
  });

  it('refuses truncated, future-version and hostile files with a clear message, changing nothing', async () => {
    const text = fs.readFileSync(ids.file, 'utf8');
    const dir = path.dirname(ids.file);
    const bad: [string, string, string, string][] = [
      ['Not JSON', 'malformed.json', '{"format": "threadline-chats", oops}', 'malformed'],
      ['Cut in half', 'truncated.json', text.slice(0, Math.floor(text.length / 2)), 'truncated'],
      ['Another format', 'other.json', '{"format":"someone-else","chats":[]}', 'not_an_archive'],
      ['Written by a newer Threadline', 'future.json', text.replace('"version": 1', '"version": 99'), 'future_version'],
      ['A `__proto__` key', 'hostile.json', text.replace('"format"', '"__proto__": {"polluted": true}, "format"'), 'hostile_key'],
      ['A path in an id', 'unsafe.json', text.replace(`"id": "${ids.conversationId}"`, '"id": "../../escape"'), 'unsafe_id'],
    ];
    for (const [label, name, body, kind] of bad) {
      fs.writeFileSync(path.join(dir, name), body);
      const out = await importFile(path.join(dir, name));
      assert.ok(out && !out.ok, `${name} was refused`);
      assert.strictEqual(out.error.kind, kind, out.error.message);
      const chatsChanged = (await api.conversations()).length !== 0;
      observed.badFiles.push({ case: label, kind: out.error.kind, message: out.error.message, chatsChanged });
      assert.ok(!chatsChanged, `${name} changed nothing`);
    }
  });

  it('imports the chats with their branches, and a second import adds nothing', async () => {
    const first = await importFile(ids.file);
    assert.ok(first?.ok, JSON.stringify(first));
    assert.deepStrictEqual(first.result, { created: 2, extended: 0, unchanged: 0, turns: 4, elsewhere: 0 });
    observed.imports.push(first.result);
    const again = await importFile(ids.file);
    assert.ok(again?.ok);
    observed.imports.push(again.result);
    assert.deepStrictEqual(again.result, { created: 0, extended: 0, unchanged: 2, turns: 0, elsewhere: 0 });
    assert.deepStrictEqual((await api.conversations()).map((c) => c.id).sort(), [ids.conversationId, ids.otherId].sort());

    assert.ok(await api.switchTo(ids.conversationId));
    const conv = await api.activeConversation();
    assert.deepStrictEqual(conv?.turns.map((t) => t.id), [ids.firstTurnId, ids.editedTurnId], 'the active branch is the edited one');
    await api.switchBranch(ids.editedTurnId, 'previous');
    assert.deepStrictEqual((await api.activeConversation())?.turns.map((t) => t.id), [ids.firstTurnId, ids.secondTurnId], 'the other branch came too');
    await api.switchBranch(ids.secondTurnId, 'next');
  });

  it('continues an imported chat: the first follow-up replays (imported), the next one chains', async () => {
    const before = createRequests(fake).length;
    const r = await askOk('Portable: a follow-up after the import');
    const sent = createRequests(fake)[before]!.body as { previous_response_id?: string; input?: unknown };
    assert.strictEqual(sent.previous_response_id, undefined, 'no id of the other endpoint is sent');
    const input = JSON.stringify(sent.input);
    assert.ok(input.includes('Portable: the first question') && input.includes('edited'), 'the transcript was replayed');
    const turn = (await api.activeConversation())!.turns.find((t) => t.id === r.turnId)!;
    assert.strictEqual(turn.mode, 'replayed');
    assert.strictEqual(turn.replayedBecause, 'imported');
    observed.followUp = { previousResponseId: sent.previous_response_id ?? null, mode: turn.mode, replayedBecause: turn.replayedBecause };
    const next = await askOk('Portable: and one more');
    assert.strictEqual(createRequests(fake).at(-1)!.body.previous_response_id, r.responseId, 'chained from the new chain');
    assert.ok(next.responseId);
  });

  it('restores an every-workspace archive per workspace, then moves and copies chats there', async () => {
    const text = fs.readFileSync(ids.file, 'utf8');
    const archive = JSON.parse(text);
    const elsewhere = { ...archive.conversations[0], summary: { ...archive.conversations[0].summary, id: 'chat-of-another-workspace' }, workspace: { key: 'ws-portability-other', name: 'other-project' } };
    const all = path.join(path.dirname(ids.file), 'all.json');
    fs.writeFileSync(all, JSON.stringify({ ...archive, conversations: [elsewhere] }));
    const before = (await api.conversations()).map((c) => c.id).sort();
    const out = await importFile(all);
    assert.ok(out?.ok, JSON.stringify(out));
    assert.strictEqual(out.result.elsewhere, 1);
    assert.deepStrictEqual((await api.conversations()).map((c) => c.id).sort(), before, 'the other workspace\'s chat went to it, not here');

    assert.strictEqual(await vscode.commands.executeCommand('threadline.moveChatToWorkspace', { conversationId: ids.otherId, workspaceKey: 'ws-portability-other' }), true);
    assert.strictEqual(await vscode.commands.executeCommand('threadline.copyChatToWorkspace', { conversationId: ids.conversationId, workspaceKey: 'ws-portability-other' }), true);
    assert.deepStrictEqual((await api.conversations()).map((c) => c.id), [ids.conversationId], 'moved away, copied stays');

    const exported = path.join(path.dirname(ids.file), 'every-workspace.json');
    await vscode.commands.executeCommand('threadline.exportAll', { scope: 'all', uri: vscode.Uri.file(exported) });
    const back = JSON.parse(fs.readFileSync(exported, 'utf8'));
    const there = back.conversations.filter((c: any) => c.workspace.key === 'ws-portability-other').map((c: any) => c.summary.id).sort();
    assert.deepStrictEqual(there, ['chat-of-another-workspace', ids.conversationId, ids.otherId].sort());
    const moved = back.conversations.find((c: any) => c.summary.id === ids.otherId);
    assert.strictEqual(moved.workspace.name, 'other-project');
    assert.strictEqual(back.conversations.filter((c: any) => c.summary.id === ids.conversationId).length, 2, 'the copy keeps its id, in its own workspace');
    assert.strictEqual(fake.requests.filter((r) => r.method === 'DELETE').length, 0, 'a move deletes nothing on the server');
  });
});
