/**
 * The tables as kysely sees them: one row type per table, columns snake_case. Every backend stores the same
 * portable types: text (ids, states, ISO-8601 timestamps, JSON documents), integer and bigint. JSON lives in
 * text columns so SQLite and Postgres hold byte-identical values; `rows.ts` converts rows to records.
 *
 * This file describes the schema after the newest migration; `migrations/` is what creates it. Persisted
 * names are API: renaming a column needs a migration and an old-DB test (test/fixtures/store/).
 */
import type { Generated } from 'kysely';

export interface PipelinesTable {
  id: string;
  name: string;
  created_at: string;
}

export interface PipelineVersionsTable {
  id: string;
  pipeline_id: string;
  name: string;
  digest: string;
  /** JSON */
  spec: string;
  created_at: string;
}

export interface RunsTable {
  id: string;
  pipeline_name: string;
  display_name: string | null;
  state: string;
  /** JSON */
  spec: string;
  /** JSON */
  parameters: string;
  /** JSON */
  options: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON (TaskFailure) */
  error: string | null;
  owner_id: string | null;
  heartbeat_at: string | null;
  /** Since schema 2: the run's experiment (default `'default'`), `AVAILABLE` | `ARCHIVED`, and the version run. */
  experiment_id: string;
  storage_state: string;
  pipeline_version_id: string | null;
}

/** Since schema 2: named groups of runs; `default` ("Default") always exists. */
export interface ExperimentsTable {
  id: string;
  name: string;
  description: string | null;
  storage_state: string;
  created_at: string;
}

export interface TasksTable {
  id: string;
  run_id: string;
  parent_id: string | null;
  name: string;
  path: string;
  kind: string;
  component_name: string;
  iteration_index: number | null;
  state: string;
  /** JSON */
  inputs: string | null;
  /** JSON */
  outputs: string | null;
  fingerprint: string | null;
  /** JSON */
  fingerprint_parts: string | null;
  cached_from_task_id: string | null;
  /** JSON */
  cache_miss_reason: string | null;
  /** JSON (TaskFailure) */
  error: string | null;
  attempt_count: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface AttemptsTable {
  id: string;
  task_id: string;
  run_id: string;
  number: number;
  state: string;
  pid: number | null;
  pod_name: string | null;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  log_path: string;
  work_dir: string;
  /** JSON (TaskFailure) */
  error: string | null;
}

export interface ArtifactsTable {
  id: string;
  run_id: string;
  task_id: string;
  name: string;
  uri: string;
  schema_title: string;
  schema_version: string;
  /** JSON */
  metadata: string;
  digest: string | null;
  /** bigint: artifacts can exceed 2 GiB. Postgres drivers may return it as a string; rows.ts accepts both. */
  size_bytes: number | string | null;
  created_at: string;
}

export interface LineageEventsTable {
  artifact_id: string;
  task_id: string;
  run_id: string;
  kind: string;
  key: string;
}

export interface TransitionsTable {
  /** Auto-increment: commit order across the whole store, never reused (followers page with `afterId`). */
  id: Generated<number>;
  run_id: string;
  task_id: string | null;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  at: string;
}

/** A finished run's saved report body (migrations/004-run-reports.ts). */
export interface RunReportsTable {
  run_id: string;
  /** The run's newest transition when the report was made; the report is current while it still is. */
  transition_id: number;
  /** JSON */
  report: string;
}

export interface StoreDatabase {
  pipelines: PipelinesTable;
  pipeline_versions: PipelineVersionsTable;
  runs: RunsTable;
  tasks: TasksTable;
  attempts: AttemptsTable;
  artifacts: ArtifactsTable;
  lineage_events: LineageEventsTable;
  transitions: TransitionsTable;
  experiments: ExperimentsTable;
  run_reports: RunReportsTable;
}
