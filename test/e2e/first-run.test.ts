/**
 * The first-run story, driven through the `sluice` command as a newcomer would: run the Iris example (what
 * `npm start` runs), break the data's schema and see the clear failure, fix the file and `sluice retry`
 * (what succeeded is reused, not re-run), then ask `lineage` of the registered model and get the dataset
 * and the run back.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSqliteRunStore } from '../../src/store/index.ts';
import { repoRoot, runSluice } from './sluice-cli.ts';

const example = join(repoRoot, 'examples/iris/pipeline.ts');
const irisCsv = readFileSync(join(repoRoot, 'examples/iris/data/iris.csv'), 'utf8');

interface Report {
  runId: string;
  state: string;
  tasks: { name: string; state: string; attempts: number; cached: boolean }[];
  metrics: { task: string; metadata: Record<string, unknown> }[];
  models: { task: string; uri: string; final?: boolean; metadata: Record<string, unknown> }[];
  failures: { task: string; message: string }[];
}

const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('first run: the Iris example through the CLI', () => {
  it('runs, fails clearly on a broken schema, retries after the fix reusing what succeeded, and traces lineage', {
    timeout: 300_000,
  }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'sluice-first-run-'));
    const env = { SLUICE_HOME: join(work, 'home') };
    const sluice = (args: string[]) => runSluice(args, { env });

    // 1. The main job, as `npm start` runs it: a summary with metrics, the model and what to type next.
    const first = await sluice(['run', example]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/run [0-9a-f-]{36} SUCCEEDED in/);
    expect(first.stdout).toMatch(/evaluate {2}accuracy=0\.9\d+ {2}macro_f1=/);
    expect(first.stdout).toContain('confusion matrix 3×3 (setosa, versicolor, virginica)');
    expect(first.stdout).toContain(
      `version=1  path=${join(work, 'home/registry/iris-classifier/v1/model.json')}`,
    );
    expect(first.stdout).toMatch(/sluice lineage [0-9a-f]{8}\/register/);

    // 2. A renamed column: validate-schema fails with the file, line and what is wrong; the report still runs.
    const broken = join(work, 'iris.csv');
    writeFileSync(broken, irisCsv.replace('petal_width', 'petal_w'));
    const failed = await sluice(['run', example, '-p', `source=${broken}`, '--json']);
    expect(failed.code).toBe(1);
    const failedReport = lastLine(failed.stdout) as Report;
    expect(failedReport.state).toBe('FAILED');
    expect(failedReport.failures.map((failure) => failure.task)).toEqual(['exit-handler-1/validate-schema']);
    expect(failedReport.failures[0]!.message).toContain(
      "iris.csv line 1: missing column 'petal_width' (found: sepal_length, sepal_width, petal_length, petal_w, species)",
    );
    const state = (report: Report, name: string) => report.tasks.find((task) => task.name === name)?.state;
    expect(state(failedReport, 'report')).toBe('SUCCEEDED');
    expect(state(failedReport, 'exit-handler-1/split')).toBe('SKIPPED');
    const shown = await sluice(['show', failedReport.runId.slice(0, 8)]);
    expect(shown.stdout).toContain('exit-handler-1/validate-schema failed (exit 1): ');
    expect(shown.stdout).toContain("missing column 'petal_width'");

    // 3. Fix the data in place and retry the same run: ingest is reused, validation and the rest run.
    writeFileSync(broken, irisCsv);
    const retried = await sluice(['retry', failedReport.runId, '--json']);
    expect(retried.code).toBe(0);
    const retriedReport = lastLine(retried.stdout) as Report;
    expect(retriedReport.runId).toBe(failedReport.runId);
    expect(retriedReport.state).toBe('SUCCEEDED');
    expect(retriedReport.tasks.find((task) => task.name === 'exit-handler-1/validate-schema')?.attempts).toBe(
      2,
    );
    expect(retriedReport.models.find((model) => model.final)?.metadata).toMatchObject({ version: 2 });
    const store = await openSqliteRunStore(join(work, 'home/sluice.db'));
    try {
      const tasks = await store.getTasks(failedReport.runId);
      const ingest = tasks.find((task) => task.path === 'exit-handler-1/ingest')!;
      const transitions = (await store.getTransitions(failedReport.runId)).filter(
        (transition) => transition.taskId === ingest.id,
      );
      // Imported once, before the failure; the retry did not touch it.
      expect(transitions.map((transition) => transition.to)).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
    } finally {
      await store.close();
    }

    // 4. Lineage of the registered model: the imported dataset (the file, by URI) and this run.
    const lineage = await sluice(['lineage', `${failedReport.runId.slice(0, 8)}/register`, '--json']);
    expect(lineage.code).toBe(0);
    const graph = lastLine(lineage.stdout) as {
      artifacts: { schemaTitle: string; runId: string }[];
      upstream: { path: string; runId: string; outputs: { key: string; artifact: { uri: string } }[] }[];
    };
    expect(graph.artifacts).toEqual([
      expect.objectContaining({ schemaTitle: 'system.Model', runId: failedReport.runId }),
    ]);
    const paths = graph.upstream.map((task) => task.path);
    expect(paths[0]).toBe('exit-handler-1/condition-2/register');
    for (const step of [
      'select-best',
      'train-forest',
      'train-logistic',
      'split',
      'validate-schema',
      'ingest',
    ])
      expect(paths).toContain(`exit-handler-1/${step}`);
    const ingest = graph.upstream.find((task) => task.path === 'exit-handler-1/ingest')!;
    expect(ingest.runId).toBe(failedReport.runId);
    expect(ingest.outputs.map((output) => output.artifact.uri)).toEqual([broken]);
    const text = await sluice(['lineage', `${failedReport.runId}/register`]);
    expect(text.stdout).toContain(`system.Dataset ${broken}`);
    expect(pathToFileURL(broken).href).toContain('iris.csv');
  });
});
