// A tiny loopback server for the webview page, for the webview tests and the benchmarks: the HTML comes
// from the real renderWebviewHtml (so the real CSP applies), and the bundle, stylesheet and font from a
// built dist/webview. Every request is recorded; `/blank` is an empty page to attach a profiler before
// the view loads.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeNonce, renderWebviewHtml } from '../../src/host/webviewHtml';

export interface PageServer {
  origin: string;
  /** Paths requested so far (with query). */
  requests: string[];
  /** The nonce of the last page served. */
  lastNonce: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

/** The files a page may load, besides the page itself. */
export const ASSETS = ['/main.js', '/highlight.js', '/main.css', '/codicon.ttf'];

/** Serves the webview built into `dist` (a directory with main.js, highlight.js, main.css and codicon.ttf). */
export async function startPageServer(dist: string): Promise<PageServer> {
  const state: PageServer = { origin: '', requests: [], lastNonce: '', close: async () => undefined };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', state.origin);
    // Chromium itself asks a top-level page for its icon (the page does not: it is not among the page's
    // own requests, and a webview in VS Code is never top-level). Answered empty and not counted.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    state.requests.push(url.pathname + url.search);
    if (url.pathname === '/blank') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>blank</title>');
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/') {
      const nonce = makeNonce();
      state.lastNonce = nonce;
      const html = renderWebviewHtml({
        cspSource: state.origin,
        scriptUri: `${state.origin}/main.js`,
        highlightUri: `${state.origin}/highlight.js`,
        styleUri: `${state.origin}/main.css`,
        nonce,
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    if (ASSETS.includes(url.pathname)) {
      const file = path.join(dist, url.pathname.slice(1));
      fs.readFile(file, (err, body) => {
        if (err) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
