// The declared shapes of what the extension reads back from outside its own memory: turns and
// conversation summaries (shared with the protocol), transcript records, the globalState index, the
// active pointer file and the endpoint-capabilities record.
//
// Also the attachment kinds. Schemas live beside their users rather than in one file: protocol messages
// in src/shared/protocol.ts, the webview's saved state in src/webview/state.ts, the composer's chip in
// src/shared/chipSchema.ts. A bundler cannot drop a schema built at module load, so one module of every
// schema would put all of them into the webview bundle, over its size budget.
//
// The domain interfaces (types.ts) stay the source of the types; `Same` checks below make the compiler
// fail when a schema and its interface drift apart (a field the schema lacked would be dropped on load).
import {
  array, boolean, check, type InferOutput, integer, literal, looseObject, maxLength, maxValue, minValue, nullable, number, object, optional, picklist,
  pipe, record, strictObject, string, variant,
} from 'valibot';
import { LIMITS } from '../shared/limits';
import type { Attachment, OpenTarget } from './attachments';
import type { ConversationMeta } from './conversation';
import { EFFORT_LEVELS } from './effort';
import type { ConversationSummary, ErrorAction, Turn, TurnError, Usage } from './types';

/** True only when A and B are the same type; used as `const x: Same<A, B> = true`. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const count = pipe(number(), integer());
const lineNumber = pipe(number(), integer(), minValue(1), maxValue(10_000_000));

/** What "open" shows, as the webview may ask for it. */
export const openTargetSchema = strictObject({
  uri: pipe(string(), maxLength(LIMITS.maxUriChars)),
  startLine: lineNumber,
  endLine: lineNumber,
});

const selectionSchema = pipe(
  strictObject({
    kind: literal('selection'),
    path: string(),
    uri: string(),
    startLine: lineNumber,
    endLine: lineNumber,
    languageId: string(),
    code: string(),
  }),
  check((a) => a.endLine >= a.startLine, 'a selection ends before it starts'),
);

const column = pipe(number(), integer(), minValue(1));

const fileSchema = strictObject({
  kind: literal('file'),
  path: string(),
  uri: string(),
  languageId: string(),
  code: string(),
  lineCount: lineNumber,
  cutFrom: optional(count),
});

const problemSchema = strictObject({
  severity: picklist(['error', 'warning', 'info', 'hint']),
  message: string(),
  source: optional(string()),
  code: optional(string()),
  startLine: lineNumber,
  startColumn: column,
  endLine: lineNumber,
  endColumn: column,
});

const problemsSchema = pipe(
  strictObject({
    kind: literal('problems'),
    path: string(),
    uri: string(),
    languageId: string(),
    startLine: lineNumber,
    endLine: lineNumber,
    problems: array(problemSchema),
    lines: array(strictObject({ line: lineNumber, text: string() })),
    omitted: optional(count),
  }),
  check((a) => a.endLine >= a.startLine, 'a range ends before it starts'),
);

const changesSchema = strictObject({
  kind: literal('changes'),
  path: string(),
  uri: string(),
  files: count,
  diff: string(),
  cutFrom: optional(count),
});

const terminalSchema = strictObject({
  kind: literal('terminal'),
  terminal: string(),
  source: picklist(['selection', 'lastCommand']),
  command: optional(string()),
  output: string(),
  cutFrom: optional(count),
});

/** One schema per attachment kind, for the archive reader too. */
export const attachmentKindSchemas = {
  selection: selectionSchema,
  file: fileSchema,
  problems: problemsSchema,
  changes: changesSchema,
  terminal: terminalSchema,
};

/** Every attachment kind (see attachments.ts); a new kind is a new member here. */
export const attachmentSchema = variant('kind', [selectionSchema, fileSchema, problemsSchema, changesSchema, terminalSchema]);

export const errorActionSchema = picklist(['setApiKey', 'retry', 'newChat', 'openSettings', 'compact', 'selectModel']);

const usageSchema = object({ inputTokens: count, cachedTokens: count, outputTokens: count, reasoningTokens: optional(count) });

const outputItemSchema = looseObject({ type: string(), id: optional(string()) });

const turnErrorSchema = object({
  kind: picklist([
    'auth', 'rate_limit', 'quota', 'server', 'connection', 'timeout', 'context_too_long', 'unknown_model',
    'previous_response_not_found', 'chaining_unsupported', 'bad_request', 'aborted', 'stream_cut', 'stream_failed',
    'incomplete', 'invalid_settings', 'invalid_input', 'busy',
  ]),
  message: string(),
  actions: array(errorActionSchema),
  status: optional(number()),
  code: optional(string()),
  param: optional(string()),
  retryAfter: optional(number()),
  requestId: optional(string()),
});

export const turnSchema = object({
  id: string(),
  parentId: nullable(string()),
  createdAt: number(),
  question: string(),
  attachments: array(attachmentSchema),
  answer: string(),
  status: picklist(['streaming', 'completed', 'failed', 'cancelled', 'incomplete', 'interrupted']),
  responseId: optional(string()),
  previousResponseId: optional(string()),
  stored: optional(boolean()),
  model: optional(string()),
  usage: optional(usageSchema),
  mode: optional(picklist(['fresh', 'chained', 'replayed', 'local'])),
  replayedBecause: optional(picklist(['forgotten', 'unsupported', 'expired', 'not_stored', 'no_response_id', 'imported'])),
  error: optional(turnErrorSchema),
  finishedAt: optional(number()),
  reasoningSummary: optional(string()),
  reasoningMs: optional(number()),
  output: optional(array(outputItemSchema)),
  replay: optional(picklist(['items', 'text'])),
  compacted: optional(array(outputItemSchema)),
  notes: optional(array(string())),
  importedFrom: optional(string()),
});

export const conversationSummarySchema = object({ id: string(), title: string(), createdAt: number(), updatedAt: number() });

const conversationMetaSchema = object({
  ...conversationSummarySchema.entries,
  forkOf: optional(object({ conversationId: string(), turnId: string() })),
  model: optional(string()),
  reasoningEffort: optional(picklist(EFFORT_LEVELS)),
});

/**
 * One line of a transcript log (see transcriptLog.ts). Version 2: a turn may carry its output items
 * (`output`, `compacted`) for a lossless replay; version 1 records are migrated on load.
 */
export const logRecordSchema = variant('t', [
  object({ v: literal(2), t: literal('conversation'), meta: conversationMetaSchema }),
  object({ v: literal(2), t: literal('turn'), turn: turnSchema }),
  object({ v: literal(2), t: literal('head'), headId: nullable(string()) }),
  object({ v: literal(2), t: literal('title'), title: string() }),
  /** The conversation's model changed (the picker); the next turn asks it. */
  object({ v: literal(2), t: literal('model'), model: string() }),
  /** The conversation's reasoning effort changed; null: it follows the setting again. */
  object({ v: literal(2), t: literal('effort'), effort: nullable(picklist(EFFORT_LEVELS)) }),
]);
export type LogRecord = InferOutput<typeof logRecordSchema>;

const indexEntrySchema = object({
  title: string(),
  createdAt: number(),
  updatedAt: number(),
  /** The head of the active path, and the response id the next turn chains from. */
  headId: nullable(string()),
  responseId: optional(string()),
  /** The conversation this one was forked from: they share the response ids of the forked path. */
  forkOf: optional(string()),
  /** The conversation's model, when one was chosen for it (optional: older indexes have none). */
  model: optional(string()),
  /** The conversation's reasoning effort, when one was chosen for it (optional, as `model`). */
  reasoningEffort: optional(picklist(EFFORT_LEVELS)),
});

/** The workspace's conversation index in globalState. */
export const workspaceIndexSchema = object({
  v: literal(1),
  activeId: nullable(string()),
  conversations: record(string(), indexEntrySchema),
  /** Counts the writes, so that a window tells another window's newer index from an older copy of its own. */
  rev: optional(number()),
});
export type IndexEntry = InferOutput<typeof indexEntrySchema>;
export type WorkspaceIndex = InferOutput<typeof workspaceIndexSchema>;

/** The active-conversation pointer file beside the transcripts. */
export const activePointerSchema = object({ v: literal(1), activeId: nullable(string()), rev: number() });

/**
 * Per endpoint (base URL), when chaining was found unsupported (ms), and which optional request parameters
 * it refused (requestOptions.ts).
 */
export const endpointCapabilitiesSchema = object({
  v: literal(1),
  unsupported: record(string(), number()),
  rejected: optional(record(string(), array(picklist(['reasoning', 'include', 'prompt_cache_key', 'context_management'])))),
});
export type EndpointCapabilitiesRecord = InferOutput<typeof endpointCapabilitiesSchema>;

/** Per endpoint label: its model list as last fetched (cached for a day) and the models recently picked there. */
export const modelCatalogSchema = object({
  v: literal(1),
  endpoints: record(string(), object({
    fetchedAt: optional(number()),
    ids: optional(array(string())),
    recent: array(string()),
  })),
});
export type ModelCatalogRecord = InferOutput<typeof modelCatalogSchema>;

// Drift checks: each fails to compile when a schema and its interface stop matching.
type Holds<T extends true> = T;
export type SchemasMatchTypes = [
  Holds<Same<InferOutput<typeof attachmentSchema>, Attachment>>,
  Holds<Same<InferOutput<typeof openTargetSchema>, OpenTarget>>,
  Holds<Same<InferOutput<typeof turnSchema>, Turn>>,
  Holds<Same<InferOutput<typeof turnErrorSchema>, TurnError>>,
  Holds<Same<InferOutput<typeof usageSchema>, Usage>>,
  Holds<Same<InferOutput<typeof errorActionSchema>, ErrorAction>>,
  Holds<Same<InferOutput<typeof conversationSummarySchema>, ConversationSummary>>,
  Holds<Same<InferOutput<typeof conversationMetaSchema>, ConversationMeta>>,
];
