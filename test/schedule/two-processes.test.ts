/**
 * Schedulers in separate processes on one store file: two deciding the same slots at the same moments
 * never start one twice, and a process killed between claiming a slot and creating its run leaves a claim
 * that another scheduler turns into exactly that run.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/schedule/index.ts';
import { FakeClock, type Harness, openHarness } from './harness.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const worker = join(repoRoot, 'test/fixtures/schedule/scheduler-worker.ts');

interface Worker {
  child: ChildProcessWithoutNullStreams;
  nextLine(): Promise<string>;
  exited: Promise<number | null>;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], { cwd: repoRoot });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    exited,
    async nextLine() {
      const { value, done } = await lines.next();
      if (done) throw new Error(`worker ${args.join(' ')} ended early: ${stderr}`);
      return value as string;
    },
  };
}

async function go(workers: Worker[]): Promise<void> {
  for (const w of workers) expect(await w.nextLine()).toBe('ready');
  const at = Date.now() + 200;
  for (const w of workers) w.child.stdin.write(`go ${at}\n`);
}

const harnesses: Harness[] = [];
afterEach(async () => {
  while (harnesses.length > 0) await harnesses.pop()!.close();
});

describe('schedulers in two processes on one store', { timeout: 120_000 }, () => {
  it('never start the same slot twice (150 slots decided by both at the same instant)', async () => {
    const rounds = 150;
    const start = '2026-06-01T00:00:00.000Z';
    const clock = new FakeClock('2026-05-31T23:59:00Z');
    const h = await openHarness(clock);
    harnesses.push(h);
    const every = await createSchedule(
      { schedules: h.schedules, store: h.opened.store },
      {
        name: 'race',
        pipelineId: h.version.pipelineId,
        pipelineVersionId: h.version.id,
        everySeconds: 60,
        startAt: start,
        catchUp: 'all',
        maxConcurrency: 1000,
      },
      clock.now(),
    );
    const workers = ['scheduler-a', 'scheduler-b'].map((owner) =>
      startWorker(['race', h.home, owner, String(rounds), start]),
    );
    try {
      await go(workers);
      const results = await Promise.all(
        workers.map(async (w) => JSON.parse(await w.nextLine()) as { submitted: number; errors: string[] }),
      );
      expect(results.flatMap((result) => result.errors)).toEqual([]);
      const slots = await h.schedules.listSlots(every.id, 10_000);
      expect(slots).toHaveLength(rounds);
      expect(slots.every((slot) => slot.state === 'STARTED')).toBe(true);
      const runs = await h.runs();
      expect(runs).toHaveLength(rounds);
      expect(new Set(runs.map((run) => run.id))).toEqual(new Set(slots.map((slot) => slot.runId)));
      expect(results[0]!.submitted + results[1]!.submitted).toBe(rounds);
    } finally {
      for (const w of workers) w.child.stdin.end();
    }
  });

  it('a process killed after claiming a slot, before creating its run: another creates exactly that run', async () => {
    const clock = new FakeClock('2026-06-01T00:00:30Z');
    const h = await openHarness(clock);
    harnesses.push(h);
    const hourly = await createSchedule(
      { schedules: h.schedules, store: h.opened.store },
      {
        name: 'hourly',
        pipelineId: h.version.pipelineId,
        pipelineVersionId: h.version.id,
        cron: '0 * * * *',
      },
      clock.now(),
    );
    const crashing = startWorker(['crash', h.home, 'doomed', '0', '2026-06-01T01:00:00.000Z']);
    await go([crashing]);
    expect(await crashing.exited).toBeNull(); // killed by SIGKILL
    const [slot] = await h.schedules.listSlots(hourly.id);
    expect(slot).toMatchObject({
      slotTime: '2026-06-01T01:00:00.000Z',
      state: 'STARTING',
      claimedBy: 'doomed',
    });
    expect(await h.runs()).toHaveLength(0);

    clock.set('2026-06-01T01:00:30Z');
    const restarted = h.scheduler();
    await restarted.tick();
    await restarted.tick();
    expect((await h.runs()).map((run) => run.id)).toEqual([slot!.runId]);
    expect((await h.schedules.listSlots(hourly.id)).map((s) => s.state)).toEqual(['STARTED']);
  });
});
