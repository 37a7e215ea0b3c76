// One append-only JSON-lines log per conversation. A turn is written when it starts and again when it
// ends; the last record of a turn wins. A torn last line (a crash mid-write) is dropped; any other bad
// line means the file is corrupt, and it is set aside so the rest of the extension keeps working.
import { safeParse } from 'valibot';
import { Conversation, type ConversationMeta } from '../conversation';
import { type LogRecord, logRecordSchema } from '../schemas';
import type { FileSystemPort } from './fileSystem';

export type { LogRecord } from '../schemas';

export const TRANSCRIPT_VERSION = 2;

export interface LoadResult {
  conversation?: Conversation;
  /** For the log and a one-time warning: what was dropped or set aside. */
  warnings: string[];
  /** The bytes of the file that were read (after a torn tail was cut off). */
  size?: number;
}

export function encodeRecord(r: LogRecord): string {
  return `${JSON.stringify(r)}\n`;
}

/**
 * Brings an older record up to the current version and checks it against the record schema. Version 1
 * records have the same shape (their turns just have no output items, and are replayed as text).
 */
export function migrate(raw: unknown): LogRecord | undefined {
  const upgraded = isRecordOf(raw, 1) ? { ...raw, v: TRANSCRIPT_VERSION } : raw;
  const r = safeParse(logRecordSchema, upgraded);
  return r.success ? r.output : undefined;
}

function isRecordOf(raw: unknown, v: number): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && (raw as { v?: unknown }).v === v;
}

export class TranscriptLog {
  constructor(private readonly fs: FileSystemPort) {}

  /** Writes the header record; returns the bytes written. */
  async create(file: string, meta: ConversationMeta): Promise<number> {
    const data = encodeRecord({ v: TRANSCRIPT_VERSION, t: 'conversation', meta });
    await this.fs.writeFile(file, data);
    return Buffer.byteLength(data);
  }

  /** Appends one record; returns the bytes written. */
  async append(file: string, record: LogRecord): Promise<number> {
    const data = encodeRecord(record);
    await this.fs.appendFile(file, data);
    return Buffer.byteLength(data);
  }

  async load(file: string): Promise<LoadResult> {
    const bytes = await this.fs.readFile(file);
    if (!bytes) return { warnings: [`Transcript ${file} is missing.`] };
    const text = Buffer.from(bytes).toString('utf8');
    const lines = text.split('\n');
    // A file written whole ends with '\n', so the last piece is ''. Anything else there is a torn write.
    const tail = lines.pop() ?? '';
    const warnings: string[] = [];
    if (tail.trim()) warnings.push('The last record was cut short (probably a crash while writing) and was dropped.');
    const records: LogRecord[] = [];
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      let rec: LogRecord | undefined;
      try {
        rec = migrate(JSON.parse(line));
      } catch {
        rec = undefined;
      }
      if (!rec) return this.setAside(file, `line ${i + 1} is not a valid record`);
      records.push(rec);
    }
    const head = records[0];
    if (!head || head.t !== 'conversation') return this.setAside(file, 'it has no conversation header');
    const conv = new Conversation({ ...head.meta });
    for (const r of records.slice(1)) {
      if (r.t === 'turn') {
        conv.put(r.turn);
      } else if (r.t === 'head') {
        conv.setHead(r.headId);
      } else if (r.t === 'title') {
        conv.meta.title = r.title;
      } else if (r.t === 'model') {
        conv.meta.model = r.model;
      } else if (r.t === 'effort') {
        if (r.effort) conv.meta.reasoningEffort = r.effort;
        else delete conv.meta.reasoningEffort;
      }
    }
    // A turn whose last record is still "streaming" was cut off by a crash or reload.
    for (const t of conv.allTurns()) {
      if (t.status === 'streaming') conv.put({ ...t, status: 'interrupted' });
    }
    const kept = text.slice(0, text.length - tail.length);
    if (tail.trim()) await this.repairTail(file, kept);
    return { conversation: conv, warnings, size: tail.trim() ? Buffer.byteLength(kept) : bytes.length };
  }

  /** Rewrites the file without its torn tail, so the next append starts on a fresh line. */
  private async repairTail(file: string, kept: string): Promise<void> {
    await this.fs.writeFile(file, kept);
  }

  private async setAside(file: string, why: string): Promise<LoadResult> {
    const to = `${file}.corrupt-${Date.now()}`;
    await this.fs.rename(file, to);
    return { warnings: [`The transcript could not be read (${why}); it was moved to ${to}.`] };
  }
}
