// How long a model thought, as the view and the Markdown export say it.

/** Whole seconds, never 0: a model that thought at all thought for a moment. */
export function thinkingSeconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}
