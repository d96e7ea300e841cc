/**
 * Queries of schema 2 (experiments, run summaries, run deletion, the artifact list) as portable kysely
 * builders, and their row decoders. Keyset pages compare row values `(sort key, id)`, which SQLite and
 * Postgres both evaluate on an index whose columns are the sort key then `id` (migrations/002-…).
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type {
  ArtifactListQuery,
  ExperimentFilter,
  ExperimentRecord,
  RunListQuery,
  RunSortField,
  RunSummary,
  StorageState,
} from './catalog.ts';
import { DEFAULT_RUN_LIMIT, MAX_RUN_LIMIT } from './queries.ts';
import type { Json, TaskFailure } from './records.ts';
import type { ExperimentsTable, StoreDatabase } from './schema.ts';

type Db = Kysely<StoreDatabase>;

export function clampLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? DEFAULT_RUN_LIMIT), 0), MAX_RUN_LIMIT);
}

// ---- experiments ---------------------------------------------------------------------------------------

export function selectExperiment(db: Db, id: string) {
  return db.selectFrom('experiments').selectAll().where('id', '=', id);
}

export function selectExperimentByName(db: Db, name: string) {
  return db.selectFrom('experiments').select('id').where('name', '=', name);
}

export function selectExperiments(db: Db, filter: ExperimentFilter) {
  let query = db.selectFrom('experiments').selectAll();
  if (filter.storageState !== undefined) query = query.where('storage_state', '=', filter.storageState);
  const before = filter.before;
  if (before !== undefined)
    query = query.where(sql<SqlBool>`(created_at, id) < (${before.createdAt}, ${before.id})`);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(clampLimit(filter.limit));
}

/** How many runs each of the given experiments has (experiments without runs are absent). */
export function countRunsByExperiment(db: Db, experimentIds: ReadonlyArray<string>) {
  return db
    .selectFrom('runs')
    .select((eb) => ['experiment_id', eb.fn.countAll<number>().as('count')])
    .where('experiment_id', 'in', experimentIds.length > 0 ? [...experimentIds] : [''])
    .groupBy('experiment_id');
}

export function setExperimentStorageState(db: Db, id: string, state: StorageState) {
  return db.updateTable('experiments').set({ storage_state: state }).where('id', '=', id);
}

/** Archives the experiment's available runs (archiving an experiment archives its runs, as in KFP). */
export function archiveRunsOfExperiment(db: Db, experimentId: string) {
  return db
    .updateTable('runs')
    .set({ storage_state: 'ARCHIVED' })
    .where('experiment_id', '=', experimentId)
    .where('storage_state', '=', 'AVAILABLE');
}

export function decodeExperiment(row: ExperimentsTable): ExperimentRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    storageState: row.storage_state as StorageState,
    createdAt: row.created_at,
  };
}

// ---- run summaries -------------------------------------------------------------------------------------

/**
 * The sort key as an expression; `name` and `finished_at` are written exactly as the migration's
 * expression indexes are, so the planner uses them.
 */
function sortExpression(field: RunSortField): RawBuilder<string> {
  switch (field) {
    case 'created_at':
      return sql<string>`created_at`;
    case 'name':
      return sql<string>`coalesce(display_name, pipeline_name)`;
    case 'state':
      return sql<string>`state`;
    case 'finished_at':
      return sql<string>`coalesce(finished_at, '')`;
  }
}

export function selectRunSummaries(db: Db, filter: RunListQuery) {
  const key = sortExpression(filter.sortBy ?? 'created_at');
  const descending = filter.descending ?? true;
  let query = db
    .selectFrom('runs')
    .select([
      'id',
      'pipeline_name',
      'display_name',
      'state',
      'parameters',
      'created_at',
      'started_at',
      'finished_at',
      'error',
      'experiment_id',
      'storage_state',
      'pipeline_version_id',
    ])
    .select(key.as('sort_key'))
    // One index seek per run (transitions_run_idx ends on id): the version its cached metrics are keyed by.
    .select((eb) =>
      eb
        .selectFrom('transitions')
        .select((inner) => inner.fn.max<number>('transitions.id').as('newest'))
        .whereRef('transitions.run_id', '=', 'runs.id')
        .as('newest_transition'),
    );
  if (filter.storageState !== undefined) query = query.where('storage_state', '=', filter.storageState);
  if (filter.experimentId !== undefined) query = query.where('experiment_id', '=', filter.experimentId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.pipelineName !== undefined) query = query.where('pipeline_name', '=', filter.pipelineName);
  if (filter.runIds !== undefined)
    query = query.where('id', 'in', filter.runIds.length > 0 ? [...filter.runIds] : ['']);
  const after = filter.after;
  if (after !== undefined)
    query = query.where(
      descending
        ? sql<SqlBool>`(${key}, id) < (${after.sortKey}, ${after.id})`
        : sql<SqlBool>`(${key}, id) > (${after.sortKey}, ${after.id})`,
    );
  const direction = descending ? 'desc' : 'asc';
  return query.orderBy(key, direction).orderBy('id', direction).limit(clampLimit(filter.limit));
}

export type RunSummaryRow = Awaited<ReturnType<ReturnType<typeof selectRunSummaries>['execute']>>[number];

export function selectVersionNames(db: Db, versionIds: ReadonlyArray<string>) {
  return db
    .selectFrom('pipeline_versions')
    .select(['id', 'name'])
    .where('id', 'in', versionIds.length > 0 ? [...versionIds] : ['']);
}

/** The recorded outputs of the runs' container and importer tasks: where their metrics are. */
export function selectTaskOutputsOfRuns(db: Db, runIds: ReadonlyArray<string>) {
  return db
    .selectFrom('tasks')
    .select(['run_id', 'path', 'outputs'])
    .where('run_id', 'in', runIds.length > 0 ? [...runIds] : [''])
    .where('kind', 'in', ['CONTAINER', 'IMPORTER'])
    .where('outputs', 'is not', null)
    .orderBy('run_id')
    .orderBy('path');
}

const METRICS_TITLES = new Set(['system.Metrics', 'system.ClassificationMetrics']);

/** Adds a task's numeric metrics (from its recorded outputs JSON) to `into`, keyed `<path>/<name>`. */
export function collectMetrics(path: string, outputsJson: string, into: { [key: string]: number }): void {
  let outputs: {
    artifacts?: { [name: string]: { schemaTitle?: string; metadata?: { [k: string]: Json } }[] };
  };
  try {
    outputs = JSON.parse(outputsJson);
  } catch {
    return;
  }
  for (const refs of Object.values(outputs?.artifacts ?? {})) {
    if (!Array.isArray(refs)) continue;
    for (const ref of refs) {
      if (!ref || !METRICS_TITLES.has(ref.schemaTitle ?? '')) continue;
      for (const [name, value] of Object.entries(ref.metadata ?? {}))
        if (typeof value === 'number' && Number.isFinite(value)) into[`${path}/${name}`] = value;
    }
  }
}

export function decodeRunSummary(
  row: RunSummaryRow,
  versionName: string | null,
  metrics: { [key: string]: number },
): RunSummary {
  return {
    id: row.id,
    pipelineName: row.pipeline_name,
    displayName: row.display_name,
    state: row.state,
    parameters: JSON.parse(row.parameters) as RunSummary['parameters'],
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error === null ? null : (JSON.parse(row.error) as TaskFailure),
    experimentId: row.experiment_id,
    storageState: row.storage_state as StorageState,
    pipelineVersionId: row.pipeline_version_id,
    pipelineVersionName: versionName,
    metrics,
    sortKey: String(row.sort_key),
  };
}

export function setRunPlacement(db: Db, runId: string, experimentId: string, versionId: string | null) {
  return db
    .updateTable('runs')
    .set({ experiment_id: experimentId, pipeline_version_id: versionId })
    .where('id', '=', runId);
}

export function setRunStorageState(db: Db, runId: string, state: StorageState) {
  return db.updateTable('runs').set({ storage_state: state }).where('id', '=', runId);
}

// ---- deleting a run ------------------------------------------------------------------------------------

/** Other runs' lineage events naming any of these artifacts: outputs first, then by run and task. */
export function selectForeignLineage(db: Db, runId: string, artifactIds: ReadonlyArray<string>) {
  return db
    .selectFrom('lineage_events')
    .select(['artifact_id', 'run_id', 'task_id', 'kind'])
    .where('artifact_id', 'in', artifactIds.length > 0 ? [...artifactIds] : [''])
    .where('run_id', '<>', runId)
    .orderBy('artifact_id')
    .orderBy('kind', 'desc')
    .orderBy('run_id')
    .orderBy('task_id');
}

/** Other runs' artifacts at any of these URIs. */
export function selectForeignArtifactUris(db: Db, runId: string, uris: ReadonlyArray<string>) {
  return db
    .selectFrom('artifacts')
    .select(['uri', 'run_id'])
    .where('uri', 'in', uris.length > 0 ? [...uris] : [''])
    .where('run_id', '<>', runId)
    .orderBy('uri')
    .orderBy('run_id');
}

export function reassignArtifact(db: Db, artifactId: string, runId: string, taskId: string) {
  return db.updateTable('artifacts').set({ run_id: runId, task_id: taskId }).where('id', '=', artifactId);
}

export function deleteRunRow(db: Db, runId: string) {
  return db.deleteFrom('runs').where('id', '=', runId);
}

// ---- artifact list -------------------------------------------------------------------------------------

export function selectArtifactPage(db: Db, filter: ArtifactListQuery) {
  let query = db.selectFrom('artifacts').selectAll();
  if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
  if (filter.schemaTitle !== undefined) query = query.where('schema_title', '=', filter.schemaTitle);
  const before = filter.before;
  if (before !== undefined)
    query = query.where(sql<SqlBool>`(created_at, id) < (${before.createdAt}, ${before.id})`);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(clampLimit(filter.limit));
}
