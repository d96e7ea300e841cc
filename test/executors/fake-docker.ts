/**
 * Puts fake-docker.mjs on a PATH as `docker` (a sh wrapper that execs this Node on it, so the pid the
 * executor sees is the fake's own), with a fresh state directory.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fake-docker.mjs', import.meta.url));

export interface FakeDocker {
  /** Directory holding `docker`. */
  bin: string;
  /** The fake's state: `<container name>.pid` per running container, calls.jsonl. */
  state: string;
  /** process.env with the fake first on PATH (and the given extra variables). */
  environment(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** The argv of every docker call so far. */
  calls(): Promise<string[][]>;
  remove(): Promise<void>;
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export async function installFakeDocker(): Promise<FakeDocker> {
  const root = await mkdtemp(path.join(tmpdir(), 'sluice-fake-docker-'));
  const bin = path.join(root, 'bin');
  const state = path.join(root, 'state');
  await mkdir(bin);
  await mkdir(state);
  const docker = path.join(bin, 'docker');
  // The real docker is not Node: a Node-only variable of the engine's (which the tests set to a missing
  // file) must not make the fake print warnings into task logs.
  await writeFile(
    docker,
    `#!/bin/sh\nunset NODE_EXTRA_CA_CERTS NODE_OPTIONS\nexec ${quote(process.execPath)} ${quote(script)} "$@"\n`,
  );
  await chmod(docker, 0o755);
  await writeFile(path.join(state, 'calls.jsonl'), '');
  return {
    bin,
    state,
    environment: (extra = {}) => ({
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      FAKE_DOCKER_STATE: state,
      ...extra,
    }),
    calls: async () =>
      (await readFile(path.join(state, 'calls.jsonl'), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[]),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
