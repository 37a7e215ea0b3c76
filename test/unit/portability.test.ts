// Moving history: the v1 index migrates to the project identity without loss, an import writes then
// switches (a failure half-way changes nothing) and can run twice, and other workspaces are offered by likeness.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildArchive, buildWorkspacesArchive } from '../../src/core/archive';
import { importArchive } from '../../src/core/archiveImport';
import { parseArchive } from '../../src/core/archiveReader';
import { ConversationStore, indexKey } from '../../src/core/store/conversationStore';
import { type FileSystemPort, nodeFileSystem } from '../../src/core/store/fileSystem';
import { migrateWorkspace, otherWorkspaces, REGISTRY_KEY } from '../../src/core/store/workspaceRegistry';
import { projectIdentity, projectSignature, type WorkspaceFacts } from '../../src/core/workspaceIdentity';
import { workspaceKey } from '../../src/core/workspaceKey';
import { MemoryMemento } from '../support/memento';
import { turnRecord } from '../support/turns';

const SSH_A = 'vscode-remote://ssh-remote+a/home/u/shop';
const FACTS: WorkspaceFacts = { folders: [{ uri: SSH_A, git: { repoRoot: SSH_A, remoteUrl: 'git@github.com:acme/shop.git' } }] };
const LOCAL: WorkspaceFacts = { folders: [{ uri: 'file:///Users/me/shop', git: { repoRoot: 'file:///Users/me/shop', remoteUrl: 'https://github.com/acme/shop' } }] };
const ENDPOINT = 'https://api.example.test/v1';

describe('portability: migration, import, other workspaces', () => {
  let root: string;
  let memento: MemoryMemento;
  const open = async (key: string, fsPort: FileSystemPort = nodeFileSystem) => {
    const s = new ConversationStore(fsPort, root, memento, key);
    await s.open();
    return s;
  };
  const describeWs = (facts: WorkspaceFacts) => ({ name: 'shop', signature: projectSignature(facts) });

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tl-port-'));
    memento = new MemoryMemento();
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  /** Today's (v1) store code writing today's keys: two chats, one with two branches, the second one active. */
  async function todaysHistory(): Promise<{ v1Key: string; snapshot: Record<string, unknown> }> {
    const v1Key = workspaceKey({ folders: [SSH_A] });
    const s = await open(v1Key);
    // Explicit times: within one millisecond the two chats' order ("last used first") would be a tie.
    const t = Date.now();
    const a = await s.create({ title: 'Branches' }, t);
    await s.putTurn(a, turnRecord('a1', null, { createdAt: t + 1 }));
    await s.putTurn(a, turnRecord('a2', 'a1', { createdAt: t + 2 }));
    await s.putTurn(a, turnRecord('a2b', 'a1', { createdAt: t + 3 }));
    await s.setHead(a, 'a2');
    const b = await s.create({ title: 'Second' }, t + 10);
    await s.putTurn(b, turnRecord('b1', null, { createdAt: t + 11 }));
    const snapshot = Object.fromEntries(memento.keys().map((k) => [k, memento.get(k)]));
    return { v1Key, snapshot };
  }

  it('migrates a real v1 index and its transcripts to the new key without loss, and keeps the old key as an alias', async () => {
    const { v1Key, snapshot } = await todaysHistory();
    const identity = projectIdentity(FACTS);
    assert.ok(identity.aliases.includes(v1Key), 'the v1 key is an alias of the new identity');
    const old = snapshot[indexKey(v1Key)] as { activeId: string; conversations: Record<string, unknown> };

    const { moved } = await migrateWorkspace(nodeFileSystem, root, memento, identity, describeWs(FACTS));
    assert.equal(moved, 2);
    const s = await open(identity.key);
    assert.deepEqual(s.list().map((c) => c.title), ['Second', 'Branches']);
    assert.equal(s.activeId, old.activeId, 'the active chat stays active');
    const branches = (await s.load(s.list()[1]!.id))!;
    assert.deepEqual(branches.allTurns().map((t) => t.id).sort(), ['a1', 'a2', 'a2b']);
    assert.equal(branches.headId, 'a2', 'the active branch is kept');
    assert.equal(branches.chainTip(), 'resp_a2');
    assert.deepEqual(s.warnings, []);
    assert.equal(memento.get(indexKey(v1Key)), undefined, 'the old index is gone: it cannot be migrated twice');
    const registry = memento.get<{ v: number; workspaces: Record<string, { aliases: string[] }> }>(REGISTRY_KEY)!;
    assert.equal(registry.v, 2);
    assert.ok(registry.workspaces[identity.key]!.aliases.includes(v1Key));

    assert.equal((await migrateWorkspace(nodeFileSystem, root, memento, identity, describeWs(FACTS))).moved, 0, 'a second run moves nothing');
    assert.equal((await open(identity.key)).list().length, 2);
  });

  it('loses nothing when the migration stops between moving the transcripts and writing the index', async () => {
    const { v1Key } = await todaysHistory();
    const identity = projectIdentity(FACTS);
    const failingIndex = { ...memento, get: memento.get.bind(memento), keys: memento.keys.bind(memento), update: async (k: string, val: unknown) => {
      if (k === indexKey(identity.key)) throw new Error('host stopped');
      return memento.update(k, val);
    } };
    await assert.rejects(migrateWorkspace(nodeFileSystem, root, failingIndex, identity, describeWs(FACTS)));
    assert.ok(memento.get(indexKey(v1Key)), 'the old index is still there');
    await migrateWorkspace(nodeFileSystem, root, memento, identity, describeWs(FACTS));
    const s = await open(identity.key);
    assert.deepEqual(s.list().map((c) => c.title), ['Second', 'Branches']);
  });

  it('offers the history of a workspace that looks like the same project, with its chat count', async () => {
    await todaysHistory();
    await migrateWorkspace(nodeFileSystem, root, memento, projectIdentity(FACTS), describeWs(FACTS));
    const other = projectIdentity({ folders: [{ uri: 'file:///Users/me/shop' }] });
    const offers = otherWorkspaces(memento, other.key, projectSignature({ folders: [{ uri: 'file:///Users/me/shop' }] }));
    assert.equal(offers.length, 1);
    assert.equal(offers[0]!.chats, 2);
    assert.deepEqual(offers[0]!.sameProject, { reason: 'same_folder_name', folderName: 'shop' });
    assert.deepEqual(otherWorkspaces(memento, projectIdentity(LOCAL).key, projectSignature(LOCAL)), [], 'the same repository has the same key: nothing to bring over');
  });

  it('imports an archive into another workspace, twice without duplicates, marking foreign response ids', async () => {
    const { v1Key } = await todaysHistory();
    const src = await open(v1Key);
    const convs = await Promise.all(src.list().map((c) => src.load(c.id)));
    const text = JSON.stringify(buildArchive({ workspaceKey: v1Key, workspaceName: 'shop', endpoint: 'https://other.test/v1?k=1' }, convs.map((c) => c!), new Date()));
    const parsed = parseArchive(text);
    assert.ok(parsed.ok);
    const dest = await open('dest');
    const first = await importArchive(dest, parsed.archive, ENDPOINT);
    assert.deepEqual(first, { created: 2, extended: 0, unchanged: 0, turns: 4, elsewhere: 0 });
    const again = await importArchive(dest, parsed.archive, ENDPOINT);
    assert.deepEqual(again, { created: 0, extended: 0, unchanged: 2, turns: 0, elsewhere: 0 });
    const reopened = await open('dest');
    assert.equal(reopened.list().length, 2);
    const branches = (await reopened.load(reopened.list().find((c) => c.title === 'Branches')!.id))!;
    assert.equal(branches.headId, 'a2');
    assert.deepEqual(branches.allTurns().map((t) => t.importedFrom), Array(3).fill('https://other.test/v1'));
  });

  it('appends only the new turns to a chat that is already here, keeping its active path', async () => {
    const s = await open('ws');
    const c = await s.create({ title: 'Shared' });
    await s.putTurn(c, turnRecord('x1', null));
    const archive = buildArchive({ workspaceKey: 'ws', workspaceName: 'ws', endpoint: ENDPOINT }, [c], new Date());
    archive.conversations[0]!.turns.push(turnRecord('x2', 'x1'));
    const r = await importArchive(s, archive, ENDPOINT);
    assert.deepEqual(r, { created: 0, extended: 1, unchanged: 0, turns: 1, elsewhere: 0 });
    const again = (await (await open('ws')).load(c.id))!;
    assert.deepEqual(again.allTurns().map((t) => t.id).sort(), ['x1', 'x2']);
    assert.equal(again.headId, 'x1', 'the local active path stays');
    assert.equal(again.getTurn('x2')!.importedFrom, undefined, 'same endpoint: its ids are trusted');
  });

  it('an import that fails half-way leaves no half state: nothing listed, no transcript written', async () => {
    const { v1Key } = await todaysHistory();
    const src = await open(v1Key);
    const convs = (await Promise.all(src.list().map((c) => src.load(c.id)))).map((c) => c!);
    const archive = buildArchive({ workspaceKey: v1Key, workspaceName: 'shop', endpoint: ENDPOINT }, convs, new Date());
    const dest = await open('dest');
    const kept = await dest.create({ title: 'Mine' });
    await dest.putTurn(kept, turnRecord('m1', null));
    let writes = 0;
    const failing: FileSystemPort = { ...nodeFileSystem, writeFile: async (f, d) => {
      if (f.endsWith('.import') && ++writes === 2) throw new Error('disk full');
      return nodeFileSystem.writeFile(f, d);
    } };
    const destFailing = await open('dest', failing);
    await assert.rejects(importArchive(destFailing, archive, ENDPOINT), /disk full/);
    const after = await open('dest');
    assert.deepEqual(after.list().map((c) => c.title), ['Mine']);
    assert.deepEqual((await fs.readdir(path.join(root, 'conversations', 'dest'))).filter((f) => f !== 'active.json'), [`${kept.id}.jsonl`]);
    assert.deepEqual(after.warnings, []);
  });

  it('restores an archive of every workspace into each one, and a failure in any workspace changes none', async () => {
    const a = await open('ws-a');
    const ca = await a.create({ title: 'In A' });
    await a.putTurn(ca, turnRecord('a1', null));
    const b = await open('ws-b');
    const cb = await b.create({ title: 'In B' });
    await b.putTurn(cb, turnRecord('b1', null));
    const archive = buildWorkspacesArchive({ workspaceKey: 'ws-a', workspaceName: 'a', endpoint: ENDPOINT }, [
      { workspace: { key: 'ws-a', name: 'a' }, conversations: [ca] },
      { workspace: { key: 'ws-b', name: 'b' }, conversations: [cb, ca] },
    ], new Date());
    const parsed = parseArchive(JSON.stringify(archive));
    assert.ok(parsed.ok, 'one id in two workspaces is no collision');
    await fs.rm(root, { recursive: true, force: true });
    memento = new MemoryMemento();

    let failB = true;
    const failing: FileSystemPort = { ...nodeFileSystem, writeFile: async (f, d) => {
      if (failB && f.includes(`${path.sep}ws-b${path.sep}`) && f.endsWith('.import')) throw new Error('disk full');
      return nodeFileSystem.writeFile(f, d);
    } };
    const here = await open('ws-a', failing);
    const storeFor = async (w: { key: string }) => (w.key === 'ws-a' ? undefined : open(w.key, failing));
    await assert.rejects(importArchive(here, parsed.archive, ENDPOINT, storeFor), /disk full/);
    assert.deepEqual((await open('ws-a')).list(), [], 'this workspace is untouched too');
    assert.deepEqual((await open('ws-b')).list(), []);

    failB = false;
    const r = await importArchive(here, parsed.archive, ENDPOINT, storeFor);
    assert.deepEqual(r, { created: 3, extended: 0, unchanged: 0, turns: 3, elsewhere: 2 });
    assert.deepEqual((await open('ws-a')).list().map((c) => c.title), ['In A']);
    assert.deepEqual((await open('ws-b')).list().map((c) => c.title).sort(), ['In A', 'In B']);
  });
});
