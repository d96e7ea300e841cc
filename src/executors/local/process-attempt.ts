/**
 * One running attempt of an executor whose attempts are processes on this machine: the program itself
 * (local executor) or a `docker run` client (docker executor). What differs between them is an
 * `AttemptBackend`; the order of work is shared, each step only after the one before:
 * resolve argv (a bad placeholder fails before anything is created) → create the work, log and output
 * directories → spawn (stdout and stderr appended to the log) → wait for exit, a timeout or a cancel → read
 * outputs (exit 0) or the log's tail (failure). `done` settles once and never rejects.
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
import { deepestDirectories, outputDirectories } from './attempt-command.ts';
import { readLogTail } from './log-tail.ts';
import { ATTEMPT_MARK } from './process-group.ts';
import type { ProcessExit, ProcessLauncher } from './process-launcher.ts';

export interface AttemptSettings {
  launcher: ProcessLauncher;
  logTailLines: number;
}

/** What an attempt starts on this machine. */
export interface AttemptProgram {
  argv: string[];
  env: Record<string, string>;
}

export type ProgramExit = { code: number | null; signal: NodeJS.Signals | null };

/** What differs between executors whose attempts are processes on this machine (one object per attempt). */
export interface AttemptBackend {
  /** Names the executor in the message of an unexpected error. */
  readonly label: string;
  /** The program to start. Throws when the request cannot start (a placeholder that does not resolve). */
  program(): AttemptProgram;
  /** Stops the started attempt; resolves once nothing of it runs. */
  stop(pid: number, exited: Promise<ProcessExit>): Promise<void>;
  /** Runs after the program exited by itself (not stopped), before its outputs are read. */
  afterExit(pid: number, exit: ProgramExit): void | Promise<void>;
  /** The failure when the program could not be started at all. */
  spawnFailure(command: string, error: NodeJS.ErrnoException): TaskFailure;
  /**
   * A failure that is not the program's own, told by its exit and the log's last lines (docker could not
   * start the container); undefined when the program itself failed.
   */
  exitFailure?(exit: ProgramExit, tail: string[]): TaskFailure | undefined;
}

type StopReason = 'canceled' | 'timeout';

export class ProcessAttempt implements Execution {
  readonly done: Promise<ExecutionResult>;
  #pid: number | undefined;
  #stopReason: StopReason | undefined;
  #stopped: Promise<void> | undefined;
  #exited: Promise<ProcessExit> | undefined;

  constructor(
    private readonly request: ExecutionRequest,
    private readonly settings: AttemptSettings,
    private readonly backend: AttemptBackend,
  ) {
    this.done = this.run().catch((error: unknown) =>
      failed({ kind: 'system', retryable: false, message: `${backend.label}: ${describeError(error)}` }),
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
    if (pid !== undefined && this.#exited) this.#stopped = this.backend.stop(pid, this.#exited);
  }

  private async run(): Promise<ExecutionResult> {
    const { request } = this;
    let program: AttemptProgram;
    try {
      program = this.backend.program();
    } catch (error) {
      return failed({ kind: 'system', retryable: false, message: `cannot start: ${describeError(error)}` });
    }
    this.prepare();
    const result = await this.spawnAndWait(program);
    // For people debugging a failed task (the program got the same JSON through `{{$}}`); successful
    // attempts skip the write, which every task would otherwise pay.
    if (!result.ok) {
      await writeFile(
        join(request.workDir, 'executor_input.json'),
        JSON.stringify(request.executorInput),
      ).catch(() => {});
    }
    return result;
  }

  private async spawnAndWait({ argv, env }: AttemptProgram): Promise<ExecutionResult> {
    const { request, backend } = this;
    if (this.#stopReason) return this.stoppedResult();
    const launched = this.settings.launcher.launch({
      file: argv[0]!,
      args: argv.slice(1),
      cwd: request.workDir,
      // On every attempt's process, whichever backend: killOrphan tells an orphan from a stranger by it.
      env: { ...env, [ATTEMPT_MARK]: request.attemptId },
      logPath: request.logPath,
    });
    this.#exited = launched.exited;
    const started = await launched.started;
    if ('error' in started) return failed(backend.spawnFailure(argv[0]!, started.error));
    this.#pid = started.pid;
    if (this.#stopReason) this.#stopped = backend.stop(started.pid, launched.exited);
    const timer =
      request.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => this.stop('timeout'), request.timeoutSeconds * 1000);
    const exit = await this.#exited;
    clearTimeout(timer);
    if ('error' in exit) return failed(backend.spawnFailure(argv[0]!, exit.error));
    if (this.#stopReason) {
      await this.#stopped;
      return this.stoppedResult();
    }
    await backend.afterExit(started.pid, exit);
    return this.finished(exit);
  }

  /** Creates the attempt's directory and the parents of its output files (as KFP's launcher does). */
  private prepare(): void {
    const { request } = this;
    const directories = [request.workDir, dirname(request.logPath), ...outputDirectories(request)];
    // Synchronous: a few microseconds each, cheaper than thread-pool round trips on every task.
    for (const directory of deepestDirectories(directories)) mkdirSync(directory, { recursive: true });
  }

  private async finished(exit: ProgramExit): Promise<ExecutionResult> {
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
    const own = this.backend.exitFailure?.(exit, tail);
    if (own) return failed(own, exit.code ?? undefined);
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

function failed(failure: TaskFailure, exitCode?: number): ExecutionResult {
  return exitCode === undefined ? { ok: false, failure } : { ok: false, exitCode, failure };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
