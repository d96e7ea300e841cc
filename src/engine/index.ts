/**
 * The engine: runs pipelines (KFP IR) to completion with retries, caching, conditions, loops and
 * crash-safe resume.
 *
 * @module
 * @example
 * import { openDefaultEngine } from 'sluice/engine';
 * const { engine, close } = await openDefaultEngine();
 * const summary = await engine.run(document, { parameters: { epochs: 5 } });
 * await close();
 */

// The API explains a cache miss in the same words as `sluice why`.
export { type CacheMissReason, formatCacheMiss } from '../cache/index.ts';
export { type KfpRuntime, readLogFrom } from '../executors/index.ts';
export type { Json } from '../store/index.ts';
export { type DefaultEngine, type ExecutorKind, openDefaultEngine, sluiceHome } from './default-engine.ts';
export {
  type DriveOptions,
  Engine,
  LEASE_STALE_MS,
  RunBusyError,
  RunInputError,
  RunNotFoundError,
  type SubmitOptions,
} from './engine.ts';
export type { TransitionEvent } from './events.ts';
export { ParameterTypeError, parseParameterText } from './parameter-values.ts';
export { RetryNotPossibleError } from './retry-plan.ts';
export type { EngineDependencies, RunOptions, RunOrigin } from './run-context.ts';
export { RunStalledError } from './run-driver.ts';
export {
  type ReportedArtifact,
  type ReportedFailure,
  type RunReport,
  reportOfDetail,
  reportRun,
  saveFinalReport,
} from './run-report.ts';
export { type RunSummary, summarizeRun, type TaskSummary } from './run-summary.ts';
export {
  ACTIVE_TASK_STATES,
  CANCELABLE_RUN_STATES,
  FINAL_RUN_STATES,
  FINAL_TASK_STATES,
  IllegalTransitionError,
  isFinalRun,
  isFinalTask,
  PRODUCED_TASK_STATES,
  RunState,
  TaskState,
} from './task-state.ts';
