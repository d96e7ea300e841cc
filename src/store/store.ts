/**
 * The metadata store behind one interface (SQLite embedded by default, Postgres later). The contract, which
 * test/contracts/run-store.contract.ts checks against every backend:
 *
 * - `commit` applies a batch in ONE transaction: all of it is visible, or none of it. The engine commits a
 *   transition before acting on it (spawn, publish, next task), so a crash never leaves an effect without
 *   its record.
 * - A batch carrying `ownerId` is fenced: it fails with RunOwnershipLostError unless the run is still
 *   owned by that engine, so two engines can never both drive a run.
 * - Reads see committed data only; several processes may use one store at once (a CLI and a server).
 * - Stores do not retry and do not interpret states; they persist exactly what they are given.
 */
import { SluiceError } from '../errors.ts';
import type {
  ArtifactListQuery,
  DeleteRunResult,
  ExperimentFilter,
  ExperimentRecord,
  ExperimentSummary,
  RunDetail,
  RunListQuery,
  RunPlacement,
  RunSummary,
  StorageState,
} from './catalog.ts';
import type {
  ArtifactRecord,
  AttemptRecord,
  Json,
  LineageEventRecord,
  RunRecord,
  TaskRecord,
  TransitionRecord,
} from './records.ts';

export interface StoreBatch {
  /** When set, the batch applies only if this engine still owns the run (see claimRun). */
  ownerId?: string;
  runId: string;
  runPatch?: Partial<Pick<RunRecord, 'state' | 'startedAt' | 'finishedAt' | 'error' | 'options'>>;
  newTasks?: TaskRecord[];
  taskPatches?: { id: string; patch: Partial<Omit<TaskRecord, 'id' | 'runId' | 'createdAt'>> }[];
  newAttempts?: AttemptRecord[];
  attemptPatches?: {
    id: string;
    patch: Partial<Omit<AttemptRecord, 'id' | 'taskId' | 'runId' | 'number'>>;
  }[];
  newArtifacts?: ArtifactRecord[];
  lineage?: LineageEventRecord[];
  transitions?: Omit<TransitionRecord, 'id'>[];
}

export interface RunFilter {
  state?: string;
  pipelineName?: string;
  /** Newest first; at most this many. @default 100 */
  limit?: number;
  /** Runs created strictly before this run (keyset pagination). */
  before?: { createdAt: string; id: string };
}

/** A previous task to compare a cache miss against, or the source of a cache hit. */
export interface CachedResult {
  task: TaskRecord;
  /** The output artifacts of that task (what a hit reuses). */
  artifacts: ArtifactRecord[];
}

export interface PipelineVersionRecord {
  id: string;
  pipelineId: string;
  pipelineName: string;
  /** sha256 of the canonical spec: uploading the same spec twice returns the same version. */
  digest: string;
  name: string;
  spec: Json;
  createdAt: string;
}

/** A pipeline: the versions uploaded (or run) under one `pipelineInfo.name`. */
export interface PipelineRecord {
  id: string;
  name: string;
  createdAt: string;
  versionCount: number;
}

/** A version as listed: everything but the spec. */
export type PipelineVersionSummary = Omit<PipelineVersionRecord, 'spec'>;

export interface RunStore {
  /** Creates or upgrades the schema; safe to call on every start and from several processes. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Records a pipeline version (deduplicated by digest: the same spec again returns the existing version,
   * whatever `name` says) and returns it. A new version is named `name`, or `v<n>` when none is given;
   * a `name` another version of the pipeline already has fails with PIPELINE_VERSION_NAME_TAKEN.
   */
  savePipelineVersion(
    pipelineName: string,
    digest: string,
    spec: Json,
    at: string,
    name?: string,
  ): Promise<PipelineVersionRecord>;
  /** Pipelines, newest first, with how many versions each has. */
  listPipelines(): Promise<PipelineRecord[]>;
  getPipeline(pipelineId: string): Promise<PipelineRecord | undefined>;
  /** A pipeline's versions, newest first, without their specs; empty for an unknown pipeline. */
  listPipelineVersions(pipelineId: string): Promise<PipelineVersionSummary[]>;
  /** One version with its spec. */
  getPipelineVersion(versionId: string): Promise<PipelineVersionRecord | undefined>;

  /**
   * Inserts a run with its root task and first transitions, atomically; `placement` puts it in an
   * experiment (default: DEFAULT_EXPERIMENT_ID) and records the pipeline version it runs.
   */
  createRun(
    run: RunRecord,
    rootTask: TaskRecord,
    transitions: Omit<TransitionRecord, 'id'>[],
    placement?: RunPlacement,
  ): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** The id a unique prefix (at least 4 characters) stands for; undefined if none, RUN_ID_AMBIGUOUS if several. */
  resolveRunId(prefix: string): Promise<string | undefined>;
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  /** Runs not in one of the given (final) states: what a restarting engine considers adopting. */
  listRunsNotIn(states: ReadonlyArray<string>): Promise<RunRecord[]>;

  /**
   * Takes the run's lease for `ownerId` when it is free, already this owner's, or its heartbeat is older
   * than `staleBefore`. Atomic: of two engines claiming at once, exactly one wins. Returns whether it won.
   */
  claimRun(runId: string, ownerId: string, now: string, staleBefore: string): Promise<boolean>;
  /** Refreshes the lease; false when another engine took the run over. */
  heartbeat(runId: string, ownerId: string, now: string): Promise<boolean>;
  releaseRun(runId: string, ownerId: string): Promise<void>;
  /**
   * Moves the lease from `fromOwnerId` (an engine known to be dead, e.g. its process is gone) to `toOwnerId`,
   * only if `fromOwnerId` still holds it: of two engines taking over at once, exactly one wins.
   */
  takeOverRun(runId: string, fromOwnerId: string, toOwnerId: string, now: string): Promise<boolean>;
  /**
   * Sets the run's state to `to` only if it is currently one of `from` (compare-and-set), recording the
   * transition; returns the state the run has afterwards. Used by requests from outside the owning engine
   * (cancel), which must not race it.
   */
  compareAndSetRunState(
    runId: string,
    from: ReadonlyArray<string>,
    to: string,
    transition: Omit<TransitionRecord, 'id' | 'from' | 'to'>,
  ): Promise<string | undefined>;

  /** Applies a batch atomically (see the contract above). */
  commit(batch: StoreBatch): Promise<void>;
  /**
   * Records lineage events (a cache hit's outputs) only if every artifact they name still exists, in one
   * fenced transaction like commit's; false, with nothing written, if one is gone. Once recorded, deleting
   * the run that produced those artifacts moves them to this run instead of removing them (deleteRun), so a
   * hit recorded here cannot lose its outputs to a delete that commits before the hit's own batch.
   */
  pinCacheHit(batch: { ownerId: string; runId: string; lineage: LineageEventRecord[] }): Promise<boolean>;

  getTasks(runId: string): Promise<TaskRecord[]>;
  getTask(taskId: string): Promise<TaskRecord | undefined>;
  getAttempts(runId: string): Promise<AttemptRecord[]>;
  getArtifacts(runId: string): Promise<ArtifactRecord[]>;
  getArtifact(artifactId: string): Promise<ArtifactRecord | undefined>;
  getArtifactsByUri(uri: string): Promise<ArtifactRecord[]>;
  /** Lineage events of a run, or of one artifact across all runs. */
  getLineage(query: { runId: string } | { artifactId: string }): Promise<LineageEventRecord[]>;
  /** Transitions of a run in commit order, after the given id (for following a run). */
  getTransitions(runId: string, afterId?: number): Promise<TransitionRecord[]>;

  /** The newest task with this fingerprint in one of `states` (the engine passes SUCCEEDED), with its outputs. */
  findCacheHit(fingerprint: string, states: ReadonlyArray<string>): Promise<CachedResult | undefined>;
  /** The newest task of the same pipeline at the same path with a fingerprint, created before `before`. */
  findPreviousTask(pipelineName: string, path: string, before: string): Promise<TaskRecord | undefined>;

  // ---- schema 2: experiments, run placement and storage state, list views (see catalog.ts) ----

  /** Creates an experiment; a name another experiment has fails with EXPERIMENT_NAME_TAKEN. */
  createExperiment(experiment: ExperimentRecord): Promise<void>;
  getExperiment(experimentId: string): Promise<ExperimentSummary | undefined>;
  /** Newest first, each with its run count. */
  listExperiments(filter?: ExperimentFilter): Promise<ExperimentSummary[]>;
  /**
   * Sets an experiment's storage state; archiving also archives its available runs. Returns how many runs
   * it archived, or undefined for an unknown experiment.
   */
  setExperimentStorageState(experimentId: string, state: StorageState): Promise<number | undefined>;
  /**
   * Deletes an experiment that has no runs (checked in the same transaction). Returns the number of runs
   * it has (0: deleted), or undefined for an unknown experiment.
   */
  deleteExperiment(experimentId: string): Promise<number | undefined>;
  /** Run summaries (no spec), filtered, sorted and keyset-paged as asked, with their metrics. */
  listRunSummaries(query?: RunListQuery): Promise<RunSummary[]>;
  /** What a run report needs, from one snapshot (see RunDetail), or undefined for an unknown run. */
  getRunDetail(runId: string): Promise<RunDetail | undefined>;
  /**
   * Saves a run's report body for getRunDetail, made from the run as it was at transition `transitionId`:
   * saved (replacing an older one) only if that is still the run's newest transition. Returns whether it was.
   */
  saveRunReport(runId: string, transitionId: number, report: Json): Promise<boolean>;
  /**
   * Ids of runs in `state` whose saved report is missing or stale (runs with no transition are left out),
   * ordered by id, after `afterId` when given: a keyset for saving them in batches.
   */
  listRunsLackingReport(state: string, options: { afterId?: string; limit: number }): Promise<string[]>;
  /**
   * A value that differs after any commit to the store, by this connection or any other (thread or
   * process): what a reader caches answers against. Cheap (microseconds). Backends that cannot tell leave
   * it out, and nothing is cached over them.
   */
  changeMark?(): string;
  /** Sets a run's storage state; false for an unknown run. */
  setRunStorageState(runId: string, state: StorageState): Promise<boolean>;
  /**
   * Deletes a run and everything recorded under it, in one transaction, if its state is one of
   * `allowedStates`. Artifacts other runs' lineage uses are kept, moved to the first such run; the result
   * says which files the caller may remove.
   */
  deleteRun(runId: string, allowedStates: ReadonlyArray<string>): Promise<DeleteRunResult>;
  /** Artifacts newest first, of one run and/or one type, keyset-paged by (createdAt, id). */
  listArtifacts(query?: ArtifactListQuery): Promise<ArtifactRecord[]>;
}

export class RunOwnershipLostError extends SluiceError {
  constructor(
    readonly runId: string,
    readonly ownerId: string,
  ) {
    super(
      'RUN_OWNERSHIP_LOST',
      `run ${runId} is now driven by another engine; this one (${ownerId}) stopped`,
    );
  }
}

export class PipelineVersionNameTakenError extends SluiceError {
  constructor(
    readonly pipelineName: string,
    readonly versionName: string,
  ) {
    super(
      'PIPELINE_VERSION_NAME_TAKEN',
      `pipeline '${pipelineName}' already has a version named '${versionName}' with a different spec; choose another name`,
    );
  }
}

export class RunIdAmbiguousError extends SluiceError {
  constructor(
    readonly prefix: string,
    readonly matches: ReadonlyArray<string>,
  ) {
    super(
      'RUN_ID_AMBIGUOUS',
      `run id '${prefix}' matches ${matches.length} runs (${matches.slice(0, 5).join(', ')}…); give more characters`,
    );
  }
}

/**
 * A batch that cannot apply as given, so none of it was applied: a patch for a run, task or attempt that
 * does not exist in the batch's run, or a patch field the record does not have or may not change. The
 * contract is all-or-nothing, so a patch that cannot land must fail the batch rather than vanish.
 */
export class StoreBatchRejectedError extends SluiceError {
  constructor(
    readonly runId: string,
    readonly table: string,
    readonly recordId: string,
    readonly reason: string,
  ) {
    super(
      'STORE_BATCH_REJECTED',
      `batch for run ${runId} was not applied: ${table} ${recordId} ${reason}; this is an engine bug, report it`,
    );
  }
}
