/**
 * pythonComponent(): the IR is the container KFP's compiler writes for a lightweight Python component
 * (byte-equal to KFP's own corpus), the local executor recognises it, and declarations that cannot work
 * against the Python source fail with a DslError when the component is defined.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import { embeddedSource, KFP_IMPORT_PREAMBLE } from '../../src/dsl/index.ts';
import { Dataset, DslError, Metrics, Model, Param, pipeline, pythonComponent } from '../../src/index.ts';
import type { PipelineDocument } from '../../src/ir/index.ts';
import { parseKfpPythonCommand } from '../../src/runtime/index.ts';
import { readCorpusPipeline } from '../ir/corpus.ts';

type Executors = Record<string, { container?: { command?: string[]; args?: string[]; image?: string } }>;

function executors(document: PipelineDocument): Executors {
  return (document.pipelineSpec.deploymentSpec?.executors ?? {}) as Executors;
}

/** The function code KFP embedded in a corpus container, without the preamble and trailing newline. */
function corpusCode(file: string, executor: string): string {
  const source = executors(readCorpusPipeline(file))[executor]!.container!.command![6]!;
  const prefix = `\n${KFP_IMPORT_PREAMBLE}\n`;
  expect(source.startsWith(prefix)).toBe(true);
  return source.slice(prefix.length, -1);
}

describe('pythonComponent IR', () => {
  it('is byte-equal to what KFP 2.14.3 compiles for a component without packages_to_install', async () => {
    const file = 'valid/artifacts_complex.yaml';
    const double = pythonComponent({
      name: 'double',
      inputs: { num: Param.int() },
      outputs: { out_dataset: Dataset },
      source: corpusCode(file, 'exec-double'),
    });
    const document = await compilePipeline(pipeline({ name: 'p' }, () => void double({ num: 3 })));
    const kfp = readCorpusPipeline(file);
    expect(executors(document)['exec-double']).toEqual(executors(kfp)['exec-double']);
    const components = (doc: PipelineDocument) => doc.pipelineSpec.components as Record<string, unknown>;
    expect(components(document)['comp-double']).toEqual(components(kfp)['comp-double']);
  });

  it('is byte-equal to what KFP 2.14.3 compiles with packages_to_install', async () => {
    const file = 'valid/essential/iris_pipeline_compiled.yaml';
    const createDataset = pythonComponent({
      name: 'create-dataset',
      outputs: { iris_dataset: Dataset },
      source: corpusCode(file, 'exec-create-dataset'),
      packagesToInstall: ['pandas==2.2.0'],
    });
    const document = await compilePipeline(pipeline({ name: 'p' }, () => void createDataset()));
    expect(executors(document)['exec-create-dataset']).toEqual(
      executors(readCorpusPipeline(file))['exec-create-dataset'],
    );
  });

  it('embeds the whole file after KFP import preamble, runs the named function, on the base image', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sluice-python-component-'));
    const code =
      'import json\n\ndef helper():\n    return 1\n\ndef fit_model(data: Input[Dataset], model: Output[Model]):\n    pass';
    writeFileSync(join(directory, 'steps.py'), code);
    const fitModel = pythonComponent({
      name: 'fit-model',
      inputs: { data: Dataset },
      outputs: { model: Model },
      file: pathToFileURL(join(directory, 'steps.py')),
      packagesToInstall: ['scikit-learn', 'numpy>=1.26'],
      baseImage: 'python:3.12-slim',
    });
    const writer = pythonComponent({
      name: 'writer',
      outputs: { data: Dataset },
      source: 'def writer(data: Output[Dataset]):\n    pass\n',
    });
    const document = await compilePipeline(
      pipeline({ name: 'p' }, () => {
        fitModel({ data: writer().outputs.data });
      }),
    );
    const container = executors(document)['exec-fit-model']!.container!;
    expect(container.image).toBe('python:3.12-slim');
    expect(container.args).toEqual(['--executor_input', '{{$}}', '--function_to_execute', 'fit_model']);
    expect(container.command![6]).toBe(embeddedSource(code));
    expect(embeddedSource(code)).toBe(
      `\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n${code}\n\n`,
    );
    expect(container.command![2]).toContain(
      "'kfp==2.14.3' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<\"3.9\"'  &&  python3 -m pip install --quiet --no-warn-script-location 'scikit-learn' 'numpy>=1.26' && \"$0\" \"$@\"\n",
    );
    expect(executors(document)['exec-writer']!.container!.image).toBe('python:3.11');
  });

  it('is recognised by the local executor, with its source, requirements and executor arguments', async () => {
    const code = 'def train(epochs: int) -> float:\n    return 0.5\n';
    for (const packages of [[], ['scikit-learn==1.4.0', 'pandas']]) {
      const train = pythonComponent({
        name: 'train',
        inputs: { epochs: Param.int({ default: 3 }) },
        outputs: { Output: Param.float() },
        source: code,
        packagesToInstall: packages,
      });
      const document = await compilePipeline(pipeline({ name: 'p' }, () => void train()));
      const container = executors(document)['exec-train']!.container!;
      const parsed = parseKfpPythonCommand([...container.command!, ...container.args!]);
      expect(parsed).toEqual({
        source: embeddedSource(code),
        executorArgs: ['--executor_input', '{{$}}', '--function_to_execute', 'train'],
        requirements: ['kfp==2.14.3', 'typing-extensions>=3.7.4,<5; python_version<"3.9"', ...packages],
      });
    }
  });
});

describe('pythonComponent declarations checked against the Python source', () => {
  const message = (define: () => unknown): string => {
    try {
      define();
    } catch (error) {
      expect(error).toBeInstanceOf(DslError);
      return (error as Error).message;
    }
    throw new Error('expected a DslError');
  };

  it('accepts NamedTuple returns (inline, class, assignment), OutputPath outputs and a single Output', () => {
    const cases = [
      "def f(x: int) -> NamedTuple('Outputs', [('acc', float), ('label', str)]):\n    pass",
      "def f(x: int) -> NamedTuple('Outputs', acc=float, label=str):\n    pass",
      'class Out(NamedTuple):\n    acc: float\n    label: str\n\ndef f(x: int) -> Out:\n    pass',
      "Out = NamedTuple('Out', [('acc', float), ('label', str)])\ndef f(x: int) -> Out:\n    pass",
      "def f(x: int, acc: OutputPath(float)) -> NamedTuple('O', [('label', str)]):\n    pass",
    ];
    for (const source of cases) {
      expect(() =>
        pythonComponent({
          name: 'f',
          inputs: { x: Param.int() },
          outputs: { acc: Param.float(), label: Param.string() },
          source,
        }),
      ).not.toThrow();
    }
    expect(() =>
      pythonComponent({
        name: 'f',
        inputs: { x: Param.int() },
        outputs: { Output: Param.float(), metrics: Metrics },
        source:
          'def f(\n    x: int = 3,  # a comment, with a comma\n    metrics: Output[Metrics] = None,\n) -> float:\n    return 1.0\n',
      }),
    ).not.toThrow();
  });

  it('names a missing file', () => {
    expect(
      message(() => pythonComponent({ name: 'train', file: '/nonexistent/steps/train.py' })),
    ).toMatchInlineSnapshot(
      `"python component 'train': cannot read its Python file /nonexistent/steps/train.py: no such file"`,
    );
  });

  it('needs exactly one of file and source', () => {
    expect(message(() => pythonComponent({ name: 'train' }))).toMatchInlineSnapshot(
      `"python component 'train': give exactly one of file or source"`,
    );
  });

  it('names the function it cannot find, defaulting to the name with _ for -', () => {
    expect(
      message(() => pythonComponent({ name: 'train-model', source: 'def train(x):\n    pass\n' })),
    ).toMatchInlineSnapshot(`"python component 'train-model': no 'def train_model(' in its source"`);
    expect(
      message(() => pythonComponent({ name: 't', function: 'fit', source: 'def train(x):\n    pass\n' })),
    ).toMatchInlineSnapshot(`"python component 't': no 'def fit(' in its source"`);
  });

  it('names declared inputs and output artifacts that are not parameters of the def', () => {
    expect(
      message(() =>
        pythonComponent({
          name: 'train',
          inputs: { data: Dataset, epochs: Param.int() },
          outputs: { model: Model },
          source: 'def train(data: Input[Dataset]):\n    pass\n',
        }),
      ),
    ).toMatchInlineSnapshot(
      `"python component 'train': 'epochs', 'model' are declared but not a parameter of def train(data) in its source"`,
    );
  });

  it('explains that a plain return value is KFP output Output', () => {
    expect(
      message(() =>
        pythonComponent({
          name: 'train',
          outputs: { accuracy: Param.float() },
          source: 'def train() -> float:\n    return 1.0\n',
        }),
      ),
    ).toMatchInlineSnapshot(
      `"python component 'train': def train() in its source returns a plain 'float', which KFP publishes as the output 'Output', but the outputs declare 'accuracy': name the output 'Output', or return NamedTuple('Outputs', [('accuracy', …)]), or take it as an OutputPath parameter"`,
    );
    expect(
      message(() =>
        pythonComponent({
          name: 'train',
          outputs: { accuracy: Param.float() },
          source: 'def train():\n    return 1.0\n',
        }),
      ),
    ).toMatchInlineSnapshot(
      `"python component 'train': output parameter 'accuracy' must come from the return value of def train() in its source, which has no return annotation: return NamedTuple('Outputs', [('accuracy', …)]), or take it as an OutputPath parameter"`,
    );
  });

  it('names output parameters missing from the NamedTuple', () => {
    expect(
      message(() =>
        pythonComponent({
          name: 'train',
          outputs: { accuracy: Param.float(), loss: Param.float() },
          source: "def train() -> NamedTuple('Outputs', [('accuracy', float)]):\n    pass\n",
        }),
      ),
    ).toMatchInlineSnapshot(
      `"python component 'train': output parameter 'loss' is neither a parameter of def train() in its source nor a field of its return NamedTuple (accuracy)"`,
    );
  });

  it('refuses requirements that cannot be quoted as KFP quotes them', () => {
    expect(
      message(() =>
        pythonComponent({ name: 'f', source: 'def f():\n    pass\n', packagesToInstall: ["it's"] }),
      ),
    ).toMatchInlineSnapshot(
      `"python component 'f': packagesToInstall entry "it's" must be a non-empty requirement without quotes or newlines"`,
    );
  });
});
