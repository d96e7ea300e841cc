import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputArtifact, OutputArtifact } from '../../src/index.ts';
import {
  collectOutputs,
  type ExecutorInput,
  FunctionInputArtifact,
  FunctionOutputArtifact,
} from '../../src/runtime/index.ts';
import { emptyExecutorInput, runtimeArtifact } from './executor-inputs.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MODULE = 'test/fixtures/runtime/steps.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sluice-launcher-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stderr: string;
}

/** `node bin/sluice.js execute-function …`, the way the local executor runs it. */
function executeFunction(exportName: string, input: ExecutorInput, extra: string[] = []): Promise<Outcome> {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const args = [
    path.join(repoRoot, 'bin/sluice.js'),
    'execute-function',
    '--executor-input',
    JSON.stringify(input),
    '--module',
    MODULE,
    '--export',
    exportName,
    '--project-root',
    repoRoot,
    ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function trainInput(root: string): Promise<ExecutorInput> {
  await mkdir(path.join(root, 'in'), { recursive: true });
  await writeFile(path.join(root, 'in/data.csv'), 'a,b\n');
  await writeFile(path.join(root, 'in/shard0'), 'zero');
  const input = emptyExecutorInput(path.join(root, 'task/executor_output.json'));
  input.inputs.parameterValues = {
    epochs: 3,
    lr: 0.5,
    name: 'run one',
    verbose: false,
    tags: ['x', 'y'],
    config: { depth: 2 },
  };
  input.inputs.artifacts = {
    data: {
      artifacts: [runtimeArtifact('1', path.join(root, 'in/data.csv'), 'system.Dataset', { rows: 7 })],
    },
    // one artifact in a list input must still arrive as a list
    shards: { artifacts: [runtimeArtifact('2', path.join(root, 'in/shard0'), 'system.Dataset')] },
  };
  for (const name of ['accuracy', 'steps', 'label', 'converged', 'history', 'summary']) {
    input.outputs.parameters[name] = { outputFile: path.join(root, 'task/outputs', name) };
  }
  const output = (name: string, title: string) => ({
    artifacts: [runtimeArtifact(name, path.join(root, 'staging', name), title)],
  });
  input.outputs.artifacts = {
    model: output('model', 'system.Model'),
    metrics: output('metrics', 'system.Metrics'),
    evaluation: output('evaluation', 'system.ClassificationMetrics'),
  };
  return input;
}

const TRAIN_TYPES = {
  accuracy: 'NUMBER_DOUBLE',
  steps: 'NUMBER_INTEGER',
  label: 'STRING',
  converged: 'BOOLEAN',
  history: 'LIST',
  summary: 'STRUCT',
};

describe.concurrent('sluice execute-function', { timeout: 120_000 }, () => {
  it('runs the component and writes output parameter files and artifacts', async () => {
    const root = path.join(dir, 'train');
    const input = await trainInput(root);
    const outcome = await executeFunction('train', input);
    expect(outcome).toEqual({ code: 0, stderr: '' });
    expect(await readFile(path.join(root, 'task/outputs/steps'), 'utf8')).toBe('30');
    expect(await readFile(path.join(root, 'task/outputs/label'), 'utf8')).toBe('run one 7 rows');
    expect(await readFile(path.join(root, 'staging/model'), 'utf8')).toBe('model(a,b|zero)');
    const collected = await collectOutputs(input, TRAIN_TYPES);
    expect(collected.parameters).toEqual({
      accuracy: 0.9,
      steps: 30,
      label: 'run one 7 rows',
      converged: true,
      history: [0.5, 0.25],
      summary: { tags: ['x', 'y'], config: { depth: 2 } },
    });
    expect(collected.artifacts.model).toEqual({ metadata: { framework: 'sluice' } });
    expect(collected.artifacts.metrics).toEqual({ metadata: { accuracy: 0.9, loss: 0.25 } });
    expect(collected.artifacts.evaluation).toEqual({
      metadata: {
        confusionMatrix: {
          annotationSpecs: [{ displayName: 'cat' }, { displayName: 'dog' }],
          rows: [{ row: [8, 2] }, { row: [1, 9] }],
        },
        confidenceMetrics: [
          { confidenceThreshold: 0.5, recall: 0.8, falsePositiveRate: 0.1 },
          { confidenceThreshold: 0.9, recall: 0.4, falsePositiveRate: 0 },
        ],
      },
    });
    // metrics outputs get their metadata as content, so they have something to publish
    expect(JSON.parse(await readFile(path.join(root, 'staging/metrics'), 'utf8'))).toEqual({
      accuracy: 0.9,
      loss: 0.25,
    });
  });

  it('exits non-zero with the stack on stderr when the function throws', async () => {
    const input = emptyExecutorInput();
    input.inputs.parameterValues = { reason: 'disk full' };
    const outcome = await executeFunction('fail', input);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('Error: boom: disk full');
    expect(outcome.stderr).toMatch(/at .*steps\.ts:\d+/);
  });

  it('fails naming the output when run() returns the wrong keys', async () => {
    const input = emptyExecutorInput();
    input.outputs.parameters = { count: { outputFile: path.join(dir, 'bad/count') } };
    const outcome = await executeFunction('badReturn', input);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      "badReturn: run() returned 'total', not declared as output parameters (declared: count)",
    );
  });

  it('fails clearly when the export is missing or not a component', async () => {
    const missing = await executeFunction('trian', emptyExecutorInput());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^error: test\/fixtures\/runtime\/steps\.ts \(under .*\) has no export 'trian'/,
    );
    const plain = await executeFunction('notAComponent', emptyExecutorInput());
    expect(plain.stderr).toContain("export 'notAComponent' of test/fixtures/runtime/steps.ts");
    expect(plain.stderr).toContain('is not a function component');
  });

  it('exits when the function returns even if it left a timer running', async () => {
    const input = emptyExecutorInput();
    input.outputs.parameters = { done: { outputFile: path.join(dir, 'lingering/done') } };
    const outcome = await executeFunction('lingering', input);
    expect(outcome.code).toBe(0);
    expect(await readFile(path.join(dir, 'lingering/done'), 'utf8')).toBe('true');
  });

  it('warns when the module changed since compiling', async () => {
    const input = emptyExecutorInput();
    input.outputs.parameters = { done: { outputFile: path.join(dir, 'digest/done') } };
    const outcome = await executeFunction('lingering', input, ['--code-digest', 'sha256:0000']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain(
      'warning: test/fixtures/runtime/steps.ts changed since the pipeline was compiled',
    );
  });

  it('rejects an executor input that is not JSON with exit code 2', async () => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'bin/sluice.js'),
        'execute-function',
        '--executor-input',
        '{',
        '--module',
        MODULE,
        '--export',
        'train',
      ],
      { cwd: repoRoot, env, stdio: 'ignore' },
    );
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
  });
});

describe('function artifacts', () => {
  const artifact = (title: string) => runtimeArtifact('out', path.join(dir, 'x'), title);

  it('have the shapes the DSL declares for run()', () => {
    const input: InputArtifact = new FunctionInputArtifact(
      runtimeArtifact('in', '/data', 'system.Dataset', { a: 1 }),
    );
    const output: OutputArtifact = new FunctionOutputArtifact('out', artifact('system.Metrics'));
    expect([input.path, input.metadata]).toEqual(['/data', { a: 1 }]);
    expect(Object.isFrozen(input.metadata)).toBe(true);
    expect(output.path).toBe(path.join(dir, 'x'));
  });

  it('refuse metric helpers on other artifact types, and bad shapes', () => {
    const model = new FunctionOutputArtifact('out', artifact('system.Model'));
    expect(() => model.logMetric('acc', 1)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: logMetric() is for system.Metrics outputs; 'out' is system.Model. Declare the output as Metrics]`,
    );
    const metrics = new FunctionOutputArtifact('out', artifact('system.Metrics'));
    expect(() => metrics.logMetric('acc', Number.NaN)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: logMetric('acc'): the value must be a finite number, got NaN]`,
    );
    const classification = new FunctionOutputArtifact('out', artifact('system.ClassificationMetrics'));
    expect(() => classification.logConfusionMatrix(['a', 'b'], [[1, 2]])).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: logConfusionMatrix: the matrix must be 2×2 for 2 categories (one row and one column per category)]`,
    );
  });

  it('give a clear error for an input without a local path', () => {
    const remote = new FunctionInputArtifact({
      name: 'r',
      uri: 's3://b/k',
      type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
      metadata: {},
    });
    expect(() => remote.path).toThrow("artifact 'r' (s3://b/k) has no local path");
  });
});
