// Runs one Node mocha suite (compiled files under dist/test/<suite>) with the spec reporter, and writes
// its counts to test-results/<suite>.json for scripts/test.mjs to total.
//   node scripts/run-mocha.mjs <suite> [grep]
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { runAndRecord } from './mocha-result.mjs';

const [suite, grep] = process.argv.slice(2);
const dir = path.resolve('dist/test', suite);
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
if (files.length === 0) {
  console.error(`no compiled tests in ${dir}: run node esbuild.mjs first`);
  process.exit(2);
}
const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 30000, color: false, grep });
files.forEach((f) => mocha.addFile(path.join(dir, f)));
runAndRecord(mocha, suite);
