/**
 * Finding the container of an attempt an earlier engine left running. The engine records the pid of the
 * `docker run` client; the client's own command line holds `--name=sluice-<attemptId>`, which is all that
 * is needed to stop the container. Clients are detached from the engine, so they outlive its crash and
 * are still there to be read when recovery asks.
 *
 * Limits: a client that died while its container ran on (killed by something else than this executor)
 * leaves nothing to find from a pid, and recovery does not even ask once that pid is gone; such containers
 * carry the labels
 * `sluice.run=<runId>` and `sluice.attempt=<attemptId>` (`docker rm -f $(docker ps -q --filter
 * label=sluice.run=RUN_ID)`). A reused pid is checked only as far as its command line naming a Sluice
 * container.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const NAME_OPTION = /^--name=(sluice-[a-zA-Z0-9_.-]+)$/;

/** The container a docker client started by this executor runs, when `pid` is such a client. */
export async function containerOfClient(pid: number): Promise<string | undefined> {
  const argv = await commandLineOf(pid);
  return argv === undefined ? undefined : containerNameIn(argv);
}

/** The `--name=sluice-…` of a `docker run` command line, as dockerRunArgs writes it. */
export function containerNameIn(argv: readonly string[]): string | undefined {
  const run = argv.indexOf('run');
  if (run < 0) return undefined;
  for (const arg of argv.slice(run + 1)) {
    const match = NAME_OPTION.exec(arg);
    if (match) return match[1];
  }
  return undefined;
}

async function commandLineOf(pid: number): Promise<string[] | undefined> {
  if (process.platform === 'linux') {
    try {
      const text = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      return text === '' ? undefined : text.replace(/\0$/, '').split('\0');
    } catch {
      return undefined; // gone
    }
  }
  // Elsewhere (macOS) ps prints the arguments joined by spaces; a container name holds none.
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }, (error, stdout) => {
      resolve(error || stdout.trim() === '' ? undefined : stdout.trim().split(/\s+/));
    });
  });
}
