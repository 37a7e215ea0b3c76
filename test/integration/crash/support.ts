// Shared by the crash and load runs (scripts/integration.mjs, group "crash"): where Threadline keeps its
// files in this user-data dir, and how a run ends by killing its own extension host.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
export { threadline } from '../helpers';

export const CONVERSATIONS = 50;
export const TURNS = 200;
/** Every question of the long conversation has the same length, so bytes per turn are comparable. */
export const turnQuestion = (i: number) => `Turn ${String(i).padStart(3, '0')} of the long conversation: what does line ${i} do?`;
export const chatQuestion = (i: number) => `Chat ${String(i).padStart(2, '0')}: a conversation of its own`;
export const CRASH_QUESTION = 'Turn 201: this answer is streaming when the extension host is killed';


/** The VS Code user-data dir of this run (the plan passes it; code-server's session socket lives in it too). */
export function userDataDir(): string {
  const dir = process.env.THREADLINE_USER_DATA_DIR
    ?? (process.env.CODE_SERVER_SESSION_SOCKET ? path.dirname(process.env.CODE_SERVER_SESSION_SOCKET) : undefined);
  assert.ok(dir && fs.existsSync(dir), `no user-data dir (THREADLINE_USER_DATA_DIR=${dir})`);
  return dir;
}

/** Threadline's global storage: `<ud>/User/globalStorage/threadline.threadline`. */
export function globalStorageDir(): string {
  return path.join(userDataDir(), 'User', 'globalStorage', 'threadline.threadline');
}

/** The transcript file of a conversation (one `.jsonl` per conversation, in a folder per workspace key). */
export function transcriptFile(conversationId: string): string {
  const root = path.join(globalStorageDir(), 'conversations');
  for (const ws of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const file = path.join(root, ws, `${conversationId}.jsonl`);
    if (fs.existsSync(file)) return file;
  }
  assert.fail(`no transcript for conversation ${conversationId} under ${root}`);
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** The Threadline output channel's log files (one per session of this user-data dir), oldest first. */
export function threadlineLogs(): string[] {
  return filesUnder(path.join(userDataDir(), 'logs')).filter((f) => /threadline\.threadline[\\/]Threadline\.log$/.test(f)).sort();
}

let passed = 0;
let failed = 0;
/** Counts the passed and failed tests of this run, for the result that killHost() writes. */
export function countPasses(): void {
  afterEach(function () {
    if (this.currentTest?.state === 'passed') passed++;
    if (this.currentTest?.state === 'failed') failed++;
  });
}

/**
 * Ends the run the hard way: writes the mocha result the runner would have written (this test counts as
 * passed), then SIGKILLs this extension host, as a crash would. The workbench reports the exit to the
 * harness, which ends the run; scripts/integration.mjs accepts it for runs marked `crash`.
 */
export function killHost(): never {
  const out = process.env.THREADLINE_TEST_RESULT;
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ passes: passed + 1, failures: failed, pending: 0, killedOnPurpose: true }, null, 2));
  }
  console.log(`${passed + 1} passed, ${failed} failed (then the extension host kills itself)`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL returned');
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
};
