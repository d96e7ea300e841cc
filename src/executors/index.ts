/**
 * Executors: run one task attempt (a local process by default, or the component's image under docker).
 *
 * @module
 */

export {
  checkDockerEngine,
  type DockerEngineCheck,
  type DockerEngineCheckOptions,
  DockerEngineUnavailableError,
} from './docker/docker-engine.ts';
export {
  DockerExecutor,
  type DockerExecutorOptions,
  openDockerExecutor,
} from './docker/docker-executor.ts';
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
export type { KfpRuntime } from './local/attempt-command.ts';
export { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.ts';
export { readLogFrom, readLogTail } from './local/log-tail.ts';
