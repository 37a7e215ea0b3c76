// The one message protocol between the extension host and the chat webview.
// The webview posts nothing but `ready` until the host has answered it with a snapshot, and the host
// posts nothing before `ready` (the handshake). The host validates every incoming message with
// `parseWebviewMessage` and drops what does not fit.
import type { Attachment, ChainingMode, ConversationSummary, ErrorAction, Turn } from '../core/types';

/** The parts of an answer that stream separately. */
export type StreamPart = 'text';

/**
 * A turn as the view shows it: the record plus its place among its siblings. Attachments are chips (path,
 * line range, language): their contents stay in the host.
 */
export interface TurnView extends Omit<Turn, 'attachments'> {
  attachments: Omit<Attachment, 'code'>[];
  /** 1-based position among the turns that share this turn's parent. */
  siblingIndex: number;
  siblingCount: number;
}

export interface ViewState {
  /** The active conversation is running a turn (other conversations may be too): Send waits. */
  busy: boolean;
  hasKey: boolean;
  model: string;
  chaining: ChainingMode;
  endpoint: string;
}

export interface ConversationView {
  id: string;
  title: string;
  /** The active path's newest turns, oldest first. */
  turns: TurnView[];
  /** Older turns exist on the active path; ask with `loadEarlier`. */
  hasEarlier: boolean;
}

export type HostToWebview =
  | { type: 'snapshot'; conversation: ConversationView; state: ViewState }
  | { type: 'earlierTurns'; conversationId: string; turns: TurnView[]; hasEarlier: boolean }
  | { type: 'turnStarted'; conversationId: string; turn: TurnView }
  /** Text that extends one part of the live turn; `part` names which (a new streamed part adds a member). */
  | { type: 'delta'; conversationId: string; turnId: string; part: StreamPart; text: string }
  | { type: 'turnFinished'; conversationId: string; turn: TurnView }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string; actions: ErrorAction[] }
  | { type: 'state'; state: ViewState }
  | { type: 'addAttachments'; attachments: Attachment[] }
  | { type: 'setDraft'; text: string }
  | { type: 'focusComposer' }
  /**
   * This workspace's conversations, most recently used first (at most `LIMITS.historyItems`; `total`
   * counts them all). Sent on `requestHistory`, and after a conversation is created, switched to,
   * renamed or deleted.
   */
  | { type: 'history'; conversations: ConversationSummary[]; activeId: string | null; total: number };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string; attachments: Attachment[] }
  | { type: 'stop' }
  | { type: 'retry'; turnId: string }
  | { type: 'newChat' }
  | { type: 'copy'; text: string }
  | { type: 'insertCode'; code: string }
  | { type: 'openAttachment'; uri: string; startLine: number; endLine: number }
  | { type: 'openLink'; href: string }
  | { type: 'setApiKey' }
  | { type: 'openSettings' }
  | { type: 'loadEarlier'; beforeTurnId: string }
  | { type: 'fork'; turnId: string }
  | { type: 'edit'; turnId: string; text: string }
  | { type: 'switchBranch'; turnId: string; direction: 'previous' | 'next' }
  | { type: 'showHistory' }
  | { type: 'exportChat' }
  | { type: 'copyAsMarkdown' }
  | { type: 'requestHistory' }
  | { type: 'switchConversation'; conversationId: string }
  | { type: 'renameConversation'; conversationId: string; title: string }
  /** The host asks for confirmation (a modal) before it deletes. */
  | { type: 'deleteConversation'; conversationId: string };

/** Limits on what the webview may send, so a bad message cannot make the host do heavy work. */
export const LIMITS = {
  maxMessageChars: 1_000_000,
  maxAttachments: 20,
  maxAttachmentChars: 1_000_000,
  maxIdChars: 200,
  maxUriChars: 4_000,
  /** A conversation title, as typed in a rename box. */
  maxTitleChars: 200,
  /** How many conversations a `history` message lists; the Quick Pick shows them all. */
  historyItems: 200,
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const id = (v: unknown): v is string => str(v, LIMITS.maxIdChars) && v.length > 0;
const line = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 10_000_000;
const keys = (o: Obj, allowed: string[]): boolean => Object.keys(o).every((k) => allowed.includes(k));

function parseAttachment(v: unknown): Attachment | undefined {
  if (!isObj(v) || v.kind !== 'selection') return undefined;
  if (!keys(v, ['kind', 'path', 'uri', 'startLine', 'endLine', 'languageId', 'code'])) return undefined;
  const { path, uri, startLine, endLine, languageId, code } = v;
  if (!str(path, LIMITS.maxUriChars) || !str(uri, LIMITS.maxUriChars) || !str(languageId, 100)) return undefined;
  if (!line(startLine) || !line(endLine) || endLine < startLine) return undefined;
  if (!str(code, LIMITS.maxAttachmentChars)) return undefined;
  return { kind: 'selection', path, uri, startLine, endLine, languageId, code };
}

/** Returns the message when it is well formed, or undefined. Never throws. */
export function parseWebviewMessage(v: unknown): WebviewToHost | undefined {
  if (!isObj(v) || typeof v.type !== 'string') return undefined;
  const m = v;
  const only = (...k: string[]) => keys(m, ['type', ...k]);
  switch (m.type) {
    case 'ready':
    case 'stop':
    case 'newChat':
    case 'setApiKey':
    case 'openSettings':
    case 'showHistory':
    case 'exportChat':
    case 'copyAsMarkdown':
    case 'requestHistory':
      return only() ? { type: m.type } : undefined;
    case 'switchConversation':
    case 'deleteConversation':
      return only('conversationId') && id(m.conversationId) ? { type: m.type, conversationId: m.conversationId } : undefined;
    case 'renameConversation':
      return only('conversationId', 'title') && id(m.conversationId) && str(m.title, LIMITS.maxTitleChars) && m.title.trim() !== ''
        ? { type: 'renameConversation', conversationId: m.conversationId, title: m.title }
        : undefined;
    case 'send': {
      if (!only('text', 'attachments') || !str(m.text, LIMITS.maxMessageChars)) return undefined;
      if (!Array.isArray(m.attachments) || m.attachments.length > LIMITS.maxAttachments) return undefined;
      const attachments = m.attachments.map(parseAttachment);
      if (attachments.some((a) => a === undefined)) return undefined;
      return { type: 'send', text: m.text, attachments: attachments as Attachment[] };
    }
    case 'retry':
    case 'fork':
      return only('turnId') && id(m.turnId) ? { type: m.type, turnId: m.turnId } : undefined;
    case 'loadEarlier':
      return only('beforeTurnId') && id(m.beforeTurnId) ? { type: 'loadEarlier', beforeTurnId: m.beforeTurnId } : undefined;
    case 'edit':
      return only('turnId', 'text') && id(m.turnId) && str(m.text, LIMITS.maxMessageChars)
        ? { type: 'edit', turnId: m.turnId, text: m.text }
        : undefined;
    case 'switchBranch':
      return only('turnId', 'direction') && id(m.turnId) && (m.direction === 'previous' || m.direction === 'next')
        ? { type: 'switchBranch', turnId: m.turnId, direction: m.direction }
        : undefined;
    case 'copy':
      return only('text') && str(m.text, LIMITS.maxMessageChars) ? { type: 'copy', text: m.text } : undefined;
    case 'insertCode':
      return only('code') && str(m.code, LIMITS.maxMessageChars) ? { type: 'insertCode', code: m.code } : undefined;
    case 'openLink':
      return only('href') && str(m.href, LIMITS.maxUriChars) ? { type: 'openLink', href: m.href } : undefined;
    case 'openAttachment':
      return only('uri', 'startLine', 'endLine') && str(m.uri, LIMITS.maxUriChars) && line(m.startLine) && line(m.endLine)
        ? { type: 'openAttachment', uri: m.uri, startLine: m.startLine, endLine: m.endLine }
        : undefined;
    default:
      return undefined;
  }
}
