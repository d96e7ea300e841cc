/**
 * examples/iris (the first-run example) on the real engine in a temporary SLUICE_HOME: it trains models
 * good enough to register, registers a new version per run, stops at validation on a broken CSV (with the
 * reason in the task's error and the report still run), and registers nothing below the threshold.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iris from '../../examples/iris/pipeline.ts';
import type { RunSummary } from '../../src/engine/index.ts';
import type { TaskRecord } from '../../src/store/index.ts';
import { openScenario, type Scenario, states } from '../engine/scenario.ts';

let scenario: Scenario;
let registry: string;
beforeAll(async () => {
  scenario = await openScenario();
  registry = join(scenario.home, 'registry', 'iris-classifier');
});
afterAll(async () => {
  await scenario.close();
});

/** Task records by the last segment of their path (`evaluate`, `evaluate-2`, `register`, …). */
async function tasksByName(summary: RunSummary): Promise<Map<string, TaskRecord>> {
  const tasks = await scenario.store.getTasks(summary.runId);
  return new Map(tasks.map((task) => [task.path.split('/').at(-1)!, task]));
}

function outputParameter(task: TaskRecord | undefined, name: string): unknown {
  return (task?.outputs as { parameters?: Record<string, unknown> } | null)?.parameters?.[name];
}

describe('examples/iris/pipeline.ts on the engine', () => {
  it('SUCCEEDS with both models at accuracy >= 0.9 and registers v1 with its lineage', async () => {
    const summary = await scenario.run(iris);
    expect({ state: summary.state, error: summary.error }).toEqual({ state: 'SUCCEEDED', error: undefined });
    const tasks = await tasksByName(summary);
    for (const name of ['ingest', 'validate-schema', 'split', 'train-forest', 'train-logistic', 'report']) {
      expect(tasks.get(name)?.state, name).toBe('SUCCEEDED');
    }
    for (const name of ['evaluate', 'evaluate-2']) {
      expect(outputParameter(tasks.get(name), 'accuracy'), name).toBeGreaterThanOrEqual(0.9);
    }
    expect(outputParameter(tasks.get('select-best'), 'accuracy')).toBeGreaterThanOrEqual(0.9);
    expect(tasks.get('register')?.state).toBe('SUCCEEDED');

    const model = JSON.parse(readFileSync(join(registry, 'v1', 'model.json'), 'utf8'));
    expect(model).toMatchObject({
      format: 'iris-model/1',
      classes: ['setosa', 'versicolor', 'virginica'],
      features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    });
    const lineage = JSON.parse(readFileSync(join(registry, 'v1', 'lineage.json'), 'utf8'));
    expect(lineage).toMatchObject({
      model: 'iris-classifier',
      algorithm: model.algorithm,
      run: { id: summary.runId },
      parameters: { seed: 42, testFraction: 0.3, trees: 25, threshold: 0.9 },
      data: { source: { digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }, train: { rows: 105 } },
    });
    expect(lineage.accuracy).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('registers v2 on the next run (the steps before register come from the cache)', async () => {
    const summary = await scenario.run(iris);
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await tasksByName(summary);
    expect(tasks.get('train-forest')?.state).toBe('CACHED');
    expect(tasks.get('register')?.state).toBe('SUCCEEDED');
    expect(existsSync(join(registry, 'v2', 'model.json'))).toBe(true);
  }, 120_000);

  it('FAILS at validate-schema on a CSV with a renamed column, says why, and still reports', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'iris-broken-')), 'broken.csv');
    const csv = readFileSync(new URL('../../examples/iris/data/iris.csv', import.meta.url), 'utf8');
    writeFileSync(broken, csv.replace('petal_width', 'petal_w'));

    const summary = await scenario.run(iris, { parameters: { source: broken } });
    expect(summary.state).toBe('FAILED');
    const tasks = await tasksByName(summary);
    const validate = tasks.get('validate-schema');
    expect(validate?.state).toBe('FAILED');
    expect(validate?.attemptCount).toBe(1);
    expect(validate?.error?.message).toContain(
      "broken.csv line 1: missing column 'petal_width' (found: sepal_length, sepal_width, petal_length, petal_w, species); expected sepal_length, sepal_width, petal_length, petal_width, species",
    );
    expect(tasks.get('split')?.state).toBe('SKIPPED');
    expect(tasks.get('report')?.state).toBe('SUCCEEDED');
    expect(existsSync(join(registry, 'v3'))).toBe(false);
  }, 120_000);

  it('SUCCEEDS without registering when the threshold is out of reach', async () => {
    const summary = await scenario.run(iris, { parameters: { threshold: 1.01 } });
    expect(summary.state).toBe('SUCCEEDED');
    const byPath = states(summary);
    const condition = Object.keys(byPath).find((path) => /\/condition-\d+$/.test(path));
    expect(condition && byPath[condition]).toBe('SKIPPED');
    // The condition's body is never expanded, so register has no task of its own, or a SKIPPED one.
    expect(['SKIPPED', undefined]).toContain((await tasksByName(summary)).get('register')?.state);
    expect(existsSync(join(registry, 'v3'))).toBe(false);
  }, 120_000);
});
