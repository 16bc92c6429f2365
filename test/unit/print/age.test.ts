import assert from 'node:assert/strict';
import { formatAge, formatSpan, formatTimestamp, humanDuration } from '../../../common/print/age';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration (kubectl duration.HumanDuration)', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [-1500, '0s'], // up to 2s of clock skew reads as "now"
    [-2 * s, '<invalid>'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 12 * s, '5m12s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 4 * h, '2d4h'],
    [7 * d + 23 * h, '7d23h'],
    [12 * d + 5 * h, '12d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [3 * y + 45 * d, '3y45d'],
    [9 * y + 100 * d, '9y'],
  ];
  for (const [ms, text] of cases) {
    it(`prints ${ms}ms as ${text}`, () => assert.equal(humanDuration(ms), text));
  }
});

describe('formatAge', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);

  it('is the time from the timestamp to now', () => {
    assert.equal(formatAge('2026-01-10T11:54:48Z', now), '5m12s');
  });

  it('is <unknown> for a missing or unparsable timestamp', () => {
    assert.equal(formatAge(undefined, now), '<unknown>');
    assert.equal(formatAge('yesterday-ish', now), '<unknown>');
  });
});

describe('formatSpan', () => {
  it('measures between two timestamps and is empty when one is missing', () => {
    assert.equal(formatSpan('2026-01-10T11:00:00Z', '2026-01-10T11:00:42Z'), '42s');
    assert.equal(formatSpan('2026-01-10T11:00:00Z', undefined), '');
  });
});

describe('formatTimestamp (Go RFC1123Z)', () => {
  it('formats at the given UTC offset', () => {
    assert.equal(formatTimestamp('2026-01-05T09:03:07Z', 0), 'Mon, 05 Jan 2026 09:03:07 +0000');
    assert.equal(formatTimestamp('2026-01-05T09:03:07Z', -330), 'Mon, 05 Jan 2026 03:33:07 -0530');
    assert.equal(formatTimestamp('2026-01-05T23:30:00Z', 120), 'Tue, 06 Jan 2026 01:30:00 +0200');
  });

  it('is <unknown> without a timestamp', () => {
    assert.equal(formatTimestamp(undefined, 0), '<unknown>');
  });
});
