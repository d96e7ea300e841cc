import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodePipeline,
  dumpPipelineJson,
  formatIssues,
  IrInvalidError,
  IrParseError,
  PipelineReadError,
  parsePipeline,
  readPipelineFile,
  validatePipelineFile,
  validatePipelineText,
} from '../../src/ir/index.ts';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ir/two-step.yaml');
const twoStep = readFileSync(fixture, 'utf8');
const [specText = '', platformText = ''] = twoStep.split('\n---\n');

/** The message a caller sees, or a failure when nothing was thrown. */
function rejection(text: string, source = 'pipeline.yaml'): string {
  try {
    parsePipeline(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(IrInvalidError);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
    return (error as Error).message;
  }
  throw new Error('the text was accepted');
}

describe('parsePipeline', () => {
  it('reads the PipelineSpec and the PlatformSpec after ---', () => {
    const document = parsePipeline(twoStep);
    expect(document.pipelineSpec.pipelineInfo?.name).toBe('two-step');
    expect(Object.keys(document.platformSpec?.platforms ?? {})).toEqual(['kubernetes']);
  });

  it('reads a single document with no PlatformSpec', () => {
    expect(parsePipeline(specText).platformSpec).toBeUndefined();
  });

  it('reports a YAML syntax error as file:line:column and a plain message', () => {
    const broken = specText.replace('  name: two-step', '  name: "two-step');
    expect(rejection(broken)).toMatchInlineSnapshot(
      `"pipeline.yaml:64:9: this quoted string is never closed"`,
    );
    const error = (() => {
      try {
        parsePipeline(broken, 'pipeline.yaml');
      } catch (caught) {
        return caught as IrParseError;
      }
    })();
    expect(error).toBeInstanceOf(IrParseError);
    expect(error?.code).toBe('IR_INVALID');
    expect(error?.issues[0]).toMatchObject({
      code: 'PARSE_ERROR',
      line: expect.any(Number),
      column: expect.any(Number),
    });
  });

  it('reports tabs and duplicate keys with their positions', () => {
    expect(rejection('pipelineInfo:\n\tname: x\n')).toMatchInlineSnapshot(
      `"pipeline.yaml:2:1: Tabs are not allowed as indentation"`,
    );
    expect(rejection('root: {}\nroot: {}\n')).toMatchInlineSnapshot(
      `"pipeline.yaml:2:1: Map keys must be unique"`,
    );
  });

  it('finds a duplicate key at any depth, in block and flow style and in JSON', () => {
    expect(
      rejection('pipelineInfo: {name: x}\nroot:\n  dag:\n    tasks:\n      a: {}\n      a: {}\n'),
    ).toMatchInlineSnapshot(`"pipeline.yaml:6:7: Map keys must be unique"`);
    expect(rejection('root: {dag: {tasks: {a: {}, b: {}, a: {}}}}\n')).toMatchInlineSnapshot(
      `"pipeline.yaml:1:36: Map keys must be unique"`,
    );
    expect(rejection('{"root": {"dag": {"tasks": {"a": {}, "a": {}}}}}')).toMatchInlineSnapshot(
      `"pipeline.yaml:1:38: Map keys must be unique"`,
    );
    // Keys that read as the same value are the same key, as PyYAML and the `yaml` package read them.
    expect(rejection('root: {}\ntrue: 1\nyes: 2\n')).toMatchInlineSnapshot(
      `"pipeline.yaml:3:1: Map keys must be unique"`,
    );
  });

  it('rejects an empty file and a file of comments', () => {
    expect(rejection('')).toMatchInlineSnapshot(
      `"pipeline.yaml: the file holds no YAML document (it is empty or only comments); expected a PipelineSpec"`,
    );
    expect(rejection('# PIPELINE DEFINITION\n# Name: echo\n')).toMatchInlineSnapshot(
      `"pipeline.yaml: the file holds no YAML document (it is empty or only comments); expected a PipelineSpec"`,
    );
  });

  it('rejects a third document, pointing at it', () => {
    expect(rejection(`${twoStep}---\nplatforms: {}\n`)).toMatchInlineSnapshot(
      `"pipeline.yaml:138:1: found 3 YAML documents; a pipeline file holds a PipelineSpec and, optionally, a PlatformSpec after '---'"`,
    );
  });

  it('rejects documents that are not mappings', () => {
    expect(rejection('- a\n- b\n')).toMatchInlineSnapshot(
      `"pipeline.yaml:1:1: the first document (the PipelineSpec) must be a mapping, got a list"`,
    );
    expect(rejection(`${specText}\n---\njust text\n`)).toMatchInlineSnapshot(
      `"pipeline.yaml:125:1: the second document (the PlatformSpec) must be a mapping, got the string "just text""`,
    );
  });

  it('rejects a second PipelineSpec in place of the PlatformSpec', () => {
    expect(rejection(`${specText}\n---\n${specText}`)).toMatchInlineSnapshot(
      `"pipeline.yaml:134:1: the second document is another PipelineSpec; a file holds one pipeline, and only a PlatformSpec ('platforms:') may follow it"`,
    );
  });

  it('ignores empty documents (a stray ---), as KFP does', () => {
    expect(parsePipeline(`---\n${specText}\n---\n`).pipelineSpec.pipelineInfo?.name).toBe('two-step');
  });

  it('accepts the PlatformSpec written first, as KFP does', () => {
    const swapped = parsePipeline(`${platformText}\n---\n${specText}`);
    expect(swapped).toEqual(parsePipeline(twoStep));
  });

  it('reads JSON, with JSON number rules', () => {
    const document = parsePipeline(twoStep);
    const json = dumpPipelineJson(document);
    expect(parsePipeline(json)).toEqual(document);
    const spec = JSON.parse(dumpPipelineJson({ pipelineSpec: document.pipelineSpec }));
    spec.root.inputDefinitions.parameters.epochs.defaultValue = 1e3;
    const reread = parsePipeline(JSON.stringify(spec));
    expect(reread.pipelineSpec.root?.inputDefinitions?.parameters?.epochs?.defaultValue).toBe(1000);
  });

  it('reports a JSON syntax error with its position', () => {
    expect(
      rejection('{\n  "pipelineInfo": {"name": "x"}\n  "root": {}\n}\n', 'pipeline.json'),
    ).toMatchInlineSnapshot(`"pipeline.json:3:3: Missing , between flow map items"`);
  });

  it('unwraps a PipelineJob and returns its parameter values', () => {
    const { pipelineSpec, platformSpec } = parsePipeline(twoStep);
    const job = { displayName: 'nightly', pipelineSpec, runtimeConfig: { parameterValues: { epochs: 7 } } };
    const decoded = decodePipeline(JSON.stringify(job));
    expect(decoded).toEqual({ ok: true, document: { pipelineSpec }, parameterValues: { epochs: 7 } });
    const combined = { pipeline_spec: pipelineSpec, platform_spec: platformSpec };
    expect(parsePipeline(JSON.stringify(combined))).toEqual({ pipelineSpec, platformSpec });
  });

  it('accepts what protobuf JSON parsers accept: proto field names, and null for an unset field', () => {
    const text = specText
      .replace('pipelineInfo:', 'pipeline_info:')
      .replace('sdkVersion: kfp-2.15.2', 'sdk_version: kfp-2.15.2\ndefaultPipelineRoot:');
    const { pipelineSpec } = parsePipeline(text);
    expect(pipelineSpec.pipelineInfo?.name).toBe('two-step');
    expect(pipelineSpec.sdkVersion).toBe('kfp-2.15.2');
    expect('defaultPipelineRoot' in pipelineSpec).toBe(false);
  });

  it('keeps null where the field is a google.protobuf.Value', () => {
    const text = specText.replace('defaultValue: hello', 'defaultValue: null');
    expect(
      parsePipeline(text).pipelineSpec.root?.inputDefinitions?.parameters?.message?.defaultValue,
    ).toBeNull();
  });

  it('throws IrInvalidError listing every structural issue', () => {
    const broken = specText
      .replace('components:', 'component:')
      .replace(
        'isOptional: true\n        parameterType: STRING',
        'isOptional: true\n        parameterType: STR',
      )
      .replace('image: alpine:3.20', 'imag: alpine:3.20');
    expect(rejection(broken)).toMatchInlineSnapshot(`
      "pipeline.yaml is not a valid pipeline (4 issues):
      component: unknown field in PipelineSpec (did you mean 'components'?)
      deploymentSpec.executors.exec-make-data.container.imag: unknown field in PipelineContainerSpec (did you mean 'image'?)
      deploymentSpec.executors.exec-make-data.container.image: missing; name the container image to run
      root.inputDefinitions.parameters.message.parameterType: unknown value "STR"; expected one of NUMBER_DOUBLE, NUMBER_INTEGER, STRING, BOOLEAN, LIST, STRUCT, TASK_FINAL_STATUS, TASK_CONFIG"
    `);
  });
});

describe('readPipelineFile', () => {
  it('reads a file and names it in messages', async () => {
    await expect(readPipelineFile(fixture)).resolves.toEqual(parsePipeline(twoStep));
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-load-'));
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'a: [1\n');
    await expect(readPipelineFile(file)).rejects.toThrow(`${file}:2:1: `);
  });

  it('throws PipelineReadError for a missing file', async () => {
    const missing = path.join(tmpdir(), 'sluice-no-such-pipeline.yaml');
    await expect(readPipelineFile(missing)).rejects.toBeInstanceOf(PipelineReadError);
    await expect(readPipelineFile(missing)).rejects.toThrow(
      `cannot read pipeline file ${missing}: no such file`,
    );
  });
});

describe('validatePipelineText / validatePipelineFile (the CLI validate path)', () => {
  it('returns parse errors as PARSE_ERROR issues instead of throwing', () => {
    const issues = validatePipelineText('pipelineInfo: {name: x\n');
    expect(formatIssues(issues, 'pipeline.yaml')).toMatchInlineSnapshot(
      `"pipeline.yaml:2:1: Flow map in block collection must be sufficiently indented and end with a }"`,
    );
  });

  it('returns structural issues, and [] for a good file', async () => {
    expect(
      validatePipelineText(specText.replace('schemaVersion: 2.1.0', 'schemaVersion: 3.0.0')),
    ).toMatchInlineSnapshot(`
      [
        {
          "code": "UNSUPPORTED_VERSION",
          "message": "schemaVersion "3.0.0" is not supported; Sluice reads 2.0.0 and 2.1.0",
          "path": "schemaVersion",
        },
      ]
    `);
    await expect(validatePipelineFile(fixture)).resolves.toEqual([]);
  });
});
