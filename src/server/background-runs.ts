/**
 * Runs this server drives in the background: new runs, retried runs and runs adopted at start-up. At most
 * one drive per run here; RUN_BUSY (another live process drives it) is expected and ignored, anything else
 * goes to stderr. Nothing here ever rejects, so a failing run cannot take the server down.
 */
import { type Engine, FINAL_RUN_STATES } from '../engine/index.ts';
import { isSluiceError } from '../errors.ts';
import type { RunStore } from '../store/index.ts';

export class BackgroundRuns {
  private readonly active = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: Engine,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  isDriving(runId: string): boolean {
    return this.active.has(runId);
  }

  drive(runId: string): void {
    if (this.active.has(runId)) return;
    const driving = this.engine
      .drive(runId)
      .then(() => undefined)
      .catch((error: unknown) => {
        if (isSluiceError(error) && error.code === 'RUN_BUSY') return;
        this.log(`sluice server: driving run ${runId} failed: ${(error as Error)?.message ?? error}`);
      })
      .finally(() => this.active.delete(runId));
    this.active.set(runId, driving);
  }

  /**
   * Drives every unfinished run of the store whose lease is free, stale or held by a dead process here
   * (the engine's claim decides atomically; a run a live process drives answers RUN_BUSY and is left alone).
   */
  async adoptUnfinished(store: RunStore): Promise<string[]> {
    const runs = await store.listRunsNotIn([...FINAL_RUN_STATES]);
    for (const run of runs) this.drive(run.id);
    return runs.map((run) => run.id);
  }

  /** Resolves when every run driven here has stopped. */
  async settled(): Promise<void> {
    while (this.active.size > 0) await Promise.all(this.active.values());
  }
}
