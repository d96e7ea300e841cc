/** Fire-time arithmetic, catch-up decisions and fire times in words: pure functions, no clock. */
import { describe, expect, it } from 'vitest';
import {
  decideCatchUp,
  describeFireTime,
  fireTimesBetween,
  latestFireTime,
  nextFireTimes,
  parseDuration,
} from '../../src/schedule/index.ts';
import type { ScheduleTiming } from '../../src/store/index.ts';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const hourly: ScheduleTiming = { kind: 'cron', cron: '0 * * * *', timeZone: 'UTC' };
const every90s: ScheduleTiming = { kind: 'interval', everySeconds: 90, startAt: '2026-06-01T00:00:00.000Z' };

describe('timing', () => {
  it('reads durations and refuses what is not one, naming the field', () => {
    expect([
      parseDuration('30s'),
      parseDuration('15m'),
      parseDuration('6h'),
      parseDuration('1d'),
      parseDuration('45'),
    ]).toEqual([30, 900, 21_600, 86_400, 45]);
    expect(() => parseDuration('soon')).toThrow(
      "every 'soon' is not a duration; write e.g. 30s, 5m, 2h or 1d",
    );
    expect(() => parseDuration('0s')).toThrow(/is not a duration/);
  });

  it('lists interval fire times from the start, exact in elapsed seconds', () => {
    expect(iso(nextFireTimes(every90s, new Date('2026-05-31T00:00:00Z'), 3))).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-01T00:01:30.000Z',
      '2026-06-01T00:03:00.000Z',
    ]);
    expect(latestFireTime(every90s, new Date('2026-06-01T00:03:00Z'))?.toISOString()).toBe(
      '2026-06-01T00:03:00.000Z',
    );
    expect(latestFireTime(every90s, new Date('2026-05-31T23:59:59Z'))).toBeUndefined();
  });

  it('6-field patterns fire on seconds; windows are (after, through]', () => {
    const perSecond: ScheduleTiming = { kind: 'cron', cron: '*/1 * * * * *', timeZone: 'UTC' };
    expect(
      iso(
        fireTimesBetween(perSecond, new Date('2026-06-01T00:00:00Z'), new Date('2026-06-01T00:00:03Z'), 10),
      ),
    ).toEqual(['2026-06-01T00:00:01.000Z', '2026-06-01T00:00:02.000Z', '2026-06-01T00:00:03.000Z']);
    expect(latestFireTime(hourly, new Date('2026-06-01T05:00:00Z'))?.toISOString()).toBe(
      '2026-06-01T05:00:00.000Z',
    );
  });
});

describe('catch-up decisions', () => {
  const through = new Date('2026-06-01T01:05:00Z');
  const now = new Date('2026-06-01T04:05:00Z');

  it('skip claims nothing late, latest the newest slot, all every slot in order', () => {
    expect(iso(decideCatchUp(hourly, 'skip', through, now).slots)).toEqual([]);
    expect(iso(decideCatchUp(hourly, 'latest', through, now).slots)).toEqual(['2026-06-01T04:00:00.000Z']);
    expect(iso(decideCatchUp(hourly, 'all', through, now).slots)).toEqual([
      '2026-06-01T02:00:00.000Z',
      '2026-06-01T03:00:00.000Z',
      '2026-06-01T04:00:00.000Z',
    ]);
  });

  it('skip still claims a slot that is on time; a window without slots changes nothing', () => {
    expect(iso(decideCatchUp(hourly, 'skip', through, new Date('2026-06-01T04:00:30Z')).slots)).toEqual([
      '2026-06-01T04:00:00.000Z',
    ]);
    const quiet = decideCatchUp(hourly, 'all', through, new Date('2026-06-01T01:59:00Z'));
    expect([quiet.slots, quiet.through]).toEqual([[], through]);
  });

  it('all claims a long outage in chunks, resuming where the last chunk ended', () => {
    const perSecond: ScheduleTiming = { kind: 'cron', cron: '* * * * * *', timeZone: 'UTC' };
    const first = decideCatchUp(perSecond, 'all', through, now);
    expect(first.slots).toHaveLength(500);
    expect(first.through).toEqual(first.slots.at(-1));
    expect(decideCatchUp(perSecond, 'all', first.through, now).slots[0]!.getTime()).toBe(
      first.through.getTime() + 1000,
    );
  });
});

describe('fire times in words', () => {
  const now = new Date('2026-12-06T23:00:00Z');
  it('says how far and when, in the zone', () => {
    expect(describeFireTime(new Date('2026-12-07T02:00:00Z'), now)).toBe(
      'in 3 hours (Mon 2026-12-07 02:00 UTC)',
    );
    expect(describeFireTime(new Date('2026-12-07T07:00:00Z'), now, 'America/New_York')).toBe(
      'in 8 hours (Mon 2026-12-07 02:00 EST)',
    );
    expect(describeFireTime(new Date('2026-12-07T01:00:00Z'), now, 'Europe/Berlin')).toBe(
      'in 2 hours (Mon 2026-12-07 02:00 Europe/Berlin)',
    );
    expect(describeFireTime(new Date('2026-12-06T23:00:01.200Z'), now)).toBe(
      'in 2 seconds (Sun 2026-12-06 23:00:01 UTC)',
    );
    expect(describeFireTime(new Date('2026-12-09T23:00:00Z'), now)).toBe(
      'in 3 days (Wed 2026-12-09 23:00 UTC)',
    );
  });
});
