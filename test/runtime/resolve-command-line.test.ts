import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ExecutorInput,
  expandContainerEnv,
  expandVariables,
  resolveArgument,
  resolveCommandLine,
  UnresolvedPlaceholderError,
} from '../../src/runtime/index.ts';
import { corpusFiles, readCorpusPipeline } from '../ir/corpus.ts';
import {
  emptyExecutorInput,
  RUN_VALUES,
  runtimeArtifact,
  syntheticExecutorInput,
} from './executor-inputs.ts';

function sampleInput(): ExecutorInput {
  const input = emptyExecutorInput('/work/task/executor_output.json');
  input.inputs.parameterValues = {
    text: 'hello world',
    quoted: 'say "hi"\n',
    epochs: 5,
    lr: 0.1,
    whole: 5.0,
    big: 12345678901,
    flag: true,
    off: false,
    items: [1, 'a', { b: null }],
    config: { depth: 3, name: 'x' },
    nothing: null,
  };
  input.inputs.artifacts = {
    data: {
      artifacts: [runtimeArtifact('42', '/store/data', 'system.Dataset', { rows: 10, source: 'csv' })],
    },
    shards: {
      artifacts: [
        runtimeArtifact('7', '/store/s0', 'system.Dataset'),
        runtimeArtifact('8', '/store/s1', 'system.Dataset'),
      ],
    },
    remote: {
      artifacts: [
        {
          name: '9',
          uri: 's3://bucket/key',
          type: { schemaTitle: 'system.Artifact', schemaVersion: '0.0.1' },
          metadata: {},
        },
      ],
    },
  };
  input.outputs.parameters = { acc: { outputFile: '/work/task/outputs/acc' } };
  input.outputs.artifacts = {
    model: {
      artifacts: [runtimeArtifact('model', '/staging/a1/model', 'system.Model', { framework: 'torch' })],
    },
  };
  return input;
}

const context = { executorInput: sampleInput(), runValues: RUN_VALUES };
const one = (text: string) => resolveArgument(text, context);
const message = (text: string) => {
  try {
    one(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} resolved`);
};

describe('resolveArgument: placeholders', () => {
  it('gives the whole ExecutorInput as JSON for {{$}}', () => {
    expect(JSON.parse(one('{{$}}')[0]!)).toEqual(sampleInput());
  });

  it.each([
    ['text', 'hello world'],
    ['epochs', '5'],
    ['lr', '0.1'],
    ['whole', '5'],
    ['big', '12345678901'],
    ['flag', 'true'],
    ['off', 'false'],
    ['items', '[1,"a",{"b":null}]'],
    ['config', '{"depth":3,"name":"x"}'],
  ])('formats input parameter %s as KFP does', (name, expected) => {
    expect(one(`{{$.inputs.parameters['${name}']}}`)).toEqual([expected]);
  });

  it('mixes literal text and several placeholders in one argument', () => {
    expect(one('--epochs={{$.inputs.parameters[\'epochs\']}},lr={{$.inputs.parameters["lr"]}}')).toEqual([
      '--epochs=5,lr=0.1',
    ]);
  });

  it('resolves input artifact uri, path, metadata and one metadata key', () => {
    expect(one("{{$.inputs.artifacts['data'].uri}}")).toEqual(['file:///store/data']);
    expect(one("{{$.inputs.artifacts['data'].path}}")).toEqual(['/store/data']);
    expect(one("{{$.inputs.artifacts['data'].metadata}}")).toEqual(['{"rows":10,"source":"csv"}']);
    expect(one("{{$.inputs.artifacts['data'].metadata['rows']}}")).toEqual(['10']);
    expect(one("{{$.inputs.artifacts['data'].metadata['source']}}")).toEqual(['csv']);
  });

  it('gives a list of artifacts as JSON', () => {
    const list = JSON.parse(one("{{$.inputs.artifacts['shards']}}")[0]!);
    expect(list.map((a: { name: string; uri: string }) => [a.name, a.uri])).toEqual([
      ['7', 'file:///store/s0'],
      ['8', 'file:///store/s1'],
    ]);
  });

  it('resolves output artifacts, output parameter files and the ExecutorOutput file', () => {
    expect(one("{{$.outputs.artifacts['model'].uri}}")).toEqual(['file:///staging/a1/model']);
    expect(one("{{$.outputs.artifacts['model'].path}}")).toEqual(['/staging/a1/model']);
    expect(one("{{$.outputs.artifacts['model'].metadata['framework']}}")).toEqual(['torch']);
    expect(JSON.parse(one("{{$.outputs.artifacts['model']}}")[0]!)[0].name).toBe('model');
    expect(one("{{$.outputs.parameters['acc'].output_file}}")).toEqual(['/work/task/outputs/acc']);
    expect(one('{{$.outputs.output_file}}')).toEqual(['/work/task/executor_output.json']);
    expect(one('{{$.outputMetadataUri}}')).toEqual(['/work/task/executor_output.json']);
  });

  it('resolves run values from the map', () => {
    for (const name of [
      'pipeline_job_name',
      'pipeline_job_uuid',
      'pipeline_task_name',
      'pipeline_task_uuid',
    ]) {
      expect(one(`{{$.${name}}}`)).toEqual([`value-of-${name}`]);
    }
    const runValues = { pipeline_root: '/root', pipeline_job_create_time_utc: '2026-01-02T03:04:05Z' };
    expect(
      resolveArgument('{{$.pipeline_root}}@{{$.pipeline_job_create_time_utc}}', { ...context, runValues }),
    ).toEqual(['/root@2026-01-02T03:04:05Z']);
  });

  it("keeps Vertex-only run values as text when the run has none (KFP's backend does the same)", () => {
    const bare = { ...context, runValues: {} };
    expect(resolveArgument('{{$.pipeline_google_cloud_project_id}}', bare)).toEqual([
      '{{$.pipeline_google_cloud_project_id}}',
    ]);
  });

  it('escapes for embedding in JSON with json_escape[N]', () => {
    expect(one("{{$.inputs.parameters['quoted'].json_escape[1]}}")).toEqual(['say \\"hi\\"\\n']);
    expect(one("{{$.inputs.parameters['quoted'].json_escape[2]}}")).toEqual(['say \\\\\\"hi\\\\\\"\\\\n']);
    expect(one("{{$.inputs.parameters['quoted'].json_escape[0]}}")).toEqual(['say "hi"\n']);
    const payload = `{"input": "${one('{{$.json_escape[1]}}')[0]}"}`;
    expect(JSON.parse(JSON.parse(payload).input)).toEqual(sampleInput());
  });

  it('leaves text that is not a {{$…}} placeholder alone', () => {
    expect(one('{{ jinja }} $HOME $(rm -rf /) `x`')).toEqual(['{{ jinja }} $HOME $(rm -rf /) `x`']);
    expect(one('')).toEqual(['']);
  });
});

describe('resolveArgument: IfPresent and Concat', () => {
  const ifPresent = (name: string, then: unknown, otherwise?: unknown) =>
    JSON.stringify({
      IfPresent: { InputName: name, Then: then, ...(otherwise === undefined ? {} : { Else: otherwise }) },
    });

  it('takes Then when the input has a value, with several argv entries from a list', () => {
    expect(one(ifPresent('epochs', ['--epochs', "{{$.inputs.parameters['epochs']}}"]))).toEqual([
      '--epochs',
      '5',
    ]);
    expect(one(ifPresent('data', "{{$.inputs.artifacts['data'].path}}"))).toEqual(['/store/data']);
  });

  it('takes Else, or nothing, when the input is absent or null', () => {
    expect(one(ifPresent('missing', ['--x', 'y']))).toEqual([]);
    expect(one(ifPresent('nothing', ['--x', 'y']))).toEqual([]);
    expect(one(ifPresent('missing', ['--x'], ['--default', '1']))).toEqual(['--default', '1']);
  });

  it('nests Concat inside IfPresent and IfPresent inside Concat', () => {
    const concat = JSON.stringify({ Concat: ['--lr=', "{{$.inputs.parameters['lr']}}"] });
    expect(one(ifPresent('lr', [JSON.parse(concat)]))).toEqual(['--lr=0.1']);
    const inner = (name: string) => ({ IfPresent: { InputName: name, Then: '+present', Else: '+absent' } });
    expect(
      one(JSON.stringify({ Concat: ['a', inner('epochs'), inner('missing'), { Concat: ['-', 'z'] }] })),
    ).toEqual(['a+present+absent-z']);
    const deep = ifPresent('text', [
      { Concat: ['--t=', { IfPresent: { InputName: 'missing', Then: 'never' } }, 'end'] },
    ]);
    expect(one(deep)).toEqual(['--t=end']);
  });

  it('does not resolve the branch it does not take', () => {
    expect(one(ifPresent('missing', "{{$.inputs.parameters['missing']}}", 'fallback'))).toEqual(['fallback']);
  });

  it('resolves a whole command line, command then args', () => {
    const argv = resolveCommandLine(
      {
        command: ['sh', '-c', 'echo "$0" "$@"'],
        args: [
          '--epochs',
          "{{$.inputs.parameters['epochs']}}",
          ifPresent('missing', ['--never']),
          '--out',
          "{{$.outputs.artifacts['model'].path}}",
        ],
      },
      context,
    );
    expect(argv).toEqual(['sh', '-c', 'echo "$0" "$@"', '--epochs', '5', '--out', '/staging/a1/model']);
  });
});

describe('resolveArgument: errors name the placeholder', () => {
  it('refuses an unknown input instead of resolving it to an empty string', () => {
    expect(() => one("{{$.inputs.parameters['epoch']}}")).toThrow(UnresolvedPlaceholderError);
    expect(message("--n={{$.inputs.parameters['epoch']}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.inputs.parameters['epoch']}} in argument "--n={{$.inputs.parameters['epoch']}}": no input parameter 'epoch' (did you mean 'epochs'?); the task's input parameters: 'text', 'quoted', 'epochs', 'lr', 'whole', 'big', 'flag', 'off', 'items', 'config', 'nothing'; if it is optional, wrap the argument in IfPresent"`,
    );
  });

  it('explains each kind of missing value', () => {
    expect(message("{{$.inputs.parameters['nothing']}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.inputs.parameters['nothing']}}: input parameter 'nothing' is null (not provided); if it is optional, wrap the argument in IfPresent"`,
    );
    expect(message("{{$.inputs.artifacts['dataset'].path}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.inputs.artifacts['dataset'].path}}: no input artifact 'dataset'; the task's input artifacts: 'data', 'shards', 'remote'; if it is optional, wrap the argument in IfPresent"`,
    );
    expect(message("{{$.inputs.artifacts['shards'].uri}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.inputs.artifacts['shards'].uri}}: 'shards' holds 2 artifacts, not one; {{$.inputs.artifacts['shards']}} gives the list as JSON"`,
    );
    expect(message("{{$.inputs.artifacts['remote'].path}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.inputs.artifacts['remote'].path}}: artifact 'remote' (s3://bucket/key) has no local path on this machine"`,
    );
    expect(message("{{$.inputs.artifacts['data'].metadata['cols']}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.inputs.artifacts['data'].metadata['cols']}}: artifact 'data' has no metadata key 'cols'; it has 'rows', 'source'"`,
    );
    expect(message("{{$.outputs.parameters['accuracy'].output_file}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.outputs.parameters['accuracy'].output_file}}: no output parameter 'accuracy'; the task's output parameters: 'acc'"`,
    );
    expect(message("{{$.outputs.artifacts['metrics'].uri}}")).toMatchInlineSnapshot(
      `"cannot resolve {{$.outputs.artifacts['metrics'].uri}}: no output artifact 'metrics'; the task's output artifacts: 'model'"`,
    );
    expect(
      resolveArgumentMessage('{{$.pipeline_job_uuid}}', { ...context, runValues: {} }),
    ).toMatchInlineSnapshot(
      `"cannot resolve {{$.pipeline_job_uuid}}: the run provides no 'pipeline_job_uuid'"`,
    );
  });

  it('refuses a malformed placeholder or IfPresent', () => {
    expect(message("{{$.inputs.parameter['x']}}")).toMatchInlineSnapshot(
      `"invalid argument "{{$.inputs.parameter['x']}}": malformed placeholder '{{$.inputs.parameter['x']}}': expected 'parameters' or 'artifacts' after '$.inputs.', got 'parameter' (did you mean 'parameters'?)"`,
    );
    expect(message('{"IfPresent": {"Then": ["x"]}}')).toMatchInlineSnapshot(
      `"invalid argument "{\\"IfPresent\\": {\\"Then\\": [\\"x\\"]}}": IfPresent: needs "InputName", the name of an input of the component"`,
    );
  });
});

function resolveArgumentMessage(text: string, ctx: typeof context): string {
  try {
    resolveArgument(text, ctx);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} resolved`);
}

describe('expandContainerEnv: Kubernetes $(VAR) expansion', () => {
  it('expands references to the base and to earlier entries, and keeps unknown ones', () => {
    const env = expandContainerEnv(
      [
        { name: 'DATA', value: '$(HOME)/data' },
        { name: 'OUT', value: '$(DATA)/out:$(LATER):$(UNKNOWN)' },
        { name: 'LATER', value: 'late' },
      ],
      { HOME: '/home/me' },
    );
    expect(env).toEqual({
      DATA: '/home/me/data',
      OUT: '/home/me/data/out:$(LATER):$(UNKNOWN)',
      LATER: 'late',
    });
  });

  it.each([
    ['$$(HOME)', '$(HOME)'],
    ['$$$(HOME)', '$/h'],
    ['$$', '$'],
    ['cost: $5', 'cost: $5'],
    ['$HOME', '$HOME'],
    ['$(HOME', '$(HOME'],
    ['end$', 'end$'],
    ['$()', '$()'],
    ['a$(HOME)b$(HOME)', 'a/hb/h'],
  ])('%s → %s', (input, expected) => {
    expect(expandVariables(input, (name) => (name === 'HOME' ? '/h' : undefined))).toBe(expected);
  });
});

describe('every container of the KFP corpus resolves', () => {
  const files = corpusFiles('valid');

  it.each(['include', 'omit'] as const)('with optional inputs without default: %s', (optional) => {
    let resolved = 0;
    const failures: string[] = [];
    for (const file of files) {
      const spec = readCorpusPipeline(file).pipelineSpec;
      for (const [name, component] of Object.entries(spec.components ?? {})) {
        const container = component.executorLabel
          ? spec.deploymentSpec?.executors?.[component.executorLabel]?.container
          : undefined;
        if (!container) continue;
        const executorInput = syntheticExecutorInput(component, path.join('/tmp/corpus', name), { optional });
        try {
          const argv = resolveCommandLine(container, { executorInput, runValues: RUN_VALUES });
          expandContainerEnv(container.env, { HOME: '/home' });
          const leftover = argv.filter((arg) => /\{\{\$(\.(inputs|outputs)\b|\}\})/.test(arg));
          if (leftover.length > 0) failures.push(`${file} ${name}: unresolved ${leftover[0]!.slice(0, 100)}`);
          resolved++;
        } catch (error) {
          failures.push(`${file} ${name}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(resolved).toBeGreaterThan(250);
  });
});
