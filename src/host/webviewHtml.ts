// The chat webview's page: a strict CSP, one nonce'd script (which loads the highlighting chunk with the same
// nonce when needed), one stylesheet. Pure (no `vscode` import), so
// the browser tests serve exactly the page that VS Code shows.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin the script, stylesheet and font are served from. */
  cspSource: string;
  /** `asWebviewUri` of dist/webview/main.js. */
  scriptUri: string;
  /** `asWebviewUri` of dist/webview/highlight.js, the chunk the script loads on the first code block. */
  highlightUri: string;
  /** `asWebviewUri` of dist/webview/main.css. */
  styleUri: string;
  /** A fresh `makeNonce()` per page. */
  nonce: string;
}

/** 128 random bits as 32 hex characters: a new one for every page load. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The CSP: nothing may load or run except our nonce'd script and what `cspSource` serves; no network. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ') + ';';
}

export function renderWebviewHtml({ cspSource, scriptUri, highlightUri, styleUri, nonce }: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('renderWebviewHtml: the nonce must be at least 16 base64 or hex characters');
  // VS Code may give several sources separated by spaces (e.g. an http extension location plus its CDN).
  if (/[;,"\n\r]/.test(cspSource) || cspSource.trim() === '') throw new Error('renderWebviewHtml: invalid cspSource');
  const csp = contentSecurityPolicy(cspSource.trim(), nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Threadline Chat</title>
<link rel="stylesheet" href="${escapeAttr(styleUri)}">
</head>
<body>
<div id="app" class="app"></div>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}" data-highlight-src="${escapeAttr(highlightUri)}"></script>
</body>
</html>
`;
}
