/**
 * The docker executor: each attempt runs the component's image (`docker run --rm`, pulled by docker if
 * missing) with the same argv, ExecutorInput and output handling as the local executor, the host's paths
 * mounted at the same places, as the engine's user. Only the `docker` CLI is used, so any engine it
 * reaches works (Docker Engine, Docker Desktop, a remote DOCKER_HOST whose paths match, podman's docker).
 *
 * TypeScript function components run on this machine, as with the local executor, with a note at the top
 * of their log. Their code is this project, run by Sluice's launcher with this Node and the project's
 * node_modules (native modules built for this OS): their image (node:20-slim by default) holds none of
 * it, and mounting it in would work only on a Linux host whose libc the image shares. Failing them instead
 * would make every pipeline with a function component unusable under --executor docker.
 *
 * Containers run as the engine's uid:gid, which the image usually does not know: HOME is then `/`, not
 * writable. A program that needs a home can be given one through the component's env.
 *
 * @example
 * const executor = await openDockerExecutor({ mounts: [join(home, 'artifacts')] }); // throws if no engine
 * const result = await executor.start(request).done;
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseFunctionComponent } from '../../ir/index.ts';
import type { Execution, ExecutionRequest, Executor, ExecutorCapabilities } from '../executor.ts';
import { LocalExecutor } from '../local/local-executor.ts';
import { type AttemptSettings, ProcessAttempt } from '../local/process-attempt.ts';
import { groupIsAttempts, isProcessAlive, stopGroup } from '../local/process-group.ts';
import { DirectLauncher } from '../local/process-launcher.ts';
import { DockerProgram, type DockerProgramSettings } from './docker-attempt.ts';
import { DockerCli, definedEnvironment, stopContainer } from './docker-cli.ts';
import { checkDockerEngine, DockerEngineUnavailableError } from './docker-engine.ts';
import { containerOfClient } from './docker-orphans.ts';

export interface DockerExecutorOptions {
  /** `docker`, or a compatible CLI such as `podman`. @default 'docker' */
  docker?: string;
  /**
   * Host directories mounted (read-write, same path) into every container, besides each attempt's work dir,
   * output directories, input artifacts and project root: pass SLUICE_HOME's artifact root so a task with
   * many inputs needs one mount instead of one each.
   */
  mounts?: string[];
  /** `--user`. @default this process's `uid:gid` on POSIX (files in mounts stay the user's); null: the image's */
  user?: string | null;
  /** Time between SIGTERM and SIGKILL when stopping an attempt (`docker stop -t`, whole seconds). @default 5000 */
  killGraceMs?: number;
  /** Lines of the log quoted in the message of a non-zero exit. @default 5 */
  logTailLines?: number;
  /**
   * The docker CLI's environment (PATH to find it; DOCKER_HOST, DOCKER_CONTEXT, HOME for its config), and
   * the base environment of function components run on this machine. Containers get only their own env.
   * @default process.env
   */
  environment?: NodeJS.ProcessEnv;
}

export class DockerExecutor implements Executor {
  readonly name = 'docker';
  readonly supports: ExecutorCapabilities = { containers: true, gpu: true };
  readonly #attempts: AttemptSettings;
  readonly #docker: DockerProgramSettings;
  readonly #host: LocalExecutor;

  constructor(options: DockerExecutorOptions = {}) {
    const environment = options.environment ?? process.env;
    const killGraceMs = options.killGraceMs ?? 5000;
    const logTailLines = options.logTailLines ?? 5;
    // Starting a docker client costs far less than the container it starts: no spawner helper needed.
    this.#attempts = { launcher: new DirectLauncher(), logTailLines };
    this.#docker = {
      cli: new DockerCli(options.docker ?? 'docker', definedEnvironment(environment)),
      mounts: options.mounts ?? [],
      user: options.user === null ? undefined : (options.user ?? posixUser()),
      killGraceMs,
      exists: existsSync,
    };
    this.#host = new LocalExecutor({ killGraceMs, logTailLines, environment });
  }

  start(request: ExecutionRequest): Execution {
    if (parseFunctionComponent(request.container)) return this.startOnHost(request);
    return new ProcessAttempt(request, this.#attempts, new DockerProgram(request, this.#docker));
  }

  /** Whether the attempt's docker client (or host process) still runs; the client lives as long as its container. */
  isAlive(pid: number): boolean {
    return isProcessAlive(pid);
  }

  /**
   * Stops what an earlier engine left running: the container named on the client's command line (see
   * docker-orphans.ts for the limits), then the client's process group — or, for a function component run
   * on this machine, its process group.
   */
  async killOrphan(pid: number, attemptId: string): Promise<void> {
    if (!(await groupIsAttempts(pid, attemptId))) return;
    const name = await containerOfClient(pid);
    if (name !== undefined) await stopContainer(this.#docker.cli, name, this.#docker.killGraceMs);
    await stopGroup(pid, this.#docker.killGraceMs);
  }

  private startOnHost(request: ExecutionRequest): Execution {
    const image = request.container.image ?? 'none';
    try {
      // Synchronous, as start() returns at once; a note that cannot be written is no reason to fail the task.
      mkdirSync(dirname(request.logPath), { recursive: true });
      appendFileSync(
        request.logPath,
        `sluice: ${request.taskPath} is a TypeScript function component: it runs on this machine with Node, not in image ${image}\n`,
      );
    } catch {}
    return this.#host.start(request);
  }
}

/** Checks that a Docker engine answers, then makes the executor. */
export async function openDockerExecutor(options: DockerExecutorOptions = {}): Promise<DockerExecutor> {
  const check = await checkDockerEngine({
    ...(options.docker !== undefined ? { docker: options.docker } : {}),
    ...(options.environment !== undefined ? { environment: options.environment } : {}),
  });
  if (!check.ok) throw new DockerEngineUnavailableError(check.reason);
  return new DockerExecutor(options);
}

function posixUser(): string | undefined {
  return process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : undefined;
}
