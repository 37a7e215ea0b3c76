// 3. Sizes: the .vsix and the shipped bundles of the production build, against their budgets.
// The .vsix is made by `vsce package --no-dependencies --out <tmp>` (the repo's own vsce) in a staging copy
// of the package: the files .vscodeignore lets through, with dist/ taken from the production build that
// bench/run.mjs just made and copied, so a development build running concurrently cannot end up in it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const KB = 1024;
const fmt = (n) => (n < KB * KB ? `${(n / KB).toFixed(1)} KB` : `${(n / KB / KB).toFixed(2)} MB`);

/** Entries of a zip file from its central directory: name -> { size, compressed }. */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const n = buf.readUInt16LE(p + 28);
    const m = buf.readUInt16LE(p + 30);
    const k = buf.readUInt16LE(p + 32);
    out.set(buf.toString('utf8', p + 46, p + 46 + n), { size, compressed });
    p += 46 + n + m + k;
  }
  return out;
}

function stage(root, prod, dir) {
  const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
  fs.copyFileSync(path.join(root, '.vscodeignore'), path.join(dir, '.vscodeignore'));
  const skipped = [];
  for (const line of ignore.split('\n').map((l) => l.trim())) {
    if (!line.startsWith('!')) continue;
    const rel = line.slice(1).replace(/^\//, '');
    if (/[*?[\]{}]/.test(rel)) { skipped.push(rel); continue; }
    const from = rel.startsWith('dist/') ? path.join(prod, rel) : path.join(root, rel);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.cpSync(from, path.join(dir, rel), { recursive: true });
  }
  return skipped;
}

export async function measureSizes({ root, prod, say }) {
  const started = Date.now();
  const r = { id: 'sizes', title: '3. Sizes', method: [], tables: [], goals: [], notes: [] };
  try {
    const files = ['dist/extension.js', 'dist/host.js', 'dist/openai.js', 'dist/webview/main.js', 'dist/webview/highlight.js', 'dist/webview/main.css', 'dist/webview/codicon.ttf'];
    const size = (f) => fs.statSync(path.join(prod, f)).size;
    const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(prod, f)), { level: 9 }).length;

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-vsix-'));
    let vsix;
    try {
      const staging = path.join(tmp, 'package');
      fs.mkdirSync(staging);
      const skipped = stage(root, prod, staging);
      if (skipped.length) r.notes.push(`.vscodeignore patterns with globs were not staged: ${skipped.join(', ')}`);
      const out = path.join(tmp, 'threadline.vsix');
      const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
      say?.('sizes: vsce package --no-dependencies');
      const p = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: staging, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      if (p.status !== 0) throw new Error(`vsce package failed:\n${p.stdout}\n${p.stderr}`);
      const entries = zipEntries(out);
      // The package must hold exactly the bundles measured below.
      for (const f of files) {
        const e = entries.get(`extension/${f}`);
        if (!e) throw new Error(`the .vsix has no extension/${f}`);
        if (e.size !== size(f)) throw new Error(`extension/${f} in the .vsix is ${e.size} B, the production build ${size(f)} B`);
      }
      vsix = { bytes: fs.statSync(out).size, entries };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }

    r.method.push(
      'Sizes of the production build (`node esbuild.mjs --production`, copied aside by bench/run.mjs). ' +
        'The .vsix is `vsce package --no-dependencies --out <tmp dir>` run on a staging copy of the package (the files `.vscodeignore` lets through, with the copied production dist/), ' +
        'checked to contain exactly the measured bundles. KB = 1,024 bytes. gzip -9 is shown for reference (the .vsix is a deflate zip).',
    );
    const budgets = { 'dist/extension.js': 80 * KB, 'dist/webview/main.js': 150 * KB };
    r.tables.push({
      caption: 'Shipped files',
      columns: ['file', 'bytes', 'size', 'gzip -9', 'in .vsix (compressed)', 'budget'],
      rows: [
        ['threadline.vsix', vsix.bytes, fmt(vsix.bytes), '', '', '≤ 400 KB'],
        ...files.map((f) => [f, size(f), fmt(size(f)), fmt(gz(f)), fmt(vsix.entries.get(`extension/${f}`).compressed), budgets[f] ? `≤ ${budgets[f] / KB} KB` : '']),
      ],
    });
    const others = [...vsix.entries].filter(([n]) => !files.includes(n.replace(/^extension\//, '')));
    r.notes.push(`Other files in the .vsix: ${others.map(([n, e]) => `${n} (${fmt(e.size)})`).join(', ')}.`);
    r.goals.push({ name: '.vsix size', value: fmt(vsix.bytes), goal: '≤ 400 KB', pass: vsix.bytes <= 400 * KB });
    r.goals.push({ name: 'activation bundle dist/extension.js', value: fmt(size('dist/extension.js')), goal: '≤ 80 KB', pass: size('dist/extension.js') <= 80 * KB });
    r.goals.push({ name: 'webview bundle dist/webview/main.js', value: fmt(size('dist/webview/main.js')), goal: '≤ 150 KB', pass: size('dist/webview/main.js') <= 150 * KB });
  } catch (e) {
    r.error = e instanceof Error ? e.stack ?? e.message : String(e);
  }
  r.ms = Date.now() - started;
  return r;
}
