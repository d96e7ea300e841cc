/**
 * `sluice why RUN_ID TASK`: why a task ran rather than reuse a cached result — which part of its cache key
 * changed since the previous run of the same task — or, for a cache hit, which run's result it reused.
 */
import { type CacheMissReason, explainCacheMiss, formatCacheMiss } from '../cache/index.ts';
import { openDefaultEngine } from '../engine/index.ts';
import type { RunRecord, RunStore, TaskRecord } from '../store/index.ts';
import { resolveRunIdArgument } from './run-id.ts';
import { findTaskArgument } from './task-argument.ts';

export interface WhyAnswer {
  runId: string;
  task: string;
  state: string;
  /** `cached`: reused a result; `ran`: executed; `not-run`: skipped, failed before running, or not yet run. */
  decision: 'cached' | 'ran' | 'not-run';
  /** One line, as printed. */
  reason: string;
  cacheEnabled: boolean;
  fingerprint: string | null;
  cachedFrom: { runId: string; task: string } | null;
  /** The previous run of this task the key was compared with. */
  comparedWith: { runId: string; task: string; createdAt: string } | null;
  cacheMiss: CacheMissReason | null;
}

export async function whyCommand(
  runArgument: string,
  taskArgument: string,
  options: { json?: boolean },
): Promise<number> {
  const { store, close } = await openDefaultEngine();
  try {
    const runId = await resolveRunIdArgument(store, runArgument);
    const [run, tasks] = await Promise.all([store.getRun(runId), store.getTasks(runId)]);
    const task = findTaskArgument(tasks, runId, taskArgument);
    const answer = await explain(store, run!, tasks, task);
    if (options.json) process.stdout.write(`${JSON.stringify(answer)}\n`);
    else {
      process.stdout.write(`${answer.task} (${answer.state}): ${answer.reason}\n`);
      if (answer.comparedWith)
        process.stdout.write(
          `  compared with run ${answer.comparedWith.runId} (${answer.comparedWith.createdAt}), task ${answer.comparedWith.task}\n`,
        );
      if (answer.fingerprint) process.stdout.write(`  cache key ${answer.fingerprint}\n`);
    }
    return 0;
  } finally {
    await close();
  }
}

async function explain(
  store: RunStore,
  run: RunRecord,
  tasks: ReadonlyArray<TaskRecord>,
  task: TaskRecord,
): Promise<WhyAnswer> {
  const cacheEnabled = taskCachingEnabled(run, tasks, task);
  const base = {
    runId: run.id,
    task: task.path,
    state: task.state,
    cacheEnabled,
    fingerprint: task.fingerprint,
    cachedFrom: null,
    comparedWith: null,
    cacheMiss: null,
  };
  if (task.state === 'CACHED' && task.cachedFromTaskId) {
    const source = await store.getTask(task.cachedFromTaskId);
    return {
      ...base,
      decision: 'cached',
      reason: `reused the result of task ${source?.path ?? '?'} of run ${source?.runId ?? '?'}: same cache key (same image, command, inputs and input contents)`,
      cachedFrom: source ? { runId: source.runId, task: source.path } : null,
    };
  }
  if (task.kind !== 'CONTAINER') {
    return {
      ...base,
      decision: 'not-run',
      reason: `a ${task.kind.toLowerCase()} task is never cached; its tasks are`,
    };
  }
  if (task.fingerprint === null || task.fingerprintParts === null) {
    const transitions = await store.getTransitions(run.id);
    const last = transitions.filter((t) => t.taskId === task.id && t.to === task.state).at(-1);
    return {
      ...base,
      decision: 'not-run',
      reason: `it did not get as far as a cache lookup: ${task.state}${last?.reason ? ` — ${last.reason}` : ''}`,
    };
  }
  const previous = await store.findPreviousTask(run.pipelineName, task.path, task.createdAt);
  const miss =
    (task.cacheMissReason as CacheMissReason | null) ??
    explainCacheMiss(previous?.fingerprintParts ?? undefined, task.fingerprintParts);
  const comparedWith = previous
    ? { runId: previous.runId, task: previous.path, createdAt: previous.createdAt }
    : null;
  const prefix = !(run.options as { cache?: boolean }).cache
    ? 'the run was started with --no-cache, so it ran; against the previous run: '
    : !cacheEnabled
      ? 'caching is off for this task (enableCache false in the pipeline), so it ran; against the previous run: '
      : 'ran because ';
  return {
    ...base,
    decision: 'ran',
    reason: `${prefix}${formatCacheMiss(miss)}`,
    comparedWith,
    cacheMiss: miss,
  };
}

/** `cachingOptions.enableCache` of the task's spec in its parent DAG, read from the run's pipeline. */
function taskCachingEnabled(run: RunRecord, tasks: ReadonlyArray<TaskRecord>, task: TaskRecord): boolean {
  // A loop iteration's component is the loop body's DAG, so the direct parent always names the right DAG.
  const parent = tasks.find((other) => other.id === task.parentId);
  const spec = run.spec as {
    pipelineSpec?: {
      root?: DagComponent;
      components?: Record<string, DagComponent>;
    };
  };
  const component =
    parent?.componentName === 'root'
      ? spec.pipelineSpec?.root
      : spec.pipelineSpec?.components?.[parent?.componentName ?? ''];
  return component?.dag?.tasks?.[task.name]?.cachingOptions?.enableCache === true;
}

interface DagComponent {
  dag?: { tasks?: Record<string, { cachingOptions?: { enableCache?: boolean } }> };
}
