/**
 * Record builders for the RunStore contract and the backends' own tests: complete records with every
 * nullable field null, overridable field by field. Timestamps come from `at(n)`, n seconds after a fixed
 * instant, so order is explicit.
 */
import type {
  ArtifactRecord,
  AttemptRecord,
  LineageEventRecord,
  RunRecord,
  TaskRecord,
  TransitionRecord,
} from '../../src/store/index.ts';

export function at(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();
}

export function makeRun(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    pipelineName: 'train-pipeline',
    displayName: null,
    state: 'PENDING',
    spec: { pipelineInfo: { name: 'train-pipeline' }, root: { dag: { tasks: {} } } },
    parameters: {},
    options: {},
    createdAt: at(0),
    startedAt: null,
    finishedAt: null,
    error: null,
    ownerId: null,
    heartbeatAt: null,
    ...overrides,
  };
}

export function makeTask(runId: string, id: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id,
    runId,
    parentId: `${runId}/root`,
    name: id,
    path: id,
    kind: 'CONTAINER',
    componentName: `comp-${id}`,
    iterationIndex: null,
    state: 'PENDING',
    inputs: null,
    outputs: null,
    fingerprint: null,
    fingerprintParts: null,
    cachedFromTaskId: null,
    cacheMissReason: null,
    error: null,
    attemptCount: 0,
    createdAt: at(1),
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

/** The run's root DAG task, as createRun takes it. */
export function makeRootTask(runId: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return makeTask(runId, `${runId}/root`, {
    parentId: null,
    name: 'root',
    path: '',
    kind: 'DAG',
    componentName: 'root',
    createdAt: at(0),
    ...overrides,
  });
}

export function makeAttempt(
  task: TaskRecord,
  number: number,
  overrides: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    id: `${task.id}#${number}`,
    taskId: task.id,
    runId: task.runId,
    number,
    state: 'RUNNING',
    pid: null,
    podName: null,
    startedAt: at(10 + number),
    finishedAt: null,
    exitCode: null,
    logPath: `/logs/${task.id}/${number}.log`,
    workDir: `/work/${task.id}/${number}`,
    error: null,
    ...overrides,
  };
}

export function makeArtifact(
  task: TaskRecord,
  name: string,
  overrides: Partial<ArtifactRecord> = {},
): ArtifactRecord {
  return {
    id: `${task.id}:${name}`,
    runId: task.runId,
    taskId: task.id,
    name,
    uri: `file:///artifacts/${task.runId}/${task.id}/${name}`,
    schemaTitle: 'system.Dataset',
    schemaVersion: '0.0.1',
    metadata: {},
    digest: null,
    sizeBytes: null,
    createdAt: at(20),
    ...overrides,
  };
}

export function lineage(
  artifact: ArtifactRecord,
  task: TaskRecord,
  kind: LineageEventRecord['kind'],
  key: string,
): LineageEventRecord {
  return { artifactId: artifact.id, taskId: task.id, runId: task.runId, kind, key };
}

export function transition(
  runId: string,
  from: string | null,
  to: string,
  overrides: Partial<Omit<TransitionRecord, 'id'>> = {},
): Omit<TransitionRecord, 'id'> {
  return { runId, taskId: null, from, to, reason: null, at: at(5), ...overrides };
}
