/**
 * The metadata store: runs, tasks, attempts, artifacts, lineage and transitions behind `RunStore`, with the
 * embedded SQLite backend.
 *
 * @example
 * import { openSqliteRunStore } from '../store/index.ts';
 * const store = await openSqliteRunStore('.sluice/sluice.db');
 * await store.claimRun(runId, engineId, now, staleBefore);
 *
 * @module
 */

export {
  type ArtifactListQuery,
  DEFAULT_EXPERIMENT_ID,
  type DeleteRunResult,
  type ExperimentFilter,
  ExperimentNameTakenError,
  type ExperimentRecord,
  type ExperimentSummary,
  RUN_SORT_FIELDS,
  type RunDetail,
  type RunListQuery,
  type RunPlacement,
  type RunSortField,
  type RunSummary,
  type StorageState,
} from './catalog.ts';
export {
  type LineageArtifact,
  type LineageGraph,
  type LineageSubject,
  LineageSubjectNotFoundError,
  type LineageTask,
  traceLineage,
} from './lineage-graph.ts';
export { StoreMigrationError } from './migrations/store-migrations.ts';
export type {
  ArtifactRecord,
  AttemptRecord,
  AttemptState,
  Json,
  LineageEventRecord,
  RunRecord,
  TaskFailure,
  TaskKind,
  TaskRecord,
  TransitionRecord,
} from './records.ts';
export {
  type CatchUpPolicy,
  type LaunchState,
  type ScheduleChanges,
  ScheduleNameTakenError,
  ScheduleNotFoundError,
  type ScheduleRecord,
  type ScheduleStore,
  type ScheduleTiming,
  type SlotRecord,
  type TriggerEventRecord,
  type TriggerKind,
  TriggerNotFoundError,
  type TriggerRecord,
} from './schedule-store.ts';
export { openSqliteRunStore, SqliteRunStore } from './sqlite/sqlite-run-store.ts';
export { openSqliteScheduleStore, SqliteScheduleStore } from './sqlite/sqlite-schedule-store.ts';
export {
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
} from './store.ts';
