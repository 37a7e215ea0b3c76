// A workspace identity that names the project, not the connection, so history survives another SSH
// alias, a rebuilt dev container, a renamed tunnel or the same repository cloned on the local machine.
//
// Per folder:
// - In a git repository with a network remote: the normalised remote URL plus the folder's path inside the
//   repository. The same repository therefore has one identity however it is reached, wherever it is
//   cloned (a dev container's /workspaces/p and a local /home/u/p included).
// - Otherwise: the folder's path without the URI authority, so `vscode-remote://ssh-remote+a/home/u/p`,
//   `…ssh-remote+b/home/u/p` and `file:///home/u/p` match, while a dev container's `/workspaces/p` does not
//   match a local `/home/u/p` (nothing says they are the same folder; "Bring over" offers it by name).
//   Only `file` and `vscode-remote` URIs name a machine's file system; any other scheme (a virtual file
//   system such as `vscode-vfs://github/…`) keeps its scheme and authority, which its path needs.
// A multi-root workspace combines its folders' identities, sorted; a saved `.code-workspace` file is
// identified by its path without authority. The host gathers the git facts through the `vscode.git` API.
import { createHash } from 'node:crypto';
import { EMPTY_WINDOW_KEY, workspaceKey } from './workspaceKey';

export interface GitFacts {
  /** The URI of the repository's root folder. */
  repoRoot: string;
  /** The fetch URL of the remote that names the project (`origin`, else the first); absent without one. */
  remoteUrl?: string;
}

export interface FolderFacts {
  uri: string;
  /** Absent outside a git repository, or before the git extension has looked. */
  git?: GitFacts;
}

export interface WorkspaceFacts {
  /** URI of the .code-workspace file, when a saved multi-root workspace is open. */
  workspaceFile?: string;
  folders: readonly FolderFacts[];
}

export interface ProjectIdentity {
  /** The key this workspace's history is stored under from now on. */
  key: string;
  /**
   * Other keys its history may be stored under: today's URI-based key (workspaceKey.ts) and, for a git
   * workspace, the key it has while the git extension has not answered yet.
   */
  aliases: string[];
}

/** What "Bring over N chats" compares: kept with a workspace's index so other workspaces can be matched. */
export interface ProjectSignature {
  /** Normalised remote URLs of the workspace's repositories, sorted. */
  repositories: string[];
  /** The folders' names, lower-cased, sorted. */
  folderNames: string[];
}

export type SameProjectReason =
  | { reason: 'same_repository'; repository: string }
  | { reason: 'same_folder_name'; folderName: string };

const MACHINE_SCHEMES = new Set(['file', 'vscode-remote']);
const NETWORK_REMOTE_SCHEMES = new Set(['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git']);
const UNTITLED_WORKSPACE = /\/Untitled-\d+\.code-workspace$/i;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A path with no trailing slash (but `/` stays), and a Windows drive letter in lower case, as VS Code writes it. */
function tidyPath(path: string): string {
  const p = path.replace(/^\/([A-Za-z]):/, (_, d: string) => `/${d.toLowerCase()}:`);
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** A URI's location without the way it is reached: the path for machine schemes, else scheme, authority and path. */
export function locationOf(uri: string): string {
  const m = /^([a-zA-Z][\w+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(uri.trim());
  if (!m) return tidyPath(decode(uri.trim()));
  const scheme = m[1]!.toLowerCase();
  const path = tidyPath(decode(m[3]!) || '/');
  return MACHINE_SCHEMES.has(scheme) ? path : `${scheme}://${m[2]!.toLowerCase()}${path}`;
}

/**
 * One value for every way of writing a network remote of the same repository:
 * `https://user:token@GitHub.com:443/o/r.git`, `ssh://git@github.com:22/o/r`, `git@github.com:o/r.git`
 * all give `github.com/o/r`. Normalised: the scheme, credentials and user, the port, the host's case, a
 * trailing `.git` and slashes. Not normalised: the path's case (servers differ), ssh host aliases from
 * ~/.ssh/config (only the client knows them) and hosts that serve one repository under different paths
 * for https and ssh. A local path or `file:` remote says nothing across machines: undefined.
 */
export function normaliseRemoteUrl(url: string): string | undefined {
  const s = url.trim();
  let host: string;
  let path: string;
  const withScheme = /^([a-zA-Z][\w+.-]*):\/\/([^/]*)(.*)$/.exec(s);
  // scp-like `[user@]host:path`: no slash before the colon, and a host longer than a Windows drive letter.
  const scpLike = /^(?:[^@/]+@)?([^@/:]{2,}):(?!\/\/)(.+)$/.exec(s);
  if (withScheme) {
    if (!NETWORK_REMOTE_SCHEMES.has(withScheme[1]!.toLowerCase())) return undefined;
    const authority = withScheme[2]!.slice(withScheme[2]!.lastIndexOf('@') + 1);
    host = authority.replace(/:\d*$/, '');
    path = withScheme[3]!.replace(/[?#].*$/, '');
  } else if (scpLike) {
    host = scpLike[1]!;
    path = scpLike[2]!;
  } else {
    return undefined;
  }
  const cleanPath = decode(path).replace(/\/{2,}/g, '/').replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  if (!host || !cleanPath) return undefined;
  return `${host.toLowerCase()}/${cleanPath}`;
}

/** The folder's path inside its repository ('' at the root), or undefined when it is not inside it. */
function pathInRepo(folder: string, root: string): string | undefined {
  if (folder === root) return '';
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return folder.startsWith(prefix) ? folder.slice(prefix.length) : undefined;
}

function repositoryOf(f: FolderFacts): string | undefined {
  return f.git?.remoteUrl ? normaliseRemoteUrl(f.git.remoteUrl) : undefined;
}

function folderIdentity(f: FolderFacts): string {
  const location = locationOf(f.uri);
  const repo = repositoryOf(f);
  const inRepo = repo && f.git ? pathInRepo(location, locationOf(f.git.repoRoot)) : undefined;
  return repo && inRepo !== undefined ? `git:${repo}#${inRepo}` : `path:${location}`;
}

function hashKey(source: string): string {
  return createHash('sha256').update(`identity/v2\n${source}`).digest('hex').slice(0, 24);
}

function keyOf(facts: WorkspaceFacts, identityOf: (f: FolderFacts) => string): string {
  const file = facts.workspaceFile && !UNTITLED_WORKSPACE.test(facts.workspaceFile) ? facts.workspaceFile : undefined;
  if (file) return hashKey(`workspace:${locationOf(file)}`);
  if (!facts.folders.length) return EMPTY_WINDOW_KEY;
  return hashKey([...new Set(facts.folders.map(identityOf))].sort().join('\n'));
}

export function projectIdentity(facts: WorkspaceFacts): ProjectIdentity {
  const key = keyOf(facts, folderIdentity);
  const candidates = [
    workspaceKey({ workspaceFile: facts.workspaceFile, folders: facts.folders.map((f) => f.uri) }),
    keyOf(facts, (f) => `path:${locationOf(f.uri)}`),
  ];
  return { key, aliases: [...new Set(candidates)].filter((k) => k !== key) };
}

function folderName(uri: string): string {
  const location = locationOf(uri);
  return location.slice(location.lastIndexOf('/') + 1).toLowerCase();
}

export function projectSignature(facts: WorkspaceFacts): ProjectSignature {
  const sorted = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
  return {
    repositories: sorted(facts.folders.map(repositoryOf)),
    folderNames: sorted(facts.folders.map((f) => folderName(f.uri))),
  };
}

/**
 * Whether another workspace's chats are worth offering here: a shared repository is the stronger reason;
 * else a shared folder name (a dev container's /workspaces/p and a local ~/p).
 */
export function looksLikeSameProject(a: ProjectSignature, b: ProjectSignature): SameProjectReason | undefined {
  const repository = a.repositories.find((r) => b.repositories.includes(r));
  if (repository) return { reason: 'same_repository', repository };
  const folderName = a.folderNames.find((n) => b.folderNames.includes(n));
  return folderName ? { reason: 'same_folder_name', folderName } : undefined;
}
