// The API that `activate()` returns (`vscode.extensions.getExtension('threadline.threadline').exports`):
// what the chat view can do, for other extensions, keybinding tools and the integration tests. Its turn
// shape is its own, so the storage record can change without breaking callers.
import type { AskOutcome, Session } from '../core/session';
import type { EffortChoice } from '../core/effort';
import type { EffortPicker } from './effortPicker';
import type { ModelChoices, ModelPicker } from './modelPicker';
import type { Attachment, ContextMode, ConversationSummary, ReplayFidelity, ReplayReason, Turn, TurnError, TurnStatus, Usage } from '../core/types';

/** What a send resolves with, when its turn ends (or at once, when it is refused). */
export interface AskResult {
  conversationId: string;
  /** Empty when the send was refused before a turn was recorded. */
  turnId: string;
  status: 'completed' | 'failed' | 'cancelled' | 'incomplete';
  responseId?: string;
  text: string;
  error?: TurnError;
}

/** The fields of the attachment kinds that hold contents (code, diffs, terminal output). */
const CONTENT_FIELDS = ['code', 'diff', 'output', 'lines'] as const;
type ContentField = (typeof CONTENT_FIELDS)[number];
export type AttachmentOutline = Attachment extends infer A ? (A extends Attachment ? Omit<A, ContentField> : never) : never;

function attachmentOutline(a: Attachment): AttachmentOutline {
  return Object.fromEntries(Object.entries(a).filter(([k]) => !(CONTENT_FIELDS as readonly string[]).includes(k))) as AttachmentOutline;
}

export interface ApiTurn {
  id: string;
  parentId: string | null;
  question: string;
  /** What was attached and where from; the contents stay in the transcript. */
  attachments: AttachmentOutline[];
  answer: string;
  status: TurnStatus;
  responseId?: string;
  model?: string;
  usage?: Usage;
  /** How the turn reached the model's context, and why it was replayed. */
  mode?: ContextMode;
  replayedBecause?: ReplayReason;
  /** For a replayed turn: whether the earlier answers went as their stored items (lossless) or as text. */
  replay?: ReplayFidelity;
  /** The reasoning summary, and how long the model reasoned (ms). */
  reasoningSummary?: string;
  reasoningMs?: number;
  /** Set on the turn "Compact and continue" sent after compacting the context. */
  compacted?: boolean;
  /** How the request was adapted (a refused parameter dropped, refused items replayed as text). */
  notes?: string[];
  error?: TurnError;
  createdAt: number;
  finishedAt?: number;
}

export interface ConversationState {
  id: string;
  title: string;
  /** The active path, oldest first. */
  turns: ApiTurn[];
  /** The response ids the next turn would chain after, oldest first. */
  responseChain: string[];
}

export interface ThreadlineApi {
  /** The workspace's active conversation, or undefined after New Chat until the first turn. */
  activeConversation(): Promise<ConversationState | undefined>;
  /** This workspace's conversations, most recently used first. */
  conversations(): Promise<ConversationSummary[]>;
  switchTo(conversationId: string): Promise<boolean>;
  rename(conversationId: string, title: string): Promise<void>;
  delete(conversationId: string): Promise<void>;
  /** "Fork from here": returns the new conversation's id, or undefined when the turn cannot be forked. */
  fork(turnId: string): Promise<string | undefined>;
  /** "Edit": sends the edited question as a sibling of the turn. */
  edit(turnId: string, text: string): Promise<AskResult | undefined>;
  retry(turnId: string): Promise<AskResult | undefined>;
  /** "Compact and continue" on a turn that outgrew the context window; undefined when it did not. */
  compactAndContinue(turnId: string): Promise<AskResult | undefined>;
  switchBranch(turnId: string, direction: 'previous' | 'next'): Promise<void>;
  /** The model the active conversation's next turn asks. */
  model(): string;
  /** "Regenerate": the turn's question again as a sibling branch, with the current model or `model`. */
  regenerate(turnId: string, model?: string): Promise<AskResult | undefined>;
  /** The model picker's rows (the endpoint's list fetched, or cached unless `refresh`), and why the list is missing. */
  modelChoices(refresh?: boolean): Promise<ModelChoices>;
  /** The reasoning effort the active conversation asks for (`default`: none sent); the model may take another level. */
  reasoningEffort(): EffortChoice;
  /** Sets it for the active conversation (`default`: follow the setting); undefined when `level` is not an effort. */
  setReasoningEffort(level: EffortChoice): Promise<EffortChoice | undefined>;
}

export function askResult(o: AskOutcome): AskResult {
  if (o.kind === 'refused') return { conversationId: o.conversationId, turnId: '', status: 'failed', text: '', error: o.error };
  const t = o.turn;
  return {
    conversationId: o.conversationId,
    turnId: t.id,
    status: t.status === 'streaming' || t.status === 'interrupted' ? 'failed' : t.status,
    responseId: t.responseId,
    text: t.answer,
    error: t.error,
  };
}

function apiTurn(t: Turn): ApiTurn {
  return {
    id: t.id,
    parentId: t.parentId,
    question: t.question,
    attachments: t.attachments.map(attachmentOutline),
    answer: t.answer,
    status: t.status,
    responseId: t.responseId,
    model: t.model,
    usage: t.usage,
    mode: t.mode,
    replayedBecause: t.replayedBecause,
    replay: t.replay,
    reasoningSummary: t.reasoningSummary,
    reasoningMs: t.reasoningMs,
    compacted: t.compacted ? true : undefined,
    notes: t.notes,
    error: t.error,
    createdAt: t.createdAt,
    finishedAt: t.finishedAt,
  };
}

export function createApi(s: Session, models: ModelPicker, efforts: EffortPicker): ThreadlineApi {
  return {
    async activeConversation() {
      const conv = await s.activeConversation();
      return conv && { id: conv.id, title: conv.meta.title, turns: conv.activePath().map(apiTurn), responseChain: conv.responseChain() };
    },
    conversations: () => s.list(),
    switchTo: async (id) => (await s.switchTo(id)).ok,
    rename: async (id, title) => void (await s.rename(id, title)),
    delete: async (id) => void (await s.delete(id)),
    fork: async (turnId) => {
      const r = await s.fork(turnId);
      return r.ok ? r.value.id : undefined;
    },
    edit: async (turnId, text) => {
      const r = await s.edit(turnId, text);
      return r.ok ? askResult(r.value) : undefined;
    },
    retry: async (turnId) => {
      const r = await s.retry(turnId);
      return r.ok ? askResult(r.value) : undefined;
    },
    compactAndContinue: async (turnId) => {
      const r = await s.compactAndContinue(turnId);
      return r.ok ? askResult(r.value) : undefined;
    },
    switchBranch: async (turnId, direction) => void (await s.switchBranch(turnId, direction)),
    model: () => s.model,
    regenerate: async (turnId, model) => {
      const r = await models.regenerateWith(turnId, model);
      return r.ok ? askResult(r.value) : undefined;
    },
    modelChoices: (refresh) => models.choices(refresh),
    reasoningEffort: () => s.reasoningEffort,
    setReasoningEffort: (level) => efforts.select(level),
  };
}
