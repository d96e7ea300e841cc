/**
 * The state one RunDriver shares with its helpers (evaluation, attempts, completion): what the engine is
 * given, the run's plan and task tree, and the queues of one tick. Each context field says what it holds.
 */
import type { ArtifactStore } from '../artifacts/index.ts';
import type { Execution, Executor } from '../executors/index.ts';
import type { AttemptRecord, RunRecord, RunStore } from '../store/index.ts';
import type { ChangeSet } from './change-set.ts';
import type { RunPlan } from './plan.ts';
import type { TaskNode } from './run-tree.ts';

/** What an engine is assembled from (see default-engine.ts for the embedded default). */
export interface EngineDependencies {
  store: RunStore;
  artifacts: ArtifactStore;
  executor: Executor;
  /** SLUICE_HOME: attempt directories and logs live under `<home>/runs/<runId>/`. */
  home: string;
  /** Identifies this engine instance in run leases. */
  ownerId: string;
  now: () => Date;
}

/** Options recorded on the run (RunRecord.options) when it is submitted. */
export interface RunOptions {
  /** Most task processes running at once. */
  parallelism: number;
  /** Whether tasks may reuse cached results (`--no-cache` turns it off; fingerprints are still recorded). */
  cache: boolean;
  /** Mixed into every fingerprint: change it to invalidate the whole cache. */
  cacheSalt: string;
  /** Where relative module paths of TypeScript function components resolve. */
  projectRoot: string;
  /** Which executor the run was started with (`sluice resume` and `retry` use the same). @default 'local' */
  executor?: 'local' | 'docker';
  /** How KFP lightweight Python components run: Sluice's runtime, or their own pip + kfp command. */
  kfpRuntime?: 'builtin' | 'pip';
  /**
   * When the run was last re-opened by `retry` (ISO-8601): attempts that started before it do not count
   * against a task's retry budget, so a retried task gets its whole budget again.
   */
  retriedAt?: string;
  /** What started the run, when not a user: a schedule's slot or a trigger's event. */
  origin?: RunOrigin;
}

/** A run started by a schedule (at its slot's fire time) or by a trigger (for one event). */
export interface RunOrigin {
  kind: 'schedule' | 'trigger';
  id: string;
  name: string;
  /** The slot's fire time (schedules) or the event's de-dup key (triggers). */
  key: string;
}

/** One attempt in flight: what the executor runs and where its outputs are staged. */
export interface InFlight {
  node: TaskNode;
  attempt: AttemptRecord;
  execution: Execution;
  /** Output artifact name → staging location, published on success. */
  staged: Map<string, { uri: string; path: string }>;
}

export type DriverEvent =
  | { type: 'exited'; attemptId: string; result: Awaited<Execution['done']> }
  | { type: 'retry-due'; taskId: string }
  | { type: 'cancel'; reason: string }
  | { type: 'poke' };

export interface RunContext {
  readonly deps: EngineDependencies;
  readonly run: RunRecord;
  readonly plan: RunPlan;
  readonly options: RunOptions;
  /** Every task node by id (the tree's index). */
  readonly nodes: Map<string, TaskNode>;
  root: TaskNode;
  /** The current tick's changes; everything the tick decides lands here and commits at its end. */
  changes: ChangeSet;
  /** Nodes whose upstream is final and that still need deciding (run, skip, expand…), in order. */
  readonly toEvaluate: TaskNode[];
  /** Container tasks waiting for a free slot, first come first served. */
  readonly toStart: TaskNode[];
  /** Attempts running now, by attempt id. */
  readonly inFlight: Map<string, InFlight>;
  /** Effects to perform after this tick's commit (spawns, cancels, timers). */
  readonly afterCommit: (() => void)[];
  /** Attempts failed for the task's own reasons, by task id (the retry budget; lost attempts do not count). */
  readonly failedAttempts: Map<string, number>;
  /** True once a cancel was requested: nothing new starts, everything pending ends CANCELED. */
  canceling: boolean;
  now(): string;
  /**
   * Commits the tick's changes so far, then performs their effects, as the tick's end does; the tick goes on
   * with a fresh change set. For a step that needs earlier changes stored first.
   */
  commitNow(): Promise<void>;
  push(event: DriverEvent): void;
  /** Arms a timer (after this tick's commit) that makes the task's retry due. */
  scheduleRetry(taskId: string, delayMs: number): void;
}
