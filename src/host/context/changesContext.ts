// The changes kind's collector: the uncommitted diff (staged, then unstaged) of a repository, through the
// built-in Git extension's API, so it works wherever that extension does (remote workspaces too).
import * as vscode from 'vscode';
import { changesAttachment } from '../../core/attachmentBuilders';
import { displayPath } from '../selection';
import { collected, type Collected, refused } from './collected';

/** The few members of the Git extension's API (extensions/git/src/api/git.d.ts, version 1) used here. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  diff(cached?: boolean): Promise<string>;
}
interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

async function gitApi(): Promise<GitApi | string> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return 'The built-in Git extension is not available, so Threadline cannot read the uncommitted changes.';
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports.enabled) return 'Git is disabled (git.enabled is off) or not installed, so Threadline cannot read the uncommitted changes.';
  const api = exports.getAPI(1);
  if (api.state !== 'initialized') {
    await new Promise<void>((resolve) => {
      const sub = api.onDidChangeState((s) => s === 'initialized' && (sub.dispose(), resolve()));
      setTimeout(() => (sub.dispose(), resolve()), 10_000);
    });
  }
  return api;
}

/** Splits a unified diff into its files, each with the URI of its new path. */
function perFile(root: vscode.Uri, diff: string): { uri: string; diff: string }[] {
  return diff.split(/^(?=diff --git )/m).filter((d) => d.startsWith('diff --git ')).map((d) => {
    const path = /^diff --git a\/.* b\/(.*)$/m.exec(d)?.[1] ?? '';
    return { uri: vscode.Uri.joinPath(root, path).toString(), diff: d };
  });
}

/** The repository of `near` (a document), else the workspace's only or first repository. */
export async function changesFor(near?: vscode.Uri): Promise<Collected> {
  const api = await gitApi();
  if (typeof api === 'string') return refused(api);
  // The innermost repository of the document, even one the Git extension has not opened yet (made after
  // startup, or nested in another): git finds the top level from the document's folder.
  let repo: GitRepository | undefined = near?.scheme === 'file' && api.openRepository ? (await api.openRepository(vscode.Uri.joinPath(near, '..'))) ?? undefined : undefined;
  repo ??= (near && api.getRepository(near)) ?? api.repositories[0];
  if (!repo && api.openRepository) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      repo = (await api.openRepository(folder.uri)) ?? undefined;
      if (repo) break;
    }
  }
  if (!repo) {
    return refused(vscode.workspace.workspaceFolders?.length
      ? 'This workspace is not in a git repository, so there are no uncommitted changes to attach.'
      : 'No folder is open: open a folder in a git repository to attach its uncommitted changes.');
  }
  const [staged, unstaged] = await Promise.all([repo.diff(true), repo.diff(false)]);
  const a = changesAttachment({ path: displayPath(repo.rootUri), files: [...perFile(repo.rootUri, staged), ...perFile(repo.rootUri, unstaged)] });
  if (a.files === 0) return refused(`${a.path} has no uncommitted changes (new files count once they are staged).`);
  return collected(a);
}
