/**
 * `docker run` arguments for one attempt, built without touching the machine so they can be tested as
 * data. The container sees the host's paths at the same places (bind mounts with source == target), so
 * every path in argv and in the ExecutorInput — work dir, output files, staged and input artifacts — means
 * the same inside as outside and nothing has to be rewritten.
 *
 * Every option is written `--flag=value` so a value starting with `-` cannot be read as another flag, and
 * the program's argv comes after the image, where docker passes it on verbatim (no shell anywhere).
 */
import { isAbsolute, resolve, sep } from 'node:path';
import { SluiceError } from '../../errors.ts';
import { localPathOf, resolveCommandLine } from '../../runtime/index.ts';
import type { ExecutionRequest } from '../executor.ts';
import { outputDirectories } from '../local/attempt-command.ts';
import { attemptEnvironment } from '../local/process-environment.ts';
import { type ContainerLimits, containerLimits } from './container-limits.ts';

export interface BindMount {
  /** Absolute host path, mounted at the same path in the container. */
  path: string;
  readOnly: boolean;
}

export interface DockerRunSpec {
  name: string;
  labels: Record<string, string>;
  mounts: BindMount[];
  workDir: string;
  /** `uid:gid`, so files written into mounted directories belong to the engine's user. */
  user: string | undefined;
  env: Record<string, string>;
  limits: ContainerLimits;
  image: string;
  /** The container spec's command, first entry (KFP's `command` replaces the image's ENTRYPOINT). */
  entrypoint: string | undefined;
  /** Rest of the command, then the args. */
  args: string[];
}

export interface DockerRunOptions {
  /** Host directories mounted into every container besides the attempt's own (e.g. the artifact root). */
  mounts: readonly string[];
  user: string | undefined;
  /** Whether a host path exists: inputs and configured directories that do not are left unmounted. */
  exists: (path: string) => boolean;
}

/** Docker names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; attempt ids are UUIDs, anything else is made to fit. */
export function containerName(attemptId: string): string {
  return `sluice-${attemptId.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
}

/**
 * What to run for a container task (not a function component).
 *
 * @throws SluiceError when the component has no usable image; the runtime's placeholder errors when argv
 *   does not resolve.
 */
export function dockerRunSpec(request: ExecutionRequest, options: DockerRunOptions): DockerRunSpec {
  const { container } = request;
  const image = container.image?.trim() ?? '';
  if (image === '' || image.startsWith('-') || /\s/.test(image)) {
    throw new SluiceError(
      'IMAGE_INVALID',
      `task ${request.taskPath} has ${image === '' ? 'no image' : `an invalid image '${container.image}'`}: the docker executor runs each task in its component's image; set one, or run without --executor docker`,
    );
  }
  const context = { executorInput: request.executorInput, runValues: request.runValues };
  // Resolved apart because docker takes them apart: command[0] becomes --entrypoint, the rest follows the image.
  const command = resolveCommandLine({ command: container.command ?? [] }, context);
  const args = resolveCommandLine({ args: container.args ?? [] }, context);
  return {
    name: containerName(request.attemptId),
    labels: { 'sluice.run': request.runId, 'sluice.attempt': request.attemptId },
    mounts: attemptMounts(request, options),
    workDir: request.workDir,
    user: options.user,
    // No host base environment: PATH, HOME and the rest are the image's. Kubernetes expands `$(VAR)`
    // against the container's own env only, and so does this.
    env: attemptEnvironment({}, container.env, request.env),
    limits: containerLimits(container.resources, context),
    image,
    entrypoint: command[0],
    args: [...command.slice(1), ...args],
  };
}

/**
 * The directories an attempt needs: configured ones, the project root, the work dir and output
 * directories (read-write), and each input artifact (read-only), reduced to the fewest mounts.
 */
export function attemptMounts(request: ExecutionRequest, options: DockerRunOptions): BindMount[] {
  const writable = (path: string): BindMount => ({ path: resolve(path), readOnly: false });
  const inputs = Object.values(request.executorInput.inputs.artifacts).flatMap(({ artifacts }) =>
    artifacts.map(localPathOf).filter((path): path is string => path !== undefined && isAbsolute(path)),
  );
  return coveringMounts([
    ...[...options.mounts, request.projectRoot].filter(options.exists).map(writable),
    // Created before docker starts (ProcessAttempt.prepare), so they need no existence check.
    ...[request.workDir, ...outputDirectories(request)].map(writable),
    // An input that is not there (a metadata-only metrics artifact) is left to the program to notice, as
    // it would be on the host; docker would refuse to start instead.
    ...inputs.filter(options.exists).map((path) => ({ path: resolve(path), readOnly: true })),
  ]);
}

/**
 * Drops mounts another one already provides: inside a read-write mount, or inside a read-only one when
 * read-only itself. `/` is never mounted (it would hide the image). Sorted by path, for stable argv.
 */
export function coveringMounts(mounts: readonly BindMount[]): BindMount[] {
  const ordered = [...mounts]
    .filter((mount) => mount.path !== sep)
    .sort((a, b) => a.path.length - b.path.length || Number(a.readOnly) - Number(b.readOnly));
  const kept: BindMount[] = [];
  for (const mount of ordered) {
    const covered = kept.some(
      (other) => isWithin(mount.path, other.path) && (!other.readOnly || mount.readOnly),
    );
    if (!covered) kept.push(mount);
  }
  return kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isWithin(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory.endsWith(sep) ? directory : `${directory}${sep}`);
}

/** The arguments of `docker` (starting with `run`) for a spec. */
export function dockerRunArgs(spec: DockerRunSpec): string[] {
  const { limits } = spec;
  return [
    'run',
    '--rm',
    `--name=${spec.name}`,
    ...Object.entries(spec.labels).map(([key, value]) => `--label=${key}=${value}`),
    ...spec.mounts.map((mount) => `--mount=${mountOption(mount)}`),
    `--workdir=${spec.workDir}`,
    ...(spec.user === undefined ? [] : [`--user=${spec.user}`]),
    ...Object.entries(spec.env).map(([name, value]) => `--env=${name}=${value}`),
    ...(limits.cpus === undefined ? [] : [`--cpus=${limits.cpus}`]),
    ...(limits.memoryBytes === undefined ? [] : [`--memory=${limits.memoryBytes}`]),
    ...(limits.gpus === undefined ? [] : [`--gpus=${limits.gpus}`]),
    ...(spec.entrypoint === undefined ? [] : [`--entrypoint=${spec.entrypoint}`]),
    spec.image,
    ...spec.args,
  ];
}

/** `--mount` takes one CSV record: a field holding `,` or `"` is quoted, `"` doubled. */
function mountOption(mount: BindMount): string {
  const fields = ['type=bind', `source=${mount.path}`, `target=${mount.path}`];
  if (mount.readOnly) fields.push('readonly');
  return fields
    .map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field))
    .join(',');
}
