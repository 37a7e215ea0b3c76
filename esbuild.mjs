// Builds every bundle: the activation shell, the host it loads on first use, the lazily loaded openai SDK
// chunk, the webview (and its lazily loaded highlighting chunk), and the tests.
//   node esbuild.mjs               development build (source maps)
//   node esbuild.mjs --production  minified, no source maps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/** Logs each rebuild in the format of the esbuild problem matcher (as in the esbuild-sample). */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * The SDK costs ~50 ms to load, so the extension bundle does not contain it: `import('openai')` becomes
 * `require('./openai.js')`, a separate bundle loaded on the first request.
 */
const sdkAsChunk = {
  name: 'sdk-as-chunk',
  setup(build) {
    build.onResolve({ filter: /^openai$/ }, () => ({ path: './openai.js', external: true }));
  },
};

/**
 * The activation shell (dist/extension.js) is what every window parses at startup, so the host is a
 * second bundle: the shell's `require('./host/start')` becomes `require('./host.js')`, on first use.
 */
const hostAsChunk = {
  name: 'host-as-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/host\/start$/ }, () => ({ path: './host.js', external: true }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  plugins: [problemMatcher],
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

function files(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => f.endsWith(suffix));
}

const builds = [
  // The activation shell; its metafile is checked against the host's below.
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'],
    metafile: true, plugins: [...common.plugins, hostAsChunk] },
  // The host, required by the shell on first use.
  // ESM entry points first: jsonc-parser's UMD `main` requires its modules in a way esbuild cannot follow.
  { ...node, entryPoints: ['src/host/start.ts'], outfile: 'dist/host.js', external: ['vscode'],
    mainFields: ['module', 'main'], metafile: true, plugins: [...common.plugins, sdkAsChunk] },
  // The SDK chunk, required on the first request only.
  { ...node, entryPoints: [require.resolve('openai')], outfile: 'dist/openai.js' },
  // Webview: one script and one stylesheet (with the codicon font) for the browser, and the highlighting
  // chunk the script loads on the first code block (highlight.js is not needed to show a conversation).
  { ...common, platform: 'browser', format: 'iife', target: 'es2022',
    entryPoints: { main: 'src/webview/main.ts', highlight: 'src/webview/highlightChunk.ts' },
    outdir: 'dist/webview', loader: { '.ttf': 'file' }, assetNames: '[name]' },
];

if (!production) {
  builds.push(
    // Node tests: unit and webview suites, and the fake server's command-line entry (npm start, benches).
    { ...node, entryPoints: [...files('test/unit', '.test.ts'), ...files('test/webview', '.test.ts'),
      'test/support/fakeServerMain.ts'].filter((f) => fs.existsSync(f)),
      outdir: 'dist/test', outbase: 'test', packages: 'external' },
    // Integration tests, run inside the VS Code extension host (mocha and vscode come from there).
    { ...node, entryPoints: files('test/integration', '.ts').filter((f) => !f.endsWith('.d.ts')),
      outdir: 'dist/test/integration', external: ['vscode', 'mocha'] },
  );
}

/**
 * Fails when a module is in both the shell and the host: two copies would each be parsed, and would each
 * hold their own state. The shell may import host and core modules for their types only.
 */
function checkOneCopy(shell, host) {
  const inputs = (r) => new Set(Object.keys(r.metafile.inputs));
  const hostInputs = inputs(host);
  const both = [...inputs(shell)].filter((f) => hostInputs.has(f));
  if (!both.length) return true;
  console.error(`✘ dist/extension.js and dist/host.js both bundle ${both.join(', ')}: the shell may import these for types only`);
  return false;
}

const active = builds.filter((b) => (Array.isArray(b.entryPoints) ? b.entryPoints.length > 0 : true));
if (watch) {
  for (const b of active) await (await esbuild.context(b)).watch();
} else {
  const t0 = Date.now();
  const [shell, host] = await Promise.all(active.map((b) => esbuild.build(b)));
  if (!checkOneCopy(shell, host)) process.exit(1);
  console.log(`built ${active.length} bundles${production ? ' (production)' : ''} in ${Date.now() - t0} ms`);
}
