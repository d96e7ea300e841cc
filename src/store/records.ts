/**
 * What the metadata store keeps. States are stored as the engine's state names (strings here: the store
 * does not interpret them). JSON columns hold the values as given; timestamps are ISO-8601 UTC strings.
 * Persisted names are API: renaming a column or a stored value needs a migration and an old-DB test.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type { TaskFailure } from '../errors.ts';

import type { TaskFailure } from '../errors.ts';

export interface RunRecord {
  id: string;
  /** pipelineInfo.name of the IR. */
  pipelineName: string;
  displayName: string | null;
  state: string;
  /** The whole pipeline document (PipelineSpec + optional PlatformSpec) as run, JSON. */
  spec: Json;
  /** Pipeline parameters as given (defaults are applied by the engine, not stored here). */
  parameters: { [name: string]: Json };
  /** Run options: parallelism, cache switches, executor name … (engine-defined JSON). */
  options: { [name: string]: Json };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: TaskFailure | null;
  /** The engine instance driving the run (its lease), and when it last proved it is alive. */
  ownerId: string | null;
  heartbeatAt: string | null;
}

export type TaskKind = 'DAG' | 'CONTAINER' | 'IMPORTER' | 'LOOP' | 'ITERATION';

export interface TaskRecord {
  id: string;
  runId: string;
  /** The enclosing DAG, loop or iteration task; null for the run's root DAG. */
  parentId: string | null;
  /** Task name in its DAG (`train`, `for-loop-2`), or `[3]` for a loop iteration. */
  name: string;
  /** Path from the root, e.g. `for-loop-2[0]/print-op`; unique within the run. */
  path: string;
  kind: TaskKind;
  /** The ComponentSpec key (`comp-train`), or `root`. */
  componentName: string;
  /** Position in the loop for ITERATION tasks. */
  iterationIndex: number | null;
  state: string;
  /** Resolved inputs (parameters by value, artifacts by id), once known. */
  inputs: Json | null;
  /** Output parameters by name; output artifacts are rows in `artifacts`. */
  outputs: Json | null;
  /** Cache fingerprint (sha256 hex) and its parts' digests, when computed. */
  fingerprint: string | null;
  fingerprintParts: { [part: string]: string } | null;
  /** The task whose outputs a CACHED task reused. */
  cachedFromTaskId: string | null;
  /** Which fingerprint parts differed from the previous run of the same task, when it missed. */
  cacheMissReason: Json | null;
  error: TaskFailure | null;
  /** Attempts started so far. */
  attemptCount: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type AttemptState = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'LOST' | 'CANCELED';

export interface AttemptRecord {
  id: string;
  taskId: string;
  runId: string;
  /** 1, 2, … in start order. */
  number: number;
  state: AttemptState;
  /** Process id (local executor) or pod name (kubernetes), once started. */
  pid: number | null;
  podName: string | null;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  /** Where this attempt's stdout/stderr go, and its private working directory. */
  logPath: string;
  workDir: string;
  error: TaskFailure | null;
}

export interface ArtifactRecord {
  id: string;
  runId: string;
  /** The task that produced (or imported) it. */
  taskId: string;
  /** The output key on the producing task. */
  name: string;
  uri: string;
  schemaTitle: string;
  schemaVersion: string;
  metadata: { [key: string]: Json };
  /** `sha256:<hex>` of the content (a file, or a directory tree); null for external URIs not read. */
  digest: string | null;
  sizeBytes: number | null;
  createdAt: string;
}

/** Lineage: an artifact entering (INPUT) or leaving (OUTPUT) a task, under an input/output key. */
export interface LineageEventRecord {
  artifactId: string;
  taskId: string;
  runId: string;
  kind: 'INPUT' | 'OUTPUT';
  key: string;
}

/** One state change of a run (taskId null) or task; the event log the CLI, API and UI read. */
export interface TransitionRecord {
  id: number;
  runId: string;
  taskId: string | null;
  from: string | null;
  to: string;
  reason: string | null;
  at: string;
}
