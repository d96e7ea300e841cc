/**
 * examples/iris-sklearn (Python container components) on the real engine: its scripts hand results back
 * through KFP's files (output parameter files, ExecutorOutput metadata) and the run registers a model.
 * It needs a Python with scikit-learn: a machine without one fails here, on purpose, with what to install
 * (CI installs python3-sklearn in .ci/run); a skipped test would hide that the example is broken.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import irisSklearn from '../../examples/iris-sklearn/pipeline.ts';
import { openScenario, type Scenario } from '../engine/scenario.ts';

/** `python3` on PATH may be a version manager's Python without sklearn while Debian's has it. */
const CANDIDATES = ['python3', '/usr/bin/python3'];

function pythonWithSklearn(): string | undefined {
  return CANDIDATES.find(
    (python) => spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0,
  );
}

let scenario: Scenario;
beforeAll(async () => {
  scenario = await openScenario();
});
afterAll(async () => {
  await scenario.close();
});

describe('examples/iris-sklearn/pipeline.ts on the engine', () => {
  it('SUCCEEDS, with the selected model at accuracy >= 0.9, and registers it', async () => {
    const python = pythonWithSklearn();
    if (!python) {
      throw new Error(
        `no Python here imports scikit-learn (tried ${CANDIDATES.join(', ')}): install it with ` +
          '`apt-get install -y python3-sklearn` (as .ci/run does) to run the iris-sklearn example test',
      );
    }
    const summary = await scenario.run(irisSklearn, { parameters: { python } });
    expect({ state: summary.state, error: summary.error }).toEqual({ state: 'SUCCEEDED', error: undefined });

    const tasks = await scenario.store.getTasks(summary.runId);
    const outputs = (name: string) =>
      tasks.find((task) => task.path.endsWith(`/${name}`))?.outputs as {
        parameters: Record<string, number>;
      };
    expect(outputs('select-best').parameters.accuracy).toBeGreaterThanOrEqual(0.9);
    for (const name of ['evaluate', 'evaluate-2']) {
      expect(outputs(name).parameters.accuracy, name).toBeGreaterThan(0.8);
    }
    const metrics = (await scenario.store.getArtifacts(summary.runId)).filter(
      (artifact) => artifact.schemaTitle === 'system.Metrics',
    );
    expect(metrics.map((artifact) => Object.keys(artifact.metadata).sort())).toEqual([
      ['accuracy', 'macro_f1'],
      ['accuracy', 'macro_f1'],
    ]);
    const version = join(scenario.home, 'registry', 'iris-classifier-sklearn', 'v1');
    expect(existsSync(join(version, 'model.pkl'))).toBe(true);
    expect(existsSync(join(version, 'lineage.json'))).toBe(true);
  }, 120_000);
});
