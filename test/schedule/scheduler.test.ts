/**
 * The scheduler against a real store, with time moved by hand: fire instants across DST changes, catch-up
 * after downtime by policy, max concurrency, edits in place, pause/resume, and crashes between claiming a
 * slot and starting its run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSchedule, editSchedule, nextFireTimes, type ScheduleInput } from '../../src/schedule/index.ts';
import type { ScheduleRecord } from '../../src/store/index.ts';
import { FakeClock, type Harness, openHarness } from './harness.ts';

const harnesses: Harness[] = [];
afterEach(async () => {
  while (harnesses.length > 0) await harnesses.pop()!.close();
});

async function setUp(start: string): Promise<{ clock: FakeClock; h: Harness }> {
  const clock = new FakeClock(start);
  const h = await openHarness(clock);
  harnesses.push(h);
  return { clock, h };
}

async function schedule(
  h: Harness,
  clock: FakeClock,
  input: Partial<ScheduleInput>,
): Promise<ScheduleRecord> {
  return createSchedule(
    { schedules: h.schedules, store: h.opened.store },
    { name: 'nightly', pipelineId: h.version.pipelineId, pipelineVersionId: h.version.id, ...input },
    clock.now(),
  );
}

async function slotTimes(h: Harness, scheduleId: string): Promise<string[]> {
  return (await h.schedules.listSlots(scheduleId, 10_000)).map((slot) => slot.slotTime).reverse();
}

/** Ticks every `stepMs` from the clock's now until `until` (inclusive), finishing runs between ticks. */
async function tickThrough(h: Harness, clock: FakeClock, until: string, stepMs: number): Promise<void> {
  const scheduler = h.scheduler();
  const end = Date.parse(until);
  while (clock.now().getTime() <= end) {
    await scheduler.tick();
    await h.finishRuns();
    clock.advance(stepMs);
  }
}

describe('fire instants across daylight saving time', () => {
  it('a weekly Sunday 02:30 Europe/Berlin cron: the spring gap fires at 03:00, the doubled hour once', async () => {
    const { clock, h } = await setUp('2026-03-14T00:00:00Z');
    const weekly = await schedule(h, clock, {
      cron: '30 2 * * 0',
      timeZone: 'Europe/Berlin',
      maxConcurrency: 5,
    });
    await tickThrough(h, clock, '2026-04-06T00:00:00Z', 30 * 60_000);
    expect(await slotTimes(h, weekly.id)).toEqual([
      '2026-03-15T01:30:00.000Z', // 02:30 CET
      '2026-03-22T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist that night: 03:00 CEST
      '2026-04-05T00:30:00.000Z', // 02:30 CEST
    ]);
    clock.set('2026-10-10T00:00:00Z');
    await h.schedules.setScheduleEnabled(weekly.id, false, clock.now().toISOString());
    await h.schedules.setScheduleEnabled(weekly.id, true, clock.now().toISOString());
    await tickThrough(h, clock, '2026-11-02T00:00:00Z', 30 * 60_000);
    expect((await slotTimes(h, weekly.id)).slice(4)).toEqual([
      '2026-10-11T00:30:00.000Z',
      '2026-10-18T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 happens twice that night: the first one only
      '2026-11-01T01:30:00.000Z', // 02:30 CET again
    ]);
    expect((await h.runs()).map((run) => run.options.origin)).toHaveLength(8);
  });

  it('a weekly Monday 02:00 America/New_York cron keeps 02:00 local when the UTC offset changes', async () => {
    const { clock, h } = await setUp('2026-03-01T00:00:00Z');
    const weekly = await schedule(h, clock, { cron: '0 2 * * 1', timeZone: 'America/New_York' });
    await tickThrough(h, clock, '2026-03-24T00:00:00Z', 60 * 60_000);
    expect(await slotTimes(h, weekly.id)).toEqual([
      '2026-03-02T07:00:00.000Z', // EST, UTC-5
      '2026-03-09T06:00:00.000Z', // EDT from 8 March, UTC-4
      '2026-03-16T06:00:00.000Z',
      '2026-03-23T06:00:00.000Z',
    ]);
    expect(
      nextFireTimes(weekly.timing, new Date('2026-10-26T00:00:00Z'), 2).map((d) => d.toISOString()),
    ).toEqual([
      '2026-10-26T06:00:00.000Z',
      '2026-11-02T07:00:00.000Z', // EST again from 1 November
    ]);
  });
});

describe('catch-up after three hours of downtime', () => {
  for (const [policy, expected] of [
    ['skip', []],
    ['latest', ['2026-06-01T04:00:00.000Z']],
    ['all', ['2026-06-01T02:00:00.000Z', '2026-06-01T03:00:00.000Z', '2026-06-01T04:00:00.000Z']],
  ] as const)
    it(`${policy}: ${expected.length} of the 3 missed hourly runs`, async () => {
      const { clock, h } = await setUp('2026-06-01T00:30:00Z');
      const hourly = await schedule(h, clock, { cron: '0 * * * *', catchUp: policy, maxConcurrency: 10 });
      const scheduler = h.scheduler();
      clock.set('2026-06-01T01:00:00Z');
      await scheduler.tick();
      expect(await slotTimes(h, hourly.id)).toEqual(['2026-06-01T01:00:00.000Z']);
      // Down from 01:05 to 04:05: the 02:00, 03:00 and 04:00 slots pass unseen.
      clock.set('2026-06-01T04:05:00Z');
      const restarted = h.scheduler();
      await restarted.tick();
      expect((await slotTimes(h, hourly.id)).slice(1)).toEqual(expected);
      const runs = await h.runs();
      expect(runs).toHaveLength(1 + expected.length);
      expect(runs.slice(1).map((run) => (run.options.origin as { key: string }).key)).toEqual(expected);
      // Then back on time: the 05:00 slot fires whatever the policy.
      clock.set('2026-06-01T05:00:00Z');
      await restarted.tick();
      expect(await h.runs()).toHaveLength(2 + expected.length);
    });

  it('all: missed slots start in order, one at a time under max concurrency 1, none lost', async () => {
    const { clock, h } = await setUp('2026-06-01T00:30:00Z');
    const hourly = await schedule(h, clock, { cron: '0 * * * *', catchUp: 'all', maxConcurrency: 1 });
    clock.set('2026-06-01T04:05:00Z');
    const scheduler = h.scheduler();
    await scheduler.tick();
    const origins = async () => (await h.runs()).map((run) => (run.options.origin as { key: string }).key);
    expect(await origins()).toEqual(['2026-06-01T01:00:00.000Z']);
    await scheduler.tick(); // the first run is still going: nothing more starts
    expect(await origins()).toHaveLength(1);
    for (const next of ['02', '03', '04']) {
      await h.finishRuns();
      clock.advance(1000);
      await scheduler.tick();
      expect((await origins()).at(-1)).toBe(`2026-06-01T${next}:00:00.000Z`);
    }
    expect(await origins()).toHaveLength(4);
    const states = (await h.schedules.listSlots(hourly.id)).map((slot) => slot.state);
    expect(states).toEqual(['STARTED', 'STARTED', 'STARTED', 'STARTED']);
  });
});

describe('editing, pausing and resuming', () => {
  it('an edit changes the next slots only; runs already started keep their parameters', async () => {
    const { clock, h } = await setUp('2026-06-01T00:00:30Z');
    const stores = { schedules: h.schedules, store: h.opened.store };
    const every = await schedule(h, clock, {
      everySeconds: 60,
      startAt: '2026-06-01T00:00:00Z',
      parameters: { text: 'one' },
    });
    const scheduler = h.scheduler();
    clock.set('2026-06-01T00:01:00Z');
    await scheduler.tick();
    await editSchedule(stores, every, { parameters: { text: 'two' }, everySeconds: 120 }, clock.now());
    clock.set('2026-06-01T00:02:00Z');
    await h.finishRuns();
    await scheduler.tick();
    const runs = await Promise.all((await h.runs()).map((run) => h.opened.store.getRun(run.id)));
    expect(runs.map((run) => run!.parameters)).toEqual([{ text: 'one' }, { text: 'two' }]);
    expect(runs[0]!.state).toBe('SUCCEEDED');
  });

  it("bound to 'latest': each run uses the pipeline's newest version at its fire time", async () => {
    const { clock, h } = await setUp('2026-06-01T00:00:30Z');
    const latest = await schedule(h, clock, { cron: '0 * * * *', pipelineVersionId: null });
    const newer = structuredClone(h.version.spec) as {
      pipelineSpec: { pipelineInfo: { description?: string } };
    };
    newer.pipelineSpec.pipelineInfo.description = 'a newer version';
    const saved = await h.opened.store.savePipelineVersion(
      'scheduled-text',
      'newer',
      newer,
      '2026-06-01T00:10:00.000Z',
    );
    clock.set('2026-06-01T01:00:00Z');
    await h.scheduler().tick();
    const [slot] = await h.schedules.listSlots(latest.id);
    const run = await h.opened.store.getRun(slot!.runId);
    expect(run!.spec).toEqual(saved.spec);
  });

  it('paused: no slots; resumed: the slots that passed while paused do not run', async () => {
    const { clock, h } = await setUp('2026-06-01T00:00:30Z');
    const minutely = await schedule(h, clock, { cron: '* * * * *', catchUp: 'all', maxConcurrency: 100 });
    const scheduler = h.scheduler();
    await h.schedules.setScheduleEnabled(minutely.id, false, clock.now().toISOString());
    clock.set('2026-06-01T00:10:30Z');
    await scheduler.tick();
    expect(await h.runs()).toHaveLength(0);
    await h.schedules.setScheduleEnabled(minutely.id, true, clock.now().toISOString());
    await scheduler.tick();
    expect(await h.runs()).toHaveLength(0);
    clock.set('2026-06-01T00:11:00Z');
    await scheduler.tick();
    expect(await slotTimes(h, minutely.id)).toEqual(['2026-06-01T00:11:00.000Z']);
  });
});

describe('a crash between claiming a slot and starting its run', () => {
  for (const point of ['afterAdmit', 'afterLaunch'] as const)
    it(`(${point === 'afterAdmit' ? 'before the run exists' : 'after the run exists, before the slot says so'}) neither loses nor duplicates the run`, async () => {
      const { clock, h } = await setUp('2026-06-01T00:00:30Z');
      const hourly = await schedule(h, clock, { cron: '0 * * * *' });
      clock.set('2026-06-01T01:00:00Z');
      const crashing = h.scheduler({
        faults: {
          [point]: () => {
            throw new Error('crash');
          },
        },
      });
      await expect(crashing.tick()).rejects.toThrow('crash');
      const [slot] = await h.schedules.listSlots(hourly.id);
      expect(slot!.state).toBe('STARTING');
      expect((await h.runs()).map((run) => run.id)).toEqual(point === 'afterAdmit' ? [] : [slot!.runId]);

      // Another scheduler (the restarted server) leaves a fresh claim alone, then finishes a stale one.
      const restarted = h.scheduler();
      clock.advance(1000);
      await restarted.tick();
      expect((await h.schedules.listSlots(hourly.id))[0]!.state).toBe('STARTING');
      clock.advance(20_000);
      await restarted.tick();
      await restarted.tick();
      expect((await h.runs()).map((run) => run.id)).toEqual([slot!.runId]);
      expect((await h.schedules.listSlots(hourly.id)).map((s) => s.state)).toEqual(['STARTED']);
    });

  it('a slot whose pipeline version vanished is marked FAILED with the reason, not retried forever', async () => {
    const { clock, h } = await setUp('2026-06-01T00:00:30Z');
    const hourly = await schedule(h, clock, { cron: '0 * * * *' });
    await h.schedules.updateSchedule(hourly.id, { pipelineVersionId: 'gone' }, clock.now().toISOString());
    clock.set('2026-06-01T01:00:00Z');
    await h.scheduler().tick();
    const [slot] = await h.schedules.listSlots(hourly.id);
    expect(slot).toMatchObject({ state: 'FAILED', error: 'pipeline version gone is no longer in the store' });
  });
});

describe('definitions', () => {
  it('refuses a bad cron, an unknown time zone and unknown parameters, naming the field', async () => {
    const { clock, h } = await setUp('2026-06-01T00:00:30Z');
    await expect(schedule(h, clock, { cron: '61 * * * *' })).rejects.toMatchObject({
      field: 'cron',
      message: expect.stringContaining('Invalid value for minute: 61'),
    });
    await expect(schedule(h, clock, { cron: '* * * *' })).rejects.toMatchObject({ field: 'cron' });
    await expect(schedule(h, clock, { cron: '0 2 * * 1', timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
      field: 'timeZone',
    });
    await expect(schedule(h, clock, { cron: '0 2 * * 1', parameters: { txt: 'x' } })).rejects.toMatchObject({
      field: 'parameters.txt',
      message: expect.stringContaining("did you mean 'text'"),
    });
    await schedule(h, clock, { cron: '0 2 * * 1' });
    await expect(schedule(h, clock, { cron: '0 3 * * 1' })).rejects.toMatchObject({
      code: 'SCHEDULE_NAME_TAKEN',
    });
  });
});
