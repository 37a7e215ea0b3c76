// Reads a chat archive. The file is untrusted, so reading is strict: it yields an archive whose every
// field, id and parent link was checked, or one typed error that says what is wrong, and nothing else.
import * as v from 'valibot';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchivedConversation, type ArchivedSummary, type ArchivedWorkspace, type ArchiveSource, type ChatArchive, parentsFirst } from './archive';
import { EFFORT_LEVELS } from './effort';
import { attachmentKindSchemas } from './schemas';
import type {
  Attachment,
  ContextMode,
  ErrorAction,
  ErrorKind,
  ReplayReason,
  Turn,
  TurnError,
  TurnStatus,
  Usage,
} from './types';

export interface ArchiveLimits {
  /** The file's size in UTF-8 bytes. */
  maxBytes: number;
  maxConversations: number;
  /** Turns over all conversations. */
  maxTurns: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 200 * 1024 * 1024, maxConversations: 10_000, maxTurns: 500_000 };

export type ArchiveErrorKind =
  | 'too_large' // over the byte or count limit
  | 'malformed' // not JSON
  | 'truncated' // JSON cut short
  | 'not_an_archive' // JSON, but not this format
  | 'future_version' // written by a newer Threadline
  | 'invalid' // a field is missing or has the wrong type
  | 'unsafe_id' // an id that could escape a folder or is overlong
  | 'hostile_key' // __proto__, constructor or prototype as a key
  | 'duplicate_id' // two conversations, or two turns of one conversation, share an id
  | 'broken_tree'; // a parent or head that points nowhere, or a cycle

export interface ArchiveError {
  kind: ArchiveErrorKind;
  /** A sentence for people: what is wrong with the file. Nothing was imported. */
  message: string;
}

export type ArchiveParseResult = { ok: true; archive: ChatArchive } | { ok: false; error: ArchiveError };

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const UNSAFE_ID = 'unsafe id';
/** Response ids go back to the server, never into a path: any printable ASCII without spaces. */
const RESPONSE_ID = /^[\x21-\x7e]{1,256}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const Id = v.pipe(v.string(), v.regex(SAFE_ID, UNSAFE_ID));
const ResponseId = v.pipe(v.string(), v.regex(RESPONSE_ID, 'a response id is printable ASCII without spaces, up to 256 characters'));
const Timestamp = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const ShortText = v.pipe(v.string(), v.maxLength(10_000));

/** One entry per value of a union type: the compiler names a value that is added to types.ts and not here. */
const picklistOf = <T extends string>(values: Record<T, true>) => v.picklist(Object.keys(values) as T[]);

const TURN_STATUSES: Record<TurnStatus, true> = { streaming: true, completed: true, failed: true, cancelled: true, incomplete: true, interrupted: true };
const CONTEXT_MODES: Record<ContextMode, true> = { fresh: true, chained: true, replayed: true, local: true };
const REPLAY_REASONS: Record<ReplayReason, true> = { forgotten: true, unsupported: true, expired: true, not_stored: true, no_response_id: true, imported: true };
const ERROR_ACTIONS: Record<ErrorAction, true> = { setApiKey: true, retry: true, newChat: true, openSettings: true, compact: true, selectModel: true };
const ERROR_KINDS: Record<ErrorKind, true> = {
  auth: true, rate_limit: true, quota: true, server: true, connection: true, timeout: true, context_too_long: true,
  unknown_model: true, previous_response_not_found: true, chaining_unsupported: true, bad_request: true, aborted: true,
  stream_cut: true, stream_failed: true, incomplete: true, invalid_settings: true, invalid_input: true, busy: true,
};

/** A schema for every field of T: the compiler names a field that is added to T and not to its schema. */
type FieldSchemas<T> = { [K in keyof Required<T>]: v.GenericSchema<T[K]> };

/** One schema per attachment kind. */
const ATTACHMENTS: { [K in Attachment['kind']]: v.GenericSchema<Extract<Attachment, { kind: K }>> } = {
  selection: v.strictObject({
    kind: v.literal('selection'),
    path: ShortText,
    uri: ShortText,
    startLine: v.pipe(Count, v.minValue(1)),
    endLine: v.pipe(Count, v.minValue(1)),
    languageId: ShortText,
    code: v.string(),
  } satisfies FieldSchemas<Extract<Attachment, { kind: 'selection' }>>),
  file: attachmentKindSchemas.file,
  problems: attachmentKindSchemas.problems,
  changes: attachmentKindSchemas.changes,
  terminal: attachmentKindSchemas.terminal,
};

const UsageSchema = v.strictObject({ inputTokens: Count, cachedTokens: Count, outputTokens: Count, reasoningTokens: v.optional(Count) } satisfies FieldSchemas<Usage>);

/** Output items are replayed to the model as they are; the archive only checks their outline. */
const OutputItemSchema = v.looseObject({ type: ShortText, id: v.optional(ShortText) });

const TurnErrorSchema = v.strictObject({
  kind: picklistOf(ERROR_KINDS),
  message: v.string(),
  actions: v.array(picklistOf(ERROR_ACTIONS)),
  status: v.optional(v.pipe(Count, v.maxValue(999))),
  code: v.optional(ShortText),
  param: v.optional(ShortText),
  retryAfter: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  requestId: v.optional(ShortText),
} satisfies FieldSchemas<TurnError>);

const TurnSchema = v.strictObject({
  id: Id,
  parentId: v.nullable(Id),
  createdAt: Timestamp,
  question: v.string(),
  attachments: v.array(v.union(Object.values(ATTACHMENTS))),
  answer: v.string(),
  status: picklistOf(TURN_STATUSES),
  responseId: v.optional(ResponseId),
  previousResponseId: v.optional(ResponseId),
  stored: v.optional(v.boolean()),
  model: v.optional(ShortText),
  usage: v.optional(UsageSchema),
  mode: v.optional(picklistOf(CONTEXT_MODES)),
  replayedBecause: v.optional(picklistOf(REPLAY_REASONS)),
  error: v.optional(TurnErrorSchema),
  finishedAt: v.optional(Timestamp),
  reasoningSummary: v.optional(v.string()),
  reasoningMs: v.optional(Count),
  output: v.optional(v.array(OutputItemSchema)),
  replay: v.optional(v.picklist(['items', 'text'])),
  compacted: v.optional(v.array(OutputItemSchema)),
  notes: v.optional(v.array(ShortText)),
  importedFrom: v.optional(ShortText),
} satisfies FieldSchemas<Turn>);

const SummarySchema = v.strictObject({
  id: Id,
  title: ShortText,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  forkOf: v.optional(v.strictObject({ conversationId: Id, turnId: Id })),
  headId: v.nullable(Id),
  model: v.optional(ShortText),
  reasoningEffort: v.optional(v.picklist(EFFORT_LEVELS)),
} satisfies FieldSchemas<ArchivedSummary>);

const ArchiveSchema = v.strictObject({
  format: v.literal(ARCHIVE_FORMAT),
  version: v.literal(ARCHIVE_VERSION),
  exportedAt: v.pipe(v.string(), v.isoTimestamp()),
  source: v.strictObject({ workspaceKey: Id, workspaceName: ShortText, endpoint: ShortText } satisfies FieldSchemas<ArchiveSource>),
  conversations: v.array(
    v.strictObject({
      summary: SummarySchema,
      turns: v.array(TurnSchema),
      workspace: v.optional(v.strictObject({ key: Id, name: ShortText } satisfies FieldSchemas<ArchivedWorkspace>)),
    } satisfies FieldSchemas<ArchivedConversation>),
  ),
} satisfies FieldSchemas<ChatArchive>);

const fail = (kind: ArchiveErrorKind, message: string): ArchiveParseResult => ({ ok: false, error: { kind, message } });

/** An untrusted string, quoted and cut, for a message. */
function shown(s: unknown): string {
  const text = typeof s === 'string' ? s : String(s);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether the text stops inside a string, object or array: the sign of a file cut short. */
function endsInsideValue(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return inString || depth > 0;
}

/** The JSON value, or why there is none. A forbidden key anywhere makes the file hostile. */
function parseJson(text: string): { value: unknown } | { error: ArchiveParseResult } {
  if (!text.trim()) return { error: fail('malformed', 'The file is empty.') };
  let hostile: string | undefined;
  try {
    const value: unknown = JSON.parse(text, (key, val: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) hostile ??= key;
      return val;
    });
    if (hostile) return { error: fail('hostile_key', `The file holds the key ${shown(hostile)}, which a chat archive never has; it was not imported.`) };
    return { value };
  } catch (e) {
    if (endsInsideValue(text)) {
      return { error: fail('truncated', 'The file ends too early: it was probably cut short while it was copied or saved.') };
    }
    // V8 parses nesting recursively, so a hostile depth ends in a RangeError rather than a syntax error.
    if (e instanceof RangeError) return { error: fail('malformed', 'The file is nested too deeply to be a chat archive.') };
    return { error: fail('malformed', `The file is not valid JSON (${e instanceof Error ? e.message : String(e)}).`) };
  }
}

/** What can be told before the full check: the format, the version and the counts. */
function checkEnvelope(raw: unknown, limits: ArchiveLimits): ArchiveParseResult | undefined {
  if (!isRecord(raw) || raw.format !== ARCHIVE_FORMAT) {
    return fail('not_an_archive', `This is not a Threadline chat archive: it has no "format": "${ARCHIVE_FORMAT}".`);
  }
  const version = raw.version;
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > ARCHIVE_VERSION) {
    return fail('future_version', `This archive is version ${version}, written by a newer Threadline; this one reads version ${ARCHIVE_VERSION}. Update Threadline, then import it again.`);
  }
  if (version !== ARCHIVE_VERSION) return fail('invalid', `The archive's version is ${shown(JSON.stringify(version) ?? 'missing')}; this Threadline reads version ${ARCHIVE_VERSION}.`);
  const conversations = Array.isArray(raw.conversations) ? raw.conversations : [];
  if (conversations.length > limits.maxConversations) {
    return fail('too_large', `The archive holds ${conversations.length} conversations; at most ${limits.maxConversations} can be imported at once.`);
  }
  const turns = conversations.reduce<number>((n, c) => n + (isRecord(c) && Array.isArray(c.turns) ? c.turns.length : 0), 0);
  if (turns > limits.maxTurns) return fail('too_large', `The archive holds ${turns} turns; at most ${limits.maxTurns} can be imported at once.`);
  return undefined;
}

function schemaError(issue: v.BaseIssue<unknown>): ArchiveParseResult {
  const at = v.getDotPath(issue) ?? 'the top level';
  if (issue.message === UNSAFE_ID) {
    return fail('unsafe_id', `The archive holds an unsafe id at ${at} (${shown(issue.input)}): ids use only letters, digits, "-" and "_", up to 128 characters.`);
  }
  return fail('invalid', `The archive is damaged at ${at}: ${issue.message}.`);
}

/** Unique ids, parents and heads that exist, and no cycles (each turn's parents are walked once). */
function checkTree(c: ArchivedConversation): ArchiveParseResult | undefined {
  const where = `conversation ${shown(c.summary.title)}`;
  const byId = new Map<string, Turn>();
  for (const t of c.turns) {
    if (byId.has(t.id)) return fail('duplicate_id', `In ${where}, two turns have the id ${shown(t.id)}.`);
    byId.set(t.id, t);
  }
  for (const t of c.turns) {
    if (t.parentId !== null && !byId.has(t.parentId)) return fail('broken_tree', `In ${where}, turn ${shown(t.id)} follows ${shown(t.parentId)}, which is not in the archive.`);
  }
  if (c.summary.headId !== null && !byId.has(c.summary.headId)) return fail('broken_tree', `In ${where}, the active turn ${shown(c.summary.headId)} is not in the archive.`);
  const done = new Set<string>();
  for (const t of c.turns) {
    const walking = new Set<string>();
    for (let id: string | null = t.id; id !== null && !done.has(id); id = byId.get(id)!.parentId) {
      if (walking.has(id)) return fail('broken_tree', `In ${where}, turn ${shown(id)} is its own ancestor.`);
      walking.add(id);
    }
    for (const id of walking) done.add(id);
  }
  return undefined;
}

/**
 * Reads an archive. Never throws: the result is a fully checked archive (turns parents first, none
 * streaming) or one error for people.
 */
export function parseArchive(text: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): ArchiveParseResult {
  try {
    // Counting UTF-16 units first keeps a huge string from being encoded just to learn it is too big.
    const bytes = text.length > limits.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
    if (bytes > limits.maxBytes) {
      return fail('too_large', `The file is ${megabytes(bytes)} MB; Threadline imports archives up to ${megabytes(limits.maxBytes)} MB.`);
    }
    const json = parseJson(text);
    if ('error' in json) return json.error;
    const envelope = checkEnvelope(json.value, limits);
    if (envelope) return envelope;
    const parsed = v.safeParse(ArchiveSchema, json.value, { abortEarly: true });
    if (!parsed.success) return schemaError(parsed.issues[0]);
    const archive = parsed.output;
    const ids = new Set<string>();
    for (const c of archive.conversations) {
      // Ids are unique per workspace: a chat copied to another workspace keeps its id there.
      const id = `${c.workspace?.key ?? ''}/${c.summary.id}`;
      if (ids.has(id)) return fail('duplicate_id', `Two conversations in the archive have the id ${shown(c.summary.id)}.`);
      ids.add(id);
      const broken = checkTree(c);
      if (broken) return broken;
      c.turns = parentsFirst(c.turns).map((t) => (t.status === 'streaming' ? { ...t, status: 'interrupted' } : t));
    }
    return { ok: true, archive };
  } catch (e) {
    // Nothing above should throw; if something does (memory, a platform quirk), it is still one clear error.
    return fail('malformed', `The file could not be read (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
