import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/executors/index.ts';
import { functionComponentArgs } from '../../src/ir/index.ts';
import { executorContract, makeRequest, processGone } from '../contracts/executor.contract.ts';
import { runtimeArtifact } from '../runtime/executor-inputs.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The engine's own environment carries NODE_EXTRA_CA_CERTS and a secret; neither may reach a step.
const engineEnvironment = {
  ...process.env,
  NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem',
  ENGINE_SECRET: 's3cr3t',
};
for (const spawner of ['python', 'node', 'off'] as const) {
  executorContract(
    `local (spawner ${spawner})`,
    () => new LocalExecutor({ killGraceMs: 2000, environment: engineEnvironment, spawner }),
  );
}

describe('LocalExecutor', { timeout: 120_000 }, () => {
  let root: string;
  const executor = new LocalExecutor({ killGraceMs: 2000, environment: engineEnvironment });
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sluice-local-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('runs in the work dir, with a clean environment', async () => {
    const request = makeRequest(root, { command: ['sh', '-c', 'pwd; env'] });
    request.executorInput.inputs.parameterValues.n = 1;
    const result = await executor.start(request).done;
    expect(result.ok).toBe(true);
    const lines = (await readFile(request.logPath, 'utf8')).split('\n');
    expect(lines[0]).toBe(request.workDir);
    expect(lines.some((line) => line.startsWith('ENGINE_SECRET='))).toBe(false);
    expect(lines.some((line) => line.startsWith('HOME='))).toBe(process.env.HOME !== undefined);
    expect(existsSync(path.join(request.workDir, 'executor_input.json'))).toBe(false);
  });

  it('leaves executor_input.json in the work dir of a failed attempt, for debugging', async () => {
    const request = makeRequest(root, { command: ['sh', '-c', 'exit 3'] });
    request.executorInput.inputs.parameterValues.n = 1;
    const result = await executor.start(request).done;
    expect(result.ok).toBe(false);
    const written = JSON.parse(await readFile(path.join(request.workDir, 'executor_input.json'), 'utf8'));
    expect(written).toEqual(request.executorInput);
  });

  it('kills what the program left running when it exits, as a container stop would', async () => {
    const pidFile = path.join(root, 'daemon.pid');
    const result = await executor.start(
      makeRequest(root, { command: ['sh', '-c', 'sleep 30 & echo $! > "$0"', pidFile] }),
    ).done;
    expect(result.ok).toBe(true);
    const daemon = Number(await readFile(pidFile, 'utf8'));
    for (let i = 0; i < 50 && !processGone(daemon); i++) await new Promise((r) => setTimeout(r, 20));
    expect(processGone(daemon)).toBe(true);
  });

  it('appends to an existing log (a retry keeps the earlier attempt above)', async () => {
    const request = makeRequest(root, { command: ['echo', 'second'] });
    await mkdir(path.dirname(request.logPath), { recursive: true });
    await writeFile(request.logPath, 'first\n');
    await executor.start(request).done;
    expect(await readFile(request.logPath, 'utf8')).toBe('first\nsecond\n');
  });

  it('kills the process group an earlier engine left behind', async () => {
    const pidFile = path.join(root, 'orphan-child.pid');
    const request = makeRequest(root, {
      command: ['sh', '-c', 'sleep 30 & echo $! > "$0"; sleep 30', pidFile],
    });
    const orphan = executor.start(request);
    const grandchild = Number(await waitForPidFile(pidFile));
    // Another engine, started after this one crashed, finds the attempt's pid in the store.
    const restarted = new LocalExecutor({ killGraceMs: 2000, environment: engineEnvironment });
    expect(restarted.isAlive(orphan.pid!)).toBe(true);
    await restarted.killOrphan(orphan.pid!, request.attemptId);
    expect(processGone(grandchild)).toBe(true);
    expect(restarted.isAlive(orphan.pid!)).toBe(false);
    await orphan.done;
    await restarted.killOrphan(orphan.pid!, request.attemptId); // nothing left: no error
  });

  it.runIf(process.platform === 'linux')(
    'leaves alone a process group that only has the pid: without the attempt’s mark, or with another’s',
    async () => {
      const strangers = [
        spawn('sh', ['-c', 'sleep 30'], { detached: true, stdio: 'ignore' }),
        spawn('sh', ['-c', 'sleep 30'], {
          detached: true,
          stdio: 'ignore',
          env: { ...process.env, SLUICE_ATTEMPT_ID: 'attempt-of-another-run' },
        }),
      ];
      const spawned = strangers.map((stranger) => new Promise((resolve) => stranger.once('spawn', resolve)));
      try {
        await Promise.all(spawned);
        for (const stranger of strangers) {
          await executor.killOrphan(stranger.pid!, 'attempt-recorded-in-the-store');
          expect(executor.isAlive(stranger.pid!)).toBe(true);
        }
      } finally {
        for (const stranger of strangers) process.kill(-stranger.pid!, 'SIGKILL');
      }
    },
  );

  it('runs a TypeScript function component with this repository’s launcher', async () => {
    const request = makeRequest(
      root,
      {
        image: 'node:20-slim',
        command: ['sluice', 'execute-function'],
        args: functionComponentArgs({
          module: 'test/fixtures/runtime/steps.ts',
          exportName: 'train',
          codeDigest: '',
        }),
      },
      { projectRoot: repoRoot },
    );
    await mkdir(path.join(root, 'in'));
    await writeFile(path.join(root, 'in/data'), 'rows');
    await writeFile(path.join(root, 'in/shard'), 's');
    const input = request.executorInput;
    input.inputs.parameterValues = { epochs: 2, lr: 0.1, name: 'n', verbose: true, tags: [], config: {} };
    input.inputs.artifacts = {
      data: { artifacts: [runtimeArtifact('1', path.join(root, 'in/data'), 'system.Dataset', { rows: 1 })] },
      shards: { artifacts: [runtimeArtifact('2', path.join(root, 'in/shard'), 'system.Dataset')] },
    };
    const types = {
      accuracy: 'NUMBER_DOUBLE',
      steps: 'NUMBER_INTEGER',
      label: 'STRING',
      converged: 'BOOLEAN',
      history: 'LIST',
      summary: 'STRUCT',
    };
    for (const name of Object.keys(types)) {
      input.outputs.parameters[name] = { outputFile: path.join(request.workDir, 'outputs', name) };
    }
    request.outputParameterTypes = types;
    for (const [name, title] of [
      ['model', 'system.Model'],
      ['metrics', 'system.Metrics'],
      ['evaluation', 'system.ClassificationMetrics'],
    ] as const) {
      input.outputs.artifacts[name] = {
        artifacts: [runtimeArtifact(name, path.join(root, 'staging', name), title)],
      };
    }
    const result = await executor.start(request).done;
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.outputs.parameters).toEqual({
      accuracy: 0.9,
      steps: 20,
      label: 'n 1 rows',
      converged: false,
      history: [0.1, 0.05],
      summary: { tags: [], config: {} },
    });
    expect(result.outputs.artifacts.metrics).toEqual({ metadata: { accuracy: 0.9, loss: 0.25 } });
    expect(await readFile(path.join(root, 'staging/model'), 'utf8')).toBe('model(rows|s)');
  });

  it('reports a function that throws as a user failure, with its stack in the log', async () => {
    const request = makeRequest(
      root,
      {
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
    const result = await executor.start(request).done;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure).toMatchObject({ kind: 'user', exitCode: 1 });
    expect(await readFile(request.logPath, 'utf8')).toContain('Error: boom: no data');
  });
});

async function waitForPidFile(file: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const text = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (text !== '') return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${file} was never written`);
}
