// Runs a prepared Mocha instance and writes its counts, with the titles of the failed tests, to
// test-results/<suite>.json, for scripts/test.mjs to total and to name in its summary (CI shows only
// the tail of the output, where mocha's own failure list has long scrolled away).
import fs from 'node:fs';

/** @param {import('mocha')} mocha @param {string} suite @param {() => void} [after] */
export function runAndRecord(mocha, suite, after) {
  const failed = [];
  const runner = mocha.run((failures) => {
    const { passes = 0, pending = 0 } = runner.stats ?? {};
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync(`test-results/${suite}.json`, JSON.stringify({ passes, failures, pending, failed }));
    after?.();
    console.log(`${suite}: ${passes} passed, ${failures} failed`);
    process.exitCode = failures ? 1 : 0;
  });
  runner.on('fail', (test, err) => {
    failed.push({ title: test.fullTitle(), message: String(err?.message ?? err).replace(/\s+/g, ' ').trim().slice(0, 300) });
  });
}
