/**
 * The docker executor against a fake `docker` (fake-docker.mjs) first on PATH: this machine has no Docker
 * engine, and the fake runs each "container" as a process group here, so real tasks run end to end
 * through the real argv, mounts, env, stop and orphan handling.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerExecutor, type ExecutionResult } from '../../src/executors/index.ts';
import { functionComponentArgs } from '../../src/ir/index.ts';
import { executorContract, makeRequest, processGone } from '../contracts/executor.contract.ts';
import { runtimeArtifact } from '../runtime/executor-inputs.ts';
import { installFakeDocker } from './fake-docker.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fake = await installFakeDocker();
afterAll(() => fake.remove());

// The engine's own environment carries NODE_EXTRA_CA_CERTS and a secret; neither may reach a container.
const environment = fake.environment({ NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem', ENGINE_SECRET: 's3cr3t' });

executorContract(
  'docker (fake docker on PATH)',
  () => new DockerExecutor({ killGraceMs: 2000, environment }),
);

async function waitForFile(file: string): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const text = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (text !== '') return text;
    await delay(20);
  }
  throw new Error(`${file} did not appear`);
}

function failureOf(result: ExecutionResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.outputs)}`);
  return result.failure;
}

describe('DockerExecutor', { timeout: 60_000 }, () => {
  let root: string;
  const executor = new DockerExecutor({ killGraceMs: 2000, environment });
  const container = 'sluice-attempt-1';
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sluice-docker-'));
    await writeFile(path.join(fake.state, 'calls.jsonl'), '');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('runs the image with the attempt’s mounts, user, labels and env, in the work dir', async () => {
    const input = path.join(root, 'elsewhere/data.csv');
    await mkdir(path.dirname(input));
    await writeFile(input, 'a,b\n');
    const request = makeRequest(root, {
      image: 'python:3.12',
      command: ['sh', '-c', 'pwd; cat "$0"; echo "$GREETING"', "{{$.inputs.artifacts['data'].path}}"],
      env: [{ name: 'GREETING', value: 'hi' }],
    });
    request.executorInput.inputs.artifacts.data = { artifacts: [runtimeArtifact('data', input)] };
    const result = await executor.start(request).done;
    expect(result.ok).toBe(true);
    expect(await readFile(request.logPath, 'utf8')).toBe(`${request.workDir}\na,b\nhi\n`);
    const [run] = await fake.calls();
    expect(run).toEqual(
      expect.arrayContaining([
        'run',
        '--rm',
        `--name=${container}`,
        '--label=sluice.run=run-1',
        `--mount=type=bind,source=${root},target=${root}`,
        `--workdir=${request.workDir}`,
        `--user=${process.getuid!()}:${process.getgid!()}`,
        '--env=GREETING=hi',
        '--entrypoint=sh',
        'python:3.12',
      ]),
    );
    expect(run!.some((arg) => arg.includes('ENGINE_SECRET') || arg.startsWith('--env=PATH='))).toBe(false);
  });

  it('on cancel, stops the container by name (killing the client alone would leave it running)', async () => {
    const pidFile = path.join(root, 'child.pid');
    const execution = executor.start(
      makeRequest(root, { command: ['sh', '-c', 'sleep 30 & echo $! > "$0"; sleep 30', pidFile] }),
    );
    const child = Number(await waitForFile(pidFile));
    execution.cancel();
    expect(failureOf(await execution.done).kind).toBe('canceled');
    expect(processGone(child)).toBe(true);
    const calls = (await fake.calls()).map((call) => call.join(' '));
    expect(calls).toContain(`stop -t 2 ${container}`);
    expect(calls).toContain(`rm --force ${container}`);
  });

  it('removes the container when its client is killed by something else', async () => {
    const pidFile = path.join(root, 'child.pid');
    const execution = executor.start(
      makeRequest(root, { command: ['sh', '-c', 'sleep 30 & echo $! > "$0"; sleep 30', pidFile] }),
    );
    const child = Number(await waitForFile(pidFile));
    process.kill(execution.pid!, 'SIGKILL');
    const failure = failureOf(await execution.done);
    expect(failure).toMatchObject({ kind: 'user' });
    expect(failure.message).toContain('was killed by SIGKILL');
    expect((await fake.calls()).map((call) => call.join(' '))).toContain(`rm --force ${container}`);
    for (let i = 0; i < 100 && !processGone(child); i++) await delay(20);
    expect(processGone(child)).toBe(true);
  });

  it('stops the container an earlier engine left running, found from its client’s pid', async () => {
    const pidFile = path.join(root, 'child.pid');
    const request = makeRequest(root, {
      command: ['sh', '-c', 'sleep 30 & echo $! > "$0"; sleep 30', pidFile],
    });
    const execution = executor.start(request);
    const child = Number(await waitForFile(pidFile));
    const restarted = new DockerExecutor({ killGraceMs: 2000, environment });
    expect(restarted.isAlive(execution.pid!)).toBe(true);
    // Not this attempt's mark: someone else's process, left alone.
    await restarted.killOrphan(execution.pid!, 'another-attempt');
    expect(restarted.isAlive(execution.pid!)).toBe(true);
    await restarted.killOrphan(execution.pid!, request.attemptId);
    expect(processGone(child)).toBe(true);
    expect(restarted.isAlive(execution.pid!)).toBe(false);
    expect((await fake.calls()).map((call) => call.join(' '))).toContain(`rm --force ${container}`);
    await execution.done;
    await restarted.killOrphan(execution.pid!, request.attemptId); // nothing left: no error
  });

  it("reports docker's own failure (exit 125 with a docker: line) as a system failure quoting it", async () => {
    const failure = failureOf(await executor.start(makeRequest(root, { image: 'fake/pull-denied' })).done);
    expect(failure).toMatchObject({ kind: 'system', retryable: false });
    expect(failure.message).toContain("docker could not run a container of image 'fake/pull-denied'");
    expect(failure.message).toContain('pull access denied');
  });

  it('keeps a program exiting 127 by itself a user failure', async () => {
    const result = await executor.start(makeRequest(root, { command: ['sh', '-c', 'exit 127'] })).done;
    expect(failureOf(result)).toMatchObject({ kind: 'user', exitCode: 127 });
  });

  it('runs the image’s entrypoint with args when the component has no command', async () => {
    const result = await executor.start(makeRequest(root, { args: ['echo', 'from args'] })).done;
    expect(result.ok).toBe(true);
    const [run] = await fake.calls();
    expect(run!.some((arg) => arg.startsWith('--entrypoint'))).toBe(false);
    expect(run!.slice(-3)).toEqual(['busybox:1', 'echo', 'from args']);
  });

  it('refuses a task without an image, before starting docker', async () => {
    const failure = failureOf(await executor.start(makeRequest(root, { image: '', command: ['true'] })).done);
    expect(failure).toMatchObject({ kind: 'system', retryable: false });
    expect(failure.message).toContain('task train has no image');
    expect(await fake.calls()).toEqual([]);
  });

  it('says that no Docker engine answers when the docker command is missing', async () => {
    const missing = new DockerExecutor({ docker: 'sluice-no-docker-xyz', environment });
    const failure = failureOf(await missing.start(makeRequest(root, { command: ['true'] })).done);
    expect(failure).toMatchObject({ kind: 'system', retryable: false });
    expect(failure.message).toBe(
      "no Docker engine answers (the 'sluice-no-docker-xyz' command is not installed or not on PATH); start Docker, or run without --executor docker to run commands on this machine",
    );
  });

  it('runs a TypeScript function component on this machine, saying so in its log', async () => {
    const request = makeRequest(
      root,
      {
        image: 'node:20-slim',
        command: ['sluice', 'execute-function'],
        args: functionComponentArgs({
          module: 'test/fixtures/runtime/steps.ts',
          exportName: 'fail',
          codeDigest: '',
        }),
      },
      { projectRoot: repoRoot },
    );
    request.executorInput.inputs.parameterValues = { reason: 'no data' };
    const failure = failureOf(await executor.start(request).done);
    expect(failure).toMatchObject({ kind: 'user', exitCode: 1 });
    const log = await readFile(request.logPath, 'utf8');
    expect(log.split('\n')[0]).toBe(
      'sluice: train is a TypeScript function component: it runs on this machine with Node, not in image node:20-slim',
    );
    expect(log).toContain('Error: boom: no data');
    expect(await fake.calls()).toEqual([]);
  });
});
