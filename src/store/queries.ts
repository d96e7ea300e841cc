/**
 * The store's queries as kysely builders, for every backend: a backend compiles and executes them (SQLite
 * synchronously inside its own transactions, Postgres through its pool), so the SQL semantics are written
 * once. Orderings always end on a unique column, so equal timestamps still give a stable order.
 */
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './schema.ts';
import type { RunFilter } from './store.ts';

type Db = Kysely<StoreDatabase>;

/** Default and ceiling of `RunFilter.limit`. */
export const DEFAULT_RUN_LIMIT = 100;
export const MAX_RUN_LIMIT = 10_000;

export function selectRun(db: Db, runId: string) {
  return db.selectFrom('runs').selectAll().where('id', '=', runId);
}

/**
 * Run ids starting with `prefix`. `substr` rather than LIKE: LIKE treats `%`/`_` as wildcards and is
 * case-insensitive in SQLite; a range on text depends on the collation in Postgres.
 */
export function selectRunIdsByPrefix(db: Db, prefix: string) {
  return db
    .selectFrom('runs')
    .select('id')
    .where((eb) => eb(eb.fn('substr', ['id', eb.val(1), eb.val(prefix.length)]), '=', prefix))
    .orderBy('id')
    .limit(50);
}

export function selectRuns(db: Db, filter: RunFilter) {
  let query = db.selectFrom('runs').selectAll();
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.pipelineName !== undefined) query = query.where('pipeline_name', '=', filter.pipelineName);
  const before = filter.before;
  if (before !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? DEFAULT_RUN_LIMIT), 0), MAX_RUN_LIMIT);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
}

/** Oldest first: the order a restarting engine adopts them in. */
export function selectRunsNotIn(db: Db, states: ReadonlyArray<string>) {
  let query = db.selectFrom('runs').selectAll();
  if (states.length > 0) query = query.where('state', 'not in', [...states]);
  return query.orderBy('created_at').orderBy('id');
}

/** The lease: free, already ours, or its holder's heartbeat is older than `staleBefore`. One statement. */
export function claimRunUpdate(db: Db, runId: string, ownerId: string, now: string, staleBefore: string) {
  return db
    .updateTable('runs')
    .set({ owner_id: ownerId, heartbeat_at: now })
    .where('id', '=', runId)
    .where((eb) =>
      eb.or([
        eb('owner_id', 'is', null),
        eb('owner_id', '=', ownerId),
        eb('heartbeat_at', 'is', null),
        eb('heartbeat_at', '<', staleBefore),
      ]),
    );
}

export function takeOverRunUpdate(
  db: Db,
  runId: string,
  fromOwnerId: string,
  toOwnerId: string,
  now: string,
) {
  return db
    .updateTable('runs')
    .set({ owner_id: toOwnerId, heartbeat_at: now })
    .where('id', '=', runId)
    .where('owner_id', '=', fromOwnerId);
}

export function heartbeatUpdate(db: Db, runId: string, ownerId: string, now: string) {
  return db
    .updateTable('runs')
    .set({ heartbeat_at: now })
    .where('id', '=', runId)
    .where('owner_id', '=', ownerId);
}

export function releaseRunUpdate(db: Db, runId: string, ownerId: string) {
  return db
    .updateTable('runs')
    .set({ owner_id: null, heartbeat_at: null })
    .where('id', '=', runId)
    .where('owner_id', '=', ownerId);
}

export function selectRunLease(db: Db, runId: string) {
  return db.selectFrom('runs').select(['state', 'owner_id']).where('id', '=', runId);
}

export function updateRunState(db: Db, runId: string, state: string) {
  return db.updateTable('runs').set({ state }).where('id', '=', runId);
}

export function selectTasksOfRun(db: Db, runId: string) {
  return db.selectFrom('tasks').selectAll().where('run_id', '=', runId).orderBy('created_at').orderBy('id');
}

export function selectTask(db: Db, taskId: string) {
  return db.selectFrom('tasks').selectAll().where('id', '=', taskId);
}

export function selectAttemptsOfRun(db: Db, runId: string) {
  return db
    .selectFrom('attempts')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('started_at')
    .orderBy('task_id')
    .orderBy('number');
}

export function selectArtifactsOfRun(db: Db, runId: string) {
  return db
    .selectFrom('artifacts')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('created_at')
    .orderBy('id');
}

export function selectArtifactsOfTask(db: Db, taskId: string) {
  return db.selectFrom('artifacts').selectAll().where('task_id', '=', taskId).orderBy('name').orderBy('id');
}

export function selectArtifact(db: Db, artifactId: string) {
  return db.selectFrom('artifacts').selectAll().where('id', '=', artifactId);
}

export function selectArtifactsByUri(db: Db, uri: string) {
  return db.selectFrom('artifacts').selectAll().where('uri', '=', uri).orderBy('created_at').orderBy('id');
}

export function selectLineage(db: Db, query: { runId: string } | { artifactId: string }) {
  const base = db.selectFrom('lineage_events').selectAll();
  const filtered =
    'runId' in query
      ? base.where('run_id', '=', query.runId)
      : base.where('artifact_id', '=', query.artifactId);
  return filtered.orderBy('run_id').orderBy('task_id').orderBy('kind').orderBy('key').orderBy('artifact_id');
}

export function selectNewestTransition(db: Db, runId: string) {
  return db
    .selectFrom('transitions')
    .select((eb) => eb.fn.max<number>('id').as('newest'))
    .where('run_id', '=', runId);
}

export function selectRunReport(db: Db, runId: string) {
  return db.selectFrom('run_reports').select(['transition_id', 'report']).where('run_id', '=', runId);
}

export function upsertRunReport(db: Db, runId: string, transitionId: number, report: string) {
  return db
    .insertInto('run_reports')
    .values({ run_id: runId, transition_id: transitionId, report })
    .onConflict((conflict) => conflict.column('run_id').doUpdateSet({ transition_id: transitionId, report }));
}

/**
 * Runs in `state` after `afterId` (by id) with transitions, whose saved report is missing or older than the
 * newest. One state: the (state, id) index then yields them in id order, and the limit ends the walk early.
 */
export function selectRunsLackingReport(db: Db, state: string, afterId: string, limit: number) {
  return db
    .selectFrom('runs')
    .leftJoin('run_reports', 'run_reports.run_id', 'runs.id')
    .select('runs.id')
    .where('runs.state', '=', state)
    .where('runs.id', '>', afterId)
    .where((eb) => {
      const newest = eb
        .selectFrom('transitions')
        .select((inner) => inner.fn.max<number>('transitions.id').as('newest'))
        .whereRef('transitions.run_id', '=', 'runs.id');
      return eb.and([
        eb(newest, 'is not', null),
        eb.or([eb('run_reports.run_id', 'is', null), eb('run_reports.transition_id', '!=', newest)]),
      ]);
    })
    .orderBy('runs.id')
    .limit(limit);
}

export function selectArtifactIds(db: Db, ids: string[]) {
  return db.selectFrom('artifacts').select('id').where('id', 'in', ids);
}

export function selectTransitions(db: Db, runId: string, afterId: number) {
  return db
    .selectFrom('transitions')
    .selectAll()
    .where('run_id', '=', runId)
    .where('id', '>', afterId)
    .orderBy('id');
}

export function selectCacheHitTask(db: Db, fingerprint: string, states: ReadonlyArray<string>) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .where('state', 'in', [...states])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1);
}

export function selectPreviousTask(db: Db, pipelineName: string, path: string, before: string) {
  return db
    .selectFrom('tasks')
    .innerJoin('runs', 'runs.id', 'tasks.run_id')
    .selectAll('tasks')
    .where('runs.pipeline_name', '=', pipelineName)
    .where('tasks.path', '=', path)
    .where('tasks.fingerprint', 'is not', null)
    .where('tasks.created_at', '<', before)
    .orderBy('tasks.created_at', 'desc')
    .orderBy('tasks.id', 'desc')
    .limit(1);
}

export function selectPipelineByName(db: Db, name: string) {
  return db.selectFrom('pipelines').selectAll().where('name', '=', name);
}

export function selectPipelineVersion(db: Db, pipelineId: string, digest: string) {
  return db
    .selectFrom('pipeline_versions')
    .selectAll()
    .where('pipeline_id', '=', pipelineId)
    .where('digest', '=', digest);
}

export function countPipelineVersions(db: Db, pipelineId: string) {
  return db
    .selectFrom('pipeline_versions')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('pipeline_id', '=', pipelineId);
}

/** Pipelines with their version counts, newest first. */
export function selectPipelines(db: Db) {
  return db
    .selectFrom('pipelines')
    .leftJoin('pipeline_versions', 'pipeline_versions.pipeline_id', 'pipelines.id')
    .select((eb) => [
      'pipelines.id',
      'pipelines.name',
      'pipelines.created_at',
      eb.fn.count<number>('pipeline_versions.id').as('version_count'),
    ])
    .groupBy(['pipelines.id', 'pipelines.name', 'pipelines.created_at'])
    .orderBy('pipelines.created_at', 'desc')
    .orderBy('pipelines.id', 'desc');
}

export function selectPipeline(db: Db, pipelineId: string) {
  return selectPipelines(db).where('pipelines.id', '=', pipelineId);
}

/** A pipeline's versions without their specs, newest first, each with its pipeline's name. */
export function selectPipelineVersionsOf(db: Db, pipelineId: string) {
  return db
    .selectFrom('pipeline_versions')
    .innerJoin('pipelines', 'pipelines.id', 'pipeline_versions.pipeline_id')
    .select([
      'pipeline_versions.id',
      'pipeline_versions.pipeline_id',
      'pipelines.name as pipeline_name',
      'pipeline_versions.name',
      'pipeline_versions.digest',
      'pipeline_versions.created_at',
    ])
    .where('pipeline_versions.pipeline_id', '=', pipelineId)
    .orderBy('pipeline_versions.created_at', 'desc')
    .orderBy('pipeline_versions.id', 'desc');
}

/** One version with its spec and its pipeline's name. */
export function selectPipelineVersionById(db: Db, versionId: string) {
  return db
    .selectFrom('pipeline_versions')
    .innerJoin('pipelines', 'pipelines.id', 'pipeline_versions.pipeline_id')
    .selectAll('pipeline_versions')
    .select('pipelines.name as pipeline_name')
    .where('pipeline_versions.id', '=', versionId);
}

export function selectPipelineVersionByName(db: Db, pipelineId: string, name: string) {
  return db
    .selectFrom('pipeline_versions')
    .select(['id', 'digest'])
    .where('pipeline_id', '=', pipelineId)
    .where('name', '=', name);
}
