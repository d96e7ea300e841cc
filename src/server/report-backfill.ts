/**
 * Saves the reports of finished runs that have none current: runs that ended before the store kept reports
 * (schema 4), or whose engine stopped between a run's end and saving its report. Until then get-run builds
 * such a run's report from all its tasks and attempts on every read; afterwards it reads one row.
 *
 * It runs in the background at server start, in small batches, yielding to requests between runs, and
 * stops at close. A run it cannot save is logged and passed over; the next start tries it again.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { FINAL_RUN_STATES, saveFinalReport } from '../engine/index.ts';
import type { RunStore } from '../store/index.ts';

const BATCH = 100;

export class ReportBackfill {
  #stopped = false;
  readonly #done: Promise<number>;

  constructor(
    private readonly store: RunStore,
    private readonly log: (line: string) => void,
  ) {
    this.#done = this.#run().catch((error: unknown) => {
      this.log(
        `sluice server: saving reports of finished runs stopped: ${(error as Error)?.message ?? error}`,
      );
      return 0;
    });
  }

  /** Resolves, with how many reports were saved, once every run is done or the backfill was stopped. */
  get done(): Promise<number> {
    return this.#done;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
  }

  async #run(): Promise<number> {
    let saved = 0;
    for (const state of FINAL_RUN_STATES) {
      let afterId: string | undefined;
      while (!this.#stopped) {
        const ids = await this.store.listRunsLackingReport(state, {
          ...(afterId === undefined ? {} : { afterId }),
          limit: BATCH,
        });
        for (const runId of ids) {
          await yieldToRequests();
          if (this.#stopped) break;
          if (await this.#save(runId)) saved++;
        }
        if (ids.length < BATCH) break;
        afterId = ids[ids.length - 1];
      }
    }
    return saved;
  }

  async #save(runId: string): Promise<boolean> {
    try {
      return await saveFinalReport(this.store, runId);
    } catch (error) {
      this.log(
        `sluice server: could not save the report of run ${runId}: ${(error as Error)?.message ?? error}`,
      );
      return false;
    }
  }
}
