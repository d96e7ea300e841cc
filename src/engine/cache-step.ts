/**
 * The cache step of a container task, between input resolution and its first attempt: fingerprint the
 * task (recorded always, so later runs can reuse it), reuse the newest success with the same fingerprint
 * whose artifacts still exist (CACHED, pointing at that task), or record why it missed.
 * KFP's rule decides whether a task may use the cache at all: `cachingOptions.enableCache` must be true.
 */
import { explainCacheMiss, FingerprintInputError, fingerprintTask } from '../cache/index.ts';
import type { Json, LineageEventRecord } from '../store/index.ts';
import { onTaskFinal } from './completion.ts';
import { checkExecutorInputs, InputResolutionError } from './resolve-inputs.ts';
import type { RunContext } from './run-context.ts';
import type { TaskNode, TaskValues } from './run-tree.ts';

/** True when the task was satisfied from the cache (it is then final). */
export async function maybeUseCache(context: RunContext, node: TaskNode): Promise<boolean> {
  const component = context.plan.component(node.record.componentName);
  const executor = context.plan.executor(component);
  if (!executor.container) return false;
  let inputs: TaskValues;
  try {
    inputs = checkExecutorInputs(node.inputs ?? { parameters: {}, artifacts: {} }, component, () => '');
  } catch (error) {
    if (error instanceof InputResolutionError) return false; // startAttempt reports it
    throw error;
  }
  let fingerprint: ReturnType<typeof fingerprintTask>;
  try {
    fingerprint = fingerprintTask({
      componentName: node.record.componentName,
      executor: { container: executor.container },
      parameters: inputs.parameters,
      artifacts: Object.fromEntries(
        Object.entries(inputs.artifacts).map(([name, refs]) => {
          const digests = refs.map((ref) => ref.digest ?? `uri:${ref.uri}`);
          const isList = component.inputDefinitions?.artifacts?.[name]?.isArtifactList === true;
          return [name, isList ? digests : (digests[0] ?? '')];
        }),
      ),
      outputs: component.outputDefinitions,
      salt: context.options.cacheSalt,
      ...(node.spec?.cachingOptions?.cacheKey ? { cacheKey: node.spec.cachingOptions.cacheKey } : {}),
    });
  } catch (error) {
    if (error instanceof FingerprintInputError) return false;
    throw error;
  }
  context.changes.patchTask(node.record, {
    fingerprint: fingerprint.key,
    fingerprintParts: fingerprint.parts,
  });
  if (node.spec?.cachingOptions?.enableCache !== true || !context.options.cache) return false;

  const hit = await context.deps.store.findCacheHit(fingerprint.key, ['SUCCEEDED']);
  if (hit && hit.task.id !== node.record.id) {
    const available = await Promise.all(
      hit.artifacts.map((artifact) => context.deps.artifacts.exists(artifact.uri)),
    );
    const outputs = (hit.task.outputs ?? { parameters: {}, artifacts: {} }) as unknown as TaskValues;
    if (available.every(Boolean) && (await pinHit(context, node, outputs))) {
      for (const event of lineageOf(context, node, 'INPUT', inputs.artifacts))
        context.changes.addLineage(event);
      context.changes.setTaskState(
        node.record,
        'CACHED',
        `reused task ${hit.task.path} of run ${hit.task.runId}`,
        {
          outputs: outputs as unknown as Json,
          cachedFromTaskId: hit.task.id,
        },
      );
      onTaskFinal(context, node);
      return true;
    }
  }
  const previous = await context.deps.store.findPreviousTask(
    context.plan.pipelineName,
    node.record.path,
    node.record.createdAt,
  );
  const reason = explainCacheMiss(previous?.fingerprintParts ?? undefined, fingerprint.parts);
  context.changes.patchTask(node.record, { cacheMissReason: reason as unknown as Json });
  return false;
}

/**
 * Records that this task outputs the hit's artifacts, in its own transaction, if they still exist: the
 * source run may be deleted at any moment, and once this is recorded its delete keeps them (moved to this
 * run). False when they are gone: the hit is then a miss. The task's row must be stored first.
 */
async function pinHit(context: RunContext, node: TaskNode, outputs: TaskValues): Promise<boolean> {
  const lineage = lineageOf(context, node, 'OUTPUT', outputs.artifacts ?? {});
  if (lineage.length === 0) return true;
  if (context.changes.isNewTask(node.record.id)) await context.commitNow();
  return context.deps.store.pinCacheHit({ ownerId: context.deps.ownerId, runId: context.run.id, lineage });
}

/** This task's lineage events for artifacts it reads or outputs, one per artifact reference. */
function lineageOf(
  context: RunContext,
  node: TaskNode,
  kind: LineageEventRecord['kind'],
  artifacts: TaskValues['artifacts'],
): LineageEventRecord[] {
  return Object.entries(artifacts).flatMap(([key, refs]) =>
    refs.map((ref) => ({ artifactId: ref.id, taskId: node.record.id, runId: context.run.id, kind, key })),
  );
}
