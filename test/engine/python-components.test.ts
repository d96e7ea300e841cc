/**
 * KFP-style Python components (pythonComponent) next to a TypeScript function component on the real engine:
 * Python writes a Dataset and returns an int (`Output`), TypeScript sums the Dataset, Python takes both ints
 * and returns a NamedTuple (a float and a string) plus a Metrics artifact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonMixPipeline } from '../fixtures/engine/python-mix.ts';
import { openScenario, type Scenario, states } from './scenario.ts';

let scenario: Scenario;
beforeAll(async () => {
  scenario = await openScenario();
});
afterAll(async () => {
  await scenario.close();
});

describe('Python components next to TypeScript components', () => {
  it('pass artifacts and typed parameters both ways, and log metrics', async () => {
    const summary = await scenario.run(pythonMixPipeline, { parameters: { count: 4 } });
    expect(states(summary)).toEqual({
      'make-rows': 'SUCCEEDED',
      'sum-rows': 'SUCCEEDED',
      score: 'SUCCEEDED',
    });
    expect(summary.state).toBe('SUCCEEDED');
    const tasks = await scenario.store.getTasks(summary.runId);
    const parameters = (path: string) =>
      (tasks.find((task) => task.path === path)!.outputs as { parameters: Record<string, unknown> })
        .parameters;
    expect(parameters('make-rows')).toEqual({ Output: 4 });
    expect(Number.isInteger(parameters('make-rows').Output)).toBe(true);
    expect(parameters('sum-rows')).toEqual({ total: 10 });
    expect(parameters('score')).toEqual({ ratio: 1.25, verdict: 'low' });
    expect(typeof parameters('score').ratio).toBe('number');
    const artifacts = await scenario.store.getArtifacts(summary.runId);
    expect(artifacts.find((artifact) => artifact.name === 'metrics')?.metadata).toEqual({
      total: 10,
      ratio: 1.25,
    });
    expect(artifacts.find((artifact) => artifact.name === 'rows')?.metadata).toEqual({ rows: 4 });
    const root = tasks.find((task) => task.parentId === null)!;
    expect((root.outputs as { parameters: unknown }).parameters).toEqual({ Output: 1.25 });
  }, 60_000);
});
