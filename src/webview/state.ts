// What survives the webview being hidden or reloaded (VS Code's getState/setState): the draft, its
// attachment chips and the scroll position. Conversations themselves always come from the host.
import type { Attachment } from '../core/types';
import type { Draft } from './view/composer';

export interface ScrollState {
  conversationId: string;
  top: number;
  atBottom: boolean;
}

export interface PersistedState {
  v: 1;
  draft: Draft;
  scroll?: ScrollState;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isAttachment(a: unknown): a is Attachment {
  return isObj(a) && a.kind === 'selection' && typeof a.path === 'string' && typeof a.uri === 'string'
    && Number.isInteger(a.startLine) && Number.isInteger(a.endLine) && typeof a.languageId === 'string' && typeof a.code === 'string';
}

/** Reads whatever getState returned, keeping only what is well formed. */
export function readState(raw: unknown): PersistedState {
  const out: PersistedState = { v: 1, draft: { text: '', attachments: [] } };
  if (!isObj(raw) || raw.v !== 1) return out;
  if (isObj(raw.draft)) {
    if (typeof raw.draft.text === 'string') out.draft.text = raw.draft.text;
    if (Array.isArray(raw.draft.attachments)) out.draft.attachments = raw.draft.attachments.filter(isAttachment);
  }
  const s = raw.scroll;
  if (isObj(s) && typeof s.conversationId === 'string' && typeof s.top === 'number' && typeof s.atBottom === 'boolean') {
    out.scroll = { conversationId: s.conversationId, top: s.top, atBottom: s.atBottom };
  }
  return out;
}

/** Calls setState at most every `delayMs`, and at once when the page is hidden or goes away. */
export class StateSaver {
  private timer = 0;

  constructor(private readonly save: () => void, private readonly delayMs = 150) {
    const now = (): void => this.flush();
    window.addEventListener('pagehide', now);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && now());
  }

  schedule(): void {
    if (!this.timer) this.timer = window.setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = 0;
    this.save();
  }
}
