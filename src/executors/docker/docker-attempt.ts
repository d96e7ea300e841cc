/**
 * How the docker executor runs an attempt: a `docker run --rm` client on this machine (the process the
 * engine tracks), attached so the container's output lands in the attempt log and its exit code is the
 * client's. The order of work is ProcessAttempt's; what differs is what is started, how it is stopped
 * (the container is stopped by name: killing the client alone leaves it running) and docker's own
 * failures (exit 125–127 with a `docker:` line in the log) told apart from the program's.
 *
 * With a real engine, the container's stdout and stderr reach the client as two streams, so lines of one
 * written right after lines of the other may land in the log in a slightly different order.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { TaskFailure } from '../../errors.ts';
import type { ExecutionRequest } from '../executor.ts';
import type { AttemptBackend, AttemptProgram, ProgramExit } from '../local/process-attempt.ts';
import { stopGroup } from '../local/process-group.ts';
import type { ProcessExit } from '../local/process-launcher.ts';
import { type DockerCli, removeContainer, stopContainer } from './docker-cli.ts';
import { DockerEngineUnavailableError } from './docker-engine.ts';
import { containerName, type DockerRunSpec, dockerRunArgs, dockerRunSpec } from './docker-run-args.ts';

export interface DockerProgramSettings {
  cli: DockerCli;
  mounts: readonly string[];
  user: string | undefined;
  killGraceMs: number;
  exists: (path: string) => boolean;
}

export class DockerProgram implements AttemptBackend {
  readonly label = 'docker executor';
  readonly #name: string;
  #spec: DockerRunSpec | undefined;

  constructor(
    private readonly request: ExecutionRequest,
    private readonly settings: DockerProgramSettings,
  ) {
    this.#name = containerName(request.attemptId);
  }

  program(): AttemptProgram {
    const { cli, mounts, user, exists } = this.settings;
    this.#spec = dockerRunSpec(this.request, { mounts, user, exists });
    return { argv: [cli.command, ...dockerRunArgs(this.#spec)], env: { ...cli.env } };
  }

  async stop(pid: number, exited: Promise<ProcessExit>): Promise<void> {
    const { cli, killGraceMs } = this.settings;
    await stopContainer(cli, this.#name, killGraceMs);
    // The client exits once its container is gone. One still running has no container yet (canceled
    // while the image was pulled or the container created): stop it, then remove what it created meanwhile.
    const clientExited = await Promise.race([
      exited.then(() => true),
      delay(killGraceMs, false, { ref: false }),
    ]);
    if (clientExited) return;
    await stopGroup(pid, killGraceMs, exited);
    await removeContainer(cli, this.#name);
  }

  async afterExit(_pid: number, exit: ProgramExit): Promise<void> {
    // A client killed by a signal (not by us) leaves its container running: stop it with the attempt.
    if (exit.signal !== null) await removeContainer(this.settings.cli, this.#name);
  }

  spawnFailure(command: string, error: NodeJS.ErrnoException): TaskFailure {
    const message =
      error.code === 'ENOENT'
        ? new DockerEngineUnavailableError(`the '${command}' command is not installed or not on PATH`).message
        : `cannot start '${command}': ${error.message}`;
    return { kind: 'system', retryable: false, message };
  }

  /**
   * `docker run` exits 125 when docker itself failed (bad image name, pull denied, daemon error), 126 when
   * the command cannot be invoked and 127 when it is not in the image — each with a `docker:` line on
   * stderr. A program exiting with those codes by itself prints no such line and stays a user failure.
   */
  exitFailure(exit: ProgramExit, tail: string[]): TaskFailure | undefined {
    if (exit.code !== 125 && exit.code !== 126 && exit.code !== 127) return undefined;
    const said = tail.filter((line) => line.startsWith('docker: ') || /\bdocker run --help\b/.test(line));
    if (said.length === 0) return undefined;
    const spec = this.#spec;
    const image = `'${spec?.image ?? this.request.container.image}'`;
    const command = spec?.entrypoint ?? spec?.args[0];
    const program = command === undefined ? "the image's default command" : `'${command}'`;
    const what = {
      125: `docker could not run a container of image ${image}`,
      126: `cannot execute ${program} in image ${image} (permission denied, or not a program)`,
      127: `command not found in image ${image}: ${program}. Give the path of a program the image has, or use an image that has it`,
    }[exit.code];
    const quoted = tail.filter((line) => line.trim() !== '').map((line) => `  ${line}`);
    return { kind: 'system', retryable: false, message: `${what}; docker said:\n${quoted.join('\n')}` };
  }
}
