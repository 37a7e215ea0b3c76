// The facts the workspace identity is made of (src/core/workspaceIdentity.ts): the open folders and, per
// folder, its repository's root and remote as the built-in git extension knows them. Git is asked with a
// deadline: when it is absent, disabled, in another extension host (a UI-side Threadline in a remote
// window) or slow, the facts come without git and the identity is path-based; its key is an alias of the
// git-based one, so the next window that gets git's answer in time moves that history over (migration).
import * as vscode from 'vscode';
import type { FolderFacts, WorkspaceFacts } from '../core/workspaceIdentity';

/** The part of the `vscode.git` extension's API (version 1) that is read here. */
interface GitApi {
  state: 'uninitialized' | 'initialized';
  onDidChangeState(listener: (state: 'uninitialized' | 'initialized') => void): vscode.Disposable;
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitRepository {
  rootUri: vscode.Uri;
  state: { remotes: { name: string; fetchUrl?: string; pushUrl?: string }[] };
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

const GIT_DEADLINE_MS = 3000;

function withDeadline<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => resolve(v),
      () => resolve(fallback),
    ).finally(() => clearTimeout(timer));
  });
}

async function gitApi(): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return undefined;
  const api = (await ext.activate()).getAPI(1);
  if (api.state === 'initialized') return api;
  await new Promise<void>((resolve) => {
    const sub = api.onDidChangeState((s) => {
      if (s !== 'initialized') return;
      sub.dispose();
      resolve();
    });
  });
  return api;
}

function folderFacts(uri: vscode.Uri, api: GitApi | undefined): FolderFacts {
  const repo = api?.getRepository(uri);
  if (!repo) return { uri: uri.toString() };
  const remote = repo.state.remotes.find((r) => r.name === 'origin') ?? repo.state.remotes[0];
  return { uri: uri.toString(), git: { repoRoot: repo.rootUri.toString(), remoteUrl: remote?.fetchUrl ?? remote?.pushUrl } };
}

function facts(api: GitApi | undefined): WorkspaceFacts {
  const file = vscode.workspace.workspaceFile;
  return {
    workspaceFile: file && file.scheme !== 'untitled' ? file.toString() : undefined,
    folders: (vscode.workspace.workspaceFolders ?? []).map((f) => folderFacts(f.uri, api)),
  };
}

/** The workspace's facts with git's answer, or without it after `deadlineMs`. */
export async function workspaceFacts(deadlineMs = GIT_DEADLINE_MS): Promise<WorkspaceFacts> {
  if (!vscode.workspace.workspaceFolders?.length) return facts(undefined);
  return facts(await withDeadline(gitApi(), deadlineMs, undefined));
}

/** The folder names, for people choosing a workspace. */
export function workspaceName(): string {
  const names = (vscode.workspace.workspaceFolders ?? []).map((f) => f.name);
  return names.length ? names.join(', ') : 'Empty window';
}
