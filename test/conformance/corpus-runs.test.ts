/**
 * KFP's own compiled pipelines, run on the local engine: every pipeline the corpus index classifies as
 * C-run (container commands runnable as local processes) must reach the state KFP would reach.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPipelineFile } from '../../src/ir/index.ts';
import { openScenario, type Scenario } from '../engine/scenario.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const corpus = resolve(repoRoot, '../shared/kfp-corpus');
if (!existsSync(join(corpus, 'INDEX.tsv'))) throw new Error(`the KFP corpus is missing at ${corpus}`);

const cRun = readFileSync(join(corpus, 'INDEX.tsv'), 'utf8')
  .split('\n')
  .map((line) => line.split('\t'))
  .filter((fields) => fields[1] === 'C-run')
  .map((fields) => fields[0]!);

/** Values for pipeline parameters that have no default (what a user would pass with --param). */
const PARAMETERS: Record<string, Record<string, string>> = {
  'valid/arguments_parameters.yaml': { param2: 'world' },
  'valid/sequential_v1.yaml': { param1: 'hello', param2: 'world' },
};

let scenario: Scenario;
const savedPath = process.env.PATH;
beforeAll(async () => {
  // long-running.yaml sleeps 2 × 300 s; a scaled `sleep` first on PATH keeps its DAG as written.
  process.env.PATH = `${join(repoRoot, 'test/fixtures/bin')}:${savedPath}`;
  scenario = await openScenario();
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await scenario.close();
});

describe('KFP corpus pipelines run to the state KFP reaches', () => {
  it('finds the C-run pipelines in the index', () => {
    expect(cRun.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of cRun) {
    it(`${file} SUCCEEDED`, async () => {
      const document = await readPipelineFile(join(corpus, file));
      const summary = await scenario.run(document, { parameters: PARAMETERS[file] ?? {}, cache: false });
      expect({ state: summary.state, error: summary.error }).toEqual({
        state: 'SUCCEEDED',
        error: undefined,
      });
      expect(summary.tasks.every((task) => task.state === 'SUCCEEDED')).toBe(true);
    }, 60_000);
  }
});
