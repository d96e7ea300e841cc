import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  dumpPipeline,
  dumpPipelineJson,
  type PipelineDocument,
  type PipelineSpec,
  parsePipeline,
} from '../../src/ir/index.ts';
import { pythonFloat, pythonRepr } from '../../src/ir/python-repr.ts';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ir/two-step.yaml');
const twoStep = parsePipeline(readFileSync(fixture, 'utf8'));

/** A minimal spec whose root declares the given interface; enough for the header and for key order. */
function specWith(
  root: PipelineSpec['root'],
  info: PipelineSpec['pipelineInfo'] = { name: 'p' },
): PipelineSpec {
  return { pipelineInfo: info, root, schemaVersion: '2.1.0', sdkVersion: 'kfp-2.15.2' };
}

const header = (spec: PipelineSpec) =>
  dumpPipeline({ pipelineSpec: spec })
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .join('\n');

describe('dumpPipeline header', () => {
  it('matches the KFP compiler: name, description lines, sorted inputs with Python-style defaults, outputs', () => {
    const spec = specWith(
      {
        dag: { tasks: {} },
        inputDefinitions: {
          parameters: {
            text: { parameterType: 'STRING', defaultValue: 'Hello   world' },
            epochs: { parameterType: 'NUMBER_INTEGER', defaultValue: 5 },
            rate: { parameterType: 'NUMBER_DOUBLE', defaultValue: 1e-5 },
            flag: { parameterType: 'BOOLEAN', defaultValue: true },
            items: { parameterType: 'LIST', defaultValue: [1, 'a', "it's", null, { k: false }] },
            config: { parameterType: 'STRUCT' },
            status: { parameterType: 'TASK_FINAL_STATUS' },
          },
          artifacts: { data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } },
        },
        outputDefinitions: {
          parameters: { Output: { parameterType: 'STRING' } },
          artifacts: { model: { artifactType: { schemaTitle: 'system.Model' } } },
        },
      },
      { name: 'my-pipeline', description: 'First line.\nSecond line.' },
    );
    expect(header(spec)).toMatchInlineSnapshot(`
      "# PIPELINE DEFINITION
      # Name: my-pipeline
      # Description: First line.
      #              Second line.
      # Inputs:
      #    config: dict
      #    data: system.Dataset
      #    epochs: int [Default: 5.0]
      #    flag: bool [Default: True]
      #    items: list [Default: [1.0, 'a', "it's", None, {'k': False}]]
      #    rate: float [Default: 1e-05]
      #    status: PipelineTaskFinalStatus
      #    text: str [Default: 'Hello   world']
      # Outputs:
      #    Output: str
      #    model: system.Model"
    `);
  });

  it('omits Inputs and Outputs when the root declares none', () => {
    expect(header(specWith({ dag: { tasks: {} } }))).toMatchInlineSnapshot(`
      "# PIPELINE DEFINITION
      # Name: p"
    `);
  });

  it('keeps the header a comment whatever a name or default contains', () => {
    const spec = specWith(
      {
        dag: { tasks: {} },
        inputDefinitions: {
          parameters: { 'a\nb: 1': { parameterType: 'STRING', defaultValue: 'x\ny: 2\u2028' } },
        },
      },
      { name: 'p\nroot: {}' },
    );
    const text = dumpPipeline({ pipelineSpec: spec });
    expect(header(spec)).toMatchInlineSnapshot(`
      "# PIPELINE DEFINITION
      # Name: p\\nroot: {}
      # Inputs:
      #    a\\nb: 1: str [Default: 'x\\ny: 2\\u2028']"
    `);
    expect(parsePipeline(text).pipelineSpec).toEqual(spec);
  });

  it('formats numbers as Python prints floats', () => {
    expect([5, 0.1, 1e-5, 1.5e-7, 1e15, 1e16, 123.456, -0, 1 / 3].map(pythonFloat)).toEqual([
      '5.0',
      '0.1',
      '1e-05',
      '1.5e-07',
      '1000000000000000.0',
      '1e+16',
      '123.456',
      '-0.0',
      '0.3333333333333333',
    ]);
    expect(pythonRepr({ 'q"uote': ["it's", 'tab\t', 'both \' "'] })).toBe(
      `{'q"uote': ["it's", 'tab\\t', 'both \\' "']}`,
    );
  });
});

const pyyaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;

const trickyStrings: PipelineDocument = {
  pipelineSpec: specWith({
    dag: { tasks: {} },
    inputDefinitions: {
      parameters: Object.fromEntries(
        [
          'line 1\nline 2\n',
          '\n\nstarts with blank lines',
          '  leading spaces',
          'trailing spaces  ',
          'ends with a blank line\n\n',
          'single \' and double " quotes',
          'tab\there',
          'crlf\r\nline',
          'unicodé ✓ 😀 \u2028 \u0085 \ufeff',
          'yes',
          'null',
          '1e3',
          '2.10',
          '0777',
          '2024-01-01',
          '- not a list',
          '# not a comment',
          'key: value',
          "{{$.inputs.parameters['x']}}",
          '---',
          '',
          ' ',
          'x'.repeat(300),
          `${'word '.repeat(50)}\n${'  indented '.repeat(20)}`,
          'python:\n    def f():\n\treturn 1\n',
        ].map((value, i) => [`p${i}`, { parameterType: 'STRING' as const, defaultValue: value }]),
      ),
    },
  }),
};

describe('dumpPipeline body', () => {
  it('sorts keys at every level by code point, as PyYAML sort_keys does, including number-like keys', () => {
    const spec = specWith({
      dag: { tasks: {} },
      inputDefinitions: {
        parameters: {
          b: { parameterType: 'STRUCT', defaultValue: { '10': 1, '2': 2, B: 3, a: 4, _: 5 } },
          a: { parameterType: 'STRING', isOptional: true, description: 'd' },
        },
      },
    });
    const body = dumpPipeline({ pipelineSpec: spec }).replace(/^#.*\n/gm, '');
    expect(body).toMatchInlineSnapshot(`
      "pipelineInfo:
        name: p
      root:
        dag:
          tasks: {}
        inputDefinitions:
          parameters:
            a:
              description: d
              isOptional: true
              parameterType: STRING
            b:
              defaultValue:
                '10': 1
                '2': 2
                B: 3
                _: 5
                a: 4
              parameterType: STRUCT
      schemaVersion: 2.1.0
      sdkVersion: kfp-2.15.2
      "
    `);
  });

  it('writes an object used in two places out in full, never as a YAML anchor and alias', () => {
    // Code that builds IR reuses objects (one artifact type for every input); KFP's files have no anchors.
    // comp-b is built first but sorts last: an anchor there would come after its aliases and not load.
    const artifact = { artifactType: { schemaTitle: 'system.Artifact', schemaVersion: '0.0.1' } };
    const component = (executorLabel: string) => ({
      executorLabel,
      inputDefinitions: { artifacts: { in: artifact } },
      outputDefinitions: { artifacts: { out: artifact } },
    });
    const document: PipelineDocument = {
      pipelineSpec: {
        ...specWith({ dag: { tasks: {} } }),
        components: { 'comp-b': component('exec-b'), 'comp-a': component('exec-a') },
      },
    };
    const text = dumpPipeline(document);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parsePipeline(text)).toEqual(document);
  });

  it('writes the PlatformSpec as a second document', () => {
    const text = dumpPipeline(twoStep);
    expect(text.split('\n---\n')[1]).toMatchInlineSnapshot(`
      "platforms:
        kubernetes:
          deploymentSpec:
            executors:
              exec-train:
                secretAsEnv:
                - keyToEnv:
                  - envVar: TOKEN
                    secretKey: token
                  secretNameParameter:
                    runtimeValue:
                      constant: train-secrets
      "
    `);
  });

  it('round-trips strings exactly: newlines, quotes, unicode, leading spaces, YAML look-alikes', () => {
    const text = dumpPipeline(trickyStrings);
    expect(parsePipeline(text)).toEqual(trickyStrings);
    expect(dumpPipeline(parsePipeline(text))).toBe(text);
  });

  it.skipIf(!pyyaml)(
    'writes those strings so PyYAML, the KFP SDK loader, reads them back (needs python3 with PyYAML)',
    () => {
      const script = 'import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin.read()))))';
      const read = JSON.parse(
        execFileSync('python3', ['-c', script], { input: dumpPipeline(trickyStrings), encoding: 'utf8' }),
      );
      expect(read).toEqual([trickyStrings.pipelineSpec]);
    },
  );

  it('round-trips numbers PyYAML would otherwise read as strings, and other JSON values', () => {
    const values = [1e-7, 1e21, 0.1, -3, 2 ** 53, true, false, null, [], {}, [{ a: [null] }]];
    const spec = specWith({
      dag: { tasks: {} },
      inputDefinitions: {
        parameters: Object.fromEntries(
          values.map((value, i) => [`p${i}`, { parameterType: 'LIST' as const, defaultValue: value }]),
        ),
      },
    });
    const document: PipelineDocument = { pipelineSpec: spec };
    expect(parsePipeline(dumpPipeline(document))).toEqual(document);
    expect(dumpPipeline(document)).toContain('defaultValue: 1.0e-7');
  });
});

describe('dumpPipelineJson', () => {
  it('writes sorted, indented JSON that loads back to the same document', () => {
    const text = dumpPipelineJson({ pipelineSpec: specWith({ dag: { tasks: {} } }) });
    expect(text).toMatchInlineSnapshot(`
      "{
        "pipelineInfo": {
          "name": "p"
        },
        "root": {
          "dag": {
            "tasks": {}
          }
        },
        "schemaVersion": "2.1.0",
        "sdkVersion": "kfp-2.15.2"
      }
      "
    `);
    expect(parsePipeline(dumpPipelineJson(twoStep))).toEqual(twoStep);
  });
});
