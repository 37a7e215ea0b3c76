// The workspace identity: the project, not the connection, decides where history lives.
import assert from 'node:assert/strict';
import {
  type FolderFacts,
  locationOf,
  looksLikeSameProject,
  normaliseRemoteUrl,
  projectIdentity,
  projectSignature,
  type WorkspaceFacts,
} from '../../src/core/workspaceIdentity';
import { EMPTY_WINDOW_KEY, workspaceKey } from '../../src/core/workspaceKey';

const REMOTE = 'git@github.com:acme/shop.git';

/** A folder at `path` reached through `root` (a scheme and authority), optionally inside a clone of REMOTE at `repoPath`. */
function folder(root: string, path: string, repoPath?: string, remoteUrl = REMOTE): FolderFacts {
  return { uri: `${root}${path}`, git: repoPath === undefined ? undefined : { repoRoot: `${root}${repoPath}`, remoteUrl } };
}

const one = (f: FolderFacts): WorkspaceFacts => ({ folders: [f] });

const SSH_A = 'vscode-remote://ssh-remote+a';
const SSH_B = 'vscode-remote://ssh-remote+b';
const CONTAINER = 'vscode-remote://dev-container+7b22686f737450617468223a222f686f6d652f75227d';
const LOCAL = 'file://';

describe('workspace identity: the same repository however it is reached', () => {
  const sshA = one(folder(SSH_A, '/home/u/shop', '/home/u/shop'));
  const sshB = one(folder(SSH_B, '/home/u/shop', '/home/u/shop', 'https://github.com/acme/shop'));
  const container = one(folder(CONTAINER, '/workspaces/shop', '/workspaces/shop', 'ssh://git@github.com/acme/shop.git'));
  const local = one(folder(LOCAL, '/Users/me/code/shop', '/Users/me/code/shop'));

  it('gives one key for ssh-remote+a, ssh-remote+b, a dev container and a local clone', () => {
    const keys = [sshA, sshB, container, local].map((w) => projectIdentity(w).key);
    assert.equal(new Set(keys).size, 1, keys.join(' '));
    assert.match(keys[0]!, /^[0-9a-f]{24}$/);
  });

  it('keeps each way of reaching it readable under its old URI key', () => {
    for (const w of [sshA, sshB, container, local]) {
      const { key, aliases } = projectIdentity(w);
      const old = workspaceKey({ folders: w.folders.map((f) => f.uri) });
      assert.ok(aliases.includes(old), 'the key of today stays an alias');
      assert.ok(!aliases.includes(key));
    }
    assert.notEqual(projectIdentity(sshA).aliases[0], projectIdentity(sshB).aliases[0], 'the old keys differ by authority');
  });

  it('also lists the key the workspace has before the git extension answers', () => {
    const withoutGit = projectIdentity(one(folder(SSH_A, '/home/u/shop'))).key;
    assert.ok(projectIdentity(sshA).aliases.includes(withoutGit));
  });

  it('tells folders of one repository apart by their path inside it, wherever it is cloned', () => {
    const api = (root: string, clone: string) => projectIdentity(one(folder(root, `${clone}/services/api`, clone))).key;
    assert.equal(api(SSH_A, '/home/u/shop'), api(LOCAL, '/c:/src/shop'));
    assert.notEqual(api(SSH_A, '/home/u/shop'), projectIdentity(sshA).key, 'a subfolder is not the repository root');
    assert.notEqual(projectIdentity(one(folder(SSH_A, '/home/u/shop', '/home/u/shop', 'git@github.com:acme/other.git'))).key, projectIdentity(sshA).key);
  });
});

describe('workspace identity: remote URL forms', () => {
  it('normalises https, ssh, scp-like and git forms of one repository to host and path', () => {
    for (const url of [
      'https://github.com/acme/shop.git',
      'https://github.com/acme/shop',
      'https://github.com/acme/shop/',
      'http://GitHub.com/acme/shop.git',
      'https://user:s3cr%40t@github.com/acme/shop.git',
      'https://x-access-token:ghp_abc@github.com:443/acme/shop.git',
      'ssh://git@github.com/acme/shop.git',
      'ssh://git@github.com:22/acme/shop',
      'git+ssh://git@github.com/acme/shop.git',
      'git://github.com/acme/shop.git',
      'git@github.com:acme/shop.git',
      'github.com:acme/shop',
      '  git@GITHUB.COM:acme/shop.git\n',
    ]) {
      assert.equal(normaliseRemoteUrl(url), 'github.com/acme/shop', url);
    }
  });

  it('never keeps credentials', () => {
    const n = normaliseRemoteUrl('https://alice:hunter2@gitlab.example.com/team/app.git')!;
    assert.equal(n, 'gitlab.example.com/team/app');
    assert.doesNotMatch(n, /alice|hunter2/);
  });

  it('keeps the path case and nested groups', () => {
    assert.equal(normaliseRemoteUrl('https://gitlab.com/Group/Sub/Repo.git'), 'gitlab.com/Group/Sub/Repo');
    assert.equal(normaliseRemoteUrl('git@gitlab.com:Group/Sub/Repo.git'), 'gitlab.com/Group/Sub/Repo');
  });

  it('gives nothing for local paths, file remotes and junk', () => {
    for (const url of ['/srv/git/shop.git', 'file:///srv/git/shop.git', 'C:\\repos\\shop', '../shop', '', 'https://github.com/', 'https://', 'ftp://host/x']) {
      assert.equal(normaliseRemoteUrl(url), undefined, url);
    }
  });

  it('falls back to the folder path when the repository has no network remote', () => {
    const a = projectIdentity(one(folder(SSH_A, '/home/u/shop', '/home/u/shop', '/srv/git/shop.git'))).key;
    const b = projectIdentity(one(folder(LOCAL, '/home/u/shop'))).key;
    assert.equal(a, b);
    const noRemote = projectIdentity(one({ uri: `${SSH_A}/home/u/shop`, git: { repoRoot: `${SSH_A}/home/u/shop` } })).key;
    assert.equal(noRemote, b);
  });
});

describe('workspace identity: folders outside git', () => {
  it('matches the same path on any authority', () => {
    const keys = [SSH_A, SSH_B, LOCAL, 'vscode-remote://tunnel+laptop', 'vscode-remote://localhost:8080'].map((root) => projectIdentity(one(folder(root, '/home/u/notes'))).key);
    assert.equal(new Set(keys).size, 1);
  });

  it('does not match another path, even with the same folder name', () => {
    const container = projectIdentity(one(folder(CONTAINER, '/workspaces/notes'))).key;
    const local = projectIdentity(one(folder(LOCAL, '/home/u/notes'))).key;
    assert.notEqual(container, local);
  });

  it('ignores a trailing slash, percent-encoding and a drive letter case, but not the path case', () => {
    assert.equal(locationOf('file:///home/u/my%20notes/'), '/home/u/my notes');
    assert.equal(locationOf('file:///C%3A/Users/u/p'), '/c:/Users/u/p');
    assert.equal(locationOf('vscode-remote://wsl%2Bubuntu/home/u/p'), '/home/u/p');
    assert.equal(locationOf('file:///'), '/');
    assert.notEqual(projectIdentity(one(folder(LOCAL, '/home/u/Notes'))).key, projectIdentity(one(folder(LOCAL, '/home/u/notes'))).key);
  });

  it('keeps the scheme and authority of a virtual file system', () => {
    assert.equal(locationOf('vscode-vfs://GitHub/acme/shop'), 'vscode-vfs://github/acme/shop');
    assert.notEqual(projectIdentity(one({ uri: 'vscode-vfs://github/acme/shop' })).key, projectIdentity(one({ uri: 'file:///acme/shop' })).key);
  });
});

describe('workspace identity: multi-root, workspace files and the empty window', () => {
  const app = folder(SSH_A, '/home/u/shop', '/home/u/shop');
  const docs = folder(SSH_A, '/home/u/docs');

  it('combines the folders in any order and however they are reached', () => {
    const a = projectIdentity({ folders: [app, docs] }).key;
    const b = projectIdentity({ folders: [folder(SSH_B, '/home/u/docs'), folder(LOCAL, '/home/u/shop', '/home/u/shop')] }).key;
    assert.equal(a, b);
    assert.notEqual(a, projectIdentity(one(app)).key);
    assert.notEqual(a, projectIdentity(one(docs)).key);
  });

  it('identifies a saved .code-workspace file by its path without authority', () => {
    const a = projectIdentity({ workspaceFile: `${SSH_A}/home/u/shop.code-workspace`, folders: [app, docs] });
    const b = projectIdentity({ workspaceFile: `${SSH_B}/home/u/shop.code-workspace`, folders: [docs] });
    assert.equal(a.key, b.key);
    assert.ok(a.aliases.includes(workspaceKey({ workspaceFile: `${SSH_A}/home/u/shop.code-workspace`, folders: [app.uri, docs.uri] })));
  });

  it('uses the folders of an untitled multi-root workspace', () => {
    const untitled = projectIdentity({ workspaceFile: 'file:///home/u/.config/Code/Workspaces/1/Untitled-1.code-workspace', folders: [app, docs] });
    assert.equal(untitled.key, projectIdentity({ folders: [docs, app] }).key);
  });

  it('gives the empty window its key of today and no aliases', () => {
    assert.deepEqual(projectIdentity({ folders: [] }), { key: EMPTY_WINDOW_KEY, aliases: [] });
  });
});

describe('workspace identity: does another workspace look like this project?', () => {
  const local = projectSignature({ folders: [folder(LOCAL, '/Users/me/code/shop', '/Users/me/code/shop', 'https://github.com/acme/shop.git')] });

  it('names the shared repository first', () => {
    const container = projectSignature({ folders: [folder(CONTAINER, '/workspaces/shop', '/workspaces/shop')] });
    assert.deepEqual(looksLikeSameProject(local, container), { reason: 'same_repository', repository: 'github.com/acme/shop' });
  });

  it('else names a shared folder name, in any case', () => {
    const notes = projectSignature({ folders: [folder(CONTAINER, '/workspaces/Shop')] });
    assert.deepEqual(looksLikeSameProject(local, notes), { reason: 'same_folder_name', folderName: 'shop' });
  });

  it('finds nothing for different projects or an empty window', () => {
    const other = projectSignature({ folders: [folder(LOCAL, '/home/u/blog', '/home/u/blog', 'git@github.com:me/blog.git')] });
    const empty = projectSignature({ folders: [] });
    assert.deepEqual(empty, { repositories: [], folderNames: [] });
    assert.equal(looksLikeSameProject(local, other), undefined);
    assert.equal(looksLikeSameProject(local, empty), undefined);
    assert.equal(looksLikeSameProject(empty, empty), undefined);
  });

  it('is plain data that survives a JSON round trip (it is kept with the index)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(local)), local);
    assert.deepEqual(local, { repositories: ['github.com/acme/shop'], folderNames: ['shop'] });
  });
});
