// Relative times in the history list and the Quick Pick.
import assert from 'node:assert/strict';
import { relativeTime } from '../../src/shared/relativeTime';

describe('relativeTime: when a conversation was last used', () => {
  const now = new Date(2025, 5, 15, 12, 0, 0).getTime();
  const ago = (ms: number, locale = 'en-US') => relativeTime(now - ms, now, locale);
  it('says now, minutes, hours, yesterday and days then the date', () => {
    assert.equal(ago(5_000), 'now');
    assert.equal(ago(-60_000), 'now', 'a clock that ran ahead');
    assert.equal(ago(5 * 60_000), '5 min. ago');
    assert.equal(ago(3 * 3600_000 + 59 * 60_000), '3 hr. ago');
    assert.equal(ago(30 * 3600_000), 'yesterday');
    assert.equal(ago(4 * 86400_000), '4 days ago');
    assert.equal(ago(20 * 86400_000), 'May 26');
    assert.match(ago(400 * 86400_000), /2024/);
    assert.equal(relativeTime(Number.NaN, now), '');
  });

  it("speaks the user's language", () => {
    assert.equal(ago(5 * 60_000, 'de'), 'vor 5 Min.');
    assert.equal(ago(30 * 3600_000, 'fr'), 'hier');
    assert.equal(ago(20 * 86400_000, 'de'), '26. Mai');
    assert.equal(relativeTime(now - 5 * 60_000, now), new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' }).format(-5, 'minute'),
      'without a locale, the runtime\'s');
  });
});
