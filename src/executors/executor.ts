/**
 * How a task attempt runs. An executor gets a container spec and KFP's ExecutorInput (inputs resolved,
 * outputs pointing at staging locations), runs the program, and reports what happened. Executors never
 * touch the metadata store: the engine records what they report.
 *
 * Contract (test/contracts/executor.contract.ts runs it against each executor):
 * - `start` returns at once; `done` settles exactly once, never rejects, and reports a TaskFailure for
 *   every failure (non-zero exit = user; spawn failure or lost process = system; timeout; cancel).
 * - Placeholders are resolved into argv entries; parameters never pass through a shell the executor builds.
 * - On success the output parameters are read (ExecutorOutput JSON first, then per-parameter files) and
 *   typed by their declared type; output artifacts are left at their staging paths for the engine to publish.
 * - `cancel` and a timeout stop the whole process tree.
 */

import type { TaskFailure } from '../errors.ts';
import type { ContainerSpec, JsonValue } from '../ir/index.ts';
import type { ExecutorInput, RuntimeArtifact } from '../runtime/index.ts';

// The protocol types live with the rest of the protocol in runtime/; executors re-export them.
export type { ExecutorInput, RuntimeArtifact };

export interface ExecutionRequest {
  runId: string;
  taskPath: string;
  attemptId: string;
  container: ContainerSpec;
  executorInput: ExecutorInput;
  /** Declared output parameter types, to parse output files (`NUMBER_INTEGER`, `LIST`, …). */
  outputParameterTypes: Record<string, string>;
  /** Run-level values for `{{$.pipeline_job_name}}` and friends. */
  runValues: Record<string, string>;
  /** Environment on top of a clean base (the container spec's env is applied by the executor). */
  env: Record<string, string>;
  /** The attempt's private directory (cwd of the process). */
  workDir: string;
  /** Where relative paths in the spec resolve (TypeScript function component modules): the project root. */
  projectRoot: string;
  /** Where stdout and stderr are appended, interleaved as written. */
  logPath: string;
  timeoutSeconds?: number;
}

export interface ExecutionOutputs {
  parameters: Record<string, JsonValue>;
  /** Metadata (and a changed URI, if the component set one) per output artifact. */
  artifacts: Record<string, { metadata: Record<string, JsonValue> }>;
}

export type ExecutionResult =
  | { ok: true; exitCode: 0; outputs: ExecutionOutputs }
  | { ok: false; exitCode?: number; failure: TaskFailure };

export interface Execution {
  /**
   * The process id, once known: the program's (local) or the `docker run` client's (docker; it lives as
   * long as its container, whose name its command line holds).
   */
  readonly pid: number | undefined;
  readonly done: Promise<ExecutionResult>;
  /** Stops the attempt (SIGTERM, then SIGKILL after a grace period); `done` then reports `canceled`. */
  cancel(): void;
}

export interface ExecutorCapabilities {
  /** Runs the container image rather than the command on the host. */
  containers: boolean;
  gpu: boolean;
}

export interface Executor {
  readonly name: string;
  readonly supports: ExecutorCapabilities;
  start(request: ExecutionRequest): Execution;
  /** Whether a process this executor started earlier (maybe by a crashed engine) is still alive. */
  isAlive(pid: number): boolean;
  /**
   * Stops a process tree left behind by a crashed engine while attempt `attemptId`, if it is still that
   * attempt's: a process that merely got the same pid since is never signalled.
   */
  killOrphan(pid: number, attemptId: string): Promise<void>;
  /** Gets ready to start attempts soon (e.g. starts a helper process), so the first one is not slower. */
  warmUp?(): void;
}
