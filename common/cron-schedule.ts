// Cron schedules as Kubernetes CronJobs write them: five fields (minute hour day-of-month month
// day-of-week) or a nickname (@hourly, @daily, ...), read in a time zone. Parsing and the calendar
// arithmetic (daylight saving included) are croner's; this module narrows croner's richer syntax to
// what Kubernetes accepts, so a manifest Kite takes also runs on a real cluster, and answers the
// questions the CronJob controller asks.
//
// Daylight saving follows Vixie cron (croner's rule): a fixed-time run that falls in the
// spring-forward gap runs right after the gap that day; one in the repeated fall-back hour runs
// once. Interval schedules (`*/5 * * * *`) skip the gap and run through the repeated hour.
import { Cron } from 'croner';

const NICKNAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
/** Names each field may use instead of numbers (case-insensitive); the others take numbers only. */
const NAMES: Partial<Record<(typeof FIELDS)[number], ReadonlySet<string>>> = {
  month: new Set(['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']),
  'day of week': new Set(['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']),
};
/** Standard cron: numbers, names, `*`, lists, ranges, steps and `?`. (No L, W, # or + of Quartz/croner.) */
const FIELD_CHARS = /^[0-9A-Za-z*,\-/?]+$/;
/** A reference instant for "does this schedule ever run": any schedule that runs does so within 28 years of it. */
const SOME_TIME = new Date(Date.UTC(2000, 0, 1));

/** What is wrong with a time zone name (an IANA name such as "Europe/Paris"), or undefined. */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (timeZone === '' || timeZone.trim() !== timeZone) return 'must be an IANA time zone name such as "Europe/Paris"';
  if (timeZone === 'Local') return 'must be an explicit time zone such as "Europe/Paris", not "Local"';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `unknown time zone ${JSON.stringify(timeZone)}: must be an IANA time zone name such as "Europe/Paris"`;
  }
}

/** What is wrong with a schedule, or undefined. The message names the problem, not the field. */
export function cronScheduleProblem(schedule: string): string | undefined {
  // As Kubernetes: a zone inside the schedule would bypass spec.timeZone's validation.
  if (schedule.includes('TZ')) return 'cannot use TZ or CRON_TZ in schedule; set spec.timeZone instead';
  const text = schedule.trim();
  if (text.startsWith('@')) {
    if (!NICKNAMES.includes(text.toLowerCase())) return `unknown schedule ${JSON.stringify(text)}: must be five fields (minute hour day-of-month month day-of-week) or one of ${NICKNAMES.join(', ')}`;
    return undefined;
  }
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const field = fields[i]!;
    const what = FIELDS[i]!;
    if (!FIELD_CHARS.test(field)) return `${what} field ${JSON.stringify(field)}: only numbers, names, "*", ",", "-", "/" and "?" are allowed`;
    for (const word of field.match(/[A-Za-z]+/g) ?? []) {
      if (!NAMES[what]?.has(word.toUpperCase())) return `${what} field ${JSON.stringify(field)}: unknown name ${JSON.stringify(word)}`;
    }
  }
  let cron: Cron;
  try {
    cron = croner(text, undefined);
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, '');
  }
  if (!cron.nextRun(SOME_TIME)) return 'never runs (no date matches it)';
  return undefined;
}

function croner(pattern: string, timeZone: string | undefined): Cron {
  return new Cron(pattern, { mode: '5-part', paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
}

/**
 * A valid schedule in a time zone (the controller process's own zone when none is given, as
 * Kubernetes does). Times are epoch milliseconds.
 */
export class CronSchedule {
  private readonly cron: Cron;

  private constructor(
    readonly schedule: string,
    readonly timeZone: string | undefined,
  ) {
    this.cron = croner(schedule.trim(), timeZone);
  }

  /** The schedule, or a message saying what is wrong with it or with the zone. */
  static parse(schedule: string, timeZone?: string): CronSchedule | { problem: string } {
    const problem = cronScheduleProblem(schedule) ?? (timeZone !== undefined ? timeZoneProblem(timeZone) : undefined);
    return problem ? { problem } : new CronSchedule(schedule, timeZone);
  }

  /** The first run strictly after t, or undefined if there is none. */
  nextAfter(t: number): number | undefined {
    return this.cron.nextRun(new Date(t))?.getTime();
  }

  /** The latest run at or before t, or undefined. */
  latestAtOrBefore(t: number): number | undefined {
    return this.cron.previousRuns(1, new Date(t + 1))[0]?.getTime();
  }

  /** How many runs fall in (after, atOrBefore], counting no further than `cap`. */
  countBetween(after: number, atOrBefore: number, cap: number): number {
    let n = 0;
    for (let t = this.nextAfter(after); t !== undefined && t <= atOrBefore && n < cap; t = this.nextAfter(t)) n++;
    return n;
  }

  /** t as RFC 3339 in the schedule's zone (UTC when it has none), as Kubernetes stamps a scheduled Job. */
  format(t: number): string {
    return rfc3339InZone(t, this.timeZone);
  }
}

/** RFC 3339 with the zone's offset at that instant, to the second ("2026-03-08T03:00:00-04:00"). */
export function rfc3339InZone(t: number, timeZone: string | undefined): string {
  if (!timeZone) return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(t));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const gmt = part('timeZoneName'); // "GMT-04:00"; "GMT" or "GMT+00:00" at offset zero
  const offset = gmt === 'GMT' || gmt === 'GMT+00:00' ? 'Z' : gmt.slice(3); // as Go's RFC 3339: Z for a zero offset
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}${offset}`;
}
