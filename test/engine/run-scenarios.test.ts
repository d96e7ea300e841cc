import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Collected,
  component,
  Dataset,
  ExitHandler,
  If,
  importer,
  OneOf,
  ParallelFor,
  Param,
  pipeline,
} from '../../src/index.ts';
import { openScenario, type Scenario, states } from './scenario.ts';

const sh = (script: string) => ['sh', '-c', script];

const echoNumber = component({
  name: 'echo-number',
  image: 'alpine',
  inputs: { n: Param.int() },
  outputs: { value: Param.int() },
  command: ({ inputs, outputs }) => [
    ...sh('mkdir -p "$(dirname "$1")" && echo "$0" > "$1"'),
    inputs.n,
    outputs.value,
  ],
});
const addOne = component({
  name: 'add-one',
  image: 'alpine',
  inputs: { n: Param.int() },
  outputs: { value: Param.int() },
  command: ({ inputs, outputs }) => [...sh('echo $(( $0 + 1 )) > "$1"'), inputs.n, outputs.value],
});
const sumList = component({
  name: 'sum-list',
  image: 'python:3.12',
  inputs: { values: Param.list() },
  outputs: { total: Param.int() },
  command: ({ inputs, outputs }) => [
    'python3',
    '-c',
    'import json,sys; open(sys.argv[2],"w").write(str(sum(json.loads(sys.argv[1]))))',
    inputs.values,
    outputs.total,
  ],
});
const fail = component({
  name: 'fail',
  image: 'alpine',
  inputs: { message: Param.string({ default: 'boom' }) },
  command: ({ inputs }) => sh(`echo "$0" >&2; exit 3`).concat(inputs.message),
});
const writeText = component({
  name: 'write-text',
  image: 'alpine',
  inputs: { text: Param.string() },
  outputs: { data: Dataset },
  command: ({ inputs, outputs }) => [...sh('printf %s "$0" > "$1"'), inputs.text, outputs.data.path],
});
const readText = component({
  name: 'read-text',
  image: 'alpine',
  inputs: { data: Dataset },
  outputs: { text: Param.string() },
  command: ({ inputs, outputs }) => [...sh('cat "$0" > "$1"'), inputs.data.path, outputs.text],
});
const recordStatus = component({
  name: 'record-status',
  image: 'alpine',
  inputs: { status: Param.taskFinalStatus(), file: Param.string() },
  command: ({ inputs }) => [...sh('printf %s "$0" > "$1"'), inputs.status, inputs.file],
});

let scenario: Scenario;
beforeAll(async () => {
  scenario = await openScenario();
});
afterAll(async () => {
  await scenario.close();
});

describe('running pipelines on the local engine', () => {
  it('passes parameters and artifacts between tasks and succeeds', async () => {
    const summary = await scenario.run(
      pipeline({ name: 'pass-values' }, () => {
        const three = echoNumber({ n: 3 });
        addOne({ n: three.outputs.value });
        const written = writeText({ text: 'hello world' });
        readText({ data: written.outputs.data });
      }),
    );
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await scenario.store.getTasks(summary.runId);
    const output = (path: string) =>
      (tasks.find((task) => task.path === path)!.outputs as { parameters: Record<string, unknown> })
        .parameters;
    expect(output('add-one')).toEqual({ value: 4 });
    expect(output('read-text')).toEqual({ text: 'hello world' });
    const artifacts = await scenario.store.getArtifacts(summary.runId);
    expect(artifacts.map((artifact) => artifact.name)).toEqual(['data']);
    expect(artifacts[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('skips the dependents of a failed task, runs independent branches, and fails the run', async () => {
    const summary = await scenario.run(
      pipeline({ name: 'upstream-failure' }, () => {
        const broken = fail();
        addOne({ n: 1 }).after(broken);
        echoNumber({ n: 7 });
      }),
    );
    expect(summary.state).toBe('FAILED');
    expect(states(summary)).toEqual({ fail: 'FAILED', 'add-one': 'SKIPPED', 'echo-number': 'SUCCEEDED' });
    const attempts = await scenario.store.getAttempts(summary.runId);
    const failed = attempts.find((attempt) => attempt.exitCode === 3)!;
    expect(failed.error?.kind).toBe('user');
    expect(failed.error?.message).toContain('boom');
  });

  it('retries a failing task with backoff until it succeeds', async () => {
    const counter = join(scenario.home, 'flaky-counter');
    const flaky = component({
      name: 'flaky',
      image: 'alpine',
      inputs: { counter: Param.string() },
      command: ({ inputs }) => [
        ...sh('n=$(cat "$0" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$0"; [ $n -ge 3 ]'),
        inputs.counter,
      ],
    });
    const summary = await scenario.run(
      pipeline({ name: 'retries' }, () => {
        flaky({ counter }).setRetry(3, { backoffDuration: '0.05s', backoffFactor: 2 });
      }),
    );
    expect(summary.state).toBe('SUCCEEDED');
    expect(summary.tasks).toEqual([{ name: 'flaky', state: 'SUCCEEDED', attempts: 3, cached: false }]);
    expect(readFileSync(counter, 'utf8').trim()).toBe('3');
  });

  it('fails a task whose retries are exhausted', async () => {
    const summary = await scenario.run(
      pipeline({ name: 'retries-exhausted' }, () => {
        fail().setRetry(1);
      }),
    );
    expect(summary.tasks).toEqual([{ name: 'fail', state: 'FAILED', attempts: 2, cached: false }]);
  });

  it('kills a task that runs past its timeout, with its child processes', async () => {
    const marker = join(scenario.home, 'timeout-grandchild');
    const slow = component({
      name: 'slow',
      image: 'alpine',
      inputs: { marker: Param.string() },
      command: ({ inputs }) => [...sh('(sleep 3; touch "$0") & sleep 30'), inputs.marker],
    });
    const started = Date.now();
    const summary = await scenario.run(
      pipeline({ name: 'timeouts' }, () => {
        slow({ marker }).setTimeout(1);
      }),
    );
    expect(summary.state).toBe('FAILED');
    expect(Date.now() - started).toBeLessThan(20_000);
    const [attempt] = await scenario.store.getAttempts(summary.runId);
    expect(attempt!.error?.kind).toBe('timeout');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(existsSync(marker)).toBe(false);
  });

  it('evaluates conditions with CEL, and uses the output of the branch that ran', async () => {
    const pick = component({
      name: 'pick',
      image: 'alpine',
      inputs: { text: Param.string() },
      outputs: { Output: Param.string() },
      command: ({ inputs, outputs }) => [...sh('printf %s "$0" > "$1"'), inputs.text, outputs.Output],
    });
    const summary = await scenario.run(
      pipeline({ name: 'branches' }, () => {
        const number = echoNumber({ n: 7 });
        let high = pick({ text: 'unused' });
        let low = pick({ text: 'unused' });
        If(number.outputs.value.gt(5), () => {
          high = pick({ text: 'high' });
        }).Else(() => {
          low = pick({ text: 'low' });
        });
        const chosen = OneOf(high.output, low.output);
        pick({ text: chosen });
      }),
    );
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await scenario.store.getTasks(summary.runId);
    const byPath = Object.fromEntries(tasks.map((task) => [task.path, task]));
    expect(byPath['condition-branches-1/condition-2']?.state).toBe('SUCCEEDED');
    expect(byPath['condition-branches-1/condition-3']?.state).toBe('SKIPPED');
    expect((byPath['pick-5']!.inputs as { parameters: Record<string, unknown> }).parameters.text).toBe(
      'high',
    );
  });

  it('fans out over literal items and task outputs, in parallel, and collects the results', async () => {
    const emitList = component({
      name: 'emit-list',
      image: 'alpine',
      outputs: { items: Param.list({ items: 'int' }) },
      command: ({ outputs }) => [...sh('echo "[10, 20, 30]" > "$0"'), outputs.items],
    });
    const summary = await scenario.run(
      pipeline({ name: 'fan-out' }, () => {
        const fromLiteral = ParallelFor([1, 2, 3], (n) => addOne({ n }), { parallelism: 2 });
        sumList({ values: Collected(fromLiteral.outputs.value) });
        const list = emitList();
        const fromOutput = ParallelFor(list.outputs.items, (n) => addOne({ n }));
        sumList({ values: Collected(fromOutput.outputs.value) });
      }),
    );
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await scenario.store.getTasks(summary.runId);
    const totals = tasks
      .filter((task) => task.componentName.startsWith('comp-sum-list'))
      .map((task) => (task.outputs as { parameters: { total: number } }).parameters.total)
      .sort((a, b) => a - b);
    expect(totals).toEqual([9, 63]);
    expect(summary.tasks.filter((task) => /for-loop-\d+\[\d\]\/add-one/.test(task.name))).toHaveLength(6);
  });

  it('never runs more loop iterations at once than the loop parallelism', async () => {
    const log = join(scenario.home, 'concurrency.log');
    const busy = component({
      name: 'busy',
      image: 'alpine',
      inputs: { log: Param.string(), n: Param.int() },
      command: ({ inputs }) => [
        ...sh('echo "start $(date +%s%N)" >> "$0"; sleep 0.3; echo "end $(date +%s%N)" >> "$0"'),
        inputs.log,
        inputs.n,
      ],
    });
    const summary = await scenario.run(
      pipeline({ name: 'bounded-loop' }, () => {
        ParallelFor([1, 2, 3, 4, 5, 6], (n) => busy({ log, n }), { parallelism: 2 });
      }),
      { parallelism: 6 },
    );
    expect(summary.state).toBe('SUCCEEDED');
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([kind, time]) => ({ kind, time: BigInt(time!) }))
      .sort((a, b) => (a.time < b.time ? -1 : 1));
    let running = 0;
    let most = 0;
    for (const event of events) {
      running += event.kind === 'start' ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });

  it('runs the exit handler after a failure, with the final status of the group', async () => {
    const statusFile = join(scenario.home, 'exit-status.json');
    const summary = await scenario.run(
      pipeline({ name: 'exit-handler' }, () => {
        const notify = recordStatus({ file: statusFile });
        ExitHandler(notify, () => {
          fail({ message: 'the body failed' });
        });
      }),
    );
    expect(summary.state).toBe('FAILED');
    expect(states(summary)).toMatchObject({
      'exit-handler-1': 'FAILED',
      'exit-handler-1/fail': 'FAILED',
      'record-status': 'SUCCEEDED',
    });
    const status = JSON.parse(readFileSync(statusFile, 'utf8'));
    expect(status).toMatchObject({
      state: 'FAILED',
      pipelineTaskName: 'exit-handler-1',
      pipelineJobResourceName: `exit-handler-${summary.runId.slice(0, 8)}`,
    });
  });

  it('fails a task whose condition cannot be evaluated instead of silently skipping it', async () => {
    const document = (await import('../../src/compiler/index.ts')).compilePipeline(
      pipeline({ name: 'bad-condition' }, () => {
        const number = echoNumber({ n: 1 });
        If(number.outputs.value.eq(1), () => {
          addOne({ n: 1 });
        });
      }),
    );
    const spec = (await document).pipelineSpec;
    // Valid CEL that fails at run time: a number plus a string has no overload.
    spec.root!.dag!.tasks!['condition-1']!.triggerPolicy!.condition =
      "inputs.parameter_values['pipelinechannel--echo-number-value'] + 'x' == 'a'";
    const summary = await scenario.run(await document);
    expect(summary.state).toBe('FAILED');
    const tasks = await scenario.store.getTasks(summary.runId);
    const condition = tasks.find((task) => task.path === 'condition-1')!;
    expect(condition.state).toBe('FAILED');
    expect(condition.error?.message).toContain('condition cannot be evaluated');
    expect(states(summary)).not.toHaveProperty('condition-1/add-one');
  });

  it('imports an existing file as an artifact and reads it', async () => {
    const file = join(scenario.home, 'imported.txt');
    writeFileSync(file, 'imported content');
    const summary = await scenario.run(
      pipeline({ name: 'importer' }, () => {
        const imported = importer({ artifactUri: `file://${file}`, artifactClass: Dataset });
        readText({ data: imported.output });
      }),
    );
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await scenario.store.getTasks(summary.runId);
    expect(
      (tasks.find((task) => task.path === 'read-text')!.outputs as { parameters: unknown }).parameters,
    ).toEqual({ text: 'imported content' });
  });

  it('runs a nested pipeline and uses its outputs', async () => {
    const inner = pipeline({ name: 'inner', inputs: { n: Param.int() } }, ({ n }) => addOne({ n }).output);
    const summary = await scenario.run(
      pipeline({ name: 'outer' }, () => {
        const first = inner({ n: 1 });
        addOne({ n: first.outputs.Output });
      }),
    );
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await scenario.store.getTasks(summary.runId);
    expect(
      (tasks.find((task) => task.path === 'add-one')!.outputs as { parameters: unknown }).parameters,
    ).toEqual({ value: 3 });
  });

  it('cancels a running run: processes stop and the run ends CANCELED', async () => {
    const slow = component({ name: 'slow', image: 'alpine', command: sh('sleep 30') });
    const started = Date.now();
    const summary = await scenario.run(
      pipeline({ name: 'cancel-me' }, () => {
        const first = slow();
        slow().after(first);
      }),
      { cancelAfterMs: 500 },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(summary.state).toBe('CANCELED');
    expect(states(summary)).toEqual({ slow: 'CANCELED', 'slow-2': 'CANCELED' });
  });
});

describe('caching', () => {
  const double = component({
    name: 'double',
    image: 'alpine',
    inputs: { n: Param.int() },
    outputs: { value: Param.int(), data: Dataset },
    command: ({ inputs, outputs }) => [
      ...sh('echo $(( $0 * 2 )) > "$1"; echo "$0" > "$2"'),
      inputs.n,
      outputs.value,
      outputs.data.path,
    ],
  });
  const cachedPipeline = pipeline({ name: 'cached', inputs: { n: Param.int({ default: 2 }) } }, ({ n }) => {
    const doubled = double({ n });
    readText({ data: doubled.outputs.data });
  });

  it('reuses the results of an identical earlier task, and says why a changed one missed', async () => {
    const first = await scenario.run(cachedPipeline);
    expect(first.tasks.map((task) => task.cached)).toEqual([false, false]);
    const second = await scenario.run(cachedPipeline);
    expect(second.state).toBe('SUCCEEDED');
    expect(states(second)).toEqual({ double: 'CACHED', 'read-text': 'CACHED' });
    const secondTasks = await scenario.store.getTasks(second.runId);
    const firstTasks = await scenario.store.getTasks(first.runId);
    const reused = secondTasks.find((task) => task.path === 'double')!;
    expect(reused.cachedFromTaskId).toBe(firstTasks.find((task) => task.path === 'double')!.id);
    expect((reused.outputs as { parameters: unknown }).parameters).toEqual({ value: 4 });

    const third = await scenario.run(cachedPipeline, { parameters: { n: 5 } });
    expect(states(third)).toEqual({ double: 'SUCCEEDED', 'read-text': 'SUCCEEDED' });
    const thirdTasks = await scenario.store.getTasks(third.runId);
    expect(thirdTasks.find((task) => task.path === 'double')!.cacheMissReason).toEqual({
      changed: ['parameter:n'],
      added: [],
      removed: [],
    });
    expect(thirdTasks.find((task) => task.path === 'read-text')!.cacheMissReason).toEqual({
      changed: ['artifact:data'],
      added: [],
      removed: [],
    });
  });

  it('runs everything again with caching off', async () => {
    await scenario.run(cachedPipeline);
    const again = await scenario.run(cachedPipeline, { cache: false });
    expect(states(again)).toEqual({ double: 'SUCCEEDED', 'read-text': 'SUCCEEDED' });
  });
});

describe('TypeScript function components', () => {
  it('run in their own Node process, pass artifacts, and return typed outputs and metrics', async () => {
    const { functionPipeline } = await import('../fixtures/engine/function-steps.ts');
    const summary = await scenario.run(functionPipeline, { parameters: { count: 4 } });
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await scenario.store.getTasks(summary.runId);
    const summarize = tasks.find((task) => task.path === 'summarize')!;
    expect((summarize.outputs as { parameters: unknown }).parameters).toEqual({ total: 5 });
    const artifacts = await scenario.store.getArtifacts(summary.runId);
    expect(artifacts.find((artifact) => artifact.name === 'metrics')?.metadata).toEqual({ count: 4 });
    const root = tasks.find((task) => task.parentId === null)!;
    expect((root.outputs as { parameters: unknown }).parameters).toEqual({ Output: 5 });
  }, 60_000);
});
