/**
 * Short `docker` commands (version, stop, rm), run without a shell and with a deadline so a hung daemon
 * cannot hang the engine. They never reject: callers decide what a failure means.
 */
import { execFile } from 'node:child_process';

export interface DockerCliResult {
  /** null when the command did not run to an exit (not found, or killed at its deadline). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why the command could not start (`ENOENT`: no such program on PATH). */
  spawnError?: NodeJS.ErrnoException;
  timedOut: boolean;
}

export class DockerCli {
  /**
   * @param command `docker`, or a compatible CLI (`podman`), looked up on `env.PATH`.
   * @param env the environment of every docker command: the engine's own, so DOCKER_HOST, DOCKER_CONTEXT,
   *   DOCKER_CONFIG and HOME (its config and credentials) apply as in the user's shell.
   */
  constructor(
    readonly command: string,
    readonly env: Readonly<Record<string, string>>,
  ) {}

  run(args: string[], timeoutMs: number): Promise<DockerCliResult> {
    return new Promise((resolve) => {
      execFile(
        this.command,
        args,
        { env: this.env, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', windowsHide: true },
        (error, stdout, stderr) => {
          if (!error) return resolve({ exitCode: 0, stdout, stderr, timedOut: false });
          const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
          if (typeof failure.code === 'string') {
            return resolve({ exitCode: null, stdout, stderr, spawnError: failure, timedOut: false });
          }
          const exitCode = typeof failure.code === 'number' ? failure.code : null;
          resolve({ exitCode, stdout, stderr, timedOut: failure.killed === true && exitCode === null });
        },
      );
    });
  }
}

/** Deadline of a docker command that should answer at once (rm, version). */
export const QUICK_COMMAND_MS = 15_000;

/**
 * Stops a container as the local executor stops a process group: SIGTERM, then SIGKILL after the grace
 * period (`docker stop`), then removes it (`rm --force`: `--rm` may not have run yet, or the container
 * was only created). Killing the docker client alone would leave the container running. Resolves once
 * docker has answered both; a container that does not exist is not an error.
 */
export async function stopContainer(cli: DockerCli, name: string, graceMs: number): Promise<void> {
  const seconds = Math.max(0, Math.ceil(graceMs / 1000));
  await cli.run(['stop', '-t', String(seconds), name], graceMs + QUICK_COMMAND_MS);
  await removeContainer(cli, name);
}

export async function removeContainer(cli: DockerCli, name: string): Promise<void> {
  await cli.run(['rm', '--force', name], QUICK_COMMAND_MS);
}

/** The engine's environment without unset entries, as child_process wants it. */
export function definedEnvironment(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value !== undefined) env[name] = value;
  return env;
}
