/**
 * Experiments, run placement (experiment, pipeline version, storage state) and the list views the API reads:
 * the records and queries added by schema 2 (migrations/002-experiments-archive.ts). `RunRecord` stays as
 * schema 1 had it; placement is given to `createRun` next to the run and read back in `RunSummary`.
 */
import { SluiceError } from '../errors.ts';
import type { AttemptRecord, Json, TaskFailure, TaskRecord } from './records.ts';

export { DEFAULT_EXPERIMENT_ID } from './migrations/002-experiments-archive.ts';

/** KFP's StorageState names. Archived runs and experiments are hidden from default lists, not deleted. */
export type StorageState = 'AVAILABLE' | 'ARCHIVED';

export interface ExperimentRecord {
  id: string;
  /** Unique across the store. */
  name: string;
  description: string | null;
  storageState: StorageState;
  createdAt: string;
}

export interface ExperimentSummary extends ExperimentRecord {
  /** Runs in the experiment, archived ones included. */
  runCount: number;
}

export interface ExperimentFilter {
  /** Only experiments in this state; all when absent. */
  storageState?: StorageState;
  /** Newest first; at most this many. @default 100 */
  limit?: number;
  /** Experiments created strictly before this one (keyset pagination by (createdAt, id)). */
  before?: { createdAt: string; id: string };
}

/** Where a new run goes; both optional. */
export interface RunPlacement {
  /** @default DEFAULT_EXPERIMENT_ID */
  experimentId?: string;
  pipelineVersionId?: string | null;
}

/** The orders a run list can take; each ends on the run id. */
export const RUN_SORT_FIELDS = ['created_at', 'name', 'state', 'finished_at'] as const;
export type RunSortField = (typeof RUN_SORT_FIELDS)[number];

export interface RunListQuery {
  state?: string;
  pipelineName?: string;
  experimentId?: string;
  /** Only runs in this storage state; all when absent. */
  storageState?: StorageState;
  /** Only these runs (reading one run's summary). */
  runIds?: ReadonlyArray<string>;
  /**
   * `created_at`; `name` (the display name, or the pipeline name when the run has none); `state`;
   * `finished_at` (unfinished runs sort as '', before every finished one). @default 'created_at'
   */
  sortBy?: RunSortField;
  /** @default true */
  descending?: boolean;
  /** Runs strictly after this (sortKey, id) in the list's order: a keyset page cursor. */
  after?: { sortKey: string; id: string };
  /** @default 100 */
  limit?: number;
  /** Read the runs' metrics (`false`: every summary's `metrics` is empty). @default true */
  withMetrics?: boolean;
}

/** A run as lists show it: no spec or options, with its placement and scalar metrics. */
export interface RunSummary {
  id: string;
  pipelineName: string;
  displayName: string | null;
  state: string;
  parameters: { [name: string]: Json };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: TaskFailure | null;
  experimentId: string;
  storageState: StorageState;
  pipelineVersionId: string | null;
  /** The version's name, when the run records one that still exists. */
  pipelineVersionName: string | null;
  /**
   * Numeric values of the run's metrics artifacts (system.Metrics, system.ClassificationMetrics), keyed
   * `<task path>/<metric name>`; a cached task's reused metrics count.
   */
  metrics: { [key: string]: number };
  /** This run's value of the list's sort key (with `id`, the cursor of a page that ends here). */
  sortKey: string;
}

/**
 * What a run report needs, read in one snapshot: the run's summary (without metrics: the report has its
 * own) and either its saved report body, when one is current (RunStore.saveRunReport), or its tasks and
 * attempts to build the report from. No spec: a run's spec can be large and a report never looks at it.
 */
export type RunDetail = {
  summary: RunSummary;
  /** The run's newest transition id (a saved report is current while it stays the same); null before any. */
  newestTransition: number | null;
} & (
  | { savedReport: Json; tasks?: undefined; attempts?: undefined }
  | { savedReport?: undefined; tasks: TaskRecord[]; attempts: AttemptRecord[] }
);

export interface ArtifactListQuery {
  runId?: string;
  /** schemaTitle, e.g. `system.Model`. */
  schemaTitle?: string;
  /** Newest first; at most this many. @default 100 */
  limit?: number;
  before?: { createdAt: string; id: string };
}

/** What `deleteRun` did, for the caller to remove files and report. */
export type DeleteRunResult =
  | { outcome: 'not-found' }
  /** The run is in a state the caller did not allow (still running): nothing was deleted. */
  | { outcome: 'refused'; state: string }
  | {
      outcome: 'deleted';
      /** The run's artifacts whose rows were deleted: their files may go unless `sharedUris` names them. */
      removedArtifacts: { id: string; uri: string }[];
      /**
       * The run's artifacts other runs' records use (a cache hit reused them): the rows now belong to the
       * first run that used them (its task), so that run's lineage and downloads stay whole.
       */
      reassignedArtifacts: { id: string; uri: string; runId: string; taskId: string }[];
      /** URIs of removed artifacts that other runs' artifacts also point at, with those runs. */
      sharedUris: { uri: string; runIds: string[] }[];
      /** The attempts' log files and working directories. */
      attemptPaths: { logPath: string; workDir: string }[];
      pipelineName: string;
    };

export class ExperimentNameTakenError extends SluiceError {
  constructor(readonly experimentName: string) {
    super(
      'EXPERIMENT_NAME_TAKEN',
      `an experiment named '${experimentName}' already exists; choose another name`,
    );
  }
}
