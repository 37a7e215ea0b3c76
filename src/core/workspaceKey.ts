// A stable key for the open workspace: the .code-workspace file if there is one, else the folder URIs
// sorted, else one key for empty windows. URIs (not fs paths) keep remote and virtual workspaces apart.
import { createHash } from 'node:crypto';

export interface WorkspaceIdentity {
  /** URI of the .code-workspace file, when a saved multi-root workspace is open. */
  workspaceFile?: string;
  /** URIs of the open folders. */
  folders: readonly string[];
}

export const EMPTY_WINDOW_KEY = 'empty';

/** Lower-cases only the parts of a URI that are case-insensitive, so `file:///A` and `file:///a` stay apart. */
function canonical(uri: string): string {
  const m = /^([a-zA-Z][\w+.-]*):\/\/([^/]*)(.*)$/.exec(uri);
  const s = m ? `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${m[3]}` : uri;
  return s.length > 1 && s.endsWith('/') && !s.endsWith('://') ? s.slice(0, -1) : s;
}

export function workspaceKey(id: WorkspaceIdentity): string {
  // An untitled multi-root workspace has a workspace file in VS Code's own storage; the folders identify it better.
  const file = id.workspaceFile && !/\/Untitled-\d+\.code-workspace$/i.test(id.workspaceFile) ? id.workspaceFile : undefined;
  const source = file
    ? `file:${canonical(file)}`
    : id.folders.length
      ? `folders:${[...id.folders].map(canonical).sort().join('\n')}`
      : undefined;
  if (!source) return EMPTY_WINDOW_KEY;
  return createHash('sha256').update(source).digest('hex').slice(0, 24);
}
