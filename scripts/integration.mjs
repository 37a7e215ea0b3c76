#!/usr/bin/env node
// The whole integration plan, offline, in code-server's real VS Code extension host:
//   main      the main suite (test/integration/*.test.ts) in workspace A
//   restart   three runs sharing one user-data dir, so each is a restart of the one before:
//             phase 1 in workspace A saves its chain's last response id to a file,
//             workspace B (a .code-workspace file) must not chain from A's ids,
//             phase 2 in workspace A again must chain from phase 1's last id (it survived the restart).
//             The history files ride along in the A runs: after phase 1, historyPhase1 adds chats, renames
//             one, deletes one and switches back to phase 1's (older) chat; after phase 2, historyPhase2
//             finds the same list, titles and active chat, and its next turn chains from that chat's tip.
//   portability  two runs with separate user-data dirs: portability-export makes a chat with two branches and
//             exports it; portability-import, in a fresh profile against another fake server, refuses bad
//             files, imports it twice (nothing doubles) and continues it by replay.
//   outside   outside-git in a scratch folder in no git repository, no-folder in an empty window: the context
//             kinds that need a repository, a folder or an editor refuse with their reason; chats still work.
//   crash     two runs sharing a third user-data dir and a scratch workspace: crash-1 loads 50 chats and a
//             200-turn chat, damages two transcripts (a torn record, a corrupt line), then SIGKILLs its own
//             extension host while turn 201 streams; crash-2 restarts with workspace trust on (Restricted
//             Mode) and checks startup time, the interrupted turn, the chain, the damage and the settings.
// Each run starts its own fake Responses server inside the extension host; ids cross runs in a JSON file.
// The fault matrix (main), the crash and load runs and the security tests record what they observed in
// test-results/reliability/; scripts/reliability-report.mjs then writes docs/reliability.md from it.
//
//   node esbuild.mjs && node scripts/integration.mjs [main|restart|<run name> ...] [--timeout S] [--files a.test.js,b.test.js] [--grep RE]
// `--files` runs only those files of the main suite (the other runs keep theirs); `--grep` only its tests
// whose full title matches.
//
// Installs the VS Code harness first if it is missing (tools/vscode-harness/ensure.mjs). Prints
// `N passed, N failed`, writes test-results/integration.json and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureHarness } from '../tools/vscode-harness/ensure.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt, positionals } = parseArgs({ allowPositionals: true,
  options: { timeout: { type: 'string', default: '300' }, files: { type: 'string' }, grep: { type: 'string' } } });
const only = new Set(positionals);
const results = path.join(repo, 'test-results');
const outRoot = path.join(results, 'integration');
const tests = path.join(repo, 'dist/test/integration/index.js');
const wsA = path.join(repo, 'test/fixtures/workspace-a');
const wsB = path.join(repo, 'test/fixtures/workspace-b/workspace-b.code-workspace');
// Any key: the fake servers in the extension host accept this one (the tests read it from the env).
const KEY = 'sk-threadline-integration';

if (!fs.existsSync(tests)) { console.error(`missing ${path.relative(repo, tests)}: run \`node esbuild.mjs\` first`); process.exit(2); }
if (!ensureHarness()) process.exit(2);
fs.rmSync(outRoot, { recursive: true, force: true });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-integration-'));
const shared = { ud: path.join(scratch, 'restart-ud'), ids: path.join(scratch, 'ids.json') };
const crash = { ud: path.join(scratch, 'crash-ud'), ids: path.join(scratch, 'crash-ids.json'), ws: path.join(scratch, 'crash-workspace') };
fs.mkdirSync(crash.ws, { recursive: true });
fs.writeFileSync(path.join(crash.ws, 'notes.txt'), 'A scratch workspace for the crash runs.\n');
const portability = { ids: path.join(scratch, 'portability', 'ids.json') };
const outsideGit = path.join(scratch, 'outside-git');
fs.mkdirSync(outsideGit, { recursive: true });
fs.writeFileSync(path.join(outsideGit, 'notes.txt'), 'A folder in no git repository.\n');
const reliability = path.join(results, 'reliability');
fs.rmSync(reliability, { recursive: true, force: true });

const plan = [
  { name: 'main', group: 'main', workspace: wsA,
    env: { ...(opt.files ? { THREADLINE_TEST_FILES: opt.files } : {}), ...(opt.grep ? { THREADLINE_TEST_GREP: opt.grep } : {}) } },
  { name: 'restart-phase1', group: 'restart', workspace: wsA, ud: shared.ud,
    env: { THREADLINE_TEST_FILES: 'restart/phase1.test.js,restart/historyPhase1.test.js', THREADLINE_IDS_FILE: shared.ids } },
  { name: 'restart-workspace-b', group: 'restart', workspace: wsB, ud: shared.ud,
    env: { THREADLINE_TEST_FILES: 'restart/workspaceB.test.js', THREADLINE_IDS_FILE: shared.ids } },
  { name: 'restart-phase2', group: 'restart', workspace: wsA, ud: shared.ud,
    env: { THREADLINE_TEST_FILES: 'restart/phase2.test.js,restart/historyPhase2.test.js', THREADLINE_IDS_FILE: shared.ids } },
  { name: 'outside-git', group: 'outside', workspace: outsideGit, env: { THREADLINE_TEST_FILES: 'outside/noGit.test.js' } },
  { name: 'no-folder', group: 'outside', noFolder: true, env: { THREADLINE_TEST_FILES: 'outside/noFolder.test.js' } },
  // crash-1 ends with its extension host killing itself (after writing its result): `crash` accepts that.
  { name: 'crash-1', group: 'crash', workspace: crash.ws, ud: crash.ud, crash: true,
    env: { THREADLINE_TEST_FILES: 'crash/phase1.test.js', THREADLINE_IDS_FILE: crash.ids, THREADLINE_USER_DATA_DIR: crash.ud } },
  { name: 'crash-2', group: 'crash', workspace: crash.ws, ud: crash.ud, trust: true,
    env: { THREADLINE_TEST_FILES: 'crash/phase2.test.js', THREADLINE_IDS_FILE: crash.ids, THREADLINE_USER_DATA_DIR: crash.ud } },
  // Export in one profile, import into a fresh one (its own user data and fake server: another endpoint).
  { name: 'portability-export', group: 'portability', workspace: wsA, ud: path.join(scratch, 'portability-export-ud'),
    env: { THREADLINE_TEST_FILES: 'portability/exportPhase.test.js', THREADLINE_IDS_FILE: portability.ids } },
  { name: 'portability-import', group: 'portability', workspace: wsA, ud: path.join(scratch, 'portability-import-ud'),
    env: { THREADLINE_TEST_FILES: 'portability/importPhase.test.js', THREADLINE_IDS_FILE: portability.ids } },
].filter((r) => only.size === 0 || only.has(r.group) || only.has(r.name));

const t0 = Date.now();
const total = { passes: 0, failures: 0, runs: [], failed: [] };
for (const run of plan) {
  const out = path.join(outRoot, run.name);
  const env = { OPENAI_API_KEY: KEY, THREADLINE_RELIABILITY_OUT: reliability, ...run.env };
  const args = [path.join(repo, 'tools/vscode-harness/run-ext-tests.mjs'), '--ext', repo, '--tests', tests,
    ...(run.noFolder ? ['--no-folder'] : ['--workspace', run.workspace]), '--out', out, '--timeout', opt.timeout,
    ...(run.ud ? ['--user-data-dir', run.ud] : []), ...(run.trust ? ['--workspace-trust'] : []),
    ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`])];
  console.log(`\n=== ${run.name}`);
  const started = Date.now();
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: repo });
  let r = { passes: 0, failures: 0, pending: 0 };
  try { r = JSON.parse(fs.readFileSync(path.join(out, 'mocha-result.json'), 'utf8')); } catch { /* no result */ }
  // A run that ended without a clean result (harness error, timeout, crash) counts as one failure.
  // A `crash` run ends cleanly only by killing its own extension host, after writing its result.
  const clean = run.crash ? r.killedOnPurpose === true : status === 0;
  const failures = r.failures + (!clean && r.failures === 0 ? 1 : 0);
  total.passes += r.passes;
  total.failures += failures;
  for (const f of r.failuresList ?? []) total.failed.push({ title: `${run.name}: ${f.title}`, message: f.err.split('\n    at ')[0].replace(/\s+/g, ' ').trim().slice(0, 300) });
  if (!clean && r.failures === 0) total.failed.push({ title: run.name, message: `the run ended without a clean result (exit ${status})` });
  total.runs.push({ name: run.name, exitCode: status, passes: r.passes, failures, seconds: (Date.now() - started) / 1000 });
}
fs.rmSync(scratch, { recursive: true, force: true });
// docs/reliability.md, from what the runs recorded (the report skips writing when a section is missing).
if (fs.existsSync(reliability)) spawnSync(process.execPath, [path.join(repo, 'scripts/reliability-report.mjs')], { stdio: 'inherit', cwd: repo });
fs.mkdirSync(results, { recursive: true });
fs.writeFileSync(path.join(results, 'integration.json'), JSON.stringify(total, null, 2));
console.log('');
for (const r of total.runs) console.log(`  ${r.name}: ${r.passes} passed, ${r.failures} failed (exit ${r.exitCode}, ${r.seconds.toFixed(1)}s)`);
console.log(`integration: ${plan.length} runs in ${((Date.now() - t0) / 1000).toFixed(1)}s; logs in ${path.relative(repo, outRoot)}/`);
console.log(`${total.passes} passed, ${total.failures} failed`);
process.exit(total.failures > 0 || plan.length === 0 ? 1 : 0);
