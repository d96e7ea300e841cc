/**
 * The default executor: each attempt is a child process on this machine, spawned without a shell, in its
 * own process group. Per-spawn work is kept to what KFP's launcher does (a few directory creations, the
 * executor input file) so that a pipeline of small steps costs about what `make -j` would.
 *
 * @example
 * const executor = new LocalExecutor();
 * const execution = executor.start(request);
 * const result = await execution.done; // {ok: true, outputs} | {ok: false, failure}
 */
import type { Execution, ExecutionRequest, Executor, ExecutorCapabilities } from '../executor.ts';
import type { KfpRuntime } from './attempt-command.ts';
import { LocalProgram, type LocalProgramSettings } from './local-attempt.ts';
import { type AttemptSettings, ProcessAttempt } from './process-attempt.ts';
import { baseEnvironment } from './process-environment.ts';
import { groupIsAttempts, isProcessAlive, stopGroup } from './process-group.ts';
import { DirectLauncher, SpawnerLauncher, spawnerKinds } from './process-launcher.ts';

export interface LocalExecutorOptions {
  /** Time between SIGTERM and SIGKILL when stopping an attempt. @default 5000 */
  killGraceMs?: number;
  /** Lines of the log quoted in the message of a non-zero exit. @default 5 */
  logTailLines?: number;
  /** Where the clean base environment comes from (PATH, HOME, LANG, LC_*, TMPDIR, …). @default process.env */
  environment?: NodeJS.ProcessEnv;
  /**
   * Which helper process starts task processes (cheaper than forking the engine): `python`, then `node`, as
   * available; `node` only; or `off` (the engine forks them itself).
   * @default process.env.SLUICE_SPAWNER, else `python`
   */
  spawner?: 'python' | 'node' | 'off';
  /**
   * KFP lightweight Python components (`pip install kfp … && python3 -m kfp.dsl.executor_main`): `builtin`
   * runs them through Sluice's own standard-library kfp runtime with this machine's python3, no pip and no
   * network; `pip` runs their command as written (pip-installs kfp and packages_to_install in every task).
   * @default 'builtin'
   */
  kfpRuntime?: KfpRuntime;
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  readonly supports: ExecutorCapabilities = { containers: false, gpu: false };
  readonly #settings: AttemptSettings & LocalProgramSettings;

  constructor(options: LocalExecutorOptions = {}) {
    this.#settings = {
      baseEnv: baseEnvironment(options.environment ?? process.env),
      killGraceMs: options.killGraceMs ?? 5000,
      logTailLines: options.logTailLines ?? 5,
      kfpRuntime: options.kfpRuntime ?? 'builtin',
      launcher:
        (options.spawner ?? process.env.SLUICE_SPAWNER) === 'off'
          ? new DirectLauncher()
          : new SpawnerLauncher(spawnerKinds(options.spawner)),
    };
  }

  start(request: ExecutionRequest): Execution {
    return new ProcessAttempt(request, this.#settings, new LocalProgram(request, this.#settings));
  }

  warmUp(): void {
    this.#settings.launcher.warmUp?.();
  }

  /** Whether the attempt's main process still runs (a zombie counts as gone). */
  isAlive(pid: number): boolean {
    return isProcessAlive(pid);
  }

  /**
   * Stops the process group of an attempt started by an earlier engine (attempts are group leaders, so the
   * group id is the recorded pid), even when its leader is already gone. Call it before retrying a lost
   * attempt. A group none of whose processes carries the attempt's mark is someone else's: left alone.
   */
  async killOrphan(pid: number, attemptId: string): Promise<void> {
    if (await groupIsAttempts(pid, attemptId)) await stopGroup(pid, this.#settings.killGraceMs);
  }
}
