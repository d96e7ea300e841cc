/**
 * How the local executor runs an attempt: the resolved argv as a process on this machine, in its own
 * process group (stopped as a whole, as stopping a container stops every process in it), with a clean
 * environment. The order of work is ProcessAttempt's.
 */
import type { TaskFailure } from '../../errors.ts';
import type { ExecutionRequest } from '../executor.ts';
import { attemptArgv, type KfpRuntime } from './attempt-command.ts';
import type { AttemptBackend, AttemptProgram } from './process-attempt.ts';
import { attemptEnvironment } from './process-environment.ts';
import { signalGroup, stopGroup } from './process-group.ts';
import type { ProcessExit } from './process-launcher.ts';

export interface LocalProgramSettings {
  baseEnv: Readonly<Record<string, string>>;
  killGraceMs: number;
  kfpRuntime: KfpRuntime;
}

export class LocalProgram implements AttemptBackend {
  readonly label = 'local executor';

  constructor(
    private readonly request: ExecutionRequest,
    private readonly settings: LocalProgramSettings,
  ) {}

  program(): AttemptProgram {
    const { request } = this;
    return {
      argv: attemptArgv(request, this.settings.kfpRuntime),
      env: attemptEnvironment(this.settings.baseEnv, request.container.env, request.env),
    };
  }

  stop(pid: number, exited: Promise<ProcessExit>): Promise<void> {
    return stopGroup(pid, this.settings.killGraceMs, exited);
  }

  afterExit(pid: number): void {
    // Like a container stopping when its main process ends: nothing the program left behind keeps running.
    signalGroup(pid, 'SIGKILL');
  }

  spawnFailure(command: string, error: NodeJS.ErrnoException): TaskFailure {
    const hints: Record<string, string> = {
      ENOENT: `command not found: '${command}'. Install it, put it on PATH (the task's PATH is the engine's), or give an absolute path in the component's command`,
      EACCES: `cannot execute '${command}': permission denied. Make it executable (chmod +x) or run it through its interpreter`,
      E2BIG: `the arguments of '${command}' are too long for the OS (over its argv limit); pass large values through files or artifacts`,
    };
    const message = hints[error.code ?? ''] ?? `cannot start '${command}': ${error.message}`;
    return { kind: 'system', retryable: false, message };
  }
}
