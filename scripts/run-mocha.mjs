// Runs one Node mocha suite (compiled files under dist/test/<suite>) with the spec reporter, and writes
// its counts to test-results/<suite>.json for scripts/test.mjs to total.
//   node scripts/run-mocha.mjs <suite> [grep]
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

const [suite, grep] = process.argv.slice(2);
const dir = path.resolve('dist/test', suite);
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
if (files.length === 0) {
  console.error(`no compiled tests in ${dir}: run node esbuild.mjs first`);
  process.exit(2);
}
const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 30000, color: false, grep });
files.forEach((f) => mocha.addFile(path.join(dir, f)));
const runner = mocha.run((failures) => {
  const { passes = 0, pending = 0 } = runner.stats ?? {};
  fs.mkdirSync('test-results', { recursive: true });
  fs.writeFileSync(`test-results/${suite}.json`, JSON.stringify({ passes, failures, pending }));
  console.log(`${suite}: ${passes} passed, ${failures} failed`);
  process.exitCode = failures ? 1 : 0;
});
