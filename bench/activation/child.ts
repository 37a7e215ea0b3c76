// 2. Activation in Node: `require(dist/extension.js)` + `activate(context)` of the production bundle (the
// activation shell) with `vscode` stubbed, each run in a fresh process, against variants that bundle the
// host and the openai SDK into extension.js; then the production bundle's first use (the chat view resolved).
//   activationChild.js --driver          runs every variant N times (interleaved) and writes the result
//   activationChild.js --measure V FILE  one measurement in this (fresh) process; prints one JSON line
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { log as logger, runBench } from '../lib/result';
import { hrms, median, ms, quantile, ratio } from '../lib/stats';
import { createContext, createVscodeStub, createWebviewView, missing, viewProviders } from './vscodeStub';

interface Sample {
  requireMs: number;
  activateMs: number;
  totalMs: number;
  /** Process CPU time (user + system) over require + activate: less inflated by machine load than wall time. */
  cpuMs: number;
  sdkLoaded: boolean;
  /** Whether activation required dist/host.js (production only: the variants bundle the host). */
  hostLoaded: boolean;
  subscriptions: number;
  /** Production: resolving the chat view after activation, which requires dist/host.js and starts the host. */
  firstUseMs?: number;
  sdkChunkMs?: number;
  missing: string[];
}

const VARIANTS = [
  { id: 'production', label: 'production: the activation shell; the host and the SDK in their own files, loaded on first use', file: 'dist/bench/prod/dist/extension.js' },
  { id: 'bundled', label: 'host and SDK bundled into extension.js, evaluated on first use', file: 'dist/bench/activation/bundled/extension.js' },
  { id: 'eager', label: 'host bundled, SDK bundled and imported eagerly', file: 'dist/bench/activation/eager/extension.js' },
] as const;

function measure(variant: string, bundle: string): Sample {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-act-'));
  const stub = createVscodeStub(path.join(storage, 'ws'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    return request === 'vscode' ? stub : load.call(this, request, parent, isMain);
  };
  const context = createContext(path.dirname(path.dirname(bundle)), storage);
  const req = createRequire(bundle);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const ext = req(bundle) as { activate(ctx: unknown): unknown };
  const t1 = process.hrtime.bigint();
  ext.activate(context);
  const t2 = process.hrtime.bigint();
  const cpu = process.cpuUsage(c0);
  const sdkLoaded = Object.keys(req.cache).some((k) => /[/\\](openai\.js|node_modules[/\\]openai[/\\])/.test(k)) || '__threadlineBenchSdk' in globalThis;
  const sample: Sample = {
    requireMs: hrms(t0, t1),
    activateMs: hrms(t1, t2),
    totalMs: hrms(t0, t2),
    cpuMs: (cpu.user + cpu.system) / 1000,
    sdkLoaded,
    hostLoaded: Object.keys(req.cache).some((k) => /[/\\]host\.js$/.test(k)),
    subscriptions: (context.subscriptions as unknown[]).length,
    missing: [...missing],
  };
  if (variant === 'production') {
    // What the user's first use pays: the chat view resolved (the view visible at startup, or opened).
    const view = viewProviders.get('threadline.chat');
    if (!view) throw new Error('activate() registered no provider for the threadline.chat view');
    const f0 = process.hrtime.bigint();
    view.resolveWebviewView(createWebviewView(), { state: undefined }, { isCancellationRequested: false });
    sample.firstUseMs = hrms(f0);
    // What the first request pays on top: the SDK chunk, required by loadSdk().
    const s0 = process.hrtime.bigint();
    req(path.join(path.dirname(bundle), 'openai.js'));
    sample.sdkChunkMs = hrms(s0);
    sample.missing = [...missing];
  }
  fs.rmSync(storage, { recursive: true, force: true });
  return sample;
}

const log = logger('activation');

if (process.argv[2] === '--measure') {
  process.stdout.write(JSON.stringify(measure(process.argv[3]!, path.resolve(process.argv[4]!))) + '\n');
} else {
  void runBench('activation', '2. Activation in Node (vscode stubbed)', async (cli, r) => {
    const n = cli.smoke ? 3 : 21;
    const samples: Record<string, Sample[]> = {};
    for (const v of VARIANTS) {
      samples[v.id] = [];
      if (!fs.existsSync(path.join(cli.root, v.file))) throw new Error(`${v.file} is missing: run bench/run.mjs, which builds it`);
    }
    for (let i = 0; i < n; i++) {
      // Interleaved, so that load on the machine hits every variant alike.
      for (const v of VARIANTS) {
        const p = spawnSync(process.execPath, [__filename, '--measure', v.id, path.join(cli.root, v.file)], { encoding: 'utf8' });
        if (p.status !== 0) throw new Error(`${v.id}: the measuring process failed:\n${p.stderr}`);
        const s = JSON.parse(p.stdout.trim().split('\n').pop()!) as Sample;
        if (s.missing.length) throw new Error(`activate() or the first use used vscode API the stub lacks: ${s.missing.join(', ')} (add them to bench/activation/vscodeStub.ts)`);
        if (s.subscriptions === 0) throw new Error(`${v.id}: activate() registered nothing`);
        samples[v.id]!.push(s);
      }
    }
    log(`${n} runs per variant`);
    const med = (id: string, k: 'requireMs' | 'activateMs' | 'totalMs' | 'cpuMs') => median(samples[id]!.map((s) => s[k]));
    const p90 = (id: string) => quantile(samples[id]!.map((s) => s.totalMs), 0.9);
    const size = (f: string) => `${(fs.statSync(path.join(cli.root, f)).size / 1024).toFixed(1)} KB`;
    const prod = med('production', 'totalMs');
    r.method.push(
      'Each measurement is a fresh `node` process that installs a `Module._load` hook returning a small fake `vscode` API (bench/activation/vscodeStub.ts; it fails the run if activate() touches an API it lacks), ' +
        'then times `require(<bundle>)` and `activate(context)` with `process.hrtime`. Node start-up is not included. ' +
        `Variants, all minified: the production bundle (\`node esbuild.mjs --production\`: the activation shell, with the host and the SDK in their own files), and two built by bench/run.mjs with esbuild's API from the same src/extension.ts without the host-as-chunk and sdk-as-chunk plugins: ` +
        'the host and the SDK bundled but behind esbuild\'s lazy `require` wrappers, and the SDK imported at the top of the entry (bench/activation/eagerEntry.ts). ' +
        'For the production bundle, the same process then times the first use: the chat view\'s provider resolving a fake view, which requires `dist/host.js` and starts the host. ' +
        `${n} processes per variant, interleaved; medians (and p90 of the total).`,
    );
    r.tables.push({
      caption: 'require + activate() in Node 20, fresh process each',
      columns: ['variant', 'bundle', 'require', 'activate()', 'total (median)', 'total p90', 'vs production', 'CPU time', 'SDK loaded at activation'],
      rows: VARIANTS.map((v) => [
        v.label,
        size(v.file),
        ms(med(v.id, 'requireMs')),
        ms(med(v.id, 'activateMs')),
        ms(med(v.id, 'totalMs')),
        ms(p90(v.id)),
        ratio(med(v.id, 'totalMs') / prod),
        ms(med(v.id, 'cpuMs')),
        samples[v.id]!.every((s) => s.sdkLoaded) ? 'yes' : samples[v.id]!.some((s) => s.sdkLoaded) ? 'sometimes' : 'no',
      ]),
    });
    const firstUse = median(samples.production!.map((s) => s.firstUseMs!));
    r.notes.push(`The production bundle is the activation shell; the host (\`dist/host.js\`, ${size('dist/bench/prod/dist/host.js')}) loads on first use: resolving the chat view after activation (require host.js, start the host, render the page) takes a median ${ms(firstUse)}.`);
    const sdkChunk = median(samples.production!.map((s) => s.sdkChunkMs!));
    r.notes.push(`The production bundle defers the SDK: the first request pays \`require(dist/openai.js)\`, median ${ms(sdkChunk)} (measured in the same processes, after activation).`);
    r.goals.push({
      name: 'activation (require + activate) of the production bundle, Node',
      value: ms(prod),
      goal: '< 20 ms, host and SDK not loaded',
      pass: prod < 20 && samples.production!.every((s) => !s.sdkLoaded && !s.hostLoaded),
      note: `CPU time ${ms(med('production', 'cpuMs'))}; fastest run ${ms(Math.min(...samples.production!.map((s) => s.totalMs)))}`,
    });
    r.goals.push({
      name: 'first use after activation (require dist/host.js, start the host, resolve the chat view), Node',
      value: ms(firstUse),
      goal: 'reported (no budget)',
      pass: null,
      note: `p90 ${ms(quantile(samples.production!.map((s) => s.firstUseMs!), 0.9))}`,
    });
  });
}
