// A conversation is a tree of turns. The active path runs from a root to the head turn; the view shows
// it, and the chain of response ids along it decides what the next request chains from.
import type { EffortLevel } from './effort';
import type { Turn } from './types';

export interface ConversationMeta {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Set on a conversation made with "Fork from here". */
  forkOf?: { conversationId: string; turnId: string };
  /** The model picked for this conversation; without one it asks `threadline.model`. */
  model?: string;
  /** The reasoning effort picked for this conversation; without one it follows `threadline.reasoningEffort`. */
  reasoningEffort?: EffortLevel;
}

const TITLE_MAX = 60;

/** The first line of the first question, cut to about 60 characters. */
export function titleFrom(question: string): string {
  const first = question.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (!first) return 'New chat';
  return first.length <= TITLE_MAX ? first : `${first.slice(0, TITLE_MAX - 1).trimEnd()}…`;
}

/** How long a title may be; longer ones (a pasted rename) are cut. */
export const TITLE_MAX_CHARS = 200;

/** A title as the user typed it in a rename box: one line, spaces collapsed, cut; undefined when blank. */
export function cleanTitle(title: string): string | undefined {
  const one = title.replace(/\s+/g, ' ').trim();
  if (!one) return undefined;
  const chars = [...one];
  return chars.length <= TITLE_MAX_CHARS ? one : chars.slice(0, TITLE_MAX_CHARS).join('').trimEnd();
}

export class Conversation {
  private readonly turns = new Map<string, Turn>();
  /** Child ids per parent id ('' for roots), in creation order. */
  private readonly children = new Map<string, string[]>();
  private head: string | null = null;

  constructor(public meta: ConversationMeta) {}

  get id(): string {
    return this.meta.id;
  }

  get headId(): string | null {
    return this.head;
  }

  get size(): number {
    return this.turns.size;
  }

  getTurn(id: string): Turn | undefined {
    return this.turns.get(id);
  }

  /** Adds a new turn (or replaces a known one with a newer record) and makes a new turn the head. */
  put(turn: Turn): void {
    const known = this.turns.has(turn.id);
    this.turns.set(turn.id, turn);
    if (!known) {
      const key = turn.parentId ?? '';
      const list = this.children.get(key);
      if (list) list.push(turn.id);
      else this.children.set(key, [turn.id]);
      this.head = turn.id;
    }
    this.meta.updatedAt = Math.max(this.meta.updatedAt, turn.finishedAt ?? turn.createdAt);
  }

  /** Points the active path at a turn that exists; returns false otherwise. */
  setHead(turnId: string | null): boolean {
    if (turnId !== null && !this.turns.has(turnId)) return false;
    this.head = turnId;
    return true;
  }

  /** The active path, root first. */
  activePath(): Turn[] {
    return this.pathTo(this.head);
  }

  /** The turns from a root down to `turnId`, inclusive. */
  pathTo(turnId: string | null): Turn[] {
    const path: Turn[] = [];
    const seen = new Set<string>();
    let id = turnId;
    while (id !== null && !seen.has(id)) {
      seen.add(id);
      const t = this.turns.get(id);
      if (!t) break;
      path.push(t);
      id = t.parentId;
    }
    return path.reverse();
  }

  /**
   * The turns whose exchange is in the model's context for a new turn under `parentId`: completed turns
   * only. Failed, cancelled, incomplete and interrupted turns stay visible but are not context.
   */
  contextBefore(parentId: string | null): Turn[] {
    return this.pathTo(parentId).filter((t) => t.status === 'completed');
  }

  /**
   * The response id the next turn on the active path chains from: the newest completed turn's. Walks
   * back from the head only as far as that turn, so it costs the same at turn 1,000 as at turn 1.
   */
  chainTip(): string | undefined {
    const seen = new Set<string>();
    for (let id = this.head; id !== null && !seen.has(id); ) {
      seen.add(id);
      const t = this.turns.get(id);
      if (!t) return undefined;
      if (t.status === 'completed') return t.responseId;
      id = t.parentId;
    }
    return undefined;
  }

  /** The response ids along the active path: the server-side chain. */
  responseChain(): string[] {
    return this.contextBefore(this.head).flatMap((t) => (t.responseId ? [t.responseId] : []));
  }

  siblings(turnId: string): Turn[] {
    const t = this.turns.get(turnId);
    if (!t) return [];
    return (this.children.get(t.parentId ?? '') ?? []).map((id) => this.turns.get(id)!);
  }

  /** 1-based position among siblings, and their count. */
  siblingPosition(turnId: string): { index: number; count: number } {
    const sibs = this.siblings(turnId);
    return { index: sibs.findIndex((s) => s.id === turnId) + 1, count: sibs.length };
  }

  /**
   * Moves the active path to the previous or next sibling of `turnId`, down to that branch's newest
   * leaf. Returns the new head, or undefined at an end.
   */
  switchBranch(turnId: string, direction: 'previous' | 'next'): string | undefined {
    const sibs = this.siblings(turnId);
    const at = sibs.findIndex((s) => s.id === turnId);
    const target = sibs[at + (direction === 'next' ? 1 : -1)];
    if (at < 0 || !target) return undefined;
    this.head = this.newestLeafUnder(target.id);
    return this.head;
  }

  private newestLeafUnder(turnId: string): string {
    let id = turnId;
    for (;;) {
      const kids = this.children.get(id);
      if (!kids?.length) return id;
      id = kids[kids.length - 1]!;
    }
  }

  allTurns(): Turn[] {
    return [...this.turns.values()];
  }
}
