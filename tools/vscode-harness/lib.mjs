// Helpers shared by the integration-test runner, the e2e tests and `npm start`: a sandboxed code-server
// (the real VS Code server and web workbench) on 127.0.0.1, and headless Debian Chromium to open it.
// Nothing here writes under ~: code-server's config and data, and Chromium's HOME, live in the sandbox.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Paths to Node 24 and code-server: from the environment when `env.sh` was sourced, else read from
 * `.vscode-harness/env.sh` (written by setup.sh), so callers need not source it.
 */
export function harnessPaths() {
  const vars = { VSH_HOME: process.env.VSH_HOME, VSH_NODE: process.env.VSH_NODE,
    VSH_CODE_SERVER: process.env.VSH_CODE_SERVER, VSH_TOOLS: process.env.VSH_TOOLS };
  const envFile = path.join(process.env.VSH_HOME ?? path.join(REPO, '.vscode-harness'), 'env.sh');
  if (!vars.VSH_CODE_SERVER && fs.existsSync(envFile)) {
    for (const m of fs.readFileSync(envFile, 'utf8').matchAll(/^export (\w+)="(.*)"$/gm)) vars[m[1]] = m[2];
  }
  if (!vars.VSH_CODE_SERVER || !vars.VSH_NODE) {
    throw new Error('the VS Code harness is not installed: run `bash tools/vscode-harness/setup.sh`');
  }
  return { home: vars.VSH_HOME, node: vars.VSH_NODE, codeServer: vars.VSH_CODE_SERVER, tools: vars.VSH_TOOLS };
}

// Keep the workbench quiet, offline and deterministic. `chat.disableAIFeatures` also stops the built-in
// chat and its agent-host processes, which otherwise start and compete with Threadline's UI.
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.autofetch': false,
  'npm.autoDetect': 'off',
  // The fixtures and npm start's scratch folder sit inside this repository: no "open the parent repo?" toast.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Writes `<userDataDir>/User/settings.json`: what is already there (a reused user-data dir keeps what
 * the last run saved, as a real restart would), then the harness defaults, then `extra`.
 */
export function writeUserSettings(userDataDir, extra = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current = {};
  try { current = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* missing, or JSONC we cannot parse */ }
  fs.writeFileSync(file, JSON.stringify({ ...current, ...DEFAULT_SETTINGS, ...extra }, null, 2));
  return file;
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * Starts code-server. opts:
 *   sandbox      folder for config, data, extensions, logs and HOME (required)
 *   userDataDir  VS Code user data (default <sandbox>/ud); pass the same one to "restart"
 *   extensionsDir (default <sandbox>/exts)
 *   port         (default: a free one)
 *   env          extra environment; it reaches the extension host
 *   devMode      lets the workbench URL payload name a development extension and a tests module
 *   workspaceTrust  keep workspace trust on (default off: --disable-workspace-trust), for Restricted Mode tests
 *   logFile      (default <sandbox>/code-server.log)
 * Returns { url, port, pid, userDataDir, extensionsDir, logFile, stop() }.
 */
export async function startCodeServer(opts) {
  const { node, codeServer } = harnessPaths();
  const sandbox = path.resolve(opts.sandbox);
  const userDataDir = path.resolve(opts.userDataDir ?? path.join(sandbox, 'ud'));
  const extensionsDir = path.resolve(opts.extensionsDir ?? path.join(sandbox, 'exts'));
  const dirs = { config: path.join(sandbox, 'config'), data: path.join(sandbox, 'data'), home: path.join(sandbox, 'home') };
  for (const d of [userDataDir, extensionsDir, ...Object.values(dirs)]) fs.mkdirSync(d, { recursive: true });
  const configFile = path.join(dirs.config, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const port = opts.port ?? await freePort();
  const args = [codeServer, '--config', configFile, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    // A built workbench reads extensionDevelopmentPath/extensionTestsPath from the URL only with this flag.
    ...(opts.devMode ? ['--vscode-option', 'enable-smoke-test-driver'] : [])];
  const logFile = opts.logFile ?? path.join(sandbox, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const env = { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, ...opts.env };
  // detached: its own process group, so stop() ends code-server and the VS Code server it forks, and nothing else.
  const child = spawn(node, args, { env, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', () => { exited = true; resolve(); }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`code-server exited early; see ${logFile}`);
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      throw new Error(`code-server did not answer /healthz within ${(opts.startTimeoutMs ?? 60_000) / 1000}s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const stop = async () => {
    if (exited) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    await Promise.race([exit, new Promise((r) => setTimeout(r, 5000))]);
    if (!exited) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
  };
  return { url, port, pid: child.pid, userDataDir, extensionsDir, logFile, exit, stop };
}

async function loadChromium() {
  try { return (await import('playwright-core')).chromium; } catch { /* not in the repo's node_modules */ }
  const { tools } = harnessPaths();
  return createRequire(path.join(tools, 'package.json'))('playwright-core').chromium;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * Headless Debian Chromium with a persistent profile. The workbench keeps globalState, workspace state
 * and secrets in the browser's IndexedDB, per origin: a "restart" needs the same profile and port.
 * opts: { profileDir (required), home (HOME for Chromium, which otherwise writes ~/.config/chromium) }.
 */
export async function launchChromium(opts) {
  const chromium = await loadChromium();
  fs.mkdirSync(opts.profileDir, { recursive: true });
  if (opts.home) fs.mkdirSync(opts.home, { recursive: true });
  const ctx = await chromium.launchPersistentContext(opts.profileDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
    // HOME alone is not enough: GLib's dconf still writes ~/.cache/dconf unless the XDG dirs move too.
    env: { ...process.env, ...(opts.home ? { HOME: opts.home, XDG_CONFIG_HOME: path.join(opts.home, '.config'),
      XDG_CACHE_HOME: path.join(opts.home, '.cache'), XDG_DATA_HOME: path.join(opts.home, '.local/share') } : {}) },
  });
  return { ctx, page: ctx.pages()[0] ?? await ctx.newPage(), close: () => ctx.close().catch(() => {}) };
}

/**
 * The workbench URL for a folder or a `.code-workspace` file. Development extensions, the tests module
 * and a file to open are server-side paths, sent as vscode-remote:// URIs in `payload` (development
 * extensions and tests are honoured in devMode only); a tests module inside the extension folder makes
 * VS Code run it in the server's Node extension host.
 */
export function workbenchUrl(server, { workspace, devExtensions = [], testsPath, openFile } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [...devExtensions.map((p) => ['extensionDevelopmentPath', remote(p)]), ['skipWelcome', 'true']];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (openFile) payload.push(['openFile', remote(openFile)]);
  const q = [];
  if (workspace) q.push(`${workspace.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(workspace)}`);
  q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/?${q.join('&')}`;
}
