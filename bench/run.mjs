#!/usr/bin/env node
// `npm run bench`: builds the production bundles, runs every benchmark, prints a table and writes
// bench/REPORT.md. Benchmarks never run in CI.
//   node bench/run.mjs                 full run (several minutes), writes bench/REPORT.md
//   node bench/run.mjs --smoke         short runs of each (about a minute in all, most of it starting the
//                                      real VS Code), writes dist/bench/REPORT-smoke.md
//   node bench/run.mjs --only a,b      only these (request-bytes, activation, sizes, webview, vscode, persistence);
//                                      writes dist/bench/REPORT-partial.md
//   node bench/run.mjs --report FILE   write the report there instead
// Each benchmark runs in its own Node process from a bundle that this script builds with esbuild's API
// into dist/bench/ (node, cjs, packages external); the real-VS-Code one (bench/vscode.mjs) is plain ESM.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { measureSizes } from './sizes.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'bench');
const PROD = path.join(OUT, 'prod');
const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const opt = (name) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const ALL = ['request-bytes', 'activation', 'sizes', 'webview', 'vscode', 'persistence'];
const only = opt('only')?.split(',').map((s) => s.trim()).filter(Boolean) ?? ALL;
for (const o of only) if (!ALL.includes(o)) { console.error(`unknown benchmark ${o}; known: ${ALL.join(', ')}`); process.exit(2); }
// Only a full run of every benchmark replaces the committed report.
const partial = smoke || opt('only') !== undefined;
const reportFile = path.resolve(opt('report') ?? (partial ? path.join(OUT, smoke ? 'REPORT-smoke.md' : 'REPORT-partial.md') : path.join(ROOT, 'bench', 'REPORT.md')));
const t0 = Date.now();
const say = (m) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

// ---- build ----

/** The files of the production build that the benchmarks use, copied so that a concurrent dev build cannot swap them. */
const PROD_FILES = ['dist/extension.js', 'dist/host.js', 'dist/openai.js', 'dist/webview/main.js', 'dist/webview/highlight.js', 'dist/webview/main.css', 'dist/webview/codicon.ttf'];

function productionBuild() {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const b = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`node esbuild.mjs --production failed:\n${b.stdout}${b.stderr}`);
    fs.rmSync(PROD, { recursive: true, force: true });
    for (const f of PROD_FILES) {
      fs.mkdirSync(path.dirname(path.join(PROD, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(PROD, f));
    }
    // Development bundles end with a sourceMappingURL comment; production ones have none.
    const dev = PROD_FILES.filter((f) => /\.(js|css)$/.test(f) && fs.readFileSync(path.join(PROD, f), 'utf8').includes('sourceMappingURL='));
    if (dev.length === 0) return;
    say(`a development build replaced ${dev.join(', ')} before the copy (attempt ${attempt}); building again`);
  }
  throw new Error('could not get a clean copy of the production build (another build keeps overwriting dist/)');
}

async function benchBuild() {
  const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: ROOT };
  await esbuild.build({
    ...node,
    entryPoints: {
      requestBytes: 'bench/requestBytes.ts',
      persistence: 'bench/persistence.ts',
      activationChild: 'bench/activation/child.ts',
      webview: 'bench/webview.ts',
      fakeServer: 'bench/lib/fakeServer.ts',
      sdkLoop: 'bench/sdkLoop.ts',
    },
    outdir: OUT,
    packages: 'external',
    sourcemap: 'inline',
  });
  // The webview unminified, with names, for the CPU profiles of the webview benchmark (same options as
  // esbuild.mjs otherwise).
  await esbuild.build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning', absWorkingDir: ROOT,
    entryPoints: { main: 'src/webview/main.ts', highlight: 'src/webview/highlightChunk.ts' }, outdir: path.join(OUT, 'profile', 'webview'), loader: { '.ttf': 'file' }, assetNames: '[name]', keepNames: true });
  // Activation variants, minified like production, with `vscode` external.
  // ESM entry points first, as in esbuild.mjs: jsonc-parser's UMD `main` cannot be bundled.
  const ext = { ...node, minify: true, external: ['vscode'], mainFields: ['module', 'main'] };
  // The host and the SDK bundled into extension.js, still evaluated on first use (esbuild's lazy wrappers).
  await esbuild.build({ ...ext, entryPoints: ['src/extension.ts'], outfile: path.join(OUT, 'activation', 'bundled', 'extension.js') });
  // The SDK bundled and loaded eagerly at activation, as an extension that imports it at the top would.
  await esbuild.build({ ...ext, entryPoints: ['bench/activation/eagerEntry.ts'], outfile: path.join(OUT, 'activation', 'eager', 'extension.js') });
}

// ---- run ----

function runChild(id, cmd, args) {
  const out = path.join(OUT, 'results', `${id}.json`);
  fs.rmSync(out, { force: true });
  const full = [...args, '--out', out, '--root', ROOT, ...(smoke ? ['--smoke'] : [])];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, full, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      let r;
      try { r = JSON.parse(fs.readFileSync(out, 'utf8')); } catch { r = { id, title: id, method: [], tables: [], goals: [], notes: [] }; }
      if (code !== 0 && !r.error) r.error = `exited with ${code ?? signal}`;
      r.ms ??= Date.now() - started;
      resolve(r);
    });
  });
}

const machine = () => ({
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  ram: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  load: os.loadavg().map((x) => x.toFixed(2)).join(' / '),
});

// ---- report ----

const cell = (v) => String(v ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
function mdTable(t) {
  const lines = [];
  if (t.caption) lines.push(`*${t.caption}*`, '');
  lines.push(`| ${t.columns.map(cell).join(' | ')} |`, `| ${t.columns.map(() => '---').join(' | ')} |`);
  for (const r of t.rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n');
}
const verdict = (p) => (p === true ? 'pass' : p === false ? '**FAIL**' : 'n/a');

function renderReport(results, info) {
  const L = [];
  L.push('# Threadline benchmarks', '');
  L.push(`Generated by \`npm run bench${smoke ? ' -- --smoke' : ''}\` (bench/run.mjs) on ${info.date}. Every figure is a median over repeated runs; ratios compare variants measured side by side in the same run. Benchmarks do not run in CI.`, '');
  L.push('## Machine', '');
  L.push(mdTable({ columns: ['CPU', 'cores', 'RAM', 'Node', 'OS', 'load average (1/5/15 min) at start', 'at end'],
    rows: [[info.start.cpu, info.start.cores, info.start.ram, info.start.node, info.start.platform, info.start.load, info.end.load]] }), '');
  if (info.extra.length) L.push(...info.extra.map((e) => `- ${e}`), '');
  const busy = Math.max(Number(info.start.load.split(' / ')[0]), Number(info.end.load.split(' / ')[0]));
  if (busy > info.start.cores) {
    L.push(`> The machine was shared with other jobs during this run (1-minute load average up to ${busy.toFixed(1)} on ${info.start.cores} cores), so wall-clock figures are inflated and noisy. Byte counts, CPU-time columns and ratios of variants measured side by side are much less affected; rerun \`npm run bench\` on an idle machine for absolute times.`, '');
  }
  L.push('## Goals', '');
  const goals = results.flatMap((r) => r.goals.map((g) => [r.title.replace(/^\d+\.\s*/, ''), g.name, g.value, g.goal, verdict(g.pass), g.note ?? '']));
  L.push(mdTable({ columns: ['benchmark', 'figure', 'measured', 'goal', 'result', 'note'], rows: goals }), '');
  for (const r of results) {
    L.push(`## ${r.title}`, '');
    if (r.error) L.push('> **Did not finish:** ' + '`' + r.error.split('\n')[0] + '`', '');
    for (const m of r.method) L.push(m, '');
    for (const t of r.tables) L.push(mdTable(t), '');
    for (const n of r.notes) L.push(`- ${n}`);
    if (r.notes.length) L.push('');
    L.push(`<sub>run time ${(r.ms / 1000).toFixed(1)} s</sub>`, '');
  }
  L.push('---', '', `Total run time of \`npm run bench${smoke ? ' -- --smoke' : ''}\`: ${info.total}.`, '');
  return L.join('\n');
}

function printConsole(results) {
  for (const r of results) {
    console.log(`\n== ${r.title}${r.error ? '  (DID NOT FINISH)' : ''}  [${(r.ms / 1000).toFixed(1)} s]`);
    if (r.error) console.log(`   error: ${r.error.split('\n')[0]}`);
    for (const t of r.tables) {
      if (t.caption) console.log(`   ${t.caption}`);
      const rows = [t.columns, ...t.rows].map((row) => row.map((c) => String(c)));
      const w = t.columns.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
      for (const row of rows) console.log('   ' + row.map((c, i) => c.padEnd(w[i])).join('  '));
    }
  }
  console.log('\n== Goals');
  const rows = results.flatMap((r) => r.goals.map((g) => [verdict(g.pass).replace(/\*/g, ''), g.name, g.value, g.goal]));
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length), 0));
  for (const row of rows) console.log('   ' + row.map((c, i) => c.padEnd(w[i])).join('  '));
}

// ---- main ----

const start = machine();
const extra = [];
say(`machine: ${start.cpu}, ${start.cores} cores, ${start.ram}, node ${start.node}, load ${start.load}${smoke ? ' (smoke run)' : ''}`);
say('production build (node esbuild.mjs --production) and bench bundles');
productionBuild();
await benchBuild();
const results = [];
const node = process.execPath;
for (const id of only) {
  say(`running ${id}`);
  if (id === 'request-bytes') results.push(await runChild(id, node, [path.join(OUT, 'requestBytes.js')]));
  if (id === 'activation') results.push(await runChild(id, node, [path.join(OUT, 'activationChild.js'), '--driver']));
  if (id === 'sizes') results.push(await measureSizes({ root: ROOT, prod: PROD, smoke, say }));
  if (id === 'webview') results.push(await runChild(id, node, [path.join(OUT, 'webview.js')]));
  if (id === 'vscode') results.push(await runChild(id, node, [path.join(ROOT, 'bench', 'vscode.mjs')]));
  if (id === 'persistence') results.push(await runChild(id, node, [path.join(OUT, 'persistence.js')]));
  const r = results.at(-1);
  if (r.extraMachine) extra.push(...r.extraMachine);
  say(`${id} done in ${(r.ms / 1000).toFixed(1)} s${r.error ? ' (did not finish)' : ''}`);
}
const order = ['request-bytes', 'activation', 'sizes', 'webview', 'vscode', 'persistence'];
results.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
const total = `${((Date.now() - t0) / 1000).toFixed(0)} s`;
printConsole(results);
fs.mkdirSync(path.dirname(reportFile), { recursive: true });
fs.writeFileSync(reportFile, renderReport(results, { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), start, end: machine(), extra, total }));
console.log(`\nreport: ${path.relative(process.cwd(), reportFile)}   total ${total}`);
if (results.some((r) => r.error)) process.exitCode = 1;
