/**
 * Starting task processes. `SpawnerLauncher` asks a small helper process (spawner-process.mjs) to fork
 * them, because forking costs in proportion to the forking process's memory and the engine is large; it
 * falls back to `DirectLauncher` (child_process.spawn here) if the helper cannot run. Either way each task
 * process is detached (its own process group) with stdout and stderr appended to its log file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ProcessExit =
  | { code: number | null; signal: NodeJS.Signals | null }
  | { error: NodeJS.ErrnoException };

export interface LaunchRequest {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logPath: string;
}

export interface LaunchedProcess {
  /** Resolves with the pid once the process exists, or with the error that prevented it. */
  readonly started: Promise<{ pid: number } | { error: NodeJS.ErrnoException }>;
  readonly exited: Promise<ProcessExit>;
}

export interface ProcessLauncher {
  launch(request: LaunchRequest): LaunchedProcess;
  warmUp?(): void;
}

export class DirectLauncher implements ProcessLauncher {
  launch(request: LaunchRequest): LaunchedProcess {
    let child: ChildProcess;
    let log: number;
    try {
      log = openSync(request.logPath, 'a');
    } catch (error) {
      const failure = { error: error as NodeJS.ErrnoException };
      return { started: Promise.resolve(failure), exited: Promise.resolve(failure) };
    }
    try {
      child = spawn(request.file, request.args, {
        cwd: request.cwd,
        env: request.env,
        stdio: ['ignore', log, log],
        detached: true,
        shell: false,
      });
    } catch (error) {
      closeSync(log);
      const failure = { error: error as NodeJS.ErrnoException };
      return { started: Promise.resolve(failure), exited: Promise.resolve(failure) };
    }
    closeSync(log); // the child holds its own copy of the descriptor
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ error }));
    });
    const started = new Promise<{ pid: number } | { error: NodeJS.ErrnoException }>((resolve) => {
      child.once('spawn', () => resolve({ pid: child.pid! }));
      child.once('error', (error) => resolve({ error }));
    });
    return { started, exited };
  }
}

const SPAWNER = fileURLToPath(new URL('./spawner-process.mjs', import.meta.url));

interface Pending {
  started: (value: { pid: number } | { error: NodeJS.ErrnoException }) => void;
  exited: (value: ProcessExit) => void;
  hasStarted: boolean;
}

export class SpawnerLauncher implements ProcessLauncher {
  #helper: ChildProcess | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #buffer = '';
  readonly #fallback = new DirectLauncher();
  #broken = false;

  launch(request: LaunchRequest): LaunchedProcess {
    const helper = this.#broken ? undefined : this.helper();
    if (!helper) return this.#fallback.launch(request);
    const id = this.#nextId++;
    let resolveStarted!: Pending['started'];
    let resolveExited!: Pending['exited'];
    const started = new Promise<{ pid: number } | { error: NodeJS.ErrnoException }>((resolve) => {
      resolveStarted = resolve;
    });
    const exited = new Promise<ProcessExit>((resolve) => {
      resolveExited = resolve;
    });
    this.#pending.set(id, { started: resolveStarted, exited: resolveExited, hasStarted: false });
    this.refWhileBusy();
    const { file, args, cwd, env, logPath } = request;
    helper.stdin!.write(`${JSON.stringify({ id, file, args, cwd, env, log: logPath })}\n`);
    return { started, exited };
  }

  /** Starts the helper now, so that its own start-up does not delay the first task. */
  warmUp(): void {
    if (!this.#broken) this.helper();
  }

  /** Keeps this process alive while a task it started runs, and lets it exit when none does. */
  private refWhileBusy(): void {
    const stdout = this.#helper?.stdout as unknown as { ref(): void; unref(): void } | undefined;
    if (this.#pending.size > 0) stdout?.ref();
    else stdout?.unref();
  }

  private helper(): ChildProcess | undefined {
    if (this.#helper) return this.#helper;
    let helper: ChildProcess;
    try {
      helper = spawn(process.execPath, [SPAWNER], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { PATH: process.env.PATH ?? '' },
      });
    } catch {
      this.#broken = true;
      return undefined;
    }
    helper.stdout!.setEncoding('utf8');
    helper.stdout!.on('data', (chunk: string) => this.receive(chunk));
    helper.on('exit', () => this.helperGone());
    helper.on('error', () => this.helperGone());
    // The helper itself never keeps the engine alive; pending tasks do (refWhileBusy).
    helper.unref();
    (helper.stdin as unknown as { unref(): void }).unref();
    (helper.stdout as unknown as { unref(): void }).unref();
    this.#helper = helper;
    return helper;
  }

  private receive(chunk: string): void {
    this.#buffer += chunk;
    let newline = this.#buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      newline = this.#buffer.indexOf('\n');
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as {
        id: number;
        pid?: number;
        error?: { code: string; message: string };
        exit?: { code: number | null; signal: NodeJS.Signals | null };
      };
      const pending = this.#pending.get(message.id);
      if (!pending) continue;
      if (message.pid !== undefined) {
        pending.hasStarted = true;
        pending.started({ pid: message.pid });
      } else if (message.error) {
        const error = Object.assign(new Error(message.error.message), {
          code: message.error.code,
        }) as NodeJS.ErrnoException;
        pending.started({ error });
        pending.exited({ error });
        this.#pending.delete(message.id);
      } else if (message.exit) {
        pending.exited(message.exit);
        this.#pending.delete(message.id);
      }
    }
    this.refWhileBusy();
  }

  /** The helper died: processes it started can no longer be followed; report them lost. */
  private helperGone(): void {
    this.#helper = undefined;
    for (const [id, pending] of this.#pending) {
      const error = Object.assign(new Error('the spawner process stopped; the task process is lost'), {
        code: 'ESPAWNERGONE',
      }) as NodeJS.ErrnoException;
      if (!pending.hasStarted) pending.started({ error });
      pending.exited({ error });
      this.#pending.delete(id);
    }
  }
}
