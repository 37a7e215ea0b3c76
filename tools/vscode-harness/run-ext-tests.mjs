#!/usr/bin/env node
// Runs a mocha suite inside the real VS Code extension host, offline: code-server serves VS Code 1.139,
// headless Chromium opens the workbench with the development extension and the tests module in the URL,
// and the tests run in the server's Node extension host with the real `vscode` API.
//
//   node tools/vscode-harness/run-ext-tests.mjs --ext . --tests dist/test/integration/index.js \
//     [--workspace DIR|FILE.code-workspace] [--user-data-dir DIR] [--env K=V ...] [--settings JSON]
//     [--timeout SECONDS] [--out DIR] [--workspace-trust] [--no-folder]
//
// --user-data-dir keeps VS Code's user data, the browser profile and the port across runs, so a second
//   run is a restart of the first (the workbench keeps globalState in the browser, per origin).
// --env reaches the extension host. --settings is merged into the sandbox's user settings.json.
// --workspace-trust turns workspace trust on (the harness turns it off by default), so a workspace that
//   was never trusted opens in Restricted Mode.
// --no-folder opens an empty window (no folder, no workspace) instead of a scratch folder.
// The suite's JSON result goes to <out>/mocha-result.json (env THREADLINE_TEST_RESULT).
// Exit: the extension host's code (0 = every test passed, 1 = a failure), 2 = harness error or timeout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, format } from 'node:util';
import { startCodeServer, launchChromium, workbenchUrl, writeUserSettings, freePort, portIsFree } from './lib.mjs';

const { values: opt } = parseArgs({ options: {
  ext: { type: 'string' }, tests: { type: 'string' }, workspace: { type: 'string' },
  'user-data-dir': { type: 'string' }, env: { type: 'string', multiple: true, default: [] },
  settings: { type: 'string', default: '{}' }, timeout: { type: 'string', default: '300' }, out: { type: 'string' },
  'workspace-trust': { type: 'boolean', default: false }, 'no-folder': { type: 'boolean', default: false },
} });
if (!opt.ext || !opt.tests) {
  console.error('usage: run-ext-tests.mjs --ext DIR --tests MODULE [--workspace PATH] [--user-data-dir DIR] '
    + '[--env K=V ...] [--settings JSON] [--timeout S] [--out DIR]');
  process.exit(2);
}
const t0 = Date.now();
const log = (...a) => console.log(`[harness ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const ext = path.resolve(opt.ext);
const tests = path.resolve(opt.tests);
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-vsh-'));
const outDir = path.resolve(opt.out ?? path.join(sandbox, 'out'));
fs.mkdirSync(outDir, { recursive: true });
const workspace = opt['no-folder'] ? undefined : opt.workspace ? path.resolve(opt.workspace) : fs.mkdtempSync(path.join(sandbox, 'ws-'));
const persistent = opt['user-data-dir'] ? path.resolve(opt['user-data-dir']) : undefined;
const userDataDir = persistent ?? path.join(sandbox, 'ud');
const resultFile = path.join(outDir, 'mocha-result.json');
const env = { THREADLINE_TEST_RESULT: resultFile };
for (const kv of opt.env) {
  const i = kv.indexOf('=');
  if (i < 1) { console.error(`--env expects K=V, got ${kv}`); process.exit(2); }
  env[kv.slice(0, i)] = kv.slice(i + 1);
}
const reportFile = env.THREADLINE_TEST_RESULT;
fs.rmSync(reportFile, { force: true });

// Offline noise (gallery lookups, connection chatter): dropped from the echo, kept in the log files.
const quiet = [/ENOTFOUND/, /ERR_NAME_NOT_RESOLVED/, /open-vsx\.org/, /^Resolving connection token/,
  /^Resolved connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/, /^\[Service Worker\]/, /^\[AgentHost/, /^\[AccountPolicyGate\]/,
  /vsda/, /^\s+at .*(extensionGalleryService|abstractExtensionService|requestService)/,
  /authentication provider 'github'/, /^Creation of workbench contribution/];

let server; let browser; let exitCode = 2;
const screenshot = async (name) => {
  const file = path.join(outDir, name);
  await browser?.page.screenshot({ path: file }).then(() => log('screenshot', file), () => {});
};
try {
  let settings;
  try { settings = JSON.parse(opt.settings); } catch { throw new Error(`--settings is not JSON: ${opt.settings}`); }
  const trust = opt['workspace-trust'];
  writeUserSettings(userDataDir, { ...settings, ...(trust && { 'security.workspace.trust.enabled': true }) });
  // A reused user-data dir also keeps its port: browser storage belongs to the origin, port included.
  const portFile = persistent && path.join(persistent, 'harness-port');
  let port = portFile && fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : undefined;
  if (port && !(await portIsFree(port))) {
    log(`port ${port} of the reused user-data dir is taken: browser-side state (globalState) will not carry over`);
    port = undefined;
  }
  port ??= await freePort();
  if (portFile) fs.writeFileSync(portFile, String(port));

  server = await startCodeServer({ sandbox, userDataDir, port, env, devMode: true, workspaceTrust: trust,
    logFile: path.join(outDir, 'code-server.log') });
  log(`code-server ${server.url} (pid ${server.pid}), workspace ${workspace}`);
  browser = await launchChromium({ profileDir: persistent ? path.join(persistent, 'harness-browser') : path.join(sandbox, 'browser'),
    home: path.join(sandbox, 'home') });
  const { page } = browser;
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  const hostExit = new Promise((resolve) => {
    // The smoke-test driver forwards the extension host's console here, and calls exit when run() settles.
    void page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (!quiet.some((re) => re.test(text))) console.log(text);
    });
    void page.exposeFunction('codeAutomationExit', (code, logs) => {
      for (const l of Array.isArray(logs) ? logs : []) {
        const file = path.join(outDir, 'vscode-logs', String(l.relativePath ?? 'unknown'));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, String(l.contents ?? ''));
      }
      resolve(Number(code));
    });
  });
  // --timeout covers loading the workbench too: on a busy machine that alone can take half a minute.
  const timeoutMs = Number(opt.timeout) * 1000;
  let timer;
  const timedOut = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
  await page.goto(workbenchUrl(server, { workspace, devExtensions: [ext], testsPath: tests }),
    { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  log('workbench loading; the tests run in the extension host once it is up');
  const code = await Promise.race([hostExit, timedOut]);
  clearTimeout(timer);
  fs.writeFileSync(path.join(outDir, 'browser-console.log'), consoleLines.join('\n'));
  if (code === 'timeout') {
    log(`TIMEOUT after ${opt.timeout}s; logs in ${outDir}`);
    await screenshot('timeout.png');
  } else {
    exitCode = code;
    log(`extension host exited with ${code}`);
  }
  if (fs.existsSync(reportFile)) {
    const r = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    log(`${r.passes} passed, ${r.failures} failed, ${r.pending} pending in ${r.duration} ms -> ${reportFile}`);
  } else {
    log('the suite wrote no result file');
    if (exitCode === 0) exitCode = 2; // exit 0 without a result means nothing ran
  }
} catch (e) {
  log('harness error:', e instanceof Error ? e.stack : e);
  await screenshot('harness-error.png');
  exitCode = 2;
} finally {
  await browser?.close();
  await server?.stop();
  // The sandbox holds only scratch state once the logs are in --out; a reused user-data dir stays.
  if (opt.out) fs.rmSync(sandbox, { recursive: true, force: true });
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s, exit ${exitCode}`);
}
process.exit(exitCode);
