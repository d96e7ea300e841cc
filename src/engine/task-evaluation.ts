/**
 * Deciding a task whose upstream tasks are final: skip it (upstream failed, condition false), fail it
 * (inputs cannot be resolved, the condition cannot be evaluated), or start it — a DAG or iteration creates
 * its tasks, a loop its iterations, an importer records its artifact, a container task checks the cache and
 * waits for a free slot.
 */

import type { JsonValue } from '../ir/index.ts';
import { maybeUseCache } from './cache-step.ts';
import { CelEvaluationError, evaluateCondition } from './cel-evaluation.ts';
import { completeDag, enqueue, fail, onTaskFinal, startIterations } from './completion.ts';
import { loopItems } from './dag-values.ts';
import { decideReadiness } from './decide.ts';
import { runImporter } from './importer-task.ts';
import { InputResolutionError, resolveTaskInputs } from './resolve-inputs.ts';
import type { RunContext } from './run-context.ts';
import { kindOf, newTaskRecord, TaskNode, type TaskValues } from './run-tree.ts';
import { jobResourceName, runValues } from './run-values.ts';
import type { TaskState } from './task-state.ts';

export async function evaluateTask(context: RunContext, node: TaskNode): Promise<void> {
  node.queued = false;
  if (node.state !== 'PENDING') return;
  if (context.canceling) {
    finish(context, node, 'CANCELED', 'the run was canceled');
    return;
  }
  if (node.spec && node.parent) {
    const dag = context.plan.dag(node.parent.record.componentName);
    const upstream = (dag.upstream.get(node.record.name) ?? []).map((name): [string, TaskState] => [
      name,
      node.parent!.children.get(name)?.state ?? 'SKIPPED',
    ]);
    const readiness = decideReadiness(node.spec.triggerPolicy?.strategy, upstream);
    if (!readiness.run) {
      finish(context, node, 'SKIPPED', readiness.reason);
      return;
    }
    let inputs: TaskValues;
    try {
      inputs = resolveTaskInputs(node.spec, node.parent, context.plan.component(node.record.componentName), {
        jobResourceName: jobResourceName(context.run),
        runValues: runValues(context, node),
      });
    } catch (error) {
      if (!(error instanceof InputResolutionError)) throw error;
      fail(context, node, error.message);
      return;
    }
    context.changes.patchTask(node.record, { inputs: inputs as never });
    const condition = node.spec.triggerPolicy?.condition;
    if (condition) {
      let holds: boolean;
      try {
        holds = evaluateCondition(condition, inputs.parameters);
      } catch (error) {
        if (!(error instanceof CelEvaluationError)) throw error;
        fail(context, node, `condition cannot be evaluated: ${error.message}`);
        return;
      }
      if (!holds) {
        finish(context, node, 'SKIPPED', `condition is false: ${condition}`);
        return;
      }
    }
  }
  switch (node.kind) {
    case 'DAG':
    case 'ITERATION':
      startDag(context, node);
      return;
    case 'LOOP':
      startLoop(context, node);
      return;
    case 'IMPORTER':
      await runImporter(context, node);
      return;
    case 'CONTAINER':
      if (await maybeUseCache(context, node)) return;
      context.toStart.push(node);
      return;
  }
}

/** Creates a DAG's tasks (PENDING) and queues those that wait for nothing. */
function startDag(context: RunContext, node: TaskNode): void {
  context.changes.setTaskState(node.record, 'RUNNING', null);
  const dag = context.plan.dag(node.record.componentName);
  for (const [name, spec] of dag.tasks) {
    const record = newTaskRecord({
      runId: context.run.id,
      parent: node,
      name,
      kind: kindOf(context.plan, spec),
      componentName: spec.componentRef?.name ?? '',
      now: context.now(),
    });
    const child = new TaskNode(record, node, spec);
    child.waitingOn = (dag.upstream.get(name) ?? []).length;
    node.children.set(name, child);
    context.nodes.set(record.id, child);
    context.changes.addTask(record);
  }
  if (node.children.size === 0) {
    completeDag(context, node);
    return;
  }
  for (const child of node.children.values()) if (child.waitingOn === 0) enqueue(context, child);
}

/** Creates one ITERATION per item, each with the loop's inputs plus its item, and starts them as allowed. */
function startLoop(context: RunContext, node: TaskNode): void {
  let items: ReturnType<typeof loopItems>;
  try {
    items = loopItems(node);
  } catch (error) {
    fail(context, node, (error as Error).message);
    return;
  }
  context.changes.setTaskState(node.record, 'RUNNING', `${items.items.length} iterations`);
  const spec = node.spec!;
  const itemInput = spec.parameterIterator?.itemInput ?? spec.artifactIterator?.itemInput ?? '';
  const base = node.inputs ?? { parameters: {}, artifacts: {} };
  items.items.forEach((item, index) => {
    const inputs: TaskValues = { parameters: { ...base.parameters }, artifacts: { ...base.artifacts } };
    if (items.kind === 'parameter') inputs.parameters[itemInput] = item as JsonValue;
    else inputs.artifacts[itemInput] = [item as TaskValues['artifacts'][string][number]];
    const record = newTaskRecord({
      runId: context.run.id,
      parent: node,
      name: `[${index}]`,
      kind: 'ITERATION',
      componentName: node.record.componentName,
      iterationIndex: index,
      now: context.now(),
    });
    record.inputs = inputs as never;
    const iteration = new TaskNode(record, node, undefined);
    node.iterations.push(iteration);
    context.nodes.set(record.id, iteration);
    context.changes.addTask(record);
  });
  startIterations(context, node);
}

function finish(context: RunContext, node: TaskNode, state: 'SKIPPED' | 'CANCELED', reason: string): void {
  context.changes.setTaskState(node.record, state, reason);
  onTaskFinal(context, node);
}
