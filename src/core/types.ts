// Domain types shared by the core, the host and (through the protocol) the webview.
import type { TurnError } from './errors';

export type { ErrorAction, ErrorKind, TurnError } from './errors';

// Attachment kinds are declared with their descriptors.
import type { Attachment } from './attachments';

export type { Attachment, AttachmentKind, SelectionAttachment } from './attachments';

/**
 * `streaming` only while a request runs; `interrupted` when the host died mid-turn (found on load).
 * Only `completed` turns can be parents on the server and are replayed.
 */
export type TurnStatus = 'streaming' | 'completed' | 'failed' | 'cancelled' | 'incomplete' | 'interrupted';

/** How the turn reached the model's context. */
export type ContextMode =
  | 'fresh' // first turn of a chain: no previous_response_id, nothing to replay
  | 'chained' // previous_response_id, only the new turn sent
  | 'replayed' // chain broken (forgotten, expired, unsupported): transcript replayed, new chain started
  | 'local'; // local mode or store:false: transcript replayed every turn

/** Why a turn was replayed instead of chained (shown in the per-turn details). */
export type ReplayReason =
  | 'forgotten' // the server no longer had the previous response
  | 'unsupported' // the endpoint rejects or ignores previous_response_id
  | 'expired' // the previous response is older than the retention setting
  | 'not_stored' // the previous response was created with store:false
  | 'no_response_id' // the previous turn has no response id
  | 'imported'; // the previous turn was imported from another endpoint, whose response ids mean nothing here

export interface Usage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** Of the output tokens, those the model spent reasoning. */
  reasoningTokens?: number;
}

/**
 * An output item of a response as the API returned it (reasoning with its encrypted content, a message with
 * its `phase`, a compaction…), kept so a replay can send it back without loss. Host-only: never sent to the view.
 */
export interface OutputItem {
  type: string;
  id?: string;
  [field: string]: unknown;
}

/** How a replayed turn's context was sent: the stored output items, or plain text messages. */
export type ReplayFidelity = 'items' | 'text';

export interface Turn {
  id: string;
  /** The turn before this one in the tree, or null for a root. */
  parentId: string | null;
  createdAt: number;
  question: string;
  attachments: Attachment[];
  answer: string;
  status: TurnStatus;
  responseId?: string;
  /** The previous_response_id that was sent, if any. */
  previousResponseId?: string;
  /** Whether the server was asked to store the response (it can be a parent only then). */
  stored?: boolean;
  model?: string;
  usage?: Usage;
  mode?: ContextMode;
  replayedBecause?: ReplayReason;
  error?: TurnError;
  finishedAt?: number;
  /** The reasoning summary's text, paragraphs separated by a blank line. */
  reasoningSummary?: string;
  /** How long the model reasoned before it answered (ms). */
  reasoningMs?: number;
  /** The response's output items, for a lossless replay. */
  output?: OutputItem[];
  /** Set when the turn's context was replayed: with items, or as plain text. */
  replay?: ReplayFidelity;
  /**
   * The compacted context this turn was sent with ("Compact and continue"): it stands for every turn before
   * this one in a replay. Host-only, like `output`.
   */
  compacted?: OutputItem[];
  /** What the per-turn details say about how the request was adapted (a parameter dropped, a replay refused). */
  notes?: string[];
  /** Set on turns imported from another endpoint (its base URL): their response ids cannot be chained from. */
  importedFrom?: string;
}

export type ChainingMode = 'auto' | 'server' | 'local';

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}
