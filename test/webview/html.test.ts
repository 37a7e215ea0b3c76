// The page the host gives the webview: CSP first, nonce'd script, no inline anything.
import assert from 'node:assert/strict';
import { makeNonce, renderWebviewHtml } from '../../src/host/webviewHtml';

const opts = {
  cspSource: 'https://*.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  highlightUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/highlight.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
  nonce: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
};

describe('webview html', () => {
  it('puts the CSP meta first in <head>, exactly as specified', () => {
    const html = renderWebviewHtml(opts);
    const head = /<head>\s*([\s\S]*?)<\/head>/.exec(html)?.[1] ?? '';
    const first = /^<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(head.trim());
    assert.ok(first, 'the first element in <head> is the CSP meta');
    assert.equal(
      first[1],
      `default-src 'none'; script-src 'nonce-${opts.nonce}'; style-src ${opts.cspSource}; font-src ${opts.cspSource}; img-src ${opts.cspSource} data:;`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|connect-src/);
  });

  it('loads exactly one script (nonce\'d, naming its highlighting chunk) and one stylesheet, with no inline script or style', () => {
    const html = renderWebviewHtml(opts);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${opts.nonce}"`));
    assert.match(scripts[0]![1]!, new RegExp(`src="${opts.scriptUri.replace(/[.+*?]/g, '\\$&')}"`));
    assert.match(scripts[0]![1]!, new RegExp(`data-highlight-src="${opts.highlightUri.replace(/[.+*?]/g, '\\$&')}"`));
    assert.equal(scripts[0]![2]!.trim(), '');
    assert.equal([...html.matchAll(/<link rel="stylesheet" href="([^"]*)">/g)].map((m) => m[1]).join(), opts.styleUri);
    assert.doesNotMatch(html, /<style|style=|\son\w+=/i);
  });

  it('escapes the URIs it is given', () => {
    const html = renderWebviewHtml({ ...opts, scriptUri: 'https://x/"><script>alert(1)</script>', highlightUri: 'https://y/"><script>alert(2)</script>' });
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /&quot;&gt;&lt;script&gt;alert\(1\)/);
    assert.match(html, /&quot;&gt;&lt;script&gt;alert\(2\)/);
  });

  it('refuses a weak nonce or a cspSource that would widen the policy', () => {
    assert.throws(() => renderWebviewHtml({ ...opts, nonce: 'abc' }));
    assert.throws(() => renderWebviewHtml({ ...opts, nonce: "x'; script-src *; '0123456789" }));
    assert.throws(() => renderWebviewHtml({ ...opts, cspSource: "https://a; script-src 'unsafe-inline'" }));
    assert.throws(() => renderWebviewHtml({ ...opts, cspSource: '' }));
  });

  it('makes a fresh nonce of at least 128 random bits each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = makeNonce();
      assert.match(n, /^[0-9a-f]{32,}$/);
      seen.add(n);
    }
    assert.equal(seen.size, 200);
    assert.doesNotThrow(() => renderWebviewHtml({ ...opts, nonce: makeNonce() }));
  });
});
