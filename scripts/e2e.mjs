// The e2e suite: builds the production .vsix, then runs test/e2e/*.e2e.mjs with mocha. Screenshots go
// to docs/screenshots (shown by the README; .vscodeignore keeps them out of the package). Installs the VS
// Code harness first if it is missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Mocha from 'mocha';
import { ensureHarness } from '../tools/vscode-harness/ensure.mjs';
import { runAndRecord } from './mocha-result.mjs';

if (!ensureHarness()) process.exit(2);

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-vsix-'));
const vsix = path.join(out, 'threadline.vsix');
execFileSync('node', ['esbuild.mjs', '--production'], { stdio: 'inherit' });
execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { stdio: 'inherit' });
// The other suites run against the development build; put it back.
execFileSync('node', ['esbuild.mjs'], { stdio: 'inherit' });

process.env.THREADLINE_VSIX = vsix;
process.env.THREADLINE_SHOTS ??= path.resolve('docs/screenshots');
const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, color: false, bail: false, grep: process.argv[2] });
for (const f of fs.readdirSync('test/e2e').filter((f) => f.endsWith('.e2e.mjs')).sort()) mocha.addFile(path.resolve('test/e2e', f));
await mocha.loadFilesAsync();
runAndRecord(mocha, 'e2e', () => fs.rmSync(out, { recursive: true, force: true }));
