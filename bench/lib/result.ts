// The shape every benchmark writes (as JSON) for bench/run.mjs, which prints it and renders REPORT.md.
import fs from 'node:fs';
import path from 'node:path';

export interface Table {
  caption?: string;
  columns: string[];
  rows: (string | number)[][];
}

/** One budget or goal: the figure, the goal as text, and whether it passed (null: not measured). */
export interface Goal {
  name: string;
  value: string;
  goal: string;
  pass: boolean | null;
  /** Why it missed, or anything the reader must know next to the figure. */
  note?: string;
}

export interface BenchResult {
  id: string;
  title: string;
  /** Markdown paragraphs: what was measured and how. */
  method: string[];
  tables: Table[];
  goals: Goal[];
  notes: string[];
  /** Wall time of the benchmark, ms. */
  ms?: number;
  /** Lines about the environment (browser, VS Code versions) for the report's machine section. */
  extraMachine?: string[];
  /** Set when the benchmark could not finish; what it measured until then is kept. */
  error?: string;
}

export interface Cli {
  smoke: boolean;
  out: string;
  root: string;
  /** Other `--name value` pairs. */
  args: Record<string, string>;
}

export function parseCli(argv = process.argv.slice(2)): Cli {
  const args: Record<string, string> = {};
  let smoke = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--smoke') smoke = true;
    else if (a.startsWith('--')) args[a.slice(2)] = argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true';
  }
  const root = path.resolve(args.root ?? path.join(__dirname, '..', '..'));
  const out = path.resolve(args.out ?? path.join(root, 'dist', 'bench', 'results', 'out.json'));
  return { smoke, out, root, args };
}

export function writeResult(cli: Cli, r: BenchResult): void {
  fs.mkdirSync(path.dirname(cli.out), { recursive: true });
  fs.writeFileSync(cli.out, JSON.stringify(r, null, 2));
}

/** Runs a benchmark body, timing it; an exception is recorded in the result instead of lost. */
export async function runBench(id: string, title: string, body: (cli: Cli, r: BenchResult) => Promise<void>): Promise<void> {
  const cli = parseCli();
  const r: BenchResult = { id, title, method: [], tables: [], goals: [], notes: [] };
  const t0 = Date.now();
  try {
    await body(cli, r);
  } catch (e) {
    r.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    console.error(`[${id}] failed: ${r.error}`);
    process.exitCode = 1;
  }
  r.ms = Date.now() - t0;
  writeResult(cli, r);
}

export const log = (id: string) => (...a: unknown[]): void => console.error(`[${id}]`, ...a);
