// Serves the chat page in a webview: scripts on, command URIs off, local resources from dist/webview and
// media only, and the page of webviewHtml.ts with a fresh nonce and the webview's own resource URIs.
import * as vscode from 'vscode';
import { makeNonce, renderWebviewHtml } from './webviewHtml';

export function serveChatPage(webview: vscode.Webview, extensionUri: vscode.Uri): void {
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
  webview.options = {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [root, vscode.Uri.joinPath(extensionUri, 'media')],
  };
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    scriptUri: asset('main.js'),
    highlightUri: asset('highlight.js'),
    styleUri: asset('main.css'),
    nonce: makeNonce(),
  });
}
