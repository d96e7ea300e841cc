/**
 * `sluice run --executor docker`: with a Docker engine each task runs in its image; without one, the run
 * is refused up front with what to do. This machine has no Docker daemon, so the engine here is the fake
 * of test/executors/fake-docker.mjs (it runs the "container" as a local process group and logs each call).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installFakeDocker } from '../executors/fake-docker.ts';
import { repoRoot, runSluice } from './sluice-cli.ts';

const hello = join(repoRoot, 'examples/hello/pipeline.ts');

describe('sluice run --executor docker', () => {
  it("runs each task in the component's image", async () => {
    const docker = await installFakeDocker();
    try {
      const home = mkdtempSync(join(tmpdir(), 'sluice-docker-'));
      const env = docker.environment({ SLUICE_HOME: home, NO_COLOR: '1' });
      const result = await runSluice(['run', hello, '--executor', 'docker', '-p', 'name=Docker', '--json'], {
        env,
      });
      expect(result.code).toBe(0);
      const runs = (await docker.calls()).filter((call) => call[0] === 'run');
      expect(runs).toHaveLength(2);
      for (const call of runs) {
        expect(call).toContain('alpine:3.20');
        expect(call.some((word) => word.startsWith('--name=sluice-'))).toBe(true);
      }
      const logs = await runSluice(
        ['logs', JSON.parse(result.stdout.trim().split('\n').at(-1)!).runId, 'print-greeting'],
        { env },
      );
      expect(logs.stdout).toContain('Hello, Docker!');
    } finally {
      await docker.remove();
    }
  });

  it('refuses to start when no Docker engine answers, saying what to do (exit 2)', async () => {
    const docker = await installFakeDocker();
    try {
      const home = mkdtempSync(join(tmpdir(), 'sluice-docker-'));
      const env = docker.environment({ SLUICE_HOME: home, FAKE_DOCKER_DAEMON: 'down' });
      const result = await runSluice(['run', hello, '--executor', 'docker'], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^error: no Docker engine answers \(.*\); start Docker, or run without --executor docker/,
      );
      const runs = await runSluice(['runs', '--json'], { env });
      expect(JSON.parse(runs.stdout)).toEqual([]);
    } finally {
      await docker.remove();
    }
  });
});
