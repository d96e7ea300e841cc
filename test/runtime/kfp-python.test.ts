/**
 * Sluice's KFP stand-in (src/runtime/kfp-python), run by real python3 as the local executor runs it: the
 * argument each annotation gets, what each return shape writes, metadata of every artifact type, and the
 * failures a user must be able to read (missing package, wrong return type).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER, runComponent } from './kfp-python-harness.ts';

const TIMEOUT = 20_000;

describe('KFP stand-in: parameters', () => {
  it(
    'passes parameters with their JSON types and writes a single return as Output',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(n: int, x: float, flag: bool, items: list, cfg: dict, s: str) -> str:
    assert type(n) is int and type(x) is float and flag is True, (n, x, flag)
    assert items == [1, 'a', None] and cfg == {'k': {'nested': [True]}}, (items, cfg)
    return f'{n}|{x}|{s}'
`,
        functionName: 'f',
        parameters: {
          n: 5,
          x: 0.5,
          flag: true,
          items: [1, 'a', null],
          cfg: { k: { nested: [true] } },
          s: 'hé',
        },
        outputParameters: ['Output'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output).toEqual({ parameterValues: { Output: '5|0.5|hé' } });
    },
    TIMEOUT,
  );

  it(
    'keeps ints ints, booleans booleans, lists and dicts JSON in NamedTuple outputs',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(a: int, b: int) -> NamedTuple('Outputs', [('sum', int), ('ratio', float), ('ok', bool), ('items', List[int]), ('info', Dict[str, int]), ('text', str)]):
    from collections import namedtuple
    outputs = namedtuple('Outputs', ['sum', 'ratio', 'ok', 'items', 'info', 'text'])
    return outputs(a + b, a / b, a < b, [a, b], {'a': a}, 'done')
`,
        functionName: 'f',
        parameters: { a: 2, b: 4 },
        outputParameters: ['sum', 'ratio', 'ok', 'items', 'info', 'text'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output?.parameterValues).toEqual({
        sum: 6,
        ratio: 0.5,
        ok: true,
        items: [2, 4],
        info: { a: 2 },
        text: 'done',
      });
      // The JSON text itself: 6, not 6.0 (KFP's launcher would parse 6.0 into NUMBER_INTEGER as an error).
      expect(JSON.stringify(run.output?.parameterValues?.sum)).toBe('6');
    },
    TIMEOUT,
  );

  it(
    'reads a typing.NamedTuple class return by field name, a float output accepting an int',
    async () => {
      const run = await runComponent({
        source: `${HEADER}class Result(NamedTuple):
    total: float
    label: str

def f() -> Result:
    return Result(label='x', total=3)
`,
        functionName: 'f',
        outputParameters: ['total', 'label'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output?.parameterValues).toEqual({ total: 3, label: 'x' });
    },
    TIMEOUT,
  );

  it(
    'uses the default of an optional input that is absent or null, as KFP does',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(a: Optional[str] = 'default-a', b: int = 7, c: Optional[str] = None) -> str:
    return f'{a}|{b}|{c}'
`,
        functionName: 'f',
        parameters: { b: null },
        outputParameters: ['Output'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output?.parameterValues).toEqual({ Output: 'default-a|7|None' });
    },
    TIMEOUT,
  );

  it(
    'gives OutputPath(str) the output parameter file and InputPath(str) the value',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(text: InputPath(str), out: OutputPath(str), count: dsl.OutputPath(int)):
    with open(out, 'w') as f:
        f.write(text.upper())
    with open(count, 'w') as f:
        f.write(str(len(text)))
`,
        functionName: 'f',
        parameters: { text: 'abc' },
        outputParameters: ['out', 'count'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.parameterFile('out')).toBe('ABC');
      expect(run.parameterFile('count')).toBe('3');
      expect(run.output).toEqual({});
    },
    TIMEOUT,
  );

  it(
    'fails when the return value does not fit the annotation',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f() -> int:\n    return 'seven'\n`,
        functionName: 'f',
        outputParameters: ['Output'],
      });
      expect(run.code).not.toBe(0);
      expect(run.log).toContain("returned value of type <class 'str'>; want type <class 'int'>");
    },
    TIMEOUT,
  );

  it(
    'builds PipelineTaskFinalStatus from the struct the engine passes',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(status: PipelineTaskFinalStatus) -> str:
    return f'{status.state}|{status.pipeline_task_name}|{status.pipeline_job_resource_name}|{status.error_code}|{status.error_message}'
`,
        functionName: 'f',
        parameters: {
          status: {
            state: 'FAILED',
            pipelineJobResourceName: 'run-1',
            pipelineTaskName: 'exit-handler-1',
            error: { code: 1, message: 'boom' },
          },
        },
        outputParameters: ['Output'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output?.parameterValues).toEqual({ Output: 'FAILED|exit-handler-1|run-1|1|boom' });
    },
    TIMEOUT,
  );
});

describe('KFP stand-in: artifacts', () => {
  it(
    'reads Input[Dataset], InputPath and List[Dataset]; writes Output[Model] with framework metadata',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(data: Input[Dataset], raw: InputPath('Dataset'), parts: Input[List[Dataset]], model: Output[Model]):
    total = sum(int(open(p.path).read()) for p in parts)
    with open(model.path, 'w') as f:
        f.write(open(data.path).read() + open(raw).read() + str(total))
    model.framework = 'sklearn'
    model.metadata['accuracy'] = 0.9
    assert data.uri.startswith('file://') and data.name == 'data', (data.uri, data.name)
`,
        functionName: 'f',
        inputArtifacts: {
          data: { schemaTitle: 'system.Dataset', content: 'a' },
          raw: { schemaTitle: 'system.Dataset', content: 'b' },
          parts: [
            { schemaTitle: 'system.Dataset', content: '1' },
            { schemaTitle: 'system.Dataset', content: '2' },
          ],
        },
        outputArtifacts: { model: 'system.Model' },
      });
      expect(run.code, run.log).toBe(0);
      expect(run.artifactText('model')).toBe('ab3');
      const model = run.executorInput.outputs.artifacts.model!.artifacts[0]!;
      expect(run.output?.artifacts?.model).toEqual({
        artifacts: [{ name: 'model', uri: model.uri, metadata: { framework: 'sklearn', accuracy: 0.9 } }],
      });
    },
    TIMEOUT,
  );

  it(
    'writes KFP metadata shapes for Metrics, ClassificationMetrics and SlicedClassificationMetrics',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(m: Output[Metrics], c: Output[ClassificationMetrics], s: Output[SlicedClassificationMetrics]):
    m.log_metric('accuracy', 0.75)
    m.log_metric('count', 3)
    c.log_confusion_matrix(['cat', 'dog'], [[2, 1], [0, 3]])
    c.log_roc_curve(fpr=[0.0, 0.5], tpr=[0.5, 1.0], threshold=[0.9, 0.1])
    s.load_confusion_matrix('all', ['a', 'b'], [[1, 0], [0, 1]])
    s.log_roc_reading('all', threshold=0.5, tpr=1.0, fpr=0.0)
`,
        functionName: 'f',
        outputArtifacts: {
          m: 'system.Metrics',
          c: 'system.ClassificationMetrics',
          s: 'system.SlicedClassificationMetrics',
        },
      });
      expect(run.code, run.log).toBe(0);
      const metadata = (name: string) => run.output?.artifacts?.[name]?.artifacts[0]?.metadata;
      expect(metadata('m')).toEqual({ accuracy: 0.75, count: 3 });
      expect(metadata('c')).toEqual({
        confusionMatrix: {
          annotationSpecs: [{ displayName: 'cat' }, { displayName: 'dog' }],
          rows: [{ row: [2, 1] }, { row: [0, 3] }],
        },
        confidenceMetrics: [
          { confidenceThreshold: 0.9, recall: 0.5, falsePositiveRate: 0.0 },
          { confidenceThreshold: 0.1, recall: 1.0, falsePositiveRate: 0.5 },
        ],
      });
      expect(metadata('s')).toEqual({
        evaluationSlices: [
          {
            slice: 'all',
            sliceClassificationMetrics: {
              confusionMatrix: {
                annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }],
                rows: [{ row: [1, 0] }, { row: [0, 1] }],
              },
              confidenceMetrics: [{ confidenceThreshold: 0.5, recall: 1.0, falsePositiveRate: 0.0 }],
            },
          },
        ],
      });
    },
    TIMEOUT,
  );

  it(
    'writes HTML, Markdown and OutputPath artifacts, and a value returned for an artifact output',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(page: Output[HTML], notes: Output[Markdown], blob: OutputPath('Dataset')) -> Artifact:
    with open(page.path, 'w') as f:
        f.write('<h1>hi</h1>')
    with open(notes.path, 'w') as f:
        f.write('# hi')
    with open(blob, 'w') as f:
        f.write('blob')
    return 'returned content'
`,
        functionName: 'f',
        outputArtifacts: {
          page: 'system.HTML',
          notes: 'system.Markdown',
          blob: 'system.Dataset',
          Output: 'system.Artifact',
        },
      });
      expect(run.code, run.log).toBe(0);
      expect(run.artifactText('page')).toBe('<h1>hi</h1>');
      expect(run.artifactText('notes')).toBe('# hi');
      expect(run.artifactText('blob')).toBe('blob');
      expect(run.artifactText('Output')).toBe('returned content');
    },
    TIMEOUT,
  );

  it(
    'copies a returned pythonic artifact (dsl.get_uri) and a set_path() artifact to their provisioned paths',
    async () => {
      const run = await runComponent({
        source: `${HEADER}import os, tempfile

def f(kept: Output[Dataset]) -> NamedTuple('Outputs', [('made', Dataset), ('count', int)]):
    kept.set_path(os.path.join(tempfile.mkdtemp(), 'elsewhere'))
    with open(kept.path, 'w') as f:
        f.write('kept')
    made = Dataset(uri=dsl.get_uri('made'), metadata={'rows': 2})
    with open(made.path, 'w') as f:
        f.write('made')
    return (made, 2)
`,
        functionName: 'f',
        outputParameters: ['count'],
        outputArtifacts: { kept: 'system.Dataset', made: 'system.Dataset' },
      });
      expect(run.code, run.log).toBe(0);
      expect(run.artifactText('kept')).toBe('kept');
      expect(run.artifactText('made')).toBe('made');
      const made = run.executorInput.outputs.artifacts.made!.artifacts[0]!;
      expect(run.output?.artifacts?.made).toEqual({
        artifacts: [{ name: 'made', uri: made.uri, metadata: { rows: 2 } }],
      });
      expect(run.output?.parameterValues).toEqual({ count: 2 });
    },
    TIMEOUT,
  );

  it(
    'passes None for an optional input artifact that is absent',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f(data: Optional[Input[Dataset]] = None) -> bool:\n    return data is None\n`,
        functionName: 'f',
        outputParameters: ['Output'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output?.parameterValues).toEqual({ Output: true });
    },
    TIMEOUT,
  );
});

describe('KFP stand-in: environment', () => {
  it(
    'fails a missing packages_to_install with the package named and how to install it',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f():\n    import sluice_no_such_package\n`,
        functionName: 'f',
        requirements: [
          'kfp==2.14.6',
          'typing-extensions>=3.7.4,<5; python_version<"3.9"',
          'sluice-no-such-package==1.2',
        ],
      });
      expect(run.code).toBe(1);
      expect(run.log).toContain('the component needs sluice-no-such-package');
      expect(run.log).toContain("-m pip install 'sluice-no-such-package==1.2'");
      expect(run.log).toContain('apt-get install python3-sluice-no-such-package');
      expect(run.log).toContain('--kfp-runtime=pip');
      expect(run.log).not.toContain('typing-extensions'); // its marker is for Python < 3.9
      expect(existsSync(join(run.dir, 'ephemeral_component.py'))).toBe(false); // checked before anything runs
    },
    TIMEOUT,
  );

  it(
    'accepts packages_to_install that are already importable (standard library modules count)',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f() -> str:\n    import json\n    return json.dumps([1])\n`,
        functionName: 'f',
        requirements: ['json'],
        outputParameters: ['Output'],
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output?.parameterValues).toEqual({ Output: '[1]' });
    },
    TIMEOUT,
  );

  it(
    "imports Sluice's kfp even when another kfp is on PYTHONPATH",
    async () => {
      const shadow = mkdtempSync(join(tmpdir(), 'sluice-fake-kfp-'));
      mkdirSync(join(shadow, 'kfp'));
      writeFileSync(join(shadow, 'kfp', '__init__.py'), 'raise ImportError("the wrong kfp")\n');
      const run = await runComponent({
        source: `${HEADER}def f() -> str:\n    return kfp.__version__\n`,
        functionName: 'f',
        outputParameters: ['Output'],
        env: { PYTHONPATH: shadow },
      });
      expect(run.code, run.log).toBe(0);
      expect(run.output?.parameterValues?.Output).toMatch(/\+sluice$/);
    },
    TIMEOUT,
  );

  it(
    'reports an exception of the function as a failure with its traceback',
    async () => {
      const run = await runComponent({
        source: `${HEADER}def f():\n    raise ValueError('bad input')\n`,
        functionName: 'f',
      });
      expect(run.code).toBe(1);
      expect(run.log).toContain('ValueError: bad input');
      expect(run.log).toContain('ephemeral_component.py');
    },
    TIMEOUT,
  );
});
