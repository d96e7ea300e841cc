import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipeline, validatePipeline } from '../../src/ir/index.ts';
import { corpusRoot, repoRoot, runSluice, scratchDirectory, writeInlineFiles } from './sluice-cli.ts';

const helloPipeline = `
import { component, Dataset, Param, pipeline } from 'sluice';
export const produce = component({
  name: 'produce', image: 'alpine', inputs: { text: Param.string() }, outputs: { data: Dataset },
  command: ['sh', '-c', 'echo "$0" > "$1"'], args: ({ inputs, outputs }) => [inputs.text, outputs.data.path],
});
export const consume = component({
  name: 'consume', image: 'alpine', inputs: { data: Dataset }, command: ['cat'], args: ({ inputs }) => [inputs.data.path],
});
export const other = pipeline({ name: 'other' }, () => { produce({ text: 'x' }); });
export default pipeline({ name: 'inline-hello', inputs: { text: Param.string({ default: 'hi' }) } }, ({ text }) => {
  consume({ data: produce({ text }).outputs.data });
});
`;

describe('sluice validate', () => {
  it('accepts valid IR files and exits 0', async () => {
    const result = await runSluice([
      'validate',
      join(corpusRoot, 'valid/hello_world.yaml'),
      join(corpusRoot, 'valid/two_step_pipeline.yaml'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hello_world.yaml: valid');
    expect(result.stdout).toContain('2 files checked, 0 invalid');
  });

  it('prints every issue of invalid files, one line each with file and path, and exits 1', async () => {
    const files = ['empty_file.yaml', 'invalid_yaml.yaml', 'no_name.yaml'].map((name) =>
      join(corpusRoot, 'invalid', name),
    );
    const result = await runSluice(['validate', ...files]);
    expect(result.code).toBe(1);
    const text = result.stdout.replaceAll(corpusRoot, '<corpus>');
    expect(text).toContain(
      "<corpus>/invalid/invalid_yaml.yaml: components_1: unknown field in PipelineSpec (did you mean 'components'?)",
    );
    expect(text).toContain('<corpus>/invalid/no_name.yaml: pipelineInfo.name:');
    expect(text).toContain('3 files checked, 3 invalid');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('compiles and validates a TypeScript pipeline module', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': helloPipeline });
    const result = await runSluice(['validate', 'pipeline.ts'], { cwd: project });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('pipeline.ts: valid');
    expect(result.code).toBe(0);
  });

  it('reports a file that does not exist as invalid, naming it', async () => {
    const result = await runSluice(['validate', 'nope.yaml', '--json']);
    expect(result.code).toBe(1);
    const [report] = JSON.parse(result.stdout) as {
      file: string;
      valid: boolean;
      error: { code: string; message: string };
    }[];
    expect(report).toMatchObject({ file: 'nope.yaml', valid: false, error: { code: 'IR_READ_FAILED' } });
    expect(report!.error.message).toContain('nope.yaml');
  });
});

describe('sluice compile', () => {
  it('writes IR that validates and reloads to the same document', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': helloPipeline });
    const result = await runSluice(['compile', 'pipeline.ts', '-o', 'out.yaml'], { cwd: project });
    expect(result.code).toBe(0);
    const text = readFileSync(join(project, 'out.yaml'), 'utf8');
    expect(text.startsWith('# PIPELINE DEFINITION\n# Name: inline-hello\n')).toBe(true);
    const document = parsePipeline(text, 'out.yaml');
    expect(validatePipeline(document)).toEqual([]);
    expect(Object.keys(document.pipelineSpec.root?.dag?.tasks ?? {}).sort()).toEqual(['consume', 'produce']);
    expect(document.pipelineSpec.root?.dag?.tasks?.consume?.dependentTasks).toEqual(['produce']);
  });

  it('compiles a named export with --export, and prints to stdout by default', async () => {
    const project = writeInlineFiles({ 'pipeline.ts': helloPipeline });
    const result = await runSluice(['compile', 'pipeline.ts', '--export', 'other'], { cwd: project });
    expect(result.code).toBe(0);
    expect(parsePipeline(result.stdout).pipelineSpec.pipelineInfo?.name).toBe('other');
  });

  it('writes JSON with --json', async () => {
    const result = await runSluice(['compile', 'examples/hello/pipeline.ts', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).pipelineInfo.name).toBe('hello');
  });

  it('exits 2 with one clear line for a missing file, a missing export, or a broken pipeline', async () => {
    const project = writeInlineFiles({
      'pipeline.ts': helloPipeline,
      'broken.ts': `${helloPipeline}\nexport const broken = pipeline({ name: 'broken' }, () => { (consume as any)({ dta: 1 }); });\n`,
    });
    const missing = await runSluice(['compile', 'missing.ts'], { cwd: project });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('error: missing.ts: no such file');

    const noExport = await runSluice(['compile', 'pipeline.ts', '--export', 'nothing'], { cwd: project });
    expect(noExport.code).toBe(2);
    expect(noExport.stderr.trim()).toBe(
      "error: pipeline.ts: no export named 'nothing' (pipeline exports: default, other)",
    );

    const broken = await runSluice(['compile', 'broken.ts', '--export', 'broken'], { cwd: project });
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toBe(
      "error: pipeline 'broken', task 'consume': component 'consume' has no input 'dta' (did you mean 'data'?)",
    );
  });

  it('exits 2 on a usage error and 0 for --help and --version', async () => {
    expect((await runSluice(['frobnicate'])).code).toBe(2);
    expect((await runSluice(['compile'])).code).toBe(2);
    const version = await runSluice(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version,
    );
    expect((await runSluice(['--help'])).code).toBe(0);
  });

  it('writes output only into the directory it is told to', async () => {
    const directory = scratchDirectory();
    const result = await runSluice([
      'compile',
      join(repoRoot, 'examples/hello/pipeline.ts'),
      '-o',
      join(directory, 'hello.yaml'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('hello.yaml');
  });
});
