/**
 * Records ↔ rows, for every backend. JSON fields are stored as JSON text (a null field is SQL NULL, so
 * `IS NULL` works on them); timestamps and states are stored exactly as given.
 *
 * Each record type has one encoder table listing its fields in a fixed order: inserts use all of it (so the
 * SQL of a one-row insert never changes and its prepared statement is reused), patches the fields present.
 */
import type {
  ArtifactRecord,
  AttemptRecord,
  Json,
  LineageEventRecord,
  RunRecord,
  TaskFailure,
  TaskKind,
  TaskRecord,
  TransitionRecord,
} from './records.ts';
import type {
  ArtifactsTable,
  AttemptsTable,
  LineageEventsTable,
  PipelinesTable,
  PipelineVersionsTable,
  RunsTable,
  TasksTable,
  TransitionsTable,
} from './schema.ts';
import type { PipelineRecord, PipelineVersionRecord, PipelineVersionSummary } from './store.ts';

type Encoders<R> = { readonly [K in keyof R]-?: readonly [column: string, encode: (value: R[K]) => unknown] };

const same = (value: unknown): unknown => value ?? null;
const json = (value: unknown): unknown => (value === undefined ? null : JSON.stringify(value));
const jsonOrNull = (value: unknown): unknown => (value == null ? null : JSON.stringify(value));

export const RUN_COLUMNS: Encoders<RunRecord> = {
  id: ['id', same],
  pipelineName: ['pipeline_name', same],
  displayName: ['display_name', same],
  state: ['state', same],
  spec: ['spec', json],
  parameters: ['parameters', json],
  options: ['options', json],
  createdAt: ['created_at', same],
  startedAt: ['started_at', same],
  finishedAt: ['finished_at', same],
  error: ['error', jsonOrNull],
  ownerId: ['owner_id', same],
  heartbeatAt: ['heartbeat_at', same],
};

export const TASK_COLUMNS: Encoders<TaskRecord> = {
  id: ['id', same],
  runId: ['run_id', same],
  parentId: ['parent_id', same],
  name: ['name', same],
  path: ['path', same],
  kind: ['kind', same],
  componentName: ['component_name', same],
  iterationIndex: ['iteration_index', same],
  state: ['state', same],
  inputs: ['inputs', jsonOrNull],
  outputs: ['outputs', jsonOrNull],
  fingerprint: ['fingerprint', same],
  fingerprintParts: ['fingerprint_parts', jsonOrNull],
  cachedFromTaskId: ['cached_from_task_id', same],
  cacheMissReason: ['cache_miss_reason', jsonOrNull],
  error: ['error', jsonOrNull],
  attemptCount: ['attempt_count', same],
  createdAt: ['created_at', same],
  startedAt: ['started_at', same],
  finishedAt: ['finished_at', same],
};

export const ATTEMPT_COLUMNS: Encoders<AttemptRecord> = {
  id: ['id', same],
  taskId: ['task_id', same],
  runId: ['run_id', same],
  number: ['number', same],
  state: ['state', same],
  pid: ['pid', same],
  podName: ['pod_name', same],
  startedAt: ['started_at', same],
  finishedAt: ['finished_at', same],
  exitCode: ['exit_code', same],
  logPath: ['log_path', same],
  workDir: ['work_dir', same],
  error: ['error', jsonOrNull],
};

export const ARTIFACT_COLUMNS: Encoders<ArtifactRecord> = {
  id: ['id', same],
  runId: ['run_id', same],
  taskId: ['task_id', same],
  name: ['name', same],
  uri: ['uri', same],
  schemaTitle: ['schema_title', same],
  schemaVersion: ['schema_version', same],
  metadata: ['metadata', json],
  digest: ['digest', same],
  sizeBytes: ['size_bytes', same],
  createdAt: ['created_at', same],
};

export const LINEAGE_COLUMNS: Encoders<LineageEventRecord> = {
  artifactId: ['artifact_id', same],
  taskId: ['task_id', same],
  runId: ['run_id', same],
  kind: ['kind', same],
  key: ['key', same],
};

export const TRANSITION_COLUMNS: Encoders<Omit<TransitionRecord, 'id'>> = {
  runId: ['run_id', same],
  taskId: ['task_id', same],
  from: ['from_state', same],
  to: ['to_state', same],
  reason: ['reason', same],
  at: ['at', same],
};

/** Encoder tables as arrays, built once: encoding 10,000 rows should not call Object.keys 10,000 times. */
const entriesOf = new WeakMap<object, ReadonlyArray<readonly [string, string, (value: never) => unknown]>>();

/** A whole record as a row, columns in the encoder table's order. */
export function encodeRecord<R, Row>(record: R, encoders: Encoders<R>): Row {
  let entries = entriesOf.get(encoders);
  if (entries === undefined) {
    entries = Object.entries<readonly [string, (value: never) => unknown]>(encoders).map(
      ([key, [column, encode]]) => [key, column, encode] as const,
    );
    entriesOf.set(encoders, entries);
  }
  const row: Record<string, unknown> = {};
  const fields = record as Record<string, never>;
  for (const [key, column, encode] of entries) row[column] = encode(fields[key] as never);
  return row as Row;
}

/**
 * The columns a patch sets: fields present with a value, `null` included, `undefined` skipped. Returns the
 * name of a field the record type does not have (or may not be patched) instead of silently dropping it.
 */
export function encodePatch<R, Row>(
  patch: Partial<R>,
  encoders: Partial<Encoders<R>>,
): { row: Partial<Row> } | { unknownField: string } {
  const row: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as (keyof R & string)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    const encoder = Object.hasOwn(encoders, key) ? encoders[key] : undefined;
    if (encoder === undefined) return { unknownField: key };
    row[encoder[0]] = encoder[1](value as R[keyof R & string]);
  }
  return { row: row as Partial<Row> };
}

function parse<T>(text: string): T {
  return JSON.parse(text) as T;
}

function parseOrNull<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Integers may come back as strings (Postgres bigint) or bigints (driver options); records hold numbers. */
function integerOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : Number(value);
}

export function decodeRun(row: RunsTable): RunRecord {
  return {
    id: row.id,
    pipelineName: row.pipeline_name,
    displayName: row.display_name,
    state: row.state,
    spec: parse<Json>(row.spec),
    parameters: parse<RunRecord['parameters']>(row.parameters),
    options: parse<RunRecord['options']>(row.options),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: parseOrNull<TaskFailure>(row.error),
    ownerId: row.owner_id,
    heartbeatAt: row.heartbeat_at,
  };
}

export function decodeTask(row: TasksTable): TaskRecord {
  return {
    id: row.id,
    runId: row.run_id,
    parentId: row.parent_id,
    name: row.name,
    path: row.path,
    kind: row.kind as TaskKind,
    componentName: row.component_name,
    iterationIndex: integerOrNull(row.iteration_index),
    state: row.state,
    inputs: parseOrNull<Json>(row.inputs),
    outputs: parseOrNull<Json>(row.outputs),
    fingerprint: row.fingerprint,
    fingerprintParts: parseOrNull<TaskRecord['fingerprintParts']>(row.fingerprint_parts),
    cachedFromTaskId: row.cached_from_task_id,
    cacheMissReason: parseOrNull<Json>(row.cache_miss_reason),
    error: parseOrNull<TaskFailure>(row.error),
    attemptCount: Number(row.attempt_count),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function decodeAttempt(row: AttemptsTable): AttemptRecord {
  return {
    id: row.id,
    taskId: row.task_id,
    runId: row.run_id,
    number: Number(row.number),
    state: row.state as AttemptRecord['state'],
    pid: integerOrNull(row.pid),
    podName: row.pod_name,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    exitCode: integerOrNull(row.exit_code),
    logPath: row.log_path,
    workDir: row.work_dir,
    error: parseOrNull<TaskFailure>(row.error),
  };
}

export function decodeArtifact(row: ArtifactsTable): ArtifactRecord {
  return {
    id: row.id,
    runId: row.run_id,
    taskId: row.task_id,
    name: row.name,
    uri: row.uri,
    schemaTitle: row.schema_title,
    schemaVersion: row.schema_version,
    metadata: parse<ArtifactRecord['metadata']>(row.metadata),
    digest: row.digest,
    sizeBytes: integerOrNull(row.size_bytes),
    createdAt: row.created_at,
  };
}

export function decodeLineageEvent(row: LineageEventsTable): LineageEventRecord {
  return {
    artifactId: row.artifact_id,
    taskId: row.task_id,
    runId: row.run_id,
    kind: row.kind as LineageEventRecord['kind'],
    key: row.key,
  };
}

export function decodeTransition(
  row: Omit<TransitionsTable, 'id'> & { id: number | string },
): TransitionRecord {
  return {
    id: Number(row.id),
    runId: row.run_id,
    taskId: row.task_id,
    from: row.from_state,
    to: row.to_state,
    reason: row.reason,
    at: row.at,
  };
}

export function decodePipelineVersion(
  row: PipelineVersionsTable,
  pipelineName: string,
): PipelineVersionRecord {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    pipelineName,
    digest: row.digest,
    name: row.name,
    spec: parse<Json>(row.spec),
    createdAt: row.created_at,
  };
}

/** A pipelines row with its counted versions (`version_count`: a count may come back as text or bigint). */
export function decodePipeline(
  row: Pick<PipelinesTable, 'id' | 'name' | 'created_at'> & { version_count: number | string | bigint },
): PipelineRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, versionCount: Number(row.version_count) };
}

export function decodePipelineVersionSummary(
  row: Omit<PipelineVersionsTable, 'spec'> & { pipeline_name: string },
): PipelineVersionSummary {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    pipelineName: row.pipeline_name,
    digest: row.digest,
    name: row.name,
    createdAt: row.created_at,
  };
}

/** The encoder table without the fields a patch may not change (identity and creation). */
function patchable<R, K extends keyof R>(encoders: Encoders<R>, fixed: readonly K[]): Encoders<Omit<R, K>> {
  const result: Record<string, unknown> = { ...encoders };
  for (const key of fixed) delete result[key as string];
  return result as Encoders<Omit<R, K>>;
}

export const RUN_PATCH_COLUMNS = patchable(RUN_COLUMNS, [
  'id',
  'pipelineName',
  'displayName',
  'spec',
  'parameters',
  'createdAt',
  'ownerId',
  'heartbeatAt',
]);
export const TASK_PATCH_COLUMNS = patchable(TASK_COLUMNS, ['id', 'runId', 'createdAt']);
export const ATTEMPT_PATCH_COLUMNS = patchable(ATTEMPT_COLUMNS, ['id', 'taskId', 'runId', 'number']);
