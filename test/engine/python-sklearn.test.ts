/**
 * A KFP-style Python component that trains and evaluates a real scikit-learn model, run by the built-in
 * kfp runtime (no pip, no kfp). Needs a python3 that imports sklearn: `.ci/run` installs Debian's
 * python3-sklearn when none does; without it this test fails and says so rather than skipping.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassificationMetrics, Metrics, Model, Param, pipeline, pythonComponent } from '../../src/index.ts';
import { openScenario, type Scenario } from './scenario.ts';

const trainIris = pythonComponent({
  name: 'train-iris',
  inputs: { test_fraction: Param.float({ default: 0.3 }), seed: Param.int({ default: 42 }) },
  outputs: { model: Model, metrics: Metrics, confusion: ClassificationMetrics, accuracy: Param.float() },
  file: new URL('../fixtures/engine/sklearn-steps/train.py', import.meta.url),
  packagesToInstall: ['scikit-learn'],
});

const sklearnPipeline = pipeline({ name: 'sklearn-kfp-style' }, () => {
  trainIris({ seed: 7 });
});

let scenario: Scenario;
beforeAll(async () => {
  scenario = await openScenario();
});
afterAll(async () => {
  await scenario.close();
});

function pythonWithSklearn(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
      return python;
    } catch {}
  }
  return undefined;
}

describe('a KFP-style Python component with scikit-learn', () => {
  it('trains and evaluates a real model', async () => {
    expect(
      pythonWithSklearn(),
      'no python3 here imports sklearn: apt-get install -y python3-sklearn (.ci/run does)',
    ).toBeDefined();
    const summary = await scenario.run(sklearnPipeline);
    expect(summary.state).toBe('SUCCEEDED');
    const [task] = await scenario.store
      .getTasks(summary.runId)
      .then((tasks) => tasks.filter((t) => t.path === 'train-iris'));
    const outputs = task!.outputs as {
      parameters: { accuracy: number };
      artifacts: Record<string, { metadata: Record<string, unknown> }[]>;
    };
    expect(outputs.parameters.accuracy).toBeGreaterThan(0.85);
    expect(outputs.artifacts.metrics![0]!.metadata).toEqual({ accuracy: outputs.parameters.accuracy });
    const matrix = outputs.artifacts.confusion![0]!.metadata.confusionMatrix as {
      annotationSpecs: { displayName: string }[];
      rows: { row: number[] }[];
    };
    expect(matrix.annotationSpecs.map((spec) => spec.displayName)).toEqual([
      'setosa',
      'versicolor',
      'virginica',
    ]);
    expect(matrix.rows.flatMap((row) => row.row).reduce((sum, count) => sum + count, 0)).toBe(45);
    expect(outputs.artifacts.model![0]!.metadata).toMatchObject({ framework: 'scikit-learn' });
  });
});
