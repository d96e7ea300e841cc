/**
 * Scheduler tests' harness: a clock moved by hand, and a real store (SQLite file in a temp SLUICE_HOME)
 * with a real engine that creates runs (they are not driven: the tests finish them by hand when a test
 * needs room under max concurrency).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePipeline } from '../../src/compiler/index.ts';
import { type DefaultEngine, FINAL_RUN_STATES, openDefaultEngine } from '../../src/engine/index.ts';
import { Param, pipeline } from '../../src/index.ts';
import {
  type Clock,
  openScheduleStore,
  Scheduler,
  type SchedulerDependencies,
} from '../../src/schedule/index.ts';
import type { Json, PipelineVersionRecord, ScheduleStore } from '../../src/store/index.ts';
import { writeText } from '../server/helpers.ts';

export class FakeClock implements Clock {
  #now: number;
  readonly #timers = new Set<{ at: number; callback: () => void }>();

  constructor(start: string | Date) {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  set(at: string | Date): void {
    this.#now = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer = { at: this.#now + ms, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }
}

export const textPipeline = pipeline(
  { name: 'scheduled-text', inputs: { text: Param.string({ default: 'hello' }) } },
  ({ text }) => {
    writeText({ text });
  },
);

export interface Harness {
  home: string;
  opened: DefaultEngine;
  schedules: ScheduleStore;
  version: PipelineVersionRecord;
  scheduler(overrides?: Partial<SchedulerDependencies>): Scheduler;
  /** Every run in the store, oldest first. */
  runs(): Promise<{ id: string; state: string; options: { [name: string]: Json } }[]>;
  /** Ends every non-final run SUCCEEDED, as if it had run. */
  finishRuns(): Promise<void>;
  close(): Promise<void>;
}

export async function openHarness(
  clock: FakeClock,
  home = mkdtempSync(join(tmpdir(), 'sluice-schedule-')),
): Promise<Harness> {
  const opened = await openDefaultEngine({ home });
  const schedules = await openScheduleStore(home);
  const document = await compilePipeline(textPipeline);
  const spec = document as unknown as Json;
  const version = await opened.store.savePipelineVersion(
    'scheduled-text',
    createHash('sha256').update(JSON.stringify(spec)).digest('hex'),
    spec,
    clock.now().toISOString(),
  );
  const schedulers: Scheduler[] = [];
  return {
    home,
    opened,
    schedules,
    version,
    scheduler(overrides = {}) {
      const scheduler = new Scheduler({
        schedules,
        store: opened.store,
        engine: opened.engine,
        clock,
        watchDirectories: false,
        log: () => undefined,
        ...overrides,
      });
      schedulers.push(scheduler);
      return scheduler;
    },
    async runs() {
      const runs = await opened.store.listRuns({ limit: 100_000 });
      return runs.reverse().map((run) => ({ id: run.id, state: run.state, options: run.options }));
    },
    async finishRuns() {
      for (const run of await opened.store.listRunsNotIn([...FINAL_RUN_STATES]))
        await opened.store.compareAndSetRunState(run.id, [run.state], 'SUCCEEDED', {
          runId: run.id,
          taskId: null,
          reason: 'finished by the test',
          at: clock.now().toISOString(),
        });
    },
    async close() {
      for (const scheduler of schedulers) await scheduler.stop();
      await schedules.close();
      await opened.close();
    },
  };
}
