import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectOutputs, type ExecutorInput, OutputParameterError } from '../../src/runtime/index.ts';
import { emptyExecutorInput, runtimeArtifact } from './executor-inputs.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sluice-outputs-'));
  await mkdir(path.join(dir, 'outputs'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** An ExecutorInput declaring these outputs, and the types map for collectOutputs. */
function declare(
  types: Record<string, string>,
  artifacts: string[] = [],
): [ExecutorInput, Record<string, string>] {
  const input = emptyExecutorInput(path.join(dir, 'executor_output.json'));
  for (const name of Object.keys(types)) input.outputs.parameters[name] = { outputFile: file(name) };
  for (const name of artifacts) {
    input.outputs.artifacts[name] = {
      artifacts: [
        runtimeArtifact(name, path.join(dir, name), 'system.Model', { declared: true, framework: 'x' }),
      ],
    };
  }
  return [input, types];
}

const file = (name: string) => path.join(dir, 'outputs', name);
const write = (name: string, text: string) => writeFile(file(name), text);

async function failure(input: ExecutorInput, types: Record<string, string>): Promise<OutputParameterError> {
  try {
    await collectOutputs(input, types);
  } catch (error) {
    if (error instanceof OutputParameterError) return error;
    throw error;
  }
  throw new Error('collected');
}

describe('collectOutputs', () => {
  it('reads each output parameter file by its declared type', async () => {
    const [input, types] = declare({
      text: 'STRING',
      count: 'NUMBER_INTEGER',
      ratio: 'NUMBER_DOUBLE',
      yes: 'BOOLEAN',
      no: 'BOOLEAN',
      python: 'BOOLEAN',
      items: 'LIST',
      config: 'STRUCT',
      untyped: 'STRING',
    });
    await Promise.all([
      write('text', '  spaced text\n'),
      write('count', '42\n'),
      write('ratio', '0.25'),
      write('yes', 'true'),
      write('no', 'false\n'),
      write('python', 'True'),
      write('items', '[1, "a"]\n'),
      write('config', '{"a": {"b": 2}}'),
      write('untyped', ''),
    ]);
    expect((await collectOutputs(input, types)).parameters).toEqual({
      text: '  spaced text\n',
      count: 42,
      ratio: 0.25,
      yes: true,
      no: false,
      python: true,
      items: [1, 'a'],
      config: { a: { b: 2 } },
      untyped: '',
    });
  });

  it('reads an output without a declared type as STRING', async () => {
    const [input] = declare({ free: 'STRING' });
    await write('free', '7');
    expect((await collectOutputs(input, {})).parameters).toEqual({ free: '7' });
  });

  it('takes values from the ExecutorOutput file first, typed, and reads files for the rest', async () => {
    const [input, types] = declare({ acc: 'NUMBER_DOUBLE', n: 'NUMBER_INTEGER', tag: 'STRING' });
    await writeFile(
      input.outputs.outputFile,
      JSON.stringify({ parameterValues: { acc: 0.9, n: '3', extra: 1 } }),
    );
    await write('acc', 'not read');
    await write('tag', 'v1');
    expect((await collectOutputs(input, types)).parameters).toEqual({ acc: 0.9, n: 3, tag: 'v1' });
  });

  it('rejects a non-integer for NUMBER_INTEGER, naming the output and the file', async () => {
    const [input, types] = declare({ count: 'NUMBER_INTEGER' });
    await write('count', '1.5');
    const error = await failure(input, types);
    expect(error.code).toBe('OUTPUT_PARAMETER_INVALID');
    expect(error.outputName).toBe('count');
    expect(error.message.replace(dir, '<dir>')).toMatchInlineSnapshot(
      `"output parameter 'count' in <dir>/outputs/count: expected an integer (NUMBER_INTEGER), got "1.5""`,
    );
  });

  it.each([
    ['NUMBER_INTEGER', '5.0'],
    ['NUMBER_INTEGER', '9007199254740993'],
    ['NUMBER_DOUBLE', 'fast'],
    ['NUMBER_DOUBLE', ''],
    ['BOOLEAN', 'yes'],
    ['LIST', '{"a": 1}'],
    ['STRUCT', '[1]'],
    ['STRUCT', '{not json'],
  ])('rejects %s %j', async (type, text) => {
    const [input, types] = declare({ value: type });
    await write('value', text);
    expect((await failure(input, types)).code).toBe('OUTPUT_PARAMETER_INVALID');
  });

  it('rejects a wrongly typed value in the ExecutorOutput file', async () => {
    const [input, types] = declare({ count: 'NUMBER_INTEGER' });
    await writeFile(input.outputs.outputFile, JSON.stringify({ parameterValues: { count: 2.5 } }));
    expect((await failure(input, types)).message).toContain("output parameter 'count'");
  });

  it('fails naming a declared output that was not written', async () => {
    const [input, types] = declare({ model_name: 'STRING' });
    const error = await failure(input, types);
    expect(error.code).toBe('OUTPUT_PARAMETER_MISSING');
    expect(error.message.replace(dir, '<dir>')).toMatchInlineSnapshot(
      `"output parameter 'model_name' was not written: the program must write its value to <dir>/outputs/model_name ({{$.outputs.parameters['model_name'].output_file}}) or put it in the ExecutorOutput file"`,
    );
  });

  it('fails clearly on an ExecutorOutput file that is not JSON', async () => {
    const [input, types] = declare({});
    await writeFile(input.outputs.outputFile, '{oops');
    expect((await failure(input, types)).code).toBe('EXECUTOR_OUTPUT_INVALID');
  });

  it('merges artifact metadata from the ExecutorOutput over the declared metadata', async () => {
    const [input, types] = declare({}, ['model', 'other']);
    await writeFile(
      input.outputs.outputFile,
      JSON.stringify({
        artifacts: {
          model: { artifacts: [{ name: 'model', metadata: { framework: 'torch', accuracy: 0.9 } }] },
        },
      }),
    );
    expect((await collectOutputs(input, types)).artifacts).toEqual({
      model: { metadata: { declared: true, framework: 'torch', accuracy: 0.9 } },
      other: { metadata: { declared: true, framework: 'x' } },
    });
  });

  it('treats a missing ExecutorOutput file as empty', async () => {
    const [input, types] = declare({}, ['model']);
    expect(await collectOutputs(input, types)).toEqual({
      parameters: {},
      artifacts: { model: { metadata: { declared: true, framework: 'x' } } },
    });
  });
});
