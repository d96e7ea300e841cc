/**
 * Re-opening a FAILED or CANCELED run for `retry`: one store batch moves the run back to PENDING and the
 * tasks `planRetry` picks back to PENDING/RUNNING, under the run's lease so no engine drives it meanwhile.
 * Driving it afterwards is an ordinary resume: what succeeded is reused, the rest runs.
 */

import type { PipelineDocument } from '../ir/index.ts';
import type { RunRecord, StoreBatch, TaskRecord, TransitionRecord } from '../store/index.ts';
import { RunPlan } from './plan.ts';
import { planRetry, RetryNotPossibleError } from './retry-plan.ts';
import type { EngineDependencies, RunOptions } from './run-context.ts';
import { rebuildTree } from './run-tree.ts';
import { type RunState, reopenRun, reopenTask, type TaskState } from './task-state.ts';

/** Paths of the tasks that will run again (leaves and groups), in DAG order. */
export async function reopenRunForRetry(deps: EngineDependencies, run: RunRecord): Promise<string[]> {
  if (run.state !== 'FAILED' && run.state !== 'CANCELED') {
    throw new RetryNotPossibleError(
      run.state === 'SUCCEEDED'
        ? `run ${run.id} SUCCEEDED; there is nothing to retry (start a new run with: sluice run)`
        : `run ${run.id} is ${run.state}; only a FAILED or CANCELED run can be retried`,
    );
  }
  const plan = new RunPlan(run.spec as unknown as PipelineDocument);
  const root = rebuildTree(plan, await deps.store.getTasks(run.id));
  if (!root) throw new RetryNotPossibleError(`run ${run.id} has no tasks in the store to retry`);
  const reopenings = planRetry(plan, root);
  if (reopenings.length === 0)
    throw new RetryNotPossibleError(
      `every task of run ${run.id} produced its outputs; there is nothing to retry`,
    );

  const at = deps.now().toISOString();
  const transitions: Omit<TransitionRecord, 'id'>[] = [
    {
      runId: run.id,
      taskId: null,
      from: run.state,
      to: reopenRun(`run ${run.id}`, run.state as RunState),
      reason: 'retry requested',
      at,
    },
  ];
  const taskPatches: NonNullable<StoreBatch['taskPatches']> = [];
  for (const { node, to } of reopenings) {
    const from = node.state;
    if (from === to) continue;
    reopenTask(`task ${node.record.path}`, from as TaskState, to);
    taskPatches.push({ id: node.record.id, patch: reopenedFields(node.record, to) });
    transitions.push({ runId: run.id, taskId: node.record.id, from, to, reason: 'retry', at });
  }
  const options: RunOptions = { ...(run.options as unknown as RunOptions), retriedAt: at };
  await deps.store.commit({
    ownerId: deps.ownerId,
    runId: run.id,
    runPatch: { state: 'PENDING', finishedAt: null, error: null, options: options as never },
    taskPatches,
    transitions,
  });
  return reopenings.map(({ node }) => node.record.path).filter((path) => path !== 'root');
}

/**
 * A re-opened task starts afresh (inputs, cache decision and outputs are decided again), except what is
 * given rather than resolved: a group that goes on running keeps the inputs its children read, and a loop
 * iteration keeps its item. Attempt numbers continue: the attempt count is kept.
 */
function reopenedFields(task: TaskRecord, to: 'PENDING' | 'RUNNING'): Partial<TaskRecord> {
  const common = { state: to, error: null, outputs: null, finishedAt: null } as const;
  if (to === 'RUNNING') return common;
  return {
    ...common,
    ...(task.kind === 'ITERATION' ? {} : { inputs: null }),
    fingerprint: null,
    fingerprintParts: null,
    cachedFromTaskId: null,
    cacheMissReason: null,
    startedAt: null,
  };
}
