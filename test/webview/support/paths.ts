// Where the built webview bundle is, wherever the test bundle runs from (dist/test/webview or /tmp).
import fs from 'node:fs';
import path from 'node:path';

function walkUp(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'threadline') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function repoRoot(): string {
  const root = walkUp(__dirname) ?? walkUp(process.cwd());
  if (!root) throw new Error('Cannot find the threadline repository (package.json) above ' + __dirname + ' or ' + process.cwd());
  return root;
}

/** dist/webview, checked to hold a built bundle. */
export function webviewDist(): string {
  const dir = path.join(repoRoot(), 'dist', 'webview');
  for (const f of ['main.js', 'main.css']) {
    if (!fs.existsSync(path.join(dir, f))) {
      throw new Error(`${path.join(dir, f)} is missing: build the webview first (node esbuild.mjs --production, or the esbuild command in the webview issue)`);
    }
  }
  return dir;
}
