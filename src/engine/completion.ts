/**
 * What happens when a task becomes final: its dependents may become ready, and its DAG, loop or the run
 * itself may be done. Groups end SUCCEEDED unless a task in them failed (or was canceled).
 */
import type { TaskFailure } from '../errors.ts';
import { dagOutputs, loopOutputs } from './dag-values.ts';
import { decideGroupOutcome } from './decide.ts';
import type { RunContext } from './run-context.ts';
import type { TaskNode } from './run-tree.ts';
import { RunState } from './task-state.ts';

/** Call after setting a node to a final state in `context.changes`. */
export function onTaskFinal(context: RunContext, node: TaskNode): void {
  const parent = node.parent;
  if (!parent) {
    finishRun(context, node);
    return;
  }
  if (parent.kind === 'LOOP') {
    startIterations(context, parent);
    if (parent.iterations.every((iteration) => iteration.isFinal)) completeLoop(context, parent);
    return;
  }
  const dag = context.plan.dag(parent.record.componentName);
  for (const name of dag.dependents.get(node.record.name) ?? []) {
    const dependent = parent.children.get(name);
    if (!dependent || dependent.isFinal) continue;
    dependent.waitingOn -= 1;
    if (dependent.waitingOn === 0) enqueue(context, dependent);
  }
  if ([...parent.children.values()].every((child) => child.isFinal)) completeDag(context, parent);
}

export function completeDag(context: RunContext, node: TaskNode): void {
  if (node.isFinal) return;
  const outcome = decideGroupOutcome([...node.children.values()].map((child) => child.state));
  const outputs = dagOutputs(context.plan.component(node.record.componentName), node.children);
  const failedChildren = [...node.children.values()].filter((child) => child.state === 'FAILED');
  const failed = failedChildren.map((child) => child.record.name);
  // The first failure's own message travels up, so the run's error (and an exit handler's status) says
  // what went wrong, not only where.
  const cause = failedChildren[0]?.record.error?.message;
  const reason =
    outcome === 'FAILED'
      ? `task${failed.length > 1 ? 's' : ''} ${failed.join(', ')} failed${cause ? `: ${cause}` : ''}`
      : null;
  context.changes.setTaskState(node.record, outcome, reason, {
    outputs: outputs as never,
    ...(outcome === 'FAILED' ? { error: { kind: 'user', retryable: false, message: reason! } } : {}),
  });
  onTaskFinal(context, node);
}

function completeLoop(context: RunContext, node: TaskNode): void {
  if (node.isFinal) return;
  const outcome = decideGroupOutcome(node.iterations.map((iteration) => iteration.state));
  const outputs = loopOutputs(context.plan.component(node.record.componentName), node.iterations);
  const failed = node.iterations.filter((iteration) => iteration.state === 'FAILED').length;
  const reason = outcome === 'FAILED' ? `${failed} of ${node.iterations.length} iterations failed` : null;
  context.changes.setTaskState(node.record, outcome, reason, {
    outputs: outputs as never,
    ...(outcome === 'FAILED' ? { error: { kind: 'user', retryable: false, message: reason! } } : {}),
  });
  onTaskFinal(context, node);
}

/** Starts pending iterations while the loop's parallelism limit allows (0 = all). */
export function startIterations(context: RunContext, loop: TaskNode): void {
  if (loop.isFinal) return;
  if (loop.iterations.length === 0) {
    completeLoop(context, loop);
    return;
  }
  const limit = loop.spec?.iteratorPolicy?.parallelismLimit || unboundedLoopWindow(context);
  let active = loop.iterations.filter(
    (iteration) => iteration.state === 'RUNNING' || iteration.queued,
  ).length;
  for (const iteration of loop.iterations) {
    if (limit > 0 && active >= limit) break;
    if (iteration.state !== 'PENDING' || iteration.queued) continue;
    enqueue(context, iteration);
    active += 1;
  }
}

/**
 * An unbounded loop (KFP's parallelismLimit 0) still starts only this many iterations ahead of the process
 * slots: a 10,000-item fan-out keeps every slot busy without holding 10,000 expanded DAGs in memory. It
 * changes nothing a pipeline can observe beyond when a PENDING iteration becomes RUNNING.
 */
function unboundedLoopWindow(context: RunContext): number {
  return Math.max(64, context.options.parallelism * 8);
}

/** Queues a node for evaluation once. */
export function enqueue(context: RunContext, node: TaskNode): void {
  if (node.queued || node.isFinal) return;
  node.queued = true;
  context.toEvaluate.push(node);
}

function finishRun(context: RunContext, root: TaskNode): void {
  const state =
    context.canceling && root.state !== 'SUCCEEDED'
      ? RunState.CANCELED
      : root.state === 'SUCCEEDED'
        ? RunState.SUCCEEDED
        : root.state === 'CANCELED'
          ? RunState.CANCELED
          : RunState.FAILED;
  if (context.run.state === state) return;
  context.changes.setRunState(
    state,
    root.record.error?.message ?? null,
    state === 'FAILED' ? root.record.error : null,
  );
}

/** Fails a task before any attempt: a system failure (the pipeline's wiring, not the program). */
export function fail(
  context: RunContext,
  node: TaskNode,
  message: string,
  kind: TaskFailure['kind'] = 'system',
): void {
  context.changes.setTaskState(node.record, 'FAILED', message, {
    error: { kind, retryable: false, message },
  });
  onTaskFinal(context, node);
}
