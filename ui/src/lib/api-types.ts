/** The API's JSON shapes the UI reads (see `/openapi.json`; names follow src/server/schemas.ts). */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface RunListItem {
  runId: string;
  pipeline: string;
  displayName: string | null;
  state: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  parameters: Record<string, Json>;
  error?: string;
  /** finishedAt − createdAt; null while the run is not final. */
  durationMs?: number | null;
  experimentId?: string;
  storageState?: 'AVAILABLE' | 'ARCHIVED';
  pipelineVersion?: string | null;
  /** `task/metric` → number: the numbers in the run's metrics artifacts. */
  scalarMetrics?: Record<string, number>;
}

export interface Experiment {
  experimentId: string;
  name: string;
  description: string | null;
  storageState: 'AVAILABLE' | 'ARCHIVED';
  createdAt: string;
  runCount: number;
}

export interface ListRunsResponse {
  runs: RunListItem[];
  nextPageToken?: string;
}

export interface ReportedArtifact {
  task: string;
  name: string;
  uri: string;
  schemaTitle: string;
  metadata: Record<string, Json>;
  final?: boolean;
}

export interface Run extends RunListItem {
  tasks: { name: string; state: string; attempts: number; cached: boolean }[];
  outputs: { parameters: Record<string, Json>; artifacts: Record<string, string[]> };
  metrics: ReportedArtifact[];
  models: ReportedArtifact[];
  failures: { task: string; attempt: number; message: string; exitCode: number | null; logTail: string[] }[];
}

export interface GraphNode {
  id: string;
  name: string;
  kind: 'CONTAINER' | 'IMPORTER' | 'DAG' | 'LOOP';
  component: string;
  parent: string | null;
  state: string;
  taskPath: string | null;
  cached: boolean;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  counts: Record<string, number>;
  exitHandler: boolean;
  iterations?: { index: number; path: string; state: string }[];
}

export interface RunGraph {
  nodes: GraphNode[];
  edges: { from: string; to: string }[];
}

export interface ArtifactRef {
  artifactId: string;
  name: string;
  uri: string;
  schemaTitle: string;
  metadata: Record<string, Json>;
}

export interface TaskValues {
  parameters: Record<string, Json>;
  artifacts: Record<string, ArtifactRef[]>;
}

export interface TaskDetail {
  runId: string;
  path: string;
  name: string;
  kind: string;
  component: string;
  state: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  inputs: TaskValues;
  outputs: TaskValues;
  attempts: {
    number: number;
    state: string;
    startedAt: string;
    finishedAt: string | null;
    exitCode: number | null;
    error: string | null;
  }[];
  error: string | null;
  cache: {
    fingerprint: string | null;
    cachedFrom: { runId: string; path: string } | null;
    missReason: Json;
    /** The decision in words, as `sluice why` says it. */
    explanation: string | null;
  };
}

export interface Pipeline {
  pipelineId: string;
  name: string;
  createdAt: string;
  versionCount: number;
}

export interface PipelineVersion {
  pipelineVersionId: string;
  pipelineId: string;
  pipeline: string;
  name: string;
  digest: string;
  createdAt: string;
}

export interface PipelineVersionDetail extends PipelineVersion {
  pipelineSpec: Record<string, Json>;
}

export interface LineageArtifact {
  id: string;
  name: string;
  uri: string;
  schemaTitle: string;
  digest: string | null;
  metadata: Record<string, Json>;
  runId: string;
  producer: string;
}

export interface LineageTask {
  runId: string;
  pipeline: string;
  runCreatedAt: string;
  path: string;
  state: string;
  kind: string;
  component: string;
  parameters: Record<string, Json>;
  cachedFrom: { runId: string; path: string } | null;
  inputs: { key: string; artifact: LineageArtifact }[];
  outputs: { key: string; artifact: LineageArtifact }[];
  depth: number;
}

export interface Lineage {
  artifacts: LineageArtifact[];
  upstream: LineageTask[];
  downstream: LineageTask[];
  truncated: boolean;
}

export interface FireTime {
  at: string;
  /** The server's words, e.g. `in 3 hours (Mon 2026-12-07 02:00 UTC)`. */
  description: string;
}

export interface RecurringRun {
  recurringRunId: string;
  name: string;
  pipelineId: string;
  /** null: the pipeline's newest version at each fire time. */
  pipelineVersionId: string | null;
  cron?: string;
  timeZone?: string;
  intervalSeconds?: number;
  startAt?: string;
  /** The timing in words. */
  schedule: string;
  parameters: Record<string, Json>;
  maxConcurrency: number;
  catchUp: 'skip' | 'latest' | 'all';
  status: 'ENABLED' | 'DISABLED';
  createdAt: string;
  updatedAt: string;
  nextFireTimes: FireTime[];
}

export interface RecurringRunSlot {
  slotTime: string;
  /** WAITING, STARTING, STARTED, SKIPPED or FAILED. */
  state: string;
  runId: string;
  runState: string | null;
  error: string | null;
}

export interface Trigger {
  triggerId: string;
  name: string;
  kind: 'watch' | 'webhook';
  pipelineId: string;
  pipelineVersionId: string | null;
  parameters: Record<string, Json>;
  directory: string | null;
  parameterName: string | null;
  enabled: boolean;
  createdAt: string;
  fireUrl?: string;
}

export interface TriggerEvent {
  dedupKey: string;
  runId: string;
  state: string;
  receivedAt: string;
  error: string | null;
}
