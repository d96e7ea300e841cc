/**
 * Executors: run one task attempt (a local process by default).
 *
 * @module
 */
export type {
  Execution,
  ExecutionOutputs,
  ExecutionRequest,
  ExecutionResult,
  Executor,
  ExecutorCapabilities,
  ExecutorInput,
  RuntimeArtifact,
} from './executor.ts';
export { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.ts';
