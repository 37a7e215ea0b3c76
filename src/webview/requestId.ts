// Ids for the requests that expect a reply (send, loadEarlier, requestHistory): the reply echoes the id,
// so the view matches replies without comparing their contents. Unique within a webview's life and,
// through the time prefix, across its reloads.
let n = 0;
const prefix = Date.now().toString(36);

export function nextRequestId(): string {
  return `${prefix}-${++n}`;
}
