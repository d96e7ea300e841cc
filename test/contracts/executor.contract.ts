/**
 * What every Executor must do (src/executors/executor.ts), written once and run against each backend:
 * `executorContract('local', () => new LocalExecutor())`. Programs are tiny POSIX commands (sh, printf,
 * env, sleep) so that a backend running them in a container needs only a small image.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionRequest, ExecutionResult, Executor } from '../../src/executors/index.ts';
import type { ContainerSpec } from '../../src/ir/index.ts';
import { emptyExecutorInput, runtimeArtifact } from '../runtime/executor-inputs.ts';

/** A request in a fresh directory: work dir, log and output locations that do not exist yet. */
export function makeRequest(
  root: string,
  container: ContainerSpec,
  overrides: Partial<ExecutionRequest> = {},
) {
  const request: ExecutionRequest = {
    runId: 'run-1',
    taskPath: 'train',
    attemptId: 'attempt-1',
    container: { image: 'busybox:1', ...container },
    executorInput: emptyExecutorInput(path.join(root, 'work/outputs/executor_output.json')),
    outputParameterTypes: {},
    runValues: { pipeline_job_name: 'job', pipeline_task_name: 'train' },
    env: {},
    workDir: path.join(root, 'work'),
    projectRoot: root,
    logPath: path.join(root, 'logs/train/attempt-1.log'),
    ...overrides,
  };
  return request;
}

/** Whether a process is gone; a zombie (exited, not yet reaped) counts as gone. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

async function waitForFile(file: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = (await readFile(file, 'utf8')).trim();
      if (text !== '') return text;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await delay(20);
  }
}

function failureOf(result: ExecutionResult) {
  if (result.ok) throw new Error(`expected a failure, got success ${JSON.stringify(result.outputs)}`);
  return result.failure;
}

export function executorContract(name: string, make: () => Executor): void {
  describe(`Executor contract: ${name}`, { timeout: 60_000 }, () => {
    let root: string;
    let executor: Executor;
    beforeEach(async () => {
      root = await mkdtemp(path.join(tmpdir(), `sluice-executor-${name}-`));
      executor = make();
    });
    afterEach(() => rm(root, { recursive: true, force: true }));

    const run = (container: ContainerSpec, overrides: Partial<ExecutionRequest> = {}) =>
      executor.start(makeRequest(root, container, overrides)).done;
    const log = (overrides: Partial<ExecutionRequest> = {}) =>
      readFile(makeRequest(root, {}, overrides).logPath, 'utf8');

    it('succeeds with output parameters of every type, read from their files', async () => {
      const request = makeRequest(root, {
        command: ['sh', '-c'],
        args: [
          [
            'printf "%s" "hello world" > "$0"',
            'printf "5" > "$1"',
            'echo 0.25 > "$2"',
            'printf True > "$3"',
            'printf \'[1,"a"]\' > "$4"',
            'printf \'{"k": {"n": 1}}\' > "$5"',
            'printf model > "$6"',
          ].join(' && '),
          ...['s', 'i', 'd', 'b', 'l', 'm'].map((p) => `{{$.outputs.parameters['${p}'].output_file}}`),
          "{{$.outputs.artifacts['model'].path}}",
        ],
      });
      const types = {
        s: 'STRING',
        i: 'NUMBER_INTEGER',
        d: 'NUMBER_DOUBLE',
        b: 'BOOLEAN',
        l: 'LIST',
        m: 'STRUCT',
      };
      for (const p of Object.keys(types)) {
        request.executorInput.outputs.parameters[p] = { outputFile: path.join(root, 'work/outputs', p) };
      }
      const modelPath = path.join(root, 'staging/attempt-1/model');
      request.executorInput.outputs.artifacts.model = {
        artifacts: [runtimeArtifact('model', modelPath, 'system.Model', { declared: 1 })],
      };
      request.outputParameterTypes = types;
      const result = await executor.start(request).done;
      expect(result).toEqual({
        ok: true,
        exitCode: 0,
        outputs: {
          parameters: { s: 'hello world', i: 5, d: 0.25, b: true, l: [1, 'a'], m: { k: { n: 1 } } },
          artifacts: { model: { metadata: { declared: 1 } } },
        },
      });
      expect(await readFile(modelPath, 'utf8')).toBe('model');
    });

    it('reports a missing declared output as a user failure naming it', async () => {
      const request = makeRequest(root, { command: ['true'] });
      request.executorInput.outputs.parameters.accuracy = {
        outputFile: path.join(root, 'work/outputs/accuracy'),
      };
      request.outputParameterTypes = { accuracy: 'NUMBER_DOUBLE' };
      const failure = failureOf(await executor.start(request).done);
      expect(failure.kind).toBe('user');
      expect(failure.message).toContain("output parameter 'accuracy' was not written");
    });

    it('reports a non-zero exit as a user failure with the exit code and the log tail', async () => {
      const result = await run({
        command: ['sh', '-c', 'for i in 1 2 3 4 5 6 7; do echo "line $i"; done; exit 3'],
      });
      expect(result.ok).toBe(false);
      expect(result.exitCode).toBe(3);
      const failure = failureOf(result);
      expect(failure).toMatchObject({ kind: 'user', exitCode: 3 });
      expect(failure.message).toContain('exited with code 3');
      expect(failure.message).toContain('line 3');
      expect(failure.message).toContain('line 7');
      expect(failure.message).not.toContain('line 2');
    });

    it('reports a command that does not exist as a system failure naming it', async () => {
      const failure = failureOf(await run({ command: ['sluice-no-such-command-xyz', '--flag'] }));
      expect(failure.kind).toBe('system');
      expect(failure.retryable).toBe(false);
      expect(failure.message).toContain("'sluice-no-such-command-xyz'");
      expect(failure.message).toContain('not found');
    });

    it('refuses to start when a placeholder does not resolve, naming it', async () => {
      const failure = failureOf(await run({ command: ['echo', "{{$.inputs.parameters['missing']}}"] }));
      expect(failure.kind).toBe('system');
      expect(failure.message).toContain("{{$.inputs.parameters['missing']}}");
    });

    it('passes argv verbatim: no shell sees spaces, quotes or $(…)', async () => {
      const tricky = [
        'with space',
        `it's "quoted"`,
        '$(touch pwned)',
        '`touch pwned`',
        '; touch pwned',
        '*',
        '$HOME',
        '',
        'new\nline',
        'back\\slash',
        '--flag=a b',
      ];
      const request = makeRequest(root, {
        command: ['printf', '%s\\0'],
        args: [...tricky, "{{$.inputs.parameters['value']}}"],
      });
      request.executorInput.inputs.parameterValues.value = '$(touch pwned) && "x"';
      const result = await executor.start(request).done;
      expect(result.ok).toBe(true);
      const printed = (await readFile(request.logPath, 'utf8')).split('\0').slice(0, -1);
      expect(printed).toEqual([...tricky, '$(touch pwned) && "x"']);
      await expect(readFile(path.join(request.workDir, 'pwned'))).rejects.toThrow('ENOENT');
    });

    it('writes stdout and stderr to one log, interleaved as written', async () => {
      const result = await run({
        command: ['sh', '-c', 'echo out1; echo err1 >&2; echo out2; echo err2 >&2'],
      });
      expect(result.ok).toBe(true);
      expect(await log()).toBe('out1\nerr1\nout2\nerr2\n');
    });

    it("gives the program the container's env (with $(VAR) expansion) and the request's, not NODE_EXTRA_CA_CERTS", async () => {
      const result = await run(
        {
          command: ['env'],
          env: [
            { name: 'GREETING', value: 'hello world' },
            { name: 'DERIVED', value: '$(GREETING)!' },
            { name: 'ESCAPED', value: '$$(GREETING)' },
          ],
        },
        { env: { SLUICE_TASK: 'train' } },
      );
      expect(result.ok).toBe(true);
      const env = (await log()).split('\n');
      expect(env).toEqual(
        expect.arrayContaining([
          'GREETING=hello world',
          'DERIVED=hello world!',
          'ESCAPED=$(GREETING)',
          'SLUICE_TASK=train',
        ]),
      );
      expect(env.some((line) => line.startsWith('PATH='))).toBe(true);
      expect(env.some((line) => line.startsWith('NODE_EXTRA_CA_CERTS='))).toBe(false);
    });

    it('on timeout, stops the whole process tree and reports a timeout', async () => {
      const pidFile = path.join(root, 'grandchild.pid');
      const started = Date.now();
      const execution = executor.start(
        makeRequest(
          root,
          { command: ['sh', '-c', 'sleep 30 & echo $! > "$0"; sleep 30', pidFile] },
          { timeoutSeconds: 1 },
        ),
      );
      const grandchild = Number(await waitForFile(pidFile));
      const failure = failureOf(await execution.done);
      expect(failure.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(processGone(grandchild)).toBe(true);
      expect(processGone(execution.pid!)).toBe(true);
    });

    it('on cancel, stops the whole process tree and reports canceled', async () => {
      const pidFile = path.join(root, 'grandchild.pid');
      const execution = executor.start(
        makeRequest(root, { command: ['sh', '-c', 'sleep 30 & echo $! > "$0"; sleep 30', pidFile] }),
      );
      const grandchild = Number(await waitForFile(pidFile));
      expect(execution.pid).toBeTypeOf('number');
      expect(executor.isAlive(execution.pid!)).toBe(true);
      execution.cancel();
      const failure = failureOf(await execution.done);
      expect(failure).toMatchObject({ kind: 'canceled', retryable: false });
      expect(processGone(grandchild)).toBe(true);
      expect(executor.isAlive(execution.pid!)).toBe(false);
    });

    it('reports canceled when canceled before the process started', async () => {
      const execution = executor.start(makeRequest(root, { command: ['sleep', '30'] }));
      execution.cancel();
      expect(failureOf(await execution.done).kind).toBe('canceled');
    });
  });
}
