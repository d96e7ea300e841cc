/**
 * A model registry that is just a directory: `<registry>/<model name>/v<N>/` holding the model and its
 * lineage. Versions are never overwritten, so whatever serves `v3` keeps serving the same bytes; a new
 * registration always takes the next free number.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';

/**
 * The registry directory: the `registry` parameter when given, else `$SLUICE_HOME/registry`. Sluice's
 * engine gives steps SLUICE_HOME; a step run by another engine falls back on its working directory when
 * it has Sluice's layout (`<home>/runs/<run id>/attempts/<attempt>`), then on ~/.sluice.
 */
export function registryDirectory(given: string, environment = process.env, cwd = process.cwd()): string {
  if (given !== '') return resolve(given);
  return join(sluiceHome(environment, cwd), 'registry');
}

function sluiceHome(environment: NodeJS.ProcessEnv, cwd: string): string {
  if (environment.SLUICE_HOME) return resolve(environment.SLUICE_HOME);
  const runId = environment.SLUICE_RUN_ID;
  const marker = runId ? `${sep}runs${sep}${runId}${sep}` : undefined;
  const at = marker ? `${cwd}${sep}`.lastIndexOf(marker) : -1;
  return at > 0 ? cwd.slice(0, at) : join(homedir(), '.sluice');
}

export interface Registered {
  version: number;
  /** The version's directory. */
  directory: string;
}

/**
 * Writes `files` as the next version of `model`. The files are written into a private directory first and
 * renamed into place, so a version either does not exist or is complete; when two runs race for the same
 * number, the rename of the loser fails and it takes the next one.
 */
export function registerVersion(registry: string, model: string, files: Record<string, string>): Registered {
  const root = join(registry, model);
  mkdirSync(root, { recursive: true });
  const staging = join(root, `.staging-${randomUUID()}`);
  mkdirSync(staging);
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(staging, name), content);
    for (let version = nextVersion(root); ; version++) {
      const directory = join(root, `v${version}`);
      try {
        renameSync(staging, directory);
        return { version, directory };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function nextVersion(root: string): number {
  const versions = readdirSync(root)
    .map((name) => /^v(\d+)$/.exec(name)?.[1])
    .filter((digits) => digits !== undefined)
    .map(Number);
  return Math.max(0, ...versions) + 1;
}
