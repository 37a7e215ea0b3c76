// What the chat view shows, projected from a conversation: the snapshot's newest turns, pages of earlier
// ones, the history list and lean turn views (attachment chips, never their contents). Pure: no VS Code,
// so the benchmarks import the same constants.
import { attachmentChip, openTarget } from '../core/attachments';
import type { Conversation } from '../core/conversation';
import type { ConversationSummary, Turn } from '../core/types';
import { LIMITS, type ConversationView, type HostToWebview, type TurnView } from '../shared/protocol';

/** How many turns of the active path a snapshot carries: enough to fill the view several times over. */
export const SNAPSHOT_TURNS = 20;
/** How many older turns each "Load earlier messages" brings. */
export const EARLIER_PAGE = 50;

export function turnView(conv: Conversation, t: Turn): TurnView {
  const { index, count } = conv.siblingPosition(t.id);
  return {
    ...t,
    attachments: t.attachments.map(attachmentChip),
    siblingIndex: index,
    siblingCount: count,
  };
}

/** The active conversation's newest turns, or an empty new chat. */
export function conversationView(conv: Conversation | undefined): ConversationView {
  const path = conv?.activePath() ?? [];
  const turns = path.slice(-SNAPSHOT_TURNS);
  return {
    id: conv?.id ?? '',
    title: conv?.meta.title ?? 'New chat',
    turns: conv ? turns.map((t) => turnView(conv, t)) : [],
    hasEarlier: path.length > turns.length,
  };
}

/** Up to EARLIER_PAGE turns of the active path before `beforeTurnId`. */
export function earlierTurns(conv: Conversation, beforeTurnId: string, requestId: string): Extract<HostToWebview, { type: 'earlierTurns' }> {
  const path = conv.activePath();
  const at = path.findIndex((t) => t.id === beforeTurnId);
  if (at <= 0) return { type: 'earlierTurns', requestId, conversationId: conv.id, turns: [], hasEarlier: false };
  const from = Math.max(0, at - EARLIER_PAGE);
  return {
    type: 'earlierTurns',
    requestId,
    conversationId: conv.id,
    turns: path.slice(from, at).map((t) => turnView(conv, t)),
    hasEarlier: from > 0,
  };
}

/** The newest conversations for the view's history list, and which one is active. */
export function historyMessage(all: ConversationSummary[], activeId: string | null, requestId?: string): Extract<HostToWebview, { type: 'history' }> {
  return { type: 'history', requestId, conversations: all.slice(0, LIMITS.historyItems), activeId, total: all.length };
}

/** The URIs of a conversation's attachments along its active path: the only files the view may ask to open. */
export function attachmentUris(conv: Conversation | undefined): Set<string> {
  return new Set(conv?.activePath().flatMap((t) => t.attachments.flatMap((a) => openTarget(a)?.uri ?? [])) ?? []);
}
