// What survives the webview being hidden or reloaded (VS Code's getState/setState): the draft, its
// attachment chips and the scroll position. Conversations themselves always come from the host.
import { array, boolean, fallback, type InferOutput, literal, number, object, optional, safeParse, string } from 'valibot';
import { draftChipSchema } from '../shared/chipSchema';
import type { Draft } from './view/composer';

const scrollSchema = object({ conversationId: string(), top: number(), atBottom: boolean() });
export type ScrollState = InferOutput<typeof scrollSchema>;

/**
 * What the webview saves. Each part falls back on its own, so one bad part (say, a chip saved by an
 * older version) loses only itself, never the typed text.
 */
const persistedSchema = object({
  v: literal(1),
  draft: fallback(
    object({
      text: fallback(string(), ''),
      attachments: fallback(array(fallback(optional(draftChipSchema), undefined)), []),
    }),
    { text: '', attachments: [] },
  ),
  scroll: fallback(optional(scrollSchema), undefined),
});

export interface PersistedState {
  v: 1;
  draft: Draft;
  scroll?: ScrollState;
}

/** Reads whatever getState returned, keeping only what is well formed. */
export function readState(raw: unknown): PersistedState {
  const r = safeParse(persistedSchema, raw);
  if (!r.success) return { v: 1, draft: { text: '', attachments: [] } };
  const { draft, scroll } = r.output;
  const attachments = draft.attachments.filter((a) => a !== undefined);
  return scroll ? { v: 1, draft: { text: draft.text, attachments }, scroll } : { v: 1, draft: { text: draft.text, attachments } };
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
