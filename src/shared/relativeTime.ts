// "5 min. ago": when a conversation was last used, for the history list in the view and the Quick Pick,
// in the user's language (Intl picks the words; the webview and the host each use their own locale).

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const formats = new Map<string | undefined, Intl.RelativeTimeFormat>();

/** Formats are costly to build and the history list asks for one per row: one per locale. */
function wordsFor(locale: string | undefined): Intl.RelativeTimeFormat {
  let f = formats.get(locale);
  if (!f) formats.set(locale, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' })));
  return f;
}

/**
 * A short, human time relative to `now`; dates past a week are shown as dates. `locale` defaults to the
 * runtime's.
 */
export function relativeTime(ms: number, now = Date.now(), locale?: string): string {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '';
  const ago = now - ms;
  const words = wordsFor(locale);
  if (ago < MIN) return words.format(0, 'second');
  if (ago < HOUR) return words.format(-Math.floor(ago / MIN), 'minute');
  if (ago < DAY) return words.format(-Math.floor(ago / HOUR), 'hour');
  if (ago < 7 * DAY) return words.format(-Math.floor(ago / DAY), 'day');
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(locale, { month: 'short', day: 'numeric', year: sameYear ? undefined : 'numeric' });
}
