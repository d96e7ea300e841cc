/**
 * Whether a Docker engine answers, asked once before a run that uses the docker executor so that a
 * stopped Docker Desktop or a missing `docker` says so up front instead of failing every task.
 */
import { SluiceError } from '../../errors.ts';
import { DockerCli, definedEnvironment } from './docker-cli.ts';

export type DockerEngineCheck = { ok: true; version: string } | { ok: false; reason: string };

export interface DockerEngineCheckOptions {
  /** @default 'docker' */
  docker?: string;
  /** Where `docker` is looked up (PATH) and configured (DOCKER_HOST, …). @default process.env */
  environment?: NodeJS.ProcessEnv;
  /** @default 5000 */
  timeoutMs?: number;
}

/** Asks the daemon for its version: `docker version --format '{{.Server.Version}}'`. */
export async function checkDockerEngine(options: DockerEngineCheckOptions = {}): Promise<DockerEngineCheck> {
  const docker = options.docker ?? 'docker';
  const timeoutMs = options.timeoutMs ?? 5000;
  const cli = new DockerCli(docker, definedEnvironment(options.environment ?? process.env));
  const result = await cli.run(['version', '--format', '{{.Server.Version}}'], timeoutMs);
  if (result.spawnError) {
    return result.spawnError.code === 'ENOENT'
      ? { ok: false, reason: `the '${docker}' command is not installed or not on PATH` }
      : { ok: false, reason: `cannot run '${docker}': ${result.spawnError.message}` };
  }
  if (result.timedOut) {
    return { ok: false, reason: `'${docker} version' did not answer within ${timeoutMs / 1000} s` };
  }
  if (result.exitCode !== 0) {
    // The client answers for itself even when the daemon is down; the daemon's error is on stderr.
    const said = firstLine(result.stderr) ?? `'${docker} version' exited with code ${result.exitCode}`;
    return { ok: false, reason: `the Docker daemon does not answer: ${said}` };
  }
  const version = result.stdout.trim();
  if (version === '') return { ok: false, reason: `'${docker} version' reported no server version` };
  return { ok: true, version };
}

function firstLine(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '');
}

export class DockerEngineUnavailableError extends SluiceError {
  readonly reason: string;

  constructor(reason: string) {
    super(
      'DOCKER_ENGINE_UNAVAILABLE',
      `no Docker engine answers (${reason}); start Docker, or run without --executor docker to run commands on this machine`,
    );
    this.reason = reason;
  }
}
