/**
 * Adopting a run that an engine stopped driving (a crash, a kill -9, a closed laptop): finished tasks stay
 * finished; an attempt whose process is gone — or still running, orphaned — is marked LOST and the task
 * runs again without using its retry budget (the engine failed, not the task); everything else resumes
 * where it was. Runs from the stored rows only: nothing in memory survives a crash.
 */
import type { AttemptRecord } from '../store/index.ts';
import { completeDag, enqueue, startIterations } from './completion.ts';
import type { RunContext } from './run-context.ts';
import type { TaskNode } from './run-tree.ts';

/** Lost attempts of one task beyond which it fails instead of running again (a crash loop is not retried forever). */
const MAX_LOST_ATTEMPTS = 5;

export async function recoverRun(context: RunContext, attempts: ReadonlyArray<AttemptRecord>): Promise<void> {
  const lostByTask = new Map<string, number>();
  const since = context.options.retriedAt;
  for (const attempt of attempts) {
    if (since !== undefined && attempt.startedAt < since) continue;
    if (attempt.state === 'FAILED') {
      context.failedAttempts.set(attempt.taskId, (context.failedAttempts.get(attempt.taskId) ?? 0) + 1);
    }
    if (attempt.state === 'LOST') lostByTask.set(attempt.taskId, (lostByTask.get(attempt.taskId) ?? 0) + 1);
  }
  for (const attempt of attempts) {
    if (attempt.state !== 'RUNNING') continue;
    if (attempt.pid !== null && context.deps.executor.isAlive(attempt.pid))
      await context.deps.executor.killOrphan(attempt.pid, attempt.id);
    const message = 'the engine stopped while this attempt ran; it runs again';
    context.changes.patchAttempt(attempt, {
      state: 'LOST',
      finishedAt: context.now(),
      error: { kind: 'system', retryable: true, message },
    });
    lostByTask.set(attempt.taskId, (lostByTask.get(attempt.taskId) ?? 0) + 1);
    const node = context.nodes.get(attempt.taskId);
    if (node?.state !== 'RUNNING') continue;
    if ((lostByTask.get(attempt.taskId) ?? 0) > MAX_LOST_ATTEMPTS) {
      context.changes.setTaskState(
        node.record,
        'FAILED',
        `lost ${MAX_LOST_ATTEMPTS} attempts to engine restarts`,
        {
          error: {
            kind: 'system',
            retryable: false,
            message: `lost ${MAX_LOST_ATTEMPTS} attempts to engine restarts`,
          },
        },
      );
      continue;
    }
    context.changes.setTaskState(node.record, 'RETRYING', message);
  }
  resumeTree(context, context.root);
}

/** Re-queues what was waiting: pending tasks whose upstream is final, retries, loop iterations, finished groups. */
function resumeTree(context: RunContext, node: TaskNode): void {
  if (node.state === 'PENDING' && node.parent?.kind !== 'LOOP') {
    if (!node.parent) enqueue(context, node);
    return;
  }
  if (node.state === 'RETRYING') {
    context.toStart.push(node);
    return;
  }
  if (node.state !== 'RUNNING') return;
  if (node.kind === 'LOOP') {
    for (const iteration of node.iterations) resumeTree(context, iteration);
    startIterations(context, node);
    return;
  }
  if (node.kind === 'DAG' || node.kind === 'ITERATION') {
    const dag = context.plan.dag(node.record.componentName);
    for (const child of node.children.values()) {
      if (child.state === 'PENDING') {
        child.waitingOn = (dag.upstream.get(child.record.name) ?? []).filter(
          (name) => !node.children.get(name)?.isFinal,
        ).length;
        if (child.waitingOn === 0) enqueue(context, child);
      } else {
        resumeTree(context, child);
      }
    }
    if ([...node.children.values()].every((child) => child.isFinal)) completeDag(context, node);
  }
}
