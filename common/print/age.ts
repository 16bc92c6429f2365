// Durations and timestamps as kubectl prints them.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * kubectl's duration.HumanDuration: precise for short spans, coarser as they grow
 * (45s, 119s, 2m, 5m12s, 10m, 3h, 7h59m, 8h, 47h, 2d, 2d4h, 8d, 729d, 2y, 3y45d, 8y).
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  // Allow up to 2s of clock skew between machines before calling it invalid.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = Math.trunc(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/**
 * Kubernetes' duration.ShortHumanDuration (kubeadm token list's TTL): one unit, rounded down
 * (45s, 59m, 23h, 6d, 2y).
 */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  if (ms < HOUR) return `${Math.trunc(ms / MINUTE)}m`;
  if (ms < DAY) return `${Math.trunc(ms / HOUR)}h`;
  if (ms < 365 * DAY) return `${Math.trunc(ms / DAY)}d`;
  return `${Math.trunc(ms / (365 * DAY))}y`;
}

/** Age of a timestamp at `nowMs`, like kubectl's AGE column; `<unknown>` when missing or unparsable. */
export function formatAge(fromIso: string | undefined, nowMs: number): string {
  const from = parseTime(fromIso);
  return from === undefined ? '<unknown>' : humanDuration(nowMs - from);
}

/** Length of the span between two timestamps (e.g. a Job's DURATION), or "" when either is missing. */
export function formatSpan(fromIso: string | undefined, toIso: string | undefined): string {
  const from = parseTime(fromIso);
  const to = parseTime(toIso);
  return from === undefined || to === undefined ? '' : humanDuration(to - from);
}

export function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Go's time.RFC1123Z layout ("Mon, 02 Jan 2006 15:04:05 -0700"), used by kubectl describe.
 * `utcOffsetMinutes` defaults to this machine's offset at that instant (kubectl prints local time).
 */
export function formatTimestamp(iso: string | undefined, utcOffsetMinutes?: number): string {
  const t = parseTime(iso);
  if (t === undefined) return '<unknown>';
  const offset = utcOffsetMinutes ?? -new Date(t).getTimezoneOffset();
  const d = new Date(t + offset * MINUTE); // read with getUTC* to get wall-clock fields at that offset
  const p2 = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${sign}${p2(Math.trunc(abs / 60))}${p2(abs % 60)}`
  );
}

/** The AGE column of an object: time since its creationTimestamp. */
export function ageOf(obj: { metadata: { creationTimestamp?: string } }, nowMs: number): string {
  return formatAge(obj.metadata.creationTimestamp, nowMs);
}
