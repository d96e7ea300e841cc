/**
 * The shape `sluice run --json`, `sluice show --json` and the API return for a run: its state and every
 * task by its path in the DAG, with attempts and whether the cache answered it.
 */
import type { RunRecord, RunStore, TaskRecord } from '../store/index.ts';

export interface TaskSummary {
  /** Path in the DAG: `train`, `for-loop-2`, `for-loop-2[0]/print-op`. */
  name: string;
  state: string;
  attempts: number;
  cached: boolean;
}

export interface RunSummary {
  runId: string;
  pipeline: string;
  state: string;
  tasks: TaskSummary[];
  /** Why the run failed, when it did. */
  error?: string;
}

export async function summarizeRun(store: RunStore, runId: string): Promise<RunSummary> {
  const [run, tasks] = await Promise.all([store.getRun(runId), store.getTasks(runId)]);
  if (!run) throw new Error(`internal: run ${runId} vanished`);
  return summarizeRecords(run, tasks);
}

/** The summary of a run whose record and tasks the caller has read already. */
export function summarizeRecords(
  run: Pick<RunRecord, 'id' | 'pipelineName' | 'state' | 'error'>,
  tasks: ReadonlyArray<TaskRecord>,
): RunSummary {
  const summary: RunSummary = {
    runId: run.id,
    pipeline: run.pipelineName,
    state: run.state,
    tasks: summarizeTasks(tasks),
  };
  if (run.error) summary.error = run.error.message;
  return summary;
}

/** Every task but the root, in creation order (then path). */
export function summarizeTasks(tasks: ReadonlyArray<TaskRecord>): TaskSummary[] {
  return tasks
    .filter((task) => task.parentId !== null)
    .sort((a, b) => byCodeUnits(a.createdAt, b.createdAt) || byCodeUnits(a.path, b.path))
    .map((task) => ({
      name: task.path,
      state: task.state,
      attempts: task.attemptCount,
      cached: task.state === 'CACHED',
    }));
}

/** Plain code-unit order: the same on every machine, and free of the ICU collator's start-up cost. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
