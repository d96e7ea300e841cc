/** checkDockerEngine's outcomes, with the fake docker (fake-docker.mjs) standing in for the real one. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../src/errors.ts';
import {
  checkDockerEngine,
  DockerEngineUnavailableError,
  DockerExecutor,
  openDockerExecutor,
} from '../../src/executors/index.ts';
import { installFakeDocker } from './fake-docker.ts';

const fake = await installFakeDocker();
const emptyBin = await mkdtemp(path.join(tmpdir(), 'sluice-no-docker-'));
afterAll(async () => {
  await fake.remove();
  await rm(emptyBin, { recursive: true, force: true });
});

describe('checkDockerEngine', () => {
  it('gives the server version when the daemon answers', async () => {
    expect(await checkDockerEngine({ environment: fake.environment() })).toEqual({
      ok: true,
      version: '28.2.2-fake',
    });
    expect(await fake.calls()).toContainEqual(['version', '--format', '{{.Server.Version}}']);
  });

  it('says the docker command is missing when it is not on PATH', async () => {
    const environment = { ...process.env, PATH: emptyBin };
    expect(await checkDockerEngine({ environment })).toEqual({
      ok: false,
      reason: "the 'docker' command is not installed or not on PATH",
    });
  });

  it("quotes the client's error when the daemon does not answer", async () => {
    expect(
      await checkDockerEngine({ environment: fake.environment({ FAKE_DOCKER_DAEMON: 'down' }) }),
    ).toEqual({
      ok: false,
      reason:
        'the Docker daemon does not answer: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    });
  });

  it('gives up after its timeout when the daemon hangs', async () => {
    const environment = fake.environment({ FAKE_DOCKER_DAEMON: 'hang' });
    const started = Date.now();
    expect(await checkDockerEngine({ environment, timeoutMs: 500 })).toEqual({
      ok: false,
      reason: "'docker version' did not answer within 0.5 s",
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('openDockerExecutor', () => {
  it('throws DockerEngineUnavailableError, saying what to do, when no engine answers', async () => {
    const environment = fake.environment({ FAKE_DOCKER_DAEMON: 'down' });
    const error = await openDockerExecutor({ environment }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerEngineUnavailableError);
    expect(error).toBeInstanceOf(SluiceError);
    expect(error).toMatchObject({ code: 'DOCKER_ENGINE_UNAVAILABLE', name: 'DockerEngineUnavailableError' });
    expect((error as Error).message).toBe(
      'no Docker engine answers (the Docker daemon does not answer: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?); start Docker, or run without --executor docker to run commands on this machine',
    );
  });

  it('makes the executor when the engine answers', async () => {
    const executor = await openDockerExecutor({ environment: fake.environment() });
    expect(executor).toBeInstanceOf(DockerExecutor);
    expect(executor.supports.containers).toBe(true);
  });
});
