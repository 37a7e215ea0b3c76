// Files dropped on the view from the Explorer (hold Shift to drop into a webview): their URIs go to the
// host, which reads only workspace files. The view itself never reads a file.
import type { WebviewToHost } from '../../shared/protocol';
import { LIMITS } from '../../shared/limits';

/** The MIME types VS Code puts dragged resources under; plain text is not a file and is ignored. */
const URI_LIST_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];

/** The URIs of a `text/uri-list` (RFC 2483: one per line, `#` starts a comment). */
export function parseUriList(list: string): string[] {
  return list.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

function droppedUris(dt: DataTransfer | null): string[] {
  for (const type of URI_LIST_TYPES) {
    const list = dt?.getData(type);
    if (list) return parseUriList(list);
  }
  return [];
}

const carriesUris = (dt: DataTransfer | null): boolean => !!dt && URI_LIST_TYPES.some((t) => dt.types.includes(t));

/** Makes `target` accept dropped files; too many is said in `hint` rather than cut silently. */
export function acceptFileDrops(target: HTMLElement, post: (m: WebviewToHost) => void, hint: (text: string) => void): void {
  target.addEventListener('dragover', (e) => {
    if (!carriesUris(e.dataTransfer)) return;
    e.preventDefault();
    target.classList.add('drop-target');
  });
  target.addEventListener('dragleave', () => target.classList.remove('drop-target'));
  target.addEventListener('drop', (e) => {
    target.classList.remove('drop-target');
    const uris = droppedUris(e.dataTransfer);
    if (uris.length === 0) return;
    e.preventDefault();
    if (uris.length > LIMITS.maxAttachments) {
      hint(`Drop at most ${LIMITS.maxAttachments} files at a time.`);
      return;
    }
    post({ type: 'attachFiles', uris: uris.map((u) => u.slice(0, LIMITS.maxUriChars)) });
  });
}
