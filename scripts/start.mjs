#!/usr/bin/env node
// `npm start`: Threadline in a real VS Code in your browser, with nothing to configure.
//   1. builds (node esbuild.mjs) and installs the offline VS Code harness if it is missing;
//   2. starts code-server on 127.0.0.1 in a sandbox under .vscode-harness/start/ (its own user data,
//      extensions and HOME; your VS Code and ~ are untouched), with Threadline loaded from this folder;
//   3. with OPENAI_API_KEY set, talks to OpenAI's default endpoint; without it, starts the fake Responses
//      server (which remembers what you said and answers in Markdown about the attached code) and points
//      threadline.baseURL at it;
//   4. prints the URL, which opens the sample workspace with its sample file in the editor. Ctrl+C stops
//      everything it started.
// THREADLINE_PORT picks the port (default 8317). Keep it stable: the workbench keeps Threadline's chat
// index (globalState) in the browser's storage for that origin, port included.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureHarness } from '../tools/vscode-harness/ensure.mjs';
import { freePort, portIsFree, startCodeServer, workbenchUrl, writeUserSettings } from '../tools/vscode-harness/lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const home = path.join(repo, '.vscode-harness');
const sandbox = path.join(home, 'start');
const say = (msg) => console.log(`[start] ${msg}`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`[start] ${cmd} ${args.join(' ')} failed`); process.exit(r.status ?? 1); }
}
run(process.execPath, ['esbuild.mjs']);
if (!ensureHarness({ log: say })) process.exit(1);

// Load Threadline from the source folder: the extension scanner picks up a folder (here a symlink) named
// <publisher>.<name>-<version>. Not the test harness's URL-payload dev mode, which hides notifications.
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const exts = path.join(sandbox, 'exts');
fs.mkdirSync(exts, { recursive: true });
const linkName = `${pkg.publisher}.${pkg.name}-${pkg.version}`;
for (const entry of fs.readdirSync(exts)) {
  const p = path.join(exts, entry);
  if (entry.startsWith(`${pkg.publisher}.${pkg.name}-`) && entry !== linkName && fs.lstatSync(p).isSymbolicLink()) fs.unlinkSync(p);
}
if (!fs.existsSync(path.join(exts, linkName))) fs.symlinkSync(repo, path.join(exts, linkName), 'dir');

// A scratch workspace with something to select and ask about.
const workspace = path.join(sandbox, 'workspace');
const sampleFile = path.join(workspace, 'src', 'fizzbuzz.ts');
if (!fs.existsSync(sampleFile)) {
  fs.mkdirSync(path.dirname(sampleFile), { recursive: true });
  fs.writeFileSync(sampleFile, [
    '// Select some lines, right-click and choose "Ask Follow-up About Selection".',
    'export function fizzbuzz(n: number): string {',
    "  if (n % 15 === 0) return 'FizzBuzz';",
    "  if (n % 3 === 0) return 'Fizz';",
    "  if (n % 5 === 0) return 'Buzz';",
    '  return String(n);',
    '}',
    '',
  ].join('\n'));
}

let fake;
let server;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await server?.stop();
  if (fake?.pid) { try { process.kill(fake.pid, 'SIGTERM'); } catch { /* already gone */ } }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  // The sandbox's user settings: the fake server's URL when it is used, and only then (a baseURL you set
  // yourself in this sandbox is left alone; the one we wrote last time is removed when a key is given).
  const userDataDir = path.join(sandbox, 'ud');
  const stateFile = path.join(sandbox, 'start-state.json');
  const last = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};
  const settingsFile = writeUserSettings(userDataDir);
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));

  if (process.env.OPENAI_API_KEY) {
    if (last.fakeBaseURL && settings['threadline.baseURL'] === last.fakeBaseURL) delete settings['threadline.baseURL'];
    say(`OPENAI_API_KEY is set: using ${settings['threadline.baseURL'] ?? 'https://api.openai.com/v1'}`);
  } else {
    const main = path.join(repo, 'dist/test/support/fakeServerMain.js');
    if (!fs.existsSync(main)) throw new Error(`${path.relative(repo, main)} is missing (it is built from test/support/fakeServerMain.ts)`);
    const child = spawn(process.execPath, [main, '--no-auth', '--recall', '--answer', 'assistant'], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    fake = { pid: child.pid };
    child.on('exit', (c) => { if (!stopping) { say(`the fake server exited (${c})`); void stop(1); } });
    // It prints one JSON line {url, port, pid} once it listens; the rest of its output is passed through.
    const lines = readline.createInterface({ input: child.stdout });
    const first = await new Promise((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error('the fake server exited before it printed its address')));
    });
    lines.on('line', (l) => console.log(`[fake] ${l}`));
    const info = JSON.parse(first);
    settings['threadline.baseURL'] = info.url;
    fs.writeFileSync(stateFile, JSON.stringify({ fakeBaseURL: info.url }));
    say(`no OPENAI_API_KEY: using the fake Responses server at ${info.url} (pid ${child.pid})`);
  }
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));

  const wanted = Number(process.env.THREADLINE_PORT ?? 8317);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  if (port !== wanted) say(`port ${wanted} is taken, using ${port} (chats from earlier sessions live on the other origin)`);
  server = await startCodeServer({ sandbox, userDataDir, extensionsDir: exts, port });
  void server.exit.then(() => { if (!stopping) { say('code-server exited'); void stop(1); } });
  say(`code-server pid ${server.pid}, log ${path.relative(repo, server.logFile)}`);
  console.log(`\n  Threadline is running: ${workbenchUrl(server, { workspace, openFile: sampleFile })}\n`);
  say('open it in a browser and pick the Threadline icon in the activity bar; Ctrl+C to stop');
} catch (e) {
  console.error(`[start] ${e instanceof Error ? e.message : e}`);
  await stop(1);
}
