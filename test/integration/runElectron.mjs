#!/usr/bin/env node
// The main integration suite in desktop VS Code (Electron), through @vscode/test-electron. It downloads
// VS Code on first use, so it needs internet; CI uses the offline run instead (scripts/integration.mjs).
//
//   npm run test:electron          (builds, then runs this)
//   VSCODE_VERSION=1.101.0 npm run test:electron
//
// Same suite, same setup as the offline run: the tests start their fake Responses servers inside the
// extension host and write threadline.baseURL to the user settings of a throwaway user-data dir (never
// your own), and the API key comes from OPENAI_API_KEY in the extension host's environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import testElectron from '@vscode/test-electron';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const extensionTestsPath = path.join(repo, 'dist/test/integration/index.js');
if (!fs.existsSync(extensionTestsPath)) {
  console.error('dist/test/integration/index.js is missing: run `node esbuild.mjs` first');
  process.exit(2);
}
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-electron-'));
const resultFile = path.join(repo, 'test-results/integration-electron/mocha-result.json');

try {
  await testElectron.runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: repo,
    extensionTestsPath,
    launchArgs: [
      path.join(repo, 'test/fixtures/workspace-a'),
      '--disable-extensions',
      `--user-data-dir=${userDataDir}`,
      '--skip-welcome',
      '--skip-release-notes',
    ],
    extensionTestsEnv: {
      OPENAI_API_KEY: 'sk-threadline-integration',
      THREADLINE_TEST_RESULT: resultFile,
    },
  });
  console.log(`result: ${path.relative(repo, resultFile)}`);
} catch (e) {
  console.error(`integration tests failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
