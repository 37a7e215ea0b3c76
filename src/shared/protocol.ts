// The one message protocol between the extension host and the chat webview, declared as schemas with
// the types inferred from them. The webview posts nothing but `ready` until the host has answered it with
// a snapshot, and the host posts nothing before `ready` (the handshake). The host validates every
// incoming message with `parseWebviewMessage` and drops what does not fit. The webview imports only the
// types from here (and LIMITS from ./limits), so these schemas stay out of its bundle.
//
// Requests that expect a reply carry a `requestId` the reply echoes: `send` (in `turnStarted`, or in the
// refusal's `notice`), `loadEarlier` (in `earlierTurns`) and `requestHistory` (in `history`).
import {
  array, boolean, check, type InferOutput, integer, literal, maxLength, maxValue, minLength, minValue, nullable, number, object,
  omit, optional, picklist, pipe, safeParse, strictObject, string, variant,
} from 'valibot';
import { conversationSummarySchema, errorActionSchema, openTargetSchema, turnSchema } from '../core/schemas';
import { attachmentChipSchema, draftChipsSchema } from './chipSchema';
import { LIMITS } from './limits';

export { LIMITS } from './limits';

const id = pipe(string(), minLength(1), maxLength(LIMITS.maxIdChars));
const text = (max: number) => pipe(string(), maxLength(max));
const count = pipe(number(), integer(), minValue(0), maxValue(Number.MAX_SAFE_INTEGER));
const requestId = id;

/** The parts of an answer that stream separately. */
const streamPartSchema = picklist(['text', 'reasoning']);
export type StreamPart = InferOutput<typeof streamPartSchema>;

/**
 * A turn as the view shows it: the record plus its place among its siblings (1-based). Attachments are
 * chips: their contents stay in the host.
 */
const turnViewSchema = object({
  ...omit(turnSchema, ['attachments', 'output', 'compacted']).entries,
  attachments: array(attachmentChipSchema),
  siblingIndex: count,
  siblingCount: count,
});
export type TurnView = InferOutput<typeof turnViewSchema>;

const viewStateSchema = object({
  /** The active conversation is running a turn (other conversations may be too): Send waits. */
  busy: boolean(),
  hasKey: boolean(),
  model: string(),
  chaining: picklist(['auto', 'server', 'local']),
  endpoint: string(),
  /** The composer's "Effort: <level>" text; absent when the model takes no effort (the button is hidden). */
  effort: optional(text(LIMITS.maxIdChars)),
});
export type ViewState = InferOutput<typeof viewStateSchema>;

const conversationViewSchema = object({
  id: string(),
  title: string(),
  /** The active path's newest turns, oldest first. */
  turns: array(turnViewSchema),
  /** Older turns exist on the active path; ask with `loadEarlier`. */
  hasEarlier: boolean(),
});
export type ConversationView = InferOutput<typeof conversationViewSchema>;

const noticeLevelSchema = picklist(['info', 'warning', 'error']);
export type NoticeLevel = InferOutput<typeof noticeLevelSchema>;

export const hostToWebviewSchema = variant('type', [
  object({ type: literal('snapshot'), conversation: conversationViewSchema, state: viewStateSchema }),
  object({ type: literal('earlierTurns'), requestId, conversationId: string(), turns: array(turnViewSchema), hasEarlier: boolean() }),
  /** `requestId` when the turn answers the view's own `send`. */
  object({ type: literal('turnStarted'), requestId: optional(requestId), conversationId: string(), turn: turnViewSchema }),
  /** Text that extends one part of the live turn; `part` names which (a new streamed part adds a member). */
  object({ type: literal('delta'), conversationId: string(), turnId: string(), part: streamPartSchema, text: string() }),
  object({ type: literal('turnFinished'), conversationId: string(), turn: turnViewSchema }),
  /** `requestId` when the notice refuses the view's own `send`: that composer keeps its draft. */
  object({ type: literal('notice'), requestId: optional(requestId), level: noticeLevelSchema, message: string(), actions: array(errorActionSchema) }),
  object({ type: literal('state'), state: viewStateSchema }),
  /** Chips for the composer; the attachments themselves stay with the host until a send names them. */
  object({ type: literal('addAttachments'), attachments: draftChipsSchema }),
  object({ type: literal('setDraft'), text: string() }),
  object({ type: literal('focusComposer') }),
  /**
   * This workspace's conversations, most recently used first (at most `LIMITS.historyItems`; `total`
   * counts them all). Sent on `requestHistory` (echoing its id), and after a conversation is created,
   * switched to, renamed or deleted.
   */
  object({
    type: literal('history'),
    requestId: optional(requestId),
    conversations: array(conversationSummarySchema),
    activeId: nullable(string()),
    total: count,
  }),
]);
export type HostToWebview = InferOutput<typeof hostToWebviewSchema>;

const bare = <T extends string>(type: T) => strictObject({ type: literal(type) });
const conversationId = id;

/**
 * The per-chat actions of the history list that move history, one descriptor each: the view draws a
 * button per entry, and the host runs the command named here with `{ conversationId }`.
 */
export const CHAT_ACTIONS = {
  export: { label: 'Export as JSON…', icon: 'export', command: 'threadline.exportOneChat' },
  copy: { label: 'Copy to Workspace…', icon: 'copy', command: 'threadline.copyChatToWorkspace' },
  move: { label: 'Move to Workspace…', icon: 'arrow-right', command: 'threadline.moveChatToWorkspace' },
} as const satisfies Record<string, { label: string; icon: string; command: string }>;
export type ChatAction = keyof typeof CHAT_ACTIONS;
const CHAT_ACTION_KINDS = Object.keys(CHAT_ACTIONS) as ChatAction[];

export const webviewToHostSchema = variant('type', [
  bare('ready'),
  /** `attachments` are the ids of the composer's chips (see `addAttachments`). */
  strictObject({
    type: literal('send'),
    requestId,
    text: text(LIMITS.maxMessageChars),
    attachments: pipe(array(id), maxLength(LIMITS.maxAttachments)),
  }),
  bare('stop'),
  strictObject({ type: literal('retry'), turnId: id }),
  /** "Compact and continue" on a turn that outgrew the context window. */
  strictObject({ type: literal('compact'), turnId: id }),
  bare('newChat'),
  strictObject({ type: literal('copy'), text: text(LIMITS.maxMessageChars) }),
  strictObject({ type: literal('insertCode'), code: text(LIMITS.maxMessageChars) }),
  strictObject({ type: literal('openAttachment'), ...openTargetSchema.entries }),
  strictObject({ type: literal('openLink'), href: text(LIMITS.maxUriChars) }),
  bare('setApiKey'),
  bare('openSettings'),
  /** Opens the model picker for the active conversation (the composer's "Model: <id>" button, an error action). */
  bare('selectModel'),
  /** Opens the reasoning-effort picker for the active conversation (the composer's "Effort: <level>" button). */
  bare('selectEffort'),
  /** "Regenerate": the turn's question again as a sibling branch; `choose` opens the model picker first. */
  strictObject({ type: literal('regenerate'), turnId: id, choose: boolean() }),
  strictObject({ type: literal('loadEarlier'), requestId, beforeTurnId: id }),
  strictObject({ type: literal('fork'), turnId: id }),
  strictObject({ type: literal('edit'), turnId: id, text: text(LIMITS.maxMessageChars) }),
  strictObject({ type: literal('switchBranch'), turnId: id, direction: picklist(['previous', 'next']) }),
  bare('showHistory'),
  bare('exportChat'),
  bare('copyAsMarkdown'),
  strictObject({ type: literal('requestHistory'), requestId }),
  strictObject({ type: literal('switchConversation'), conversationId }),
  strictObject({
    type: literal('renameConversation'),
    conversationId,
    title: pipe(text(LIMITS.maxTitleChars), check((t) => t.trim() !== '', 'a title is not blank')),
  }),
  /** The host asks for confirmation (a modal) before it deletes. */
  strictObject({ type: literal('deleteConversation'), conversationId }),
  /** A per-chat action of the history list that moves history (CHAT_ACTIONS). */
  strictObject({ type: literal('chatAction'), action: picklist(CHAT_ACTION_KINDS), conversationId }),
  /** "Add context": the host shows its quick pick and answers with `addAttachments` or a notice. */
  bare('addContext'),
  /** Files dropped on the view; the host reads only workspace files and answers like `addContext`. */
  strictObject({ type: literal('attachFiles'), uris: pipe(array(text(LIMITS.maxUriChars)), minLength(1), maxLength(LIMITS.maxAttachments)) }),
  /** A code block of `turnId`'s answer; the host finds where it goes from that turn's attachments. */
  strictObject({ type: literal('applyCode'), turnId: id, code: text(LIMITS.maxMessageChars) }),
]);
export type WebviewToHost = InferOutput<typeof webviewToHostSchema>;

/** Returns the message when it is well formed, or undefined. Never throws. */
export function parseWebviewMessage(v: unknown): WebviewToHost | undefined {
  const r = safeParse(webviewToHostSchema, v);
  return r.success ? r.output : undefined;
}
