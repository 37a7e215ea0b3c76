// The integration suite's entry (`extensionTestsPath`): VS Code loads this module in the extension host
// and calls run(). It runs mocha over the compiled `*.test.js` files beside it, in that same process,
// so the tests use the real `vscode` API and the Threadline extension under development.
//
// Env:
//   THREADLINE_TEST_FILES   comma list of files relative to this folder (e.g. `restart/phase1.test.js`);
//                           default: every `*.test.js` directly here (the main suite)
//   THREADLINE_TEST_GREP    only the tests whose full title matches this (a regular expression)
//   THREADLINE_TEST_RESULT  where to write {passes, failures, pending, duration, failuresList}
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  console.log(`extension host: VS Code ${vscode.version}, node ${process.version}, pid ${process.pid}`);
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, grep: process.env.THREADLINE_TEST_GREP || undefined });
  const only = process.env.THREADLINE_TEST_FILES?.split(',').map((f) => f.trim()).filter(Boolean);
  const files = only ?? fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) {
    const file = path.resolve(__dirname, f);
    if (!fs.existsSync(file)) return Promise.reject(new Error(`THREADLINE_TEST_FILES names a missing file: ${file}`));
    mocha.addFile(file);
  }
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${__dirname}`));

  const started = Date.now();
  return new Promise((resolve, reject) => {
    const failuresList: Array<{ title: string; err: string }> = [];
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      const result = {
        passes: stats?.passes ?? 0,
        failures,
        pending: stats?.pending ?? 0,
        duration: stats?.duration ?? Date.now() - started,
        failuresList,
      };
      // A line of its own, which CI's "ran no test" check counts.
      console.log(`${result.passes} passed, ${result.failures} failed`);
      const out = process.env.THREADLINE_TEST_RESULT;
      if (out) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, JSON.stringify(result, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('fail', (test, err: unknown) => {
      failuresList.push({ title: test.fullTitle(), err: err instanceof Error ? err.stack ?? err.message : String(err) });
    });
  });
}
