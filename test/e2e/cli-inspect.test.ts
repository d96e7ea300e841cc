/**
 * The commands that answer "what happened?": show, logs (and --follow), why, lineage, retry — driven as a
 * user types them, on a real store in a temporary SLUICE_HOME.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runSluice, writeInlineFiles } from './sluice-cli.ts';

const pipelines = `
import { component, Dataset, Metrics, Model, Param, ParallelFor, pipeline } from 'sluice';
export const make = component({
  name: 'make', image: 'alpine', inputs: { rows: Param.int() }, outputs: { data: Dataset },
  command: ['sh', '-c', 'echo "making $0 rows"; mkdir -p "$(dirname "$1")"; seq "$0" > "$1"'],
  args: ({ inputs, outputs }) => [inputs.rows, outputs.data.path],
});
export const train = component({
  name: 'train', image: 'alpine', inputs: { data: Dataset, gate: Param.string() }, outputs: { model: Model },
  command: ['sh', '-c', 'echo "training on $(wc -l < "$0") rows"; test -e "$1" || { echo "missing $1" >&2; exit 3; }; mkdir -p "$(dirname "$2")"; echo weights > "$2"'],
  args: ({ inputs, outputs }) => [inputs.data.path, inputs.gate, outputs.model.path],
});
export const score = component({
  name: 'score', image: 'alpine', inputs: { model: Model }, outputs: { metrics: Metrics },
  command: ['sh', '-c', 'echo scored'],
});
export const chatty = component({
  name: 'chatty', image: 'alpine', inputs: { n: Param.int() },
  command: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do echo "tick $i of $0"; sleep 0.4; done'],
  args: ({ inputs }) => [inputs.n],
});
export const train_pipeline = pipeline(
  { name: 'train-pipeline', inputs: { rows: Param.int({ default: 5 }), gate: Param.string() } },
  ({ rows, gate }) => {
    const made = make({ rows });
    const trained = train({ data: made.outputs.data, gate });
    score({ model: trained.outputs.model });
  },
);
export const loop = pipeline({ name: 'chatty-loop' }, () => {
  ParallelFor([1, 2], (n) => chatty({ n }));
});
`;

function lastJson<
  T = { runId: string; state: string; tasks: { name: string; state: string; attempts: number }[] },
>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

describe('show, logs, why, lineage and retry', () => {
  // About fifteen CLI invocations, each a fresh Node process: give it room on a busy 2-core machine.
  it('takes a failed run from failure to success with retry, reusing what succeeded', {
    timeout: 180_000,
  }, async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelines });
    const env = { SLUICE_HOME: join(project, 'home') };
    const gate = join(project, 'gate');
    const run = (args: string[]) => runSluice(args, { cwd: project, env });

    const failed = await run(['run', 'pipeline.ts', '--export', 'train_pipeline', '-p', `gate=${gate}`]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/train failed \(exit 3\)/);
    expect(failed.stdout).toContain(`| missing ${gate}`);
    expect(failed.stdout).toMatch(/sluice retry [0-9a-f]{8}/);
    const runId = /run ([0-9a-f-]{36}) FAILED/.exec(failed.stdout)![1]!;

    const shown = await run(['show', runId.slice(0, 8)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`gate = "${gate}"`);
    expect(shown.stdout).toMatch(/SKIPPED\s+score/);
    expect(shown.stdout).toContain('training on 5 rows');

    const logs = await run(['logs', runId, 'train']);
    expect(logs.stdout).toContain('training on 5 rows');
    expect(logs.stdout).toContain(`missing ${gate}`);
    const allLogs = await run(['logs', runId]);
    expect(allLogs.stdout).toContain('make | making 5 rows');
    expect(allLogs.stdout).toContain('train | training on 5 rows');
    const jsonLogs = await run(['logs', runId, 'train', '--json']);
    expect(
      jsonLogs.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { task: 'train', attempt: 1, line: 'training on 5 rows' },
      { task: 'train', attempt: 1, line: `missing ${gate}` },
    ]);

    writeFileSync(gate, '');
    const retried = await run(['retry', runId.slice(0, 8), '--json']);
    expect(retried.code).toBe(0);
    expect(retried.stderr).toContain('2 tasks run again (train, score)');
    const summary = lastJson(retried.stdout);
    expect(summary.runId).toBe(runId);
    expect(summary.state).toBe('SUCCEEDED');
    expect(summary.tasks.find((task) => task.name === 'make')).toMatchObject({
      state: 'SUCCEEDED',
      attempts: 1,
    });
    expect(summary.tasks.find((task) => task.name === 'train')).toMatchObject({
      state: 'SUCCEEDED',
      attempts: 2,
    });
    const trainLogs = await run(['logs', runId, 'train']);
    expect(trainLogs.stdout).toContain('--- attempt 1 (FAILED) ---');
    expect(trainLogs.stdout).toContain('--- attempt 2 (SUCCEEDED) ---');

    const again = await run(['retry', runId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: run .* SUCCEEDED; there is nothing to retry/);

    // Lineage of the model: made by train from make's dataset, used by score; all in this run.
    const lineage = await run(['lineage', `${runId.slice(0, 8)}/train`, '--json']);
    expect(lineage.code).toBe(0);
    const graph = lastJson<{
      artifacts: { uri: string; schemaTitle: string }[];
      upstream: { path: string; runId: string; parameters: Record<string, unknown> }[];
      downstream: { path: string }[];
    }>(lineage.stdout);
    expect(graph.artifacts.map((artifact) => artifact.schemaTitle)).toEqual(['system.Model']);
    expect(graph.upstream.map((task) => task.path)).toEqual(['train', 'make']);
    expect(graph.upstream[1]!.parameters).toMatchObject({ rows: 5 });
    expect(graph.downstream.map((task) => task.path)).toEqual(['score']);
    const byUri = await run(['lineage', graph.artifacts[0]!.uri]);
    expect(byUri.stdout).toContain('upstream (what produced it');
    expect(byUri.stdout).toMatch(/make \[SUCCEEDED\] run /);
    expect(byUri.stdout).toContain('parameters: rows=5');

    // A second run with other rows: make and train miss the cache for a reason `why` names; score's
    // input content changed too.
    const second = await run([
      'run',
      'pipeline.ts',
      '--export',
      'train_pipeline',
      '-p',
      `gate=${gate}`,
      '-p',
      'rows=7',
      '--json',
    ]);
    const secondId = lastJson(second.stdout).runId;
    const why = await run(['why', secondId, 'make']);
    expect(why.stdout).toContain("make (SUCCEEDED): ran because parameter 'rows' changed");
    const whyTrain = await run(['why', secondId, 'train', '--json']);
    expect(lastJson<{ decision: string; reason: string }>(whyTrain.stdout)).toMatchObject({
      decision: 'ran',
      reason: expect.stringContaining("input artifact 'data'"),
    });
    // A third, identical run is answered from the cache, and `why` says from which run.
    const third = await run([
      'run',
      'pipeline.ts',
      '--export',
      'train_pipeline',
      '-p',
      `gate=${gate}`,
      '-p',
      'rows=7',
      '--json',
    ]);
    const thirdId = lastJson(third.stdout).runId;
    const whyCached = await run(['why', thirdId, 'make']);
    expect(whyCached.stdout).toContain(`reused the result of task make of run ${secondId}`);
    // Lineage of the cached model crosses into the run that made it.
    const cachedLineage = lastJson<{ upstream: { runId: string; path: string }[] }>(
      (await run(['lineage', `${thirdId}/train`, '--json'])).stdout,
    );
    expect(cachedLineage.upstream.some((task) => task.runId === secondId && task.path === 'make')).toBe(true);
  });

  it('names the place when a task or subject does not exist', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelines });
    const env = { SLUICE_HOME: join(project, 'home') };
    const run = (args: string[]) => runSluice(args, { cwd: project, env });
    const done = await run(['run', 'pipeline.ts', '--export', 'loop', '--json']);
    const runId = lastJson(done.stdout).runId;
    const missing = await run(['why', runId, 'chaty']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no task 'chaty' \(did you mean '.*chatty'\?\)/);
    const ambiguous = await run(['logs', runId, 'chatty']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("'chatty' matches 2 tasks");
    const badSubject = await run(['lineage', 'nonsense']);
    expect(badSubject.code).toBe(2);
    expect(badSubject.stderr).toContain('neither an artifact URI nor RUN_ID/TASK');
    const unknownUri = await run(['lineage', 'file:///nowhere/x']);
    expect(unknownUri.code).toBe(2);
    expect(unknownUri.stderr).toContain("no artifact with URI 'file:///nowhere/x'");
  });

  it('follows the logs of a run being driven by another process until it ends', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelines });
    const env = { ...process.env, NO_COLOR: '1', SLUICE_HOME: join(project, 'home') };
    const driver = spawn(
      process.execPath,
      [join(repoRoot, 'bin/sluice.js'), 'run', 'pipeline.ts', '--export', 'loop'],
      {
        cwd: project,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let driverOut = '';
    driver.stdout.on('data', (chunk: Buffer) => (driverOut += chunk.toString()));
    const driverClosed = new Promise((resolve) => driver.on('close', resolve));
    // Wait until the run exists, then follow it from a second process.
    const runId = await new Promise<string>((resolve) => {
      const check = setInterval(() => {
        const match = /run ([0-9a-f-]{36}): RUNNING/.exec(driverOut);
        if (match) {
          clearInterval(check);
          resolve(match[1]!);
        }
      }, 20);
    });
    const followed = await runSluice(['logs', runId, '--follow'], { cwd: project, env });
    expect(followed.code).toBe(0);
    // Every line of both tasks, though the follower started while they were running.
    for (const n of [1, 2])
      for (let i = 1; i <= 8; i++) expect(followed.stdout).toContain(`| tick ${i} of ${n}`);
    await driverClosed;
    expect(driverOut).toContain('SUCCEEDED');
  });
});
