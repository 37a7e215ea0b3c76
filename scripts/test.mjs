// `npm test`: builds, type-checks and lints, then runs every suite and ends with one plain line
// "N passed, N failed" that totals them all. Installs the offline VS Code harness (Chromium, Node 24,
// code-server) first when a suite needs it and it is missing, so `npm ci && npm test` is enough.
//   node scripts/test.mjs              all suites
//   node scripts/test.mjs unit webview only these suites
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ensureHarness } from '../tools/vscode-harness/ensure.mjs';

const SUITES = {
  unit: ['node', 'scripts/run-mocha.mjs', 'unit'],
  webview: ['node', 'scripts/run-mocha.mjs', 'webview'],
  integration: ['node', 'scripts/integration.mjs'],
  e2e: ['node', 'scripts/e2e.mjs'],
};
/** Suites that run in Chromium or in code-server. */
const NEEDS_HARNESS = new Set(['webview', 'integration', 'e2e']);
const wanted = process.argv.slice(2);
const suites = wanted.length ? wanted : Object.keys(SUITES);
const unknown = suites.filter((s) => !SUITES[s]);
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}

const t0 = Date.now();
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const failStep = (name) => {
  console.log(`${name} failed`);
  console.log('0 passed, 1 failed');
  process.exit(1);
};
const step = (name, cmd, args) => {
  console.log(`\n=== ${name}`);
  if (run(cmd, args) !== 0) failStep(name);
};

step('build', 'node', ['esbuild.mjs']);
if (!wanted.length) {
  step('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
  step('lint', 'npx', ['eslint', 'src', 'test', 'bench']);
}
// After the quick checks, so a lint error is reported before a first-time install of several minutes.
if (suites.some((s) => NEEDS_HARNESS.has(s)) && !ensureHarness()) failStep('harness setup');

fs.rmSync('test-results', { recursive: true, force: true });
let passed = 0;
let failed = 0;
const rows = [];
const failedTests = [];
for (const s of suites) {
  console.log(`\n=== ${s} tests`);
  const t = Date.now();
  const code = run(SUITES[s][0], SUITES[s].slice(1));
  const file = `test-results/${s}.json`;
  const r = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { passes: 0, failures: 0 };
  // A suite that crashed before writing its counts still counts as a failure.
  const f = r.failures + (code !== 0 && r.failures === 0 ? 1 : 0);
  failedTests.push(...(r.failed ?? []).map((t) => `  ${s}: ${t.title}\n      ${t.message}`));
  if (code !== 0 && r.failures === 0) failedTests.push(`  ${s}: the suite ended without results (exit ${code})`);
  passed += r.passes;
  failed += f;
  rows.push(`${s.padEnd(12)} ${String(r.passes).padStart(4)} passed ${String(f).padStart(3)} failed  ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
console.log(`\n=== summary (${((Date.now() - t0) / 1000).toFixed(0)} s)\n${rows.join('\n')}`);
if (failedTests.length) console.log(`failed tests:\n${failedTests.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
