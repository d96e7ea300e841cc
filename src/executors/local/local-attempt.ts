/**
 * One running attempt of the local executor. Order of work, each step only after the one before:
 * resolve argv (a bad placeholder fails before anything is created) → create the work, log and output
 * directories, open the log → spawn (executor_input.json is written meanwhile) → wait for exit, a timeout
 * or a cancel → read outputs (exit 0) or the log's tail (failure). `done` settles once and never rejects.
 *
 * The child's stdout and stderr are the log file's descriptor itself (opened O_APPEND): the kernel
 * interleaves both streams as written, nothing is buffered here, and everything is on disk when the
 * process has exited — and no pipes cost anything per spawn.
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TaskFailure } from '../../errors.ts';
import { collectOutputs } from '../../runtime/index.ts';
import type { Execution, ExecutionRequest, ExecutionResult } from '../executor.ts';
import { attemptArgv, deepestDirectories, outputDirectories } from './attempt-command.ts';
import { readLogTail } from './log-tail.ts';
import { attemptEnvironment } from './process-environment.ts';
import { signalGroup, stopGroup } from './process-group.ts';
import type { ProcessExit, ProcessLauncher } from './process-launcher.ts';

export interface AttemptSettings {
  baseEnv: Readonly<Record<string, string>>;
  launcher: ProcessLauncher;
  killGraceMs: number;
  logTailLines: number;
}

type Exit = ProcessExit;
type StopReason = 'canceled' | 'timeout';

export class LocalAttempt implements Execution {
  readonly done: Promise<ExecutionResult>;
  #pid: number | undefined;
  #stopReason: StopReason | undefined;
  #stopped: Promise<void> | undefined;
  #exited: Promise<Exit> | undefined;

  constructor(
    private readonly request: ExecutionRequest,
    private readonly settings: AttemptSettings,
  ) {
    this.done = this.run().catch((error: unknown) =>
      failed({ kind: 'system', retryable: false, message: `local executor: ${describeError(error)}` }),
    );
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  cancel(): void {
    this.stop('canceled');
  }

  private stop(reason: StopReason): void {
    if (this.#stopReason) return;
    this.#stopReason = reason;
    const pid = this.#pid;
    if (pid !== undefined && this.#exited) {
      this.#stopped = stopGroup(pid, this.settings.killGraceMs, this.#exited);
    }
  }

  private async run(): Promise<ExecutionResult> {
    const { request } = this;
    let argv: string[];
    try {
      argv = attemptArgv(request);
    } catch (error) {
      return failed({ kind: 'system', retryable: false, message: `cannot start: ${describeError(error)}` });
    }
    this.prepare();
    const result = await this.spawnAndWait(argv);
    // For people debugging a failed task (the program got the same JSON through `{{$}}`); successful
    // attempts skip the write, which every task would otherwise pay.
    if (!result.ok) {
      await writeFile(
        join(this.request.workDir, 'executor_input.json'),
        JSON.stringify(this.request.executorInput),
      ).catch(() => {});
    }
    return result;
  }

  private async spawnAndWait(argv: string[]): Promise<ExecutionResult> {
    const { request } = this;
    if (this.#stopReason) return this.stoppedResult();
    const launched = this.settings.launcher.launch({
      file: argv[0]!,
      args: argv.slice(1),
      cwd: request.workDir,
      env: attemptEnvironment(this.settings.baseEnv, request.container.env, request.env),
      logPath: request.logPath,
    });
    this.#exited = launched.exited;
    const started = await launched.started;
    if ('error' in started) return spawnFailure(argv[0]!, started.error);
    this.#pid = started.pid;
    if (this.#stopReason) this.#stopped = stopGroup(started.pid, this.settings.killGraceMs, launched.exited);
    const timer =
      request.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => this.stop('timeout'), request.timeoutSeconds * 1000);
    const exit = await this.#exited;
    clearTimeout(timer);
    if ('error' in exit) return spawnFailure(argv[0]!, exit.error);
    if (this.#stopReason) {
      await this.#stopped;
      return this.stoppedResult();
    }
    // Like a container stopping when its main process ends: nothing the program left behind keeps running.
    signalGroup(started.pid, 'SIGKILL');
    return this.finished(exit);
  }

  /** Creates the attempt's directory and the parents of its output files (as KFP's launcher does). */
  private prepare(): void {
    const { request } = this;
    const directories = [request.workDir, dirname(request.logPath), ...outputDirectories(request)];
    // Synchronous: a few microseconds each, cheaper than thread-pool round trips on every task.
    for (const directory of deepestDirectories(directories)) mkdirSync(directory, { recursive: true });
  }

  private async finished(exit: { code: number | null; signal: NodeJS.Signals | null }) {
    const { request } = this;
    if (exit.code === 0) {
      try {
        const outputs = await collectOutputs(request.executorInput, request.outputParameterTypes);
        return { ok: true, exitCode: 0, outputs } as const;
      } catch (error) {
        return failed({ kind: 'user', retryable: true, exitCode: 0, message: describeError(error) }, 0);
      }
    }
    const tail = await readLogTail(request.logPath, this.settings.logTailLines);
    const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const lines =
      tail.length === 0
        ? ' (its log is empty)'
        : `; last log lines:\n${tail.map((l) => `  ${l}`).join('\n')}`;
    const failure: TaskFailure = { kind: 'user', retryable: true, message: `the program ${how}${lines}` };
    if (exit.code !== null) failure.exitCode = exit.code;
    return failed(failure, exit.code ?? undefined);
  }

  private stoppedResult(): ExecutionResult {
    if (this.#stopReason === 'timeout') {
      return failed({
        kind: 'timeout',
        retryable: true,
        message: `timed out after ${this.request.timeoutSeconds} s; the process and everything it started were stopped`,
      });
    }
    return failed({ kind: 'canceled', retryable: false, message: 'canceled' });
  }
}

function spawnFailure(command: string, error: NodeJS.ErrnoException): ExecutionResult {
  const hints: Record<string, string> = {
    ENOENT: `command not found: '${command}'. Install it, put it on PATH (the task's PATH is the engine's), or give an absolute path in the component's command`,
    EACCES: `cannot execute '${command}': permission denied. Make it executable (chmod +x) or run it through its interpreter`,
    E2BIG: `the arguments of '${command}' are too long for the OS (over its argv limit); pass large values through files or artifacts`,
  };
  const message = hints[error.code ?? ''] ?? `cannot start '${command}': ${error.message}`;
  return failed({ kind: 'system', retryable: false, message });
}

function failed(failure: TaskFailure, exitCode?: number): ExecutionResult {
  return exitCode === undefined ? { ok: false, failure } : { ok: false, exitCode, failure };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
