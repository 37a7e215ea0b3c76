// "5 min ago": when a conversation was last used, for the history list in the view and the Quick Pick.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A short, human time relative to `now`; dates past a week are shown as dates. */
export function relativeTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '';
  const ago = now - ms;
  if (ago < MIN) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MIN)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 2 * DAY) return 'yesterday';
  if (ago < 7 * DAY) return `${Math.floor(ago / DAY)} days ago`;
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: sameYear ? undefined : 'numeric' });
}
