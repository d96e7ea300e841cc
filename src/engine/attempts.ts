/**
 * Attempts of container tasks: preparing one (private directory, staged outputs, KFP's ExecutorInput),
 * recording it before the process starts, and handling its end — publishing outputs atomically on
 * success, or retrying or failing the task.
 */

import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ArtifactNotWrittenError } from '../artifacts/index.ts';
import type { TaskFailure } from '../errors.ts';
import type {
  ExecutionRequest,
  ExecutionResult,
  ExecutorInput,
  RuntimeArtifact,
} from '../executors/index.ts';
import type { ComponentSpec, JsonValue } from '../ir/index.ts';
import type { ArtifactRecord, AttemptRecord } from '../store/index.ts';
import { fail, onTaskFinal } from './completion.ts';
import { decideRetry } from './decide.ts';
import { checkExecutorInputs, InputResolutionError } from './resolve-inputs.ts';
import type { InFlight, RunContext } from './run-context.ts';
import type { ArtifactRef, TaskNode, TaskValues } from './run-tree.ts';
import { runValues } from './run-values.ts';

/** Records a new attempt (committed with this tick) and arranges for its process to start after the commit. */
export async function startAttempt(context: RunContext, node: TaskNode): Promise<boolean> {
  const component = context.plan.component(node.record.componentName);
  const container = context.plan.executor(component).container;
  if (!container) {
    fail(context, node, `component ${node.record.componentName} has no container to run`);
    return false;
  }
  let inputs: TaskValues;
  try {
    inputs = checkExecutorInputs(node.inputs ?? { parameters: {}, artifacts: {} }, component, (name) =>
      missingReason(node, name),
    );
  } catch (error) {
    if (!(error instanceof InputResolutionError)) throw error;
    fail(context, node, error.message);
    return false;
  }
  const attemptId = randomUUID();
  const workDir = join(context.deps.home, 'runs', context.run.id, 'attempts', attemptId);
  const staged = new Map<string, { uri: string; path: string }>();
  for (const outputName of Object.keys(component.outputDefinitions?.artifacts ?? {})) {
    staged.set(
      outputName,
      await context.deps.artifacts.prepareOutput({
        pipelineName: context.plan.pipelineName,
        runId: context.run.id,
        taskPath: node.record.path,
        attemptId,
        outputName,
      }),
    );
  }
  const attempt: AttemptRecord = {
    id: attemptId,
    taskId: node.record.id,
    runId: context.run.id,
    number: node.record.attemptCount + 1,
    state: 'RUNNING',
    pid: null,
    podName: null,
    startedAt: context.now(),
    finishedAt: null,
    exitCode: null,
    logPath: join(workDir, 'output.log'),
    workDir,
    error: null,
  };
  context.changes.addAttempt(attempt);
  const retrying = node.state === 'RETRYING';
  context.changes.setTaskState(node.record, 'RUNNING', retrying ? `attempt ${attempt.number}` : null, {
    attemptCount: attempt.number,
  });
  if (attempt.number === 1) {
    for (const [key, refs] of Object.entries(inputs.artifacts)) {
      for (const ref of refs) {
        context.changes.addLineage({
          artifactId: ref.id,
          taskId: node.record.id,
          runId: context.run.id,
          kind: 'INPUT',
          key,
        });
      }
    }
  }
  const request: ExecutionRequest = {
    runId: context.run.id,
    taskPath: node.record.path,
    attemptId,
    container,
    executorInput: executorInput(context, component, inputs, staged, workDir),
    outputParameterTypes: Object.fromEntries(
      Object.entries(component.outputDefinitions?.parameters ?? {}).map(([name, output]) => [
        name,
        output.parameterType ?? 'STRING',
      ]),
    ),
    runValues: runValues(context, node),
    // SLUICE_HOME lets a step find the store's neighbours (a model registry, say) without a parameter.
    env: {
      SLUICE_RUN_ID: context.run.id,
      SLUICE_TASK_PATH: node.record.path,
      SLUICE_HOME: context.deps.home,
    },
    workDir,
    logPath: attempt.logPath,
    projectRoot: context.options.projectRoot,
    ...(context.plan.timeoutSeconds(component) !== undefined
      ? { timeoutSeconds: context.plan.timeoutSeconds(component)! }
      : {}),
  };
  context.afterCommit.push(() => {
    const execution = context.deps.executor.start(request);
    const flight: InFlight = { node, attempt, execution, staged };
    context.inFlight.set(attemptId, flight);
    void execution.done.then((result) => context.push({ type: 'exited', attemptId, result }));
  });
  return true;
}

function executorInput(
  context: RunContext,
  component: ComponentSpec,
  inputs: TaskValues,
  staged: Map<string, { uri: string; path: string }>,
  workDir: string,
): ExecutorInput {
  const toRuntime = (ref: ArtifactRef): RuntimeArtifact => {
    const path = context.deps.artifacts.localPath(ref.uri);
    return {
      name: ref.id,
      uri: ref.uri,
      type: { schemaTitle: ref.schemaTitle, schemaVersion: ref.schemaVersion },
      metadata: ref.metadata,
      ...(path !== undefined ? { path } : {}),
    };
  };
  const outputArtifactType = (name: string): RuntimeArtifact['type'] => {
    const type = component.outputDefinitions?.artifacts?.[name]?.artifactType;
    return {
      schemaTitle: type?.schemaTitle ?? 'system.Artifact',
      schemaVersion: type?.schemaVersion ?? '0.0.1',
    };
  };
  return {
    inputs: {
      parameterValues: inputs.parameters,
      artifacts: Object.fromEntries(
        Object.entries(inputs.artifacts).map(([name, refs]) => [name, { artifacts: refs.map(toRuntime) }]),
      ),
    },
    outputs: {
      parameters: Object.fromEntries(
        Object.keys(component.outputDefinitions?.parameters ?? {}).map((name) => [
          name,
          { outputFile: join(workDir, 'outputs', name) },
        ]),
      ),
      artifacts: Object.fromEntries(
        [...staged].map(([name, location]) => [
          name,
          {
            artifacts: [
              { name, uri: location.uri, path: location.path, type: outputArtifactType(name), metadata: {} },
            ],
          },
        ]),
      ),
      outputFile: join(workDir, 'executor_output.json'),
    },
  };
}

function missingReason(node: TaskNode, name: string): string {
  const binding = node.spec?.inputs?.parameters?.[name] ?? node.spec?.inputs?.artifacts?.[name];
  const producerName =
    (binding as { taskOutputParameter?: { producerTask?: string } })?.taskOutputParameter?.producerTask ??
    (binding as { taskOutputArtifact?: { producerTask?: string } })?.taskOutputArtifact?.producerTask;
  const producer = producerName ? node.parent?.children.get(producerName) : undefined;
  return producer ? ` (its producer '${producerName}' is ${producer.state})` : '';
}

/** The end of an attempt: publish and succeed, or retry, or fail/cancel the task. */
export async function finishAttempt(
  context: RunContext,
  attemptId: string,
  result: ExecutionResult,
): Promise<void> {
  const flight = context.inFlight.get(attemptId);
  if (!flight) return;
  context.inFlight.delete(attemptId);
  const { node, attempt } = flight;
  if (result.ok) {
    const published = await publishOutputs(context, flight, result.outputs.artifacts);
    if ('failure' in published) {
      await endFailedAttempt(context, flight, published.failure, 0);
      return;
    }
    context.changes.patchAttempt(attempt, { state: 'SUCCEEDED', exitCode: 0, finishedAt: context.now() });
    context.changes.setTaskState(node.record, 'SUCCEEDED', null, {
      outputs: { parameters: result.outputs.parameters, artifacts: published.refs } as never,
    });
    onTaskFinal(context, node);
    return;
  }
  await endFailedAttempt(context, flight, result.failure, result.exitCode);
}

async function publishOutputs(
  context: RunContext,
  flight: InFlight,
  metadataByName: Record<string, { metadata: Record<string, JsonValue> }>,
): Promise<{ refs: Record<string, ArtifactRef[]> } | { failure: TaskFailure }> {
  const component = context.plan.component(flight.node.record.componentName);
  const refs: Record<string, ArtifactRef[]> = {};
  const records: ArtifactRecord[] = [];
  for (const [name, staged] of flight.staged) {
    const type = component.outputDefinitions?.artifacts?.[name]?.artifactType;
    let published: Awaited<ReturnType<typeof context.deps.artifacts.publish>>;
    try {
      published = await publishOne(context, staged, type?.schemaTitle, metadataByName[name]?.metadata);
    } catch (error) {
      return {
        failure: {
          kind: 'user',
          retryable: true,
          message: `output artifact '${name}': ${(error as Error).message}`,
        },
      };
    }
    const record: ArtifactRecord = {
      id: randomUUID(),
      runId: context.run.id,
      taskId: flight.node.record.id,
      name,
      uri: published.uri,
      schemaTitle: type?.schemaTitle ?? 'system.Artifact',
      schemaVersion: type?.schemaVersion ?? '0.0.1',
      metadata: metadataByName[name]?.metadata ?? {},
      digest: published.digest,
      sizeBytes: published.sizeBytes,
      createdAt: context.now(),
    };
    records.push(record);
    refs[name] = [
      {
        id: record.id,
        name,
        uri: record.uri,
        schemaTitle: record.schemaTitle,
        schemaVersion: record.schemaVersion,
        metadata: record.metadata as Record<string, JsonValue>,
        digest: record.digest,
      },
    ];
  }
  for (const record of records) {
    context.changes.addArtifact(record);
    context.changes.addLineage({
      artifactId: record.id,
      taskId: record.taskId,
      runId: context.run.id,
      kind: 'OUTPUT',
      key: record.name,
    });
  }
  return { refs };
}

/** Metric types live in their metadata (KFP's UI reads nothing else), so a component may write no file. */
const METADATA_ONLY_TYPES = new Set([
  'system.Metrics',
  'system.ClassificationMetrics',
  'system.SlicedClassificationMetrics',
]);

/**
 * Publishes one output. A metrics artifact the component wrote no file for gets its metadata as content,
 * as KFP's Python executor does, so that it still has something at its URI to digest and show.
 */
async function publishOne(
  context: RunContext,
  staged: { uri: string; path: string },
  schemaTitle: string | undefined,
  metadata: Record<string, JsonValue> | undefined,
) {
  try {
    return await context.deps.artifacts.publish(staged);
  } catch (error) {
    if (!(error instanceof ArtifactNotWrittenError) || !METADATA_ONLY_TYPES.has(schemaTitle ?? ''))
      throw error;
    await mkdir(dirname(staged.path), { recursive: true });
    await writeFile(staged.path, `${JSON.stringify(metadata ?? {}, null, 2)}\n`);
    return context.deps.artifacts.publish(staged);
  }
}

async function endFailedAttempt(
  context: RunContext,
  flight: InFlight,
  failure: TaskFailure,
  exitCode: number | undefined,
): Promise<void> {
  const { node, attempt } = flight;
  for (const staged of flight.staged.values()) await context.deps.artifacts.discard(staged);
  const canceled = failure.kind === 'canceled' || context.canceling;
  context.changes.patchAttempt(attempt, {
    state: canceled ? 'CANCELED' : 'FAILED',
    exitCode: exitCode ?? null,
    error: failure,
    finishedAt: context.now(),
  });
  if (canceled) {
    context.changes.setTaskState(node.record, 'CANCELED', 'the run was canceled');
    onTaskFinal(context, node);
    return;
  }
  const failed = (context.failedAttempts.get(node.record.id) ?? 0) + 1;
  context.failedAttempts.set(node.record.id, failed);
  const retry = decideRetry(node.spec?.retryPolicy, failure, failed);
  if (retry.retry) {
    context.changes.setTaskState(
      node.record,
      'RETRYING',
      `${failure.message}; retrying in ${retry.delayMs} ms`,
      { error: failure },
    );
    context.scheduleRetry(node.record.id, retry.delayMs);
    return;
  }
  context.changes.setTaskState(node.record, 'FAILED', failure.message, { error: failure });
  onTaskFinal(context, node);
}
