/**
 * The `sluice run / resume / cancel / runs / show` contract other tools rely on: exit codes, the JSON
 * summary as the last stdout line, task names as DAG paths, and the store in SLUICE_HOME shared between
 * processes.
 */
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runSluice, scratchDirectory, writeInlineFiles } from './sluice-cli.ts';

const pipelines = `
import { component, Param, ParallelFor, pipeline } from 'sluice';
export const echo = component({
  name: 'echo', image: 'alpine', inputs: { text: Param.string() }, outputs: { out: Param.string() },
  command: ['sh', '-c', 'printf %s "$0" > "$1"'], args: ({ inputs, outputs }) => [inputs.text, outputs.out],
});
export const fail = component({ name: 'fail', image: 'alpine', command: ['sh', '-c', 'echo broken >&2; exit 4'] });
export const slow = component({ name: 'slow', image: 'alpine', command: ['sh', '-c', 'sleep 60'] });
export const ok = pipeline({ name: 'ok', inputs: { text: Param.string({ default: 'hi' }) } }, ({ text }) => {
  ParallelFor(['a', 'b'], (item) => echo({ text: item }));
  echo({ text });
});
export const broken = pipeline({ name: 'broken' }, () => { const f = fail(); echo({ text: 'x' }).after(f); });
export const sleepy = pipeline({ name: 'sleepy' }, () => { slow(); });
`;

function lastJson(stdout: string): {
  runId: string;
  state: string;
  tasks: { name: string; state: string }[];
} {
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('sluice run and friends', () => {
  it('runs a pipeline: exit 0, a JSON summary last, tasks named by their DAG path', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelines });
    const env = { SLUICE_HOME: join(project, 'home') };
    const result = await runSluice(['run', 'pipeline.ts', '--export', 'ok', '-p', 'text=hello', '--json'], {
      cwd: project,
      env,
    });
    expect(result.code).toBe(0);
    const summary = lastJson(result.stdout);
    expect(summary.state).toBe('SUCCEEDED');
    expect(summary.tasks.map((task) => task.name).sort()).toEqual(
      [
        'echo-2',
        'for-loop-2',
        'for-loop-2[0]',
        'for-loop-2[0]/echo',
        'for-loop-2[1]',
        'for-loop-2[1]/echo',
      ].sort(),
    );

    const runs = await runSluice(['runs', '--json'], { cwd: project, env });
    expect(JSON.parse(runs.stdout)).toEqual([
      { runId: summary.runId, pipeline: 'ok', state: 'SUCCEEDED', createdAt: expect.any(String) },
    ]);
    const shown = await runSluice(['show', summary.runId.slice(0, 8), '--json'], { cwd: project, env });
    expect(JSON.parse(shown.stdout)).toEqual(summary);
  });

  it('exits 1 when the run fails, and says which task failed and why', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelines });
    const env = { SLUICE_HOME: join(project, 'home') };
    const result = await runSluice(['run', 'pipeline.ts', '--export', 'broken'], { cwd: project, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAILED');
    expect(result.stdout).toContain('exited with code 4');
    expect(result.stdout).toContain('broken');
  });

  it('exits 2 on bad input: an unknown parameter, a bad value, a missing file', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelines });
    const env = { SLUICE_HOME: join(project, 'home') };
    const unknown = await runSluice(['run', 'pipeline.ts', '--export', 'ok', '-p', 'txt=1'], {
      cwd: project,
      env,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no parameter 'txt' (did you mean 'text'?)");
    const parallelism = await runSluice(['run', 'pipeline.ts', '--parallelism', '0'], { cwd: project, env });
    expect(parallelism.code).toBe(2);
    const missing = await runSluice(['run', 'nope.yaml'], { cwd: project, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
    const noRun = await runSluice(['show', 'deadbeef'], { cwd: project, env });
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toContain("no run 'deadbeef'");
    // One line of its own: the process helper started early must not add its traceback on the way out.
    for (const result of [unknown, parallelism, missing, noRun])
      expect(result.stderr).not.toContain('Traceback');
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says why a pipeline module fails to load and what to do: CommonJS projects, non-pipeline exports', async () => {
    const project = writeInlineFiles({
      'pipeline.ts': pipelines,
      'not-a-pipeline.ts': 'export default 42;\n',
    });
    const env = { SLUICE_HOME: join(project, 'home') };
    const notPipeline = await runSluice(['run', 'not-a-pipeline.ts'], { cwd: project, env });
    expect(notPipeline.code).toBe(2);
    expect(notPipeline.stderr).toContain('not-a-pipeline.ts: the default export is not a pipeline()');

    // npm's default package.json (no "type") makes a .ts file CommonJS to Node.
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
    const commonJs = await runSluice(['run', 'pipeline.ts', '--export', 'ok'], { cwd: project, env });
    expect(commonJs.code).toBe(2);
    expect(commonJs.stderr).toContain(
      `pipeline.ts: Node loads this file as CommonJS, because ${join(project, 'package.json')} does not set "type": "module"`,
    );
    expect(commonJs.stderr).toContain('rename the file to pipeline.mts');
    expect(commonJs.stderr).not.toContain('Traceback');
    // What the message says works.
    renameSync(join(project, 'pipeline.ts'), join(project, 'pipeline.mts'));
    const renamed = await runSluice(['run', 'pipeline.mts', '--export', 'ok', '--json'], {
      cwd: project,
      env,
    });
    expect(renamed.code).toBe(0);
    expect(lastJson(renamed.stdout).state).toBe('SUCCEEDED');
  });

  it('cancels a run from another process: the run ends CANCELED and `run` exits 1', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': pipelines });
    const home = scratchDirectory();
    const env = { ...process.env, SLUICE_HOME: home, NO_COLOR: '1' };
    const started = Date.now();
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin/sluice.js'), 'run', 'pipeline.ts', '--export', 'sleepy', '--json'],
      {
        cwd: project,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let runId: string | undefined;
    while (!runId && Date.now() - started < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const runs = await runSluice(['runs', '--json'], { cwd: project, env: { SLUICE_HOME: home } });
      const [run] = JSON.parse(runs.stdout || '[]') as { runId: string; state: string }[];
      if (run?.state === 'RUNNING') runId = run.runId;
    }
    expect(runId).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cancel = await runSluice(['cancel', runId!], { cwd: project, env: { SLUICE_HOME: home } });
    expect(cancel.code).toBe(0);
    expect(await exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(lastJson(stdout)).toMatchObject({
      state: 'CANCELED',
      tasks: [{ name: 'slow', state: 'CANCELED' }],
    });
  });
});
