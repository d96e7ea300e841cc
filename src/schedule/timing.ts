/**
 * When a schedule fires: parsing and checking cron patterns (croner) and intervals, and listing fire
 * times. Pure functions of the timing and the instants given; nothing here reads a clock.
 *
 * Daylight saving time, as croner does it and as the tests pin down: a cron pattern is read in its time
 * zone's wall-clock time. A local time that does not exist (the spring-forward gap, e.g. 02:30 on the
 * night clocks jump from 02:00 to 03:00) fires at the next valid time (03:00); a local time that occurs
 * twice (fall back) fires once, at its first occurrence. Intervals are exact elapsed seconds, blind to DST.
 */
import { Cron } from 'croner';
import type { ScheduleTiming } from '../store/index.ts';
import { ScheduleInputError } from './schedule-errors.ts';

/** Parses `30s`, `5m`, `2h`, `1d` (or a bare number of seconds) into seconds. */
export function parseDuration(text: string, field = 'every'): number {
  const match = /^\s*(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)?\s*$/i.exec(text);
  const unit = (match?.[2] ?? 's').toLowerCase()[0]!;
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[unit]! : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1)
    throw new ScheduleInputError(field, `${field} '${text}' is not a duration; write e.g. 30s, 5m, 2h or 1d`);
  return seconds;
}

/** Throws ScheduleInputError (naming `field`) unless `zone` is an IANA time zone this Node knows. */
export function checkTimeZone(zone: string, field = 'timeZone'): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ScheduleInputError(
      field,
      `${field} '${zone}' is not an IANA time zone; use e.g. UTC, Europe/Berlin or America/New_York`,
    );
  }
}

/** A croner job that never runs: only its pattern arithmetic is used. */
function cronOf(cron: string, timeZone: string, field = 'cron'): Cron {
  checkTimeZone(timeZone);
  try {
    return new Cron(cron, { paused: true, timezone: timeZone, mode: '5-or-6-parts' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScheduleInputError(
      field,
      `${field} '${cron}' is not a cron pattern (${reason}); write 5 fields (minute hour day month weekday, e.g. '0 2 * * 1') or 6 with seconds first`,
    );
  }
}

/** Checks a timing (cron syntax and zone, interval bounds); throws ScheduleInputError naming the field. */
export function checkTiming(timing: ScheduleTiming): void {
  if (timing.kind === 'cron') {
    cronOf(timing.cron, timing.timeZone);
    return;
  }
  if (!Number.isSafeInteger(timing.everySeconds) || timing.everySeconds < 1)
    throw new ScheduleInputError('every', 'an interval must be a whole number of seconds >= 1');
  if (Number.isNaN(Date.parse(timing.startAt)))
    throw new ScheduleInputError('startAt', `startAt '${timing.startAt}' is not an ISO-8601 time`);
}

/** `after → the first fire time strictly after it`, with the pattern parsed once. */
function stepper(timing: ScheduleTiming): (after: Date) => Date | undefined {
  if (timing.kind === 'cron') {
    const cron = cronOf(timing.cron, timing.timeZone);
    return (after) => cron.nextRun(after) ?? undefined;
  }
  const start = Date.parse(timing.startAt);
  const step = timing.everySeconds * 1000;
  return (after) =>
    after.getTime() < start
      ? new Date(start)
      : new Date(start + (Math.floor((after.getTime() - start) / step) + 1) * step);
}

/** The first fire time strictly after `after`, or undefined if there is none. */
export function nextFireTime(timing: ScheduleTiming, after: Date): Date | undefined {
  return stepper(timing)(after);
}

/** The next `count` fire times strictly after `after`. */
export function nextFireTimes(timing: ScheduleTiming, after: Date, count: number): Date[] {
  const next = stepper(timing);
  const times: Date[] = [];
  let cursor: Date | undefined = after;
  while (times.length < count && (cursor = next(cursor)) !== undefined) times.push(cursor);
  return times;
}

/** The last fire time at or before `at`, or undefined if there is none. */
export function latestFireTime(timing: ScheduleTiming, at: Date): Date | undefined {
  if (timing.kind === 'cron') {
    // croner's previousRuns excludes a run exactly at the reference; one millisecond later includes it.
    return cronOf(timing.cron, timing.timeZone).previousRuns(1, new Date(at.getTime() + 1))[0];
  }
  const start = Date.parse(timing.startAt);
  if (at.getTime() < start) return undefined;
  const step = timing.everySeconds * 1000;
  return new Date(start + Math.floor((at.getTime() - start) / step) * step);
}

/** Fire times in (after, through], oldest first, at most `limit` of them. */
export function fireTimesBetween(timing: ScheduleTiming, after: Date, through: Date, limit: number): Date[] {
  const next = stepper(timing);
  const times: Date[] = [];
  let cursor: Date | undefined = after;
  while (times.length < limit) {
    cursor = next(cursor);
    if (cursor === undefined || cursor.getTime() > through.getTime()) break;
    times.push(cursor);
  }
  return times;
}

/** `cron '0 2 * * 1' (Europe/Berlin)` or `every 30 s from …`: how a timing reads in lists. */
export function describeTiming(timing: ScheduleTiming): string {
  if (timing.kind === 'cron') return `cron '${timing.cron}' (${timing.timeZone})`;
  return `every ${formatSeconds(timing.everySeconds)} from ${timing.startAt}`;
}

function formatSeconds(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}
