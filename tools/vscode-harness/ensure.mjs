// Installs the offline VS Code harness on first use, so `npm test` and `npm start` work straight after
// `npm ci`. A harness that is in place costs a few file checks: setup.sh itself runs only when something
// is missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shown = (p) => (p.startsWith(REPO + path.sep) ? path.relative(REPO, p) : p);

/** What is missing for the harness, or an empty list when it is ready. */
export function missingHarnessParts(env = process.env) {
  const home = env.VSH_HOME ?? path.join(REPO, '.vscode-harness');
  const envFile = path.join(home, 'env.sh');
  const missing = [];
  if (!fs.existsSync(envFile)) {
    missing.push(shown(envFile));
  } else {
    // env.sh names the installed Node 24 and code-server: a moved or half-deleted harness needs setup again.
    const vars = Object.fromEntries([...fs.readFileSync(envFile, 'utf8').matchAll(/^export (\w+)="(.*)"$/gm)].map((m) => [m[1], m[2]]));
    for (const name of ['VSH_NODE', 'VSH_CODE_SERVER']) {
      if (!vars[name] || !fs.existsSync(vars[name])) missing.push(vars[name] ?? `${name} in ${shown(envFile)}`);
    }
  }
  const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) missing.push(chromium);
  return missing;
}

/** Runs tools/vscode-harness/setup.sh when the harness is not ready. False when that failed (it said why). */
export function ensureHarness({ log = (msg) => console.log(`[harness] ${msg}`) } = {}) {
  const missing = missingHarnessParts();
  if (missing.length === 0) return true;
  log(`installing the VS Code harness (once; a few minutes): missing ${missing.join(', ')}`);
  const { status } = spawnSync('bash', [path.join(REPO, 'tools/vscode-harness/setup.sh')], { cwd: REPO, stdio: 'inherit' });
  if (status === 0) return true;
  log(`bash tools/vscode-harness/setup.sh failed (exit ${status})`);
  return false;
}
