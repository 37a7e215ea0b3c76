// The API that `activate()` returns (`vscode.extensions.getExtension('threadline.threadline').exports`):
// what the chat view can do, for other extensions, keybinding tools and the integration tests.
import type { ConversationSummary, Turn } from '../core/types';
import type { AskResult, ChatController } from './chatController';

export interface ConversationState {
  id: string;
  title: string;
  /** The active path, oldest first. */
  turns: Turn[];
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
  switchBranch(turnId: string, direction: 'previous' | 'next'): Promise<void>;
}

export function createApi(c: ChatController): ThreadlineApi {
  return {
    async activeConversation() {
      const conv = await c.activeConversation();
      return conv && { id: conv.id, title: conv.meta.title, turns: conv.activePath(), responseChain: conv.responseChain() };
    },
    conversations: () => c.list(),
    switchTo: (id) => c.switchTo(id),
    rename: (id, title) => c.rename(id, title),
    delete: (id) => c.delete(id),
    fork: async (turnId) => (await c.fork(turnId))?.id,
    edit: (turnId, text) => c.edit(turnId, text),
    retry: (turnId) => c.retry(turnId),
    switchBranch: (turnId, direction) => c.switchBranch(turnId, direction),
  };
}
