// 6. Persistence: bytes written and wall time per turn at turn 1 and at turn 1,000, with ConversationStore
// on the Node file system and a MemoryMemento (globalState's stand-in), doing per turn what
// ChatController.ask does: putTurn(streaming record), then putTurn(final record).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Conversation } from '../src/core/conversation';
import { ConversationStore, indexKey } from '../src/core/store/conversationStore';
import { nodeFileSystem, type FileSystemPort } from '../src/core/store/fileSystem';
import { MemoryMemento } from '../test/support/memento';
import type { Turn } from '../src/core/types';
import { log as logger, runBench } from './lib/result';
import { bytes, hrms, median, ms, ratio } from './lib/stats';
import { answer, question } from './lib/text';

const log = logger('persistence');

/** Counts what reaches the disk through the store's file-system port. */
class CountingFs implements FileSystemPort {
  written = 0;
  calls = 0;
  /** Time inside the Node file-system calls that write. */
  ms = 0;
  constructor(private readonly inner: FileSystemPort) {}
  readFile(f: string) {
    return this.inner.readFile(f);
  }
  async appendFile(f: string, d: string) {
    this.written += Buffer.byteLength(d);
    this.calls++;
    const t0 = process.hrtime.bigint();
    await this.inner.appendFile(f, d);
    this.ms += hrms(t0);
  }
  async writeFile(f: string, d: string) {
    this.written += Buffer.byteLength(d);
    this.calls++;
    const t0 = process.hrtime.bigint();
    await this.inner.writeFile(f, d);
    this.ms += hrms(t0);
  }
  rename(a: string, b: string) {
    return this.inner.rename(a, b);
  }
  remove(f: string) {
    return this.inner.remove(f);
  }
  mkdirp(d: string) {
    return this.inner.mkdirp(d);
  }
  list(d: string) {
    return this.inner.list(d);
  }
}

/** globalState writes: VS Code stores each update's whole value, so its serialized size is what is written. */
class CountingMemento extends MemoryMemento {
  written = 0;
  updates = 0;
  /** Time in update() (serializing the value), not counting the byte count itself. */
  ms = 0;
  override async update(key: string, value: unknown): Promise<void> {
    this.written += value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
    this.updates++;
    const t0 = process.hrtime.bigint();
    await super.update(key, value);
    this.ms += hrms(t0);
  }
}

interface PerTurn {
  transcriptBytes: number;
  stateBytes: number;
  ms: number;
  /** Of `ms`: in the file-system port's writes, in globalState updates, and the rest (in-memory work). */
  fsMs: number;
  stateMs: number;
  otherMs: number;
}

interface Run {
  /** Per turn, by turn number (1-based index - 1); only the measured windows are filled. */
  per: (PerTurn | undefined)[];
  stateEntry: number;
  fileBytes: number;
  loadMs: number;
}

/** One conversation in its own store (its own workspace key and memento), fed turn by turn. */
class Feeder {
  readonly cfs = new CountingFs(nodeFileSystem);
  readonly memento = new CountingMemento();
  readonly store: ConversationStore;
  conv!: Conversation;
  private parentId: string | null = null;
  private prevResponse: string | undefined;
  next = 1;

  constructor(readonly root: string, readonly ws: string) {
    this.store = new ConversationStore(this.cfs, root, this.memento, ws);
  }

  async open(): Promise<void> {
    await this.store.open();
    this.conv = await this.store.create({ title: question(1).slice(0, 60) });
  }

  /** The next turn, as ChatController.ask persists it: the streaming record, then the final one. */
  async turn(): Promise<PerTurn> {
    const i = this.next++;
    const createdAt = Date.now();
    const turn: Turn = { id: `turn-${i}-${createdAt}`, parentId: this.parentId, createdAt, question: question(i), attachments: [], answer: '', status: 'streaming' };
    const responseId = `resp_${i.toString(16).padStart(48, '0')}`;
    const final: Turn = {
      ...turn,
      status: 'completed',
      answer: answer(i),
      responseId,
      previousResponseId: this.prevResponse,
      stored: true,
      model: 'gpt-5.1',
      usage: { inputTokens: 300 * i, cachedTokens: 300 * (i - 1), outputTokens: 200 },
      mode: i === 1 ? 'fresh' : 'chained',
      finishedAt: createdAt + 1500,
    };
    const { cfs, memento } = this;
    const b0 = cfs.written;
    const s0 = memento.written;
    const f0 = cfs.ms;
    const m0 = memento.ms;
    const t0 = process.hrtime.bigint();
    await this.store.putTurn(this.conv, turn);
    await this.store.putTurn(this.conv, final);
    const total = hrms(t0);
    const fsMs = cfs.ms - f0;
    const stateMs = memento.ms - m0;
    this.parentId = turn.id;
    this.prevResponse = responseId;
    return { transcriptBytes: cfs.written - b0, stateBytes: memento.written - s0, ms: total, fsMs, stateMs, otherMs: total - fsMs - stateMs };
  }
}

/**
 * One run: conversation A is fed to turns - window turns unmeasured; then its last `window` turns are
 * measured alternately with the first `window` turns of a fresh conversation B (another store in the same
 * process), so "turn 1" and "turn 1,000" are measured side by side, in the same heap and the same seconds.
 */
async function conversation(root: string, turns: number, window: number): Promise<Run> {
  const a = new Feeder(root, 'bench-ws-a');
  const b = new Feeder(root, 'bench-ws-b');
  await a.open();
  await b.open();
  const per: (PerTurn | undefined)[] = new Array(turns).fill(undefined);
  while (a.next <= turns - window) await a.turn();
  for (let j = 1; j <= window; j++) {
    per[a.next - 1] = await a.turn();
    per[b.next - 1] = await b.turn();
  }
  const file = path.join(root, 'conversations', a.ws, `${a.conv.id}.jsonl`);
  const fileBytes = fs.statSync(file).size;
  // Reopening: a new store reads the index and loads the transcript (what a window reload pays).
  const t0 = process.hrtime.bigint();
  const again = new ConversationStore(nodeFileSystem, root, a.memento, a.ws);
  await again.open();
  const loaded = await again.load(a.conv.id);
  const loadMs = hrms(t0);
  if (loaded?.activePath().length !== turns) throw new Error(`reloaded ${loaded?.activePath().length} turns, expected ${turns}`);
  return { per, stateEntry: a.memento.sizeOf(indexKey(a.ws)), fileBytes, loadMs };
}

void runBench('persistence', '6. Persistence per turn', async (cli, r) => {
  const turns = 1000;
  const reps = cli.smoke ? 1 : 5;
  const window = 20;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-persist-'));
  try {
    // Warm-up (JIT, file-system caches), not measured.
    await conversation(path.join(tmp, 'warm'), cli.smoke ? 100 : 300, window);
    const runs: Run[] = [];
    for (let k = 0; k < reps; k++) {
      const t0 = Date.now();
      runs.push(await conversation(path.join(tmp, `run${k}`), turns, window));
      log(`run ${k + 1}/${reps}: ${turns} turns in ${Date.now() - t0} ms`);
    }
    // The window around "turn 1" is turns 1..20; around "turn 1,000" turns 981..1,000. Median per run, then
    // the median over runs.
    const at = (from: number, key: keyof PerTurn) => median(runs.map((run) => median(run.per.slice(from - 1, from - 1 + window).map((p) => p![key]))));
    const first = { t: at(1, 'transcriptBytes'), s: at(1, 'stateBytes'), ms: at(1, 'ms') };
    const last = { t: at(turns - window + 1, 'transcriptBytes'), s: at(turns - window + 1, 'stateBytes'), ms: at(turns - window + 1, 'ms') };
    const bytesRatio = (last.t + last.s) / (first.t + first.s);
    const msRatio = last.ms / first.ms;
    const stateEntry = median(runs.map((x) => x.stateEntry));
    r.method.push(
      `\`ConversationStore\` (src/core/store/conversationStore.ts) with the Node file system (a temp dir) and a \`MemoryMemento\` in place of globalState. ` +
        `Each turn does what \`ChatController.ask\` does: \`putTurn\` of the streaming record, then \`putTurn\` of the final record (a ${question(1).length}-char question, an ${answer(1).length}-char answer, ids and usage). ` +
        'Bytes = what the file-system port appended or wrote, plus the serialized size of every `globalState` update (VS Code stores the whole value on each update). ' +
        `Wall time = both putTurn calls, split into the file-system port's writes, the Memento updates and the rest. Per run, conversation A is fed ${turns - window} turns unmeasured, then its turns ${turns - window + 1}–${turns} are measured alternately with turns 1–${window} of a fresh conversation B (a second store, own workspace key and memento, same process), so both windows are measured side by side in the same heap and the same seconds. ` +
          `${reps} run(s) after an unmeasured warm-up; per run the median of each window, then the median over runs.`,
    );
    r.tables.push({
      caption: 'Per turn (two records: streaming, final)',
      columns: ['window', 'transcript bytes', 'globalState bytes', 'total bytes', 'wall time'],
      rows: [
        [`turns 1–${window}`, first.t, first.s, first.t + first.s, ms(first.ms, 3)],
        [`turns ${turns - window + 1}–${turns}`, last.t, last.s, last.t + last.s, ms(last.ms, 3)],
        ['ratio', ratio(last.t / first.t), ratio(last.s / first.s), ratio(bytesRatio), ratio(msRatio)],
      ],
    });
    const parts = [
      { key: 'fsMs' as const, label: 'file appends (FileSystemPort)' },
      { key: 'stateMs' as const, label: 'globalState updates (Memento)' },
      { key: 'otherMs' as const, label: 'in-memory work (Conversation, index entry, JSON)' },
    ];
    r.tables.push({
      caption: 'Where the store time goes (per turn)',
      columns: ['part', `turns 1–${window}`, `turns ${turns - window + 1}–${turns}`, 'ratio'],
      rows: parts.map((p) => [p.label, ms(at(1, p.key), 3), ms(at(turns - window + 1, p.key), 3), ratio(at(turns - window + 1, p.key) / at(1, p.key))]),
    });
    if (msRatio > 1.2) {
      const growth = parts.map((p) => ({ ...p, d: at(turns - window + 1, p.key) - at(1, p.key) })).sort((a, b) => b.d - a.d);
      r.notes.push(
        `The time grows by ${ms(last.ms - first.ms, 3)} per turn; most of it in ${growth[0]!.label} (+${ms(growth[0]!.d, 3)}), then ${growth[1]!.label} (+${ms(growth[1]!.d, 3)}). ` +
          'The bytes do not grow: the writes are append-only and the index entry has a constant size.',
      );
    }
    r.notes.push(
      `At ${turns} turns the transcript file is ${bytes(median(runs.map((x) => x.fileBytes)))} and the workspace's globalState entry ${bytes(stateEntry)}; ` +
        `reopening (new store, open(), load()) takes ${ms(median(runs.map((x) => x.loadMs)))}.`,
    );
    r.goals.push({ name: 'bytes written per turn, turn 1,000 / turn 1', value: ratio(bytesRatio), goal: '≤ 1.2×', pass: bytesRatio <= 1.2 });
    r.goals.push({
      name: 'store wall time per turn, turn 1,000 / turn 1',
      value: `${ratio(msRatio)} (${ms(first.ms, 3)} → ${ms(last.ms, 3)})`,
      goal: '≤ 1.2×',
      pass: msRatio <= 1.2,
    });
    r.goals.push({ name: 'globalState entry per workspace at 1,000 turns', value: bytes(stateEntry), goal: '≤ 64 KB', pass: stateEntry <= 64 * 1024 });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
