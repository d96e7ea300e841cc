import { describe, expect, it } from 'vitest';
import { parseCommandLineElement } from '../../src/ir/command-line-elements.ts';
import { collectExecutorReferences } from '../../src/ir/executor-references.ts';
import { formatPlaceholder, type Placeholder, parsePlaceholders } from '../../src/ir/placeholders.ts';
import type { ExecutorSpec, JsonValue } from '../../src/ir/spec.ts';
import { corpusFiles, readCorpusPipeline } from './corpus.ts';

/** The single placeholder a string holds, or the first error message. */
function only(text: string): Placeholder | string {
  const parsed = parsePlaceholders(text);
  if (parsed.errors.length > 0) return parsed.errors[0]!.message;
  const [segment] = parsed.segments;
  return segment?.type === 'PLACEHOLDER' ? segment.placeholder : `no placeholder in ${text}`;
}

function errors(text: string): string[] {
  return parseCommandLineElement(text).errors.map((e) => e.message);
}

describe('parsePlaceholders', () => {
  it.each<[string, Placeholder]>([
    ['{{$}}', { kind: 'EXECUTOR_INPUT' }],
    ["{{$.inputs.parameters['epochs']}}", { kind: 'INPUT_PARAMETER', name: 'epochs' }],
    ["{{$.inputs.artifacts['data']}}", { kind: 'INPUT_ARTIFACT', name: 'data' }],
    ["{{$.inputs.artifacts['data'].uri}}", { kind: 'INPUT_ARTIFACT', name: 'data', property: 'uri' }],
    ["{{$.inputs.artifacts['data'].path}}", { kind: 'INPUT_ARTIFACT', name: 'data', property: 'path' }],
    [
      "{{$.inputs.artifacts['data'].metadata}}",
      { kind: 'INPUT_ARTIFACT', name: 'data', property: 'metadata' },
    ],
    [
      "{{$.inputs.artifacts['data'].metadata['rows']}}",
      { kind: 'INPUT_ARTIFACT', name: 'data', property: 'metadata', metadataKey: 'rows' },
    ],
    ["{{$.outputs.artifacts['model']}}", { kind: 'OUTPUT_ARTIFACT', name: 'model' }],
    ["{{$.outputs.artifacts['model'].uri}}", { kind: 'OUTPUT_ARTIFACT', name: 'model', property: 'uri' }],
    ["{{$.outputs.artifacts['model'].path}}", { kind: 'OUTPUT_ARTIFACT', name: 'model', property: 'path' }],
    [
      "{{$.outputs.artifacts['model'].metadata}}",
      { kind: 'OUTPUT_ARTIFACT', name: 'model', property: 'metadata' },
    ],
    [
      "{{$.outputs.artifacts['model'].metadata['framework']}}",
      { kind: 'OUTPUT_ARTIFACT', name: 'model', property: 'metadata', metadataKey: 'framework' },
    ],
    ["{{$.outputs.parameters['acc'].output_file}}", { kind: 'OUTPUT_PARAMETER_FILE', name: 'acc' }],
    ['{{$.outputs.output_file}}', { kind: 'EXECUTOR_OUTPUT_FILE' }],
    ['{{$.pipeline_job_name}}', { kind: 'RUN_VALUE', name: 'pipeline_job_name' }],
    ['{{$.pipeline_job_resource_name}}', { kind: 'RUN_VALUE', name: 'pipeline_job_resource_name' }],
    ['{{$.pipeline_job_uuid}}', { kind: 'RUN_VALUE', name: 'pipeline_job_uuid' }],
    ['{{$.pipeline_task_name}}', { kind: 'RUN_VALUE', name: 'pipeline_task_name' }],
    ['{{$.pipeline_task_uuid}}', { kind: 'RUN_VALUE', name: 'pipeline_task_uuid' }],
    ['{{$.pipeline_root}}', { kind: 'RUN_VALUE', name: 'pipeline_root' }],
    ['{{$.pipeline_job_create_time_utc}}', { kind: 'RUN_VALUE', name: 'pipeline_job_create_time_utc' }],
    ['{{$.pipeline_job_schedule_time_utc}}', { kind: 'RUN_VALUE', name: 'pipeline_job_schedule_time_utc' }],
    ['{{$.workspace_path}}', { kind: 'RUN_VALUE', name: 'workspace_path' }],
    ['{{$.pipeline_google_cloud_location}}', { kind: 'RUN_VALUE', name: 'pipeline_google_cloud_location' }],
    ['{{$.json_escape[1]}}', { kind: 'EXECUTOR_INPUT', jsonEscape: 1 }],
    ["{{$.inputs.parameters['x'].json_escape[0]}}", { kind: 'INPUT_PARAMETER', name: 'x', jsonEscape: 0 }],
  ])('reads %s and writes it back unchanged', (text, expected) => {
    expect(only(text)).toEqual(expected);
    expect(formatPlaceholder(expected)).toBe(text);
  });

  it('reads kfp.local’s legacy executor output alias', () => {
    expect(only('{{$.outputMetadataUri}}')).toEqual({ kind: 'EXECUTOR_OUTPUT_FILE' });
  });

  it('splits literal text around placeholders and keeps offsets', () => {
    const parsed = parsePlaceholders("--range={{$.inputs.parameters['lo']}}-{{$.inputs.parameters['hi']}}/");
    expect(parsed.errors).toEqual([]);
    expect(parsed.segments.map((s) => (s.type === 'LITERAL' ? s.text : `${s.raw}@${s.offset}`))).toEqual([
      '--range=',
      "{{$.inputs.parameters['lo']}}@8",
      '-',
      "{{$.inputs.parameters['hi']}}@38",
      '/',
    ]);
  });

  it('leaves text that is not KFP syntax alone', () => {
    for (const text of ['{{ jinja }}', '{{workflow.name}}', 'a {{x}} b', 'echo $HOME', '{"a": 1}', '']) {
      const parsed = parsePlaceholders(text);
      expect(parsed.errors).toEqual([]);
      expect(parsed.segments.every((s) => s.type === 'LITERAL')).toBe(true);
    }
  });

  it('ends a placeholder at the first }} so JSON around it stays literal', () => {
    const parsed = parsePlaceholders(`{"specs": {{$.inputs.parameters['specs']}}}`);
    expect(parsed.segments.map((s) => s.type)).toEqual(['LITERAL', 'PLACEHOLDER', 'LITERAL']);
  });

  it('explains malformed placeholders', () => {
    const messages = [
      "{{$.inputs.parameters['x']",
      "{{$.inputs.parameter['x']}}",
      '{{$.inputs.parameters[x]}}',
      "{{$.inputs.parameters['']}}",
      "{{$.outputs.parameters['p']}}",
      "{{$.inputs.artifacts['a'].pth}}",
      "{{$.inputs.parameters['x'].uri}}",
      '{{$.pipeline_job_nam}}',
      '{{$.secrets}}',
      '{{$pipeline_root}}',
      '{{$.json_escape}}',
      '{{$.outputs.output_files}}',
    ].map((text) => only(text));
    expect(messages).toMatchInlineSnapshot(`
      [
        "unterminated placeholder '{{$.inputs.parameters['x']': add '}}'",
        "malformed placeholder '{{$.inputs.parameter['x']}}': expected 'parameters' or 'artifacts' after '$.inputs.', got 'parameter' (did you mean 'parameters'?)",
        "malformed placeholder '{{$.inputs.parameters[x]}}': expected ['name'] at '[x]'",
        "malformed placeholder '{{$.inputs.parameters['']}}': empty name in ['']",
        "malformed placeholder '{{$.outputs.parameters['p']}}': output parameters are written to a file: use {{$.outputs.parameters['p'].output_file}}",
        "malformed placeholder '{{$.inputs.artifacts['a'].pth}}': artifacts have .uri, .path and .metadata, not '.pth' (did you mean '.path'?)",
        "malformed placeholder '{{$.inputs.parameters['x'].uri}}': an input parameter placeholder is the value itself: drop '.uri' (only artifacts have .uri, .path and .metadata)",
        "malformed placeholder '{{$.pipeline_job_nam}}': unknown name 'pipeline_job_nam' after '$.' (did you mean 'pipeline_job_name'?)",
        "malformed placeholder '{{$.secrets}}': unknown name 'secrets' after '$.'; expected inputs, outputs or a run value such as 'pipeline_job_name'",
        "malformed placeholder '{{$pipeline_root}}': expected '.' or '}}' after '$'",
        "malformed placeholder '{{$.json_escape}}': json_escape needs a level, e.g. .json_escape[1]",
        "malformed placeholder '{{$.outputs.output_files}}': expected 'parameters', 'artifacts' or 'output_file' after '$.outputs.', got 'output_files' (did you mean 'output_file'?)",
      ]
    `);
  });
});

describe('parseCommandLineElement', () => {
  it('reads IfPresent with list and single branches', () => {
    const parsed = parseCommandLineElement(
      `{"IfPresent": {"InputName": "lr", "Then": ["--lr", "{{$.inputs.parameters['lr']}}"], "Else": "--default-lr"}}`,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.element).toMatchObject({
      type: 'IF_PRESENT',
      inputName: 'lr',
      whenPresent: [{ type: 'TEMPLATE' }, { type: 'TEMPLATE' }],
      whenAbsent: [{ type: 'TEMPLATE', segments: [{ type: 'LITERAL', text: '--default-lr' }] }],
    });
  });

  it('reads Concat nested in IfPresent nested in Concat', () => {
    const parsed = parseCommandLineElement(
      JSON.stringify({
        Concat: [
          'prefix-',
          { IfPresent: { InputName: 'a', Then: { Concat: ["{{$.inputs.artifacts['a'].uri}}", '/x'] } } },
        ],
      }),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.element).toMatchObject({
      type: 'CONCAT',
      items: [
        { type: 'TEMPLATE' },
        { type: 'IF_PRESENT', whenPresent: [{ type: 'CONCAT' }], whenAbsent: [] },
      ],
    });
  });

  it('treats other JSON strings as templates', () => {
    const parsed = parseCommandLineElement(`{"display_name": "{{$.inputs.parameters['name']}}"}`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.element.type).toBe('TEMPLATE');
  });

  it('explains malformed structures', () => {
    expect([
      ...errors('{"IfPresent": {"InputName": "x", "Then": ["a"]'),
      ...errors('{"IfPresent": {"inputName": "x", "then": ["a"]}}'),
      ...errors('{"Concat": "a"}'),
      ...errors('{"Concat": ["a", 3]}'),
      ...errors('{"Concat": [{"IfPresent": {"InputName": "x", "Then": ["a", "b"]}}]}'),
      ...errors('{"IfPresent": {"InputName": "x", "Then": "{{$.inputs.parameters[\'x\']"}}'),
    ]).toMatchInlineSnapshot(`
      [
        "a {"IfPresent": …} argument must be valid JSON, as KFP decodes it (Expected ',' or '}' after property value in JSON at position 46)",
        "IfPresent: unknown key 'inputName' (did you mean 'InputName'?); allowed: InputName, Then, Else",
        "IfPresent: unknown key 'then' (did you mean 'Then'?); allowed: InputName, Then, Else",
        "IfPresent: needs "InputName", the name of an input of the component",
        "IfPresent: needs "Then", the argument(s) to use",
        "Concat: takes a list of items, got "a"",
        "Concat[1]: expected a string, {"IfPresent": …} or {"Concat": […]}, got 3",
        "Concat[0].IfPresent.Then: inside Concat, Then must be a single element, not a list",
        "IfPresent.Then: unterminated placeholder '{{$.inputs.parameters['x']': add '}}'",
      ]
    `);
  });
});

describe('collectExecutorReferences', () => {
  it('lists references in command, args, env, resources and importer fields', () => {
    const executor: ExecutorSpec = {
      container: {
        image: 'python:3.12',
        command: ['python3', "{{$.inputs.artifacts['script'].path}}"],
        args: [
          '{"IfPresent": {"InputName": "lr", "Then": ["--lr", "{{$.inputs.parameters[\'lr\']}}"]}}',
          "{{$.outputs.parameters['acc'].output_file}}",
          '{{$}}',
        ],
        env: [{ name: 'OUT', value: "{{$.outputs.artifacts['model'].uri}}" }],
        resources: { resourceCpuLimit: "{{$.inputs.parameters['cpu']}}" },
      },
    };
    const importer: ExecutorSpec = {
      importer: {
        artifactUri: { runtimeParameter: 'uri' },
        metadata: { "{{$.inputs.parameters['k']}}": ['v'] },
      },
    };
    const summary = [executor, importer].flatMap((e) =>
      collectExecutorReferences(e).references.map((r) => `${r.path.join('.')} ${r.io} ${r.kind} ${r.name}`),
    );
    expect(summary).toEqual([
      'container.command.1 INPUT ARTIFACT script',
      'container.args.0 INPUT ANY lr',
      'container.args.0 INPUT PARAMETER lr',
      'container.args.1 OUTPUT PARAMETER acc',
      'container.env.0.value OUTPUT ARTIFACT model',
      'container.resources.resourceCpuLimit INPUT PARAMETER cpu',
      'importer.artifactUri.runtimeParameter INPUT PARAMETER uri',
      "importer.metadata.{{$.inputs.parameters['k']}} INPUT PARAMETER k",
    ]);
  });

  it('reports malformed placeholders with their path', () => {
    const found = collectExecutorReferences({
      container: { image: 'alpine', args: ['ok', "{{$.inputs.parameters['x']"] },
    });
    expect(found.errors).toEqual([
      { path: ['container', 'args', 1], offset: 0, message: expect.stringContaining('unterminated') },
    ]);
  });
});

describe('the KFP corpus', () => {
  const files = corpusFiles('valid', 'argo_compatibility');

  it('parses every executor string without an error', () => {
    const problems = files.flatMap((file) => {
      const executors = readCorpusPipeline(file).pipelineSpec.deploymentSpec?.executors ?? {};
      return Object.entries(executors).flatMap(([label, executor]) =>
        collectExecutorReferences(executor).errors.map(
          (e) => `${file} ${label} ${e.path.join('.')}: ${e.message}`,
        ),
      );
    });
    expect(problems).toEqual([]);
  });

  it('parses every {{$…}} anywhere in a document, covering each placeholder kind the corpus uses', () => {
    const kinds = new Set<string>();
    const problems: string[] = [];
    let count = 0;
    let opened = 0;
    for (const file of files) {
      eachString(readCorpusPipeline(file).pipelineSpec as JsonValue, (text) => {
        opened += text.split('{{$').length - 1;
        for (const raw of text.match(/\{\{\$[^}]*\}\}/g) ?? []) {
          count++;
          const parsed = only(raw);
          if (typeof parsed === 'string') problems.push(`${file}: ${parsed}`);
          else kinds.add(parsed.kind === 'RUN_VALUE' ? parsed.name : parsed.kind);
        }
      });
    }
    expect(problems).toEqual([]);
    expect(count).toBe(400);
    expect(opened).toBe(count);
    expect([...kinds].sort()).toMatchInlineSnapshot(`
      [
        "EXECUTOR_INPUT",
        "INPUT_ARTIFACT",
        "INPUT_PARAMETER",
        "OUTPUT_ARTIFACT",
        "OUTPUT_PARAMETER_FILE",
        "pipeline_google_cloud_location",
        "pipeline_google_cloud_project_id",
        "pipeline_job_name",
        "pipeline_job_resource_name",
        "pipeline_job_uuid",
        "pipeline_persistent_resource_id",
        "pipeline_task_name",
        "pipeline_task_uuid",
      ]
    `);
  });
});

function eachString(value: JsonValue, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) eachString(item, visit);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      visit(key);
      eachString(item, visit);
    }
  }
}
