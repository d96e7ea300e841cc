/**
 * The embedded metadata store: one SQLite file (WAL), shared safely by several processes (a CLI run and a
 * server). Every write is one `BEGIN IMMEDIATE` transaction or one autocommit statement; see
 * sqlite-database.ts for why not kysely's deferred `BEGIN`, and sqlite-statements.ts for how queries run.
 *
 * better-sqlite3 is synchronous: each method does its SQL work in one synchronous step, so no two methods'
 * transactions interleave in this process. A writer waiting for another process's lock blocks this
 * process's event loop for up to BUSY_TIMEOUT_MS; writes are short (milliseconds), so waits are too.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { type PatchWrite, patchQuery, planBatch, planCreateRun, type StoreWrite } from '../batch-plan.ts';
import {
  type ArtifactListQuery,
  DEFAULT_EXPERIMENT_ID,
  type DeleteRunResult,
  type ExperimentFilter,
  ExperimentNameTakenError,
  type ExperimentRecord,
  type ExperimentSummary,
  type RunDetail,
  type RunListQuery,
  type RunPlacement,
  type RunSummary,
  type StorageState,
} from '../catalog.ts';
import * as cq from '../catalog-queries.ts';
import { migrateStore } from '../migrations/store-migrations.ts';
import * as q from '../queries.ts';
import type {
  ArtifactRecord,
  AttemptRecord,
  Json,
  LineageEventRecord,
  RunRecord,
  TaskRecord,
  TransitionRecord,
} from '../records.ts';
import {
  decodeArtifact,
  decodeAttempt,
  decodeLineageEvent,
  decodePipeline,
  decodePipelineVersion,
  decodePipelineVersionSummary,
  decodeRun,
  decodeTask,
  decodeTransition,
} from '../rows.ts';
import type { StoreDatabase } from '../schema.ts';
import {
  type CachedResult,
  type PipelineRecord,
  PipelineVersionNameTakenError,
  type PipelineVersionRecord,
  type PipelineVersionSummary,
  type RunFilter,
  RunIdAmbiguousError,
  RunOwnershipLostError,
  type RunStore,
  type StoreBatch,
  StoreBatchRejectedError,
} from '../store.ts';
import { migrationKey, migrationOf, queueMigration } from './migration-queue.ts';
import {
  ImmediateSqliteDialect,
  migrated,
  openSqliteDatabase,
  SQLITE_SCHEMA_DIALECT,
} from './sqlite-database.ts';
import { SqliteStatements } from './sqlite-statements.ts';

/** How many runs' metrics `listRunSummaries` keeps parsed (a few MB at most). */
const METRICS_CACHE_RUNS = 20_000;

/** Shortest run-id prefix `resolveRunId` accepts. */
const MIN_RUN_ID_PREFIX = 4;

/**
 * Opens (creating it and its directory if needed) and migrates the store at `path`; `:memory:` gives a
 * private in-memory store.
 *
 * @example
 * const store = await openSqliteRunStore('.sluice/sluice.db');
 * const runs = await store.listRuns({ state: 'RUNNING' });
 */
export async function openSqliteRunStore(path: string): Promise<SqliteRunStore> {
  return migrated(new SqliteRunStore(openSqliteDatabase(path)));
}

export class SqliteRunStore implements RunStore {
  readonly #sqlite: Database.Database;
  readonly #db: Kysely<StoreDatabase>;
  readonly #sql: SqliteStatements;
  /** This store's file in the migration queue. */
  readonly #file: string;
  /** Runs' parsed metrics by run id, with the newest transition id they were read at. */
  readonly #metricsCache = new Map<string, { version: number; metrics: { [key: string]: number } }>();
  #closed = false;
  #dataVersion: Database.Statement | undefined;

  /** Takes ownership of an open database (see openSqliteDatabase); call migrate() before use. */
  constructor(sqlite: Database.Database) {
    this.#sqlite = sqlite;
    this.#db = new Kysely<StoreDatabase>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    this.#sql = new SqliteStatements(sqlite, this.#db);
    this.#file = migrationKey(sqlite);
  }

  /** Every method first waits for a migration of this file running in this process (migration-queue.ts). */
  get #migrating(): Promise<void> | undefined {
    return migrationOf(this.#file);
  }

  async migrate(): Promise<void> {
    await queueMigration(this.#file, () => migrateStore(this.#db, SQLITE_SCHEMA_DIALECT));
  }

  /** SQLite's `data_version` (other connections' commits) and this connection's own write count. */
  changeMark(): string {
    this.#dataVersion ??= this.#sqlite.prepare('pragma data_version').pluck();
    return `${this.#dataVersion.get() as number}/${this.#sql.writeCount}`;
  }

  async close(): Promise<void> {
    await this.#migrating?.catch(() => undefined);
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
    // kysely closes the handle only if it ever ran a query through it.
    if (this.#sqlite.open) this.#sqlite.close();
  }

  async savePipelineVersion(
    pipelineName: string,
    digest: string,
    spec: Json,
    at: string,
    name?: string,
  ): Promise<PipelineVersionRecord> {
    await this.#migrating;
    const db = this.#db;
    return this.#sql.write(() => {
      let pipeline = this.#sql.first(q.selectPipelineByName(db, pipelineName));
      if (pipeline === undefined) {
        pipeline = { id: randomUUID(), name: pipelineName, created_at: at };
        this.#sql.run(db.insertInto('pipelines').values(pipeline));
      }
      const existing = this.#sql.first(q.selectPipelineVersion(db, pipeline.id, digest));
      if (existing !== undefined) return decodePipelineVersion(existing, pipelineName);
      const taken = (candidate: string) =>
        this.#sql.first(q.selectPipelineVersionByName(db, pipeline.id, candidate)) !== undefined;
      if (name !== undefined && taken(name)) throw new PipelineVersionNameTakenError(pipelineName, name);
      let versionName = name;
      if (versionName === undefined) {
        // `v<count+1>`, or the next free number when a chosen name already took it.
        let n = Number(this.#sql.first(q.countPipelineVersions(db, pipeline.id))?.count ?? 0) + 1;
        while (taken(`v${n}`)) n += 1;
        versionName = `v${n}`;
      }
      const version = {
        id: randomUUID(),
        pipeline_id: pipeline.id,
        name: versionName,
        digest,
        spec: JSON.stringify(spec),
        created_at: at,
      };
      this.#sql.run(db.insertInto('pipeline_versions').values(version));
      return decodePipelineVersion(version, pipelineName);
    });
  }

  async listPipelines(): Promise<PipelineRecord[]> {
    await this.#migrating;
    return this.#sql.all(q.selectPipelines(this.#db)).map(decodePipeline);
  }

  async getPipeline(pipelineId: string): Promise<PipelineRecord | undefined> {
    await this.#migrating;
    const row = this.#sql.first(q.selectPipeline(this.#db, pipelineId));
    return row && decodePipeline(row);
  }

  async listPipelineVersions(pipelineId: string): Promise<PipelineVersionSummary[]> {
    await this.#migrating;
    return this.#sql.all(q.selectPipelineVersionsOf(this.#db, pipelineId)).map(decodePipelineVersionSummary);
  }

  async getPipelineVersion(versionId: string): Promise<PipelineVersionRecord | undefined> {
    await this.#migrating;
    const row = this.#sql.first(q.selectPipelineVersionById(this.#db, versionId));
    return row && decodePipelineVersion(row, row.pipeline_name);
  }

  async createRun(
    run: RunRecord,
    rootTask: TaskRecord,
    transitions: Omit<TransitionRecord, 'id'>[],
    placement: RunPlacement = {},
  ): Promise<void> {
    await this.#migrating;
    const writes = planCreateRun(run, rootTask, transitions);
    const experimentId = placement.experimentId ?? DEFAULT_EXPERIMENT_ID;
    const versionId = placement.pipelineVersionId ?? null;
    this.#sql.write(() => {
      for (const write of writes) this.#sql.insert(write);
      if (experimentId !== DEFAULT_EXPERIMENT_ID || versionId !== null)
        this.#sql.run(cq.setRunPlacement(this.#db, run.id, experimentId, versionId));
    });
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    await this.#migrating;
    const row = this.#sql.firstOf('run', [runId], () => q.selectRun(this.#db, runId));
    return row && decodeRun(row);
  }

  async resolveRunId(prefix: string): Promise<string | undefined> {
    await this.#migrating;
    const exact = this.#sql.first(q.selectRun(this.#db, prefix).clearSelect().select('id'));
    if (exact !== undefined) return exact.id;
    if (prefix.length < MIN_RUN_ID_PREFIX) return undefined;
    const ids = this.#sql.all(q.selectRunIdsByPrefix(this.#db, prefix)).map((row) => row.id);
    if (ids.length > 1) throw new RunIdAmbiguousError(prefix, ids);
    return ids[0];
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    await this.#migrating;
    return this.#sql.all(q.selectRuns(this.#db, filter)).map(decodeRun);
  }

  async listRunsNotIn(states: ReadonlyArray<string>): Promise<RunRecord[]> {
    await this.#migrating;
    return this.#sql.all(q.selectRunsNotIn(this.#db, states)).map(decodeRun);
  }

  async claimRun(runId: string, ownerId: string, now: string, staleBefore: string): Promise<boolean> {
    await this.#migrating;
    return this.#sql.run(q.claimRunUpdate(this.#db, runId, ownerId, now, staleBefore)) === 1;
  }

  async takeOverRun(runId: string, fromOwnerId: string, toOwnerId: string, now: string): Promise<boolean> {
    await this.#migrating;
    return this.#sql.run(q.takeOverRunUpdate(this.#db, runId, fromOwnerId, toOwnerId, now)) === 1;
  }

  async heartbeat(runId: string, ownerId: string, now: string): Promise<boolean> {
    await this.#migrating;
    return this.#sql.run(q.heartbeatUpdate(this.#db, runId, ownerId, now)) === 1;
  }

  async releaseRun(runId: string, ownerId: string): Promise<void> {
    await this.#migrating;
    this.#sql.run(q.releaseRunUpdate(this.#db, runId, ownerId));
  }

  async compareAndSetRunState(
    runId: string,
    from: ReadonlyArray<string>,
    to: string,
    transition: Omit<TransitionRecord, 'id' | 'from' | 'to'>,
  ): Promise<string | undefined> {
    await this.#migrating;
    const db = this.#db;
    const writes = (current: string) =>
      planBatch({
        runId,
        runPatch: { state: to },
        transitions: [{ ...transition, runId, from: current, to }],
      });
    return this.#sql.write(() => {
      const current = this.#sql.first(q.selectRunLease(db, runId))?.state;
      if (current === undefined || !from.includes(current)) return current;
      for (const write of writes(current)) this.#apply(write);
      return to;
    });
  }

  async commit(batch: StoreBatch): Promise<void> {
    await this.#migrating;
    const writes = planBatch(batch);
    const { ownerId, runId } = batch;
    this.#sql.write(() => {
      if (ownerId !== undefined) this.#fence(runId, ownerId);
      for (const write of writes) this.#apply(write);
    });
  }

  async pinCacheHit(batch: {
    ownerId: string;
    runId: string;
    lineage: LineageEventRecord[];
  }): Promise<boolean> {
    await this.#migrating;
    const writes = planBatch({ runId: batch.runId, lineage: batch.lineage });
    const artifactIds = [...new Set(batch.lineage.map((event) => event.artifactId))];
    return this.#sql.write(() => {
      this.#fence(batch.runId, batch.ownerId);
      if (artifactIds.length > 0) {
        const found = this.#sql.all(q.selectArtifactIds(this.#db, artifactIds));
        if (found.length < artifactIds.length) return false;
      }
      for (const write of writes) this.#apply(write);
      return true;
    });
  }

  /** Inside a write transaction: throws unless `ownerId` holds the run's lease. */
  #fence(runId: string, ownerId: string): void {
    const lease = this.#sql.first(q.selectRunLease(this.#db, runId));
    if (lease?.owner_id !== ownerId) throw new RunOwnershipLostError(runId, ownerId);
  }

  #apply(write: StoreWrite): void {
    if (write.kind === 'insert') this.#sql.insert(write);
    else if (this.#sql.run(patchQuery(this.#db, write)) !== 1) throw missingRow(write);
  }

  async getTasks(runId: string): Promise<TaskRecord[]> {
    await this.#migrating;
    return this.#sql.allOf('tasksOfRun', [runId], () => q.selectTasksOfRun(this.#db, runId)).map(decodeTask);
  }

  async getTask(taskId: string): Promise<TaskRecord | undefined> {
    await this.#migrating;
    const row = this.#sql.first(q.selectTask(this.#db, taskId));
    return row && decodeTask(row);
  }

  async getAttempts(runId: string): Promise<AttemptRecord[]> {
    await this.#migrating;
    return this.#sql
      .allOf('attemptsOfRun', [runId], () => q.selectAttemptsOfRun(this.#db, runId))
      .map(decodeAttempt);
  }

  async getArtifacts(runId: string): Promise<ArtifactRecord[]> {
    await this.#migrating;
    return this.#sql.all(q.selectArtifactsOfRun(this.#db, runId)).map(decodeArtifact);
  }

  async getArtifact(artifactId: string): Promise<ArtifactRecord | undefined> {
    await this.#migrating;
    const row = this.#sql.first(q.selectArtifact(this.#db, artifactId));
    return row && decodeArtifact(row);
  }

  async getArtifactsByUri(uri: string): Promise<ArtifactRecord[]> {
    await this.#migrating;
    return this.#sql.all(q.selectArtifactsByUri(this.#db, uri)).map(decodeArtifact);
  }

  async getLineage(query: { runId: string } | { artifactId: string }): Promise<LineageEventRecord[]> {
    await this.#migrating;
    return this.#sql.all(q.selectLineage(this.#db, query)).map(decodeLineageEvent);
  }

  async getTransitions(runId: string, afterId = 0): Promise<TransitionRecord[]> {
    await this.#migrating;
    return this.#sql.all(q.selectTransitions(this.#db, runId, afterId)).map(decodeTransition);
  }

  async findCacheHit(fingerprint: string, states: ReadonlyArray<string>): Promise<CachedResult | undefined> {
    await this.#migrating;
    if (states.length === 0) return undefined;
    const db = this.#db;
    return this.#sql.read(() => {
      const task = this.#sql.first(q.selectCacheHitTask(db, fingerprint, states));
      if (task === undefined) return undefined;
      const artifacts = this.#sql.all(q.selectArtifactsOfTask(db, task.id));
      return { task: decodeTask(task), artifacts: artifacts.map(decodeArtifact) };
    });
  }

  async findPreviousTask(
    pipelineName: string,
    path: string,
    before: string,
  ): Promise<TaskRecord | undefined> {
    await this.#migrating;
    const row = this.#sql.first(q.selectPreviousTask(this.#db, pipelineName, path, before));
    return row && decodeTask(row);
  }

  // ---- schema 2 ----

  async createExperiment(experiment: ExperimentRecord): Promise<void> {
    await this.#migrating;
    const db = this.#db;
    this.#sql.write(() => {
      if (this.#sql.first(cq.selectExperimentByName(db, experiment.name)) !== undefined)
        throw new ExperimentNameTakenError(experiment.name);
      this.#sql.run(
        db.insertInto('experiments').values({
          id: experiment.id,
          name: experiment.name,
          description: experiment.description,
          storage_state: experiment.storageState,
          created_at: experiment.createdAt,
        }),
      );
    });
  }

  async getExperiment(experimentId: string): Promise<ExperimentSummary | undefined> {
    await this.#migrating;
    return this.#sql.read(() => {
      const row = this.#sql.first(cq.selectExperiment(this.#db, experimentId));
      return row && this.#withRunCounts([cq.decodeExperiment(row)])[0];
    });
  }

  async listExperiments(filter: ExperimentFilter = {}): Promise<ExperimentSummary[]> {
    await this.#migrating;
    return this.#sql.read(() =>
      this.#withRunCounts(this.#sql.all(cq.selectExperiments(this.#db, filter)).map(cq.decodeExperiment)),
    );
  }

  #withRunCounts(experiments: ExperimentRecord[]): ExperimentSummary[] {
    const ids = experiments.map((experiment) => experiment.id);
    const counts = new Map(
      this.#sql
        .all(cq.countRunsByExperiment(this.#db, ids))
        .map((row) => [row.experiment_id, Number(row.count)]),
    );
    return experiments.map((experiment) => ({ ...experiment, runCount: counts.get(experiment.id) ?? 0 }));
  }

  async setExperimentStorageState(experimentId: string, state: StorageState): Promise<number | undefined> {
    await this.#migrating;
    const db = this.#db;
    return this.#sql.write(() => {
      if (this.#sql.run(cq.setExperimentStorageState(db, experimentId, state)) !== 1) return undefined;
      return state === 'ARCHIVED' ? this.#sql.run(cq.archiveRunsOfExperiment(db, experimentId)) : 0;
    });
  }

  async deleteExperiment(experimentId: string): Promise<number | undefined> {
    await this.#migrating;
    const db = this.#db;
    return this.#sql.write(() => {
      if (this.#sql.first(cq.selectExperiment(db, experimentId)) === undefined) return undefined;
      const runs = Number(this.#sql.first(cq.countRunsByExperiment(db, [experimentId]))?.count ?? 0);
      if (runs === 0) this.#sql.run(db.deleteFrom('experiments').where('id', '=', experimentId));
      return runs;
    });
  }

  async listRunSummaries(query: RunListQuery = {}): Promise<RunSummary[]> {
    await this.#migrating;
    return this.#sql.read(() => this.#summaries(this.#summaryRows(query), query.withMetrics !== false));
  }

  async getRunDetail(runId: string): Promise<RunDetail | undefined> {
    await this.#migrating;
    const db = this.#db;
    // One read transaction: one snapshot, and one lock round instead of one per statement (each costs
    // file-lock system calls, about a third of a small read's time).
    return this.#sql.read((): RunDetail | undefined => {
      const rows = this.#summaryRows({ runIds: [runId], limit: 1 });
      const [summary] = this.#summaries(rows, false);
      if (summary === undefined) return undefined;
      const newestTransition = rows[0]!.newest_transition ?? null;
      const saved = this.#sql.firstOf('reportOfRun', [runId], () => q.selectRunReport(db, runId));
      if (
        saved !== undefined &&
        newestTransition !== null &&
        Number(saved.transition_id) === newestTransition
      )
        return { summary, newestTransition, savedReport: JSON.parse(saved.report) as Json };
      return {
        summary,
        newestTransition,
        tasks: this.#sql.allOf('tasksOfRun', [runId], () => q.selectTasksOfRun(db, runId)).map(decodeTask),
        attempts: this.#sql
          .allOf('attemptsOfRun', [runId], () => q.selectAttemptsOfRun(db, runId))
          .map(decodeAttempt),
      };
    });
  }

  async saveRunReport(runId: string, transitionId: number, report: Json): Promise<boolean> {
    await this.#migrating;
    const db = this.#db;
    const text = JSON.stringify(report);
    return this.#sql.write(() => {
      const newest = this.#sql.first(q.selectNewestTransition(db, runId))?.newest;
      if (newest === null || newest === undefined || Number(newest) !== transitionId) return false;
      this.#sql.run(q.upsertRunReport(db, runId, transitionId, text));
      return true;
    });
  }

  async listRunsLackingReport(
    state: string,
    options: { afterId?: string; limit: number },
  ): Promise<string[]> {
    await this.#migrating;
    return this.#sql
      .all(q.selectRunsLackingReport(this.#db, state, options.afterId ?? '', options.limit))
      .map((row) => row.id);
  }

  /** The rows of listRunSummaries; call inside a read transaction. */
  #summaryRows(query: RunListQuery): cq.RunSummaryRow[] {
    // One run by id (get-run's question): a fixed shape, compiled once.
    const oneRun =
      query.runIds?.length === 1 &&
      Object.keys(query).every((key) => key === 'runIds' || key === 'limit' || key === 'withMetrics');
    return oneRun
      ? this.#sql.allOf('summaryOfRun', [query.runIds![0], cq.clampLimit(query.limit)], () =>
          cq.selectRunSummaries(this.#db, query),
        )
      : this.#sql.all(cq.selectRunSummaries(this.#db, query));
  }

  /** Summaries of these rows, with their versions' names and, if asked, metrics; inside the rows' transaction. */
  #summaries(rows: cq.RunSummaryRow[], withMetrics: boolean): RunSummary[] {
    const db = this.#db;
    if (rows.length === 0) return [];
    const versionIds = [...new Set(rows.flatMap((row) => row.pipeline_version_id ?? []))];
    const versionNames = new Map(
      (versionIds.length === 0
        ? []
        : versionIds.length === 1
          ? this.#sql.allOf('versionName', versionIds, () => cq.selectVersionNames(db, versionIds))
          : this.#sql.all(cq.selectVersionNames(db, versionIds))
      ).map((row) => [row.id, row.name]),
    );
    const metrics = withMetrics
      ? this.#metricsOf(new Map(rows.map((row) => [row.id, row.newest_transition ?? undefined] as const)))
      : new Map<string, { [key: string]: number }>();
    return rows.map((row) =>
      cq.decodeRunSummary(
        row,
        row.pipeline_version_id === null ? null : (versionNames.get(row.pipeline_version_id) ?? null),
        metrics.get(row.id) ?? {},
      ),
    );
  }

  /**
   * The runs' metrics (given with each run's newest transition id), parsed from their tasks' outputs only
   * for runs that changed since last asked: a run's tasks' outputs change only in batches that record a
   * transition, so its metrics are cached under its newest transition id. Call inside a read transaction.
   */
  #metricsOf(newest: Map<string, number | undefined>): Map<string, { [key: string]: number }> {
    const db = this.#db;
    const result = new Map<string, { [key: string]: number }>();
    const stale: string[] = [];
    for (const runId of newest.keys()) {
      const cached = this.#metricsCache.get(runId);
      const version = newest.get(runId);
      if (cached !== undefined && version !== undefined && cached.version === version)
        result.set(runId, { ...cached.metrics });
      else stale.push(runId);
    }
    if (stale.length === 0) return result;
    const fresh = new Map<string, { [key: string]: number }>(stale.map((runId) => [runId, {}]));
    for (const task of this.#sql.all(cq.selectTaskOutputsOfRuns(db, stale)))
      if (task.outputs !== null) cq.collectMetrics(task.path, task.outputs, fresh.get(task.run_id)!);
    for (const [runId, metrics] of fresh) {
      result.set(runId, metrics);
      const version = newest.get(runId);
      if (version === undefined) continue;
      if (this.#metricsCache.size >= METRICS_CACHE_RUNS)
        this.#metricsCache.delete(this.#metricsCache.keys().next().value as string);
      this.#metricsCache.delete(runId);
      this.#metricsCache.set(runId, { version, metrics: { ...metrics } });
    }
    return result;
  }

  async setRunStorageState(runId: string, state: StorageState): Promise<boolean> {
    await this.#migrating;
    return this.#sql.run(cq.setRunStorageState(this.#db, runId, state)) === 1;
  }

  async deleteRun(runId: string, allowedStates: ReadonlyArray<string>): Promise<DeleteRunResult> {
    await this.#migrating;
    const db = this.#db;
    return this.#sql.write((): DeleteRunResult => {
      const run = this.#sql.first(q.selectRun(db, runId).clearSelect().select(['state', 'pipeline_name']));
      if (run === undefined) return { outcome: 'not-found' };
      if (!allowedStates.includes(run.state)) return { outcome: 'refused', state: run.state };
      const artifacts = this.#sql.all(q.selectArtifactsOfRun(db, runId));
      const users = new Map<string, { runId: string; taskId: string }>();
      for (const event of this.#sql.all(
        cq.selectForeignLineage(
          db,
          runId,
          artifacts.map((a) => a.id),
        ),
      ))
        if (!users.has(event.artifact_id))
          users.set(event.artifact_id, { runId: event.run_id, taskId: event.task_id });
      const reassignedArtifacts: Extract<DeleteRunResult, { outcome: 'deleted' }>['reassignedArtifacts'] = [];
      const removedArtifacts: { id: string; uri: string }[] = [];
      for (const artifact of artifacts) {
        const user = users.get(artifact.id);
        if (user === undefined) {
          removedArtifacts.push({ id: artifact.id, uri: artifact.uri });
          continue;
        }
        this.#sql.run(cq.reassignArtifact(db, artifact.id, user.runId, user.taskId));
        reassignedArtifacts.push({ id: artifact.id, uri: artifact.uri, ...user });
      }
      const shared = new Map<string, Set<string>>();
      const removedUris = [...new Set(removedArtifacts.map((artifact) => artifact.uri))];
      for (const row of this.#sql.all(cq.selectForeignArtifactUris(db, runId, removedUris))) {
        const runs = shared.get(row.uri) ?? new Set<string>();
        runs.add(row.run_id);
        shared.set(row.uri, runs);
      }
      const attemptPaths = this.#sql
        .all(q.selectAttemptsOfRun(db, runId))
        .map((attempt) => ({ logPath: attempt.log_path, workDir: attempt.work_dir }));
      this.#sql.run(cq.deleteRunRow(db, runId));
      return {
        outcome: 'deleted',
        removedArtifacts,
        reassignedArtifacts,
        sharedUris: [...shared].map(([uri, runs]) => ({ uri, runIds: [...runs] })),
        attemptPaths,
        pipelineName: run.pipeline_name,
      };
    });
  }

  async listArtifacts(query: ArtifactListQuery = {}): Promise<ArtifactRecord[]> {
    await this.#migrating;
    return this.#sql.all(cq.selectArtifactPage(this.#db, query)).map(decodeArtifact);
  }
}

function missingRow(write: PatchWrite): StoreBatchRejectedError {
  const where = write.table === 'runs' ? 'does not exist' : `does not exist in run ${write.runId}`;
  return new StoreBatchRejectedError(write.runId, write.table, write.id, where);
}
