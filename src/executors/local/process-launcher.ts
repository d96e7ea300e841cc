/**
 * Starting task processes. `SpawnerLauncher` asks a small helper process (spawner-process.py, or
 * spawner-process.mjs without python3) to start them, because forking costs in proportion to the forking
 * process's memory and the engine is large; it starts them itself (`DirectLauncher`, child_process.spawn)
 * until a helper is ready, or if none can run. Either way each task process is detached (its own process
 * group) with stdout and stderr appended to its log file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
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

/** A helper program able to start task processes; tried in order until one starts. */
export interface SpawnerKind {
  name: 'python' | 'node';
  command: string;
  args: string[];
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * The system's own Python where Linux has one: a `python3` found on PATH is often a version manager's
 * shim (pyenv's takes 300 ms to start). Not on macOS, where /usr/bin/python3 may ask to install tools.
 * KFP Python components run with it too (attempt-command.ts), so their packages are that Python's.
 */
export function pythonCommand(): string {
  return process.platform === 'linux' && existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/**
 * The helpers to try, from `SLUICE_SPAWNER` (`python`, `node`; `off` means none): by default Python first,
 * because CPython starts children with vfork, several times cheaper than libuv's fork on a small VM.
 */
export function spawnerKinds(setting = process.env.SLUICE_SPAWNER): SpawnerKind[] {
  const python: SpawnerKind = {
    name: 'python',
    command: pythonCommand(),
    // -I: ignore PYTHON* variables and the user's site-packages; -S: no site import (stdlib only).
    args: ['-I', '-S', here('./spawner-process.py')],
  };
  const node: SpawnerKind = {
    name: 'node',
    command: process.execPath,
    args: [here('./spawner-process.mjs')],
  };
  if (setting === 'off') return [];
  if (setting === 'node') return [node];
  return [python, node];
}

interface Pending {
  started: (value: { pid: number } | { error: NodeJS.ErrnoException }) => void;
  exited: (value: ProcessExit) => void;
  hasStarted: boolean;
}

interface SpawnerReply {
  ready?: boolean;
  id?: number;
  pid?: number;
  error?: { code: string; message: string };
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * Until a helper says it is ready, and when none can run, processes start here (`DirectLauncher`): a task
 * never waits for a helper's own start-up.
 */
export class SpawnerLauncher implements ProcessLauncher {
  readonly #kinds: SpawnerKind[];
  #helper: ChildProcess | undefined;
  #ready = false;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #buffer = '';
  readonly #direct = new DirectLauncher();

  constructor(kinds: SpawnerKind[] = spawnerKinds()) {
    this.#kinds = [...kinds];
  }

  /** The helper in use, once one has said it is ready. */
  get kind(): SpawnerKind['name'] | undefined {
    return this.#ready ? this.#kinds[0]?.name : undefined;
  }

  /** Resolves once a helper is ready (true), or none can run (false). */
  async ready(): Promise<boolean> {
    while (!this.#ready && this.helper()) await new Promise((resolve) => setTimeout(resolve, 5));
    return this.#ready;
  }

  launch(request: LaunchRequest): LaunchedProcess {
    const helper = this.helper();
    if (!helper || !this.#ready) return this.#direct.launch(request);
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

  /** Starts the helper now, so that it is ready by the time the first task starts. */
  warmUp(): void {
    this.helper();
  }

  /** Keeps this process alive while a task it started runs, and lets it exit when none does. */
  private refWhileBusy(): void {
    const stdout = this.#helper?.stdout as unknown as { ref(): void; unref(): void } | undefined;
    if (this.#pending.size > 0) stdout?.ref();
    else stdout?.unref();
  }

  private helper(): ChildProcess | undefined {
    if (this.#helper) return this.#helper;
    const kind = this.#kinds[0];
    if (!kind) return undefined;
    let helper: ChildProcess;
    try {
      helper = spawn(kind.command, kind.args, {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { PATH: process.env.PATH ?? '' },
      });
    } catch {
      this.#kinds.shift();
      return this.helper();
    }
    this.#ready = false;
    this.#buffer = '';
    helper.stdout!.setEncoding('utf8');
    helper.stdout!.on('data', (chunk: string) => this.receive(chunk));
    helper.once('exit', () => this.helperGone(helper));
    helper.once('error', () => this.helperGone(helper));
    helper.stdin!.on('error', () => {}); // a helper that died first: 'exit' reports it
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
      if (line.trim() !== '') this.handle(JSON.parse(line) as SpawnerReply);
    }
    this.refWhileBusy();
  }

  private handle(message: SpawnerReply): void {
    if (message.ready) {
      this.#ready = true;
      return;
    }
    const pending = this.#pending.get(message.id ?? -1);
    if (!pending) return;
    if (message.pid !== undefined) {
      pending.hasStarted = true;
      pending.started({ pid: message.pid });
    } else if (message.error) {
      const error = Object.assign(new Error(message.error.message), {
        code: message.error.code,
      }) as NodeJS.ErrnoException;
      pending.started({ error });
      pending.exited({ error });
      this.#pending.delete(message.id!);
    } else if (message.exit) {
      pending.exited(message.exit);
      this.#pending.delete(message.id!);
    }
  }

  /**
   * A helper that stops before saying it is ready (no python3, a Python too old) was asked nothing: the
   * next kind is tried. One that stops later leaves its processes unfollowed: they are reported lost, as
   * after an engine crash.
   */
  private helperGone(helper: ChildProcess): void {
    if (this.#helper !== helper) return;
    this.#helper = undefined;
    if (!this.#ready) {
      this.#kinds.shift();
      this.helper();
      return;
    }
    this.#ready = false;
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
