/**
 * Runs Sluice's KFP stand-in (src/runtime/kfp-python) the way the local executor does — real python3, a
 * private work directory as cwd — on a component source and an ExecutorInput built from short specs.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pythonCommand } from '../../src/executors/local/process-launcher.ts';
import type { JsonValue } from '../../src/ir/index.ts';
import { builtinKfpArgv, type ExecutorInput, type RuntimeArtifact } from '../../src/runtime/index.ts';

const run = promisify(execFile);

/** The usual head of an embedded KFP source. */
export const HEADER = 'import kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n';

export interface ComponentCase {
  source: string;
  functionName: string;
  parameters?: Record<string, JsonValue>;
  /** Input artifacts: name → schema title and content written before the run (string, or files of a dir). */
  inputArtifacts?: Record<
    string,
    { schemaTitle: string; content: string } | Array<{ schemaTitle: string; content: string }>
  >;
  outputParameters?: string[];
  /** Output artifacts: name → schema title. */
  outputArtifacts?: Record<string, string>;
  requirements?: string[];
  env?: Record<string, string>;
}

export interface ComponentRun {
  code: number;
  log: string;
  dir: string;
  executorInput: ExecutorInput;
  /** The ExecutorOutput JSON, or undefined when none was written. */
  output:
    | {
        parameterValues?: Record<string, JsonValue>;
        artifacts?: Record<string, { artifacts: RuntimeArtifact[] }>;
      }
    | undefined;
  /** Content at an output artifact's provisioned path. */
  artifactText(name: string): string;
  /** Content of an output parameter file. */
  parameterFile(name: string): string;
}

export async function runComponent(spec: ComponentCase): Promise<ComponentRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-kfp-python-'));
  const artifact = (name: string, schemaTitle: string, index = 0): RuntimeArtifact => {
    const path = join(dir, 'artifacts', `${name}-${index}`);
    return { name, uri: `file://${path}`, path, type: { schemaTitle, schemaVersion: '0.0.1' }, metadata: {} };
  };
  const inputArtifacts: ExecutorInput['inputs']['artifacts'] = {};
  mkdirSync(join(dir, 'artifacts'), { recursive: true });
  for (const [name, entry] of Object.entries(spec.inputArtifacts ?? {})) {
    const list = Array.isArray(entry) ? entry : [entry];
    inputArtifacts[name] = {
      artifacts: list.map(({ schemaTitle, content }, index) => {
        const made = artifact(name, schemaTitle, index);
        writeFileSync(made.path!, content);
        return made;
      }),
    };
  }
  const executorInput: ExecutorInput = {
    inputs: { parameterValues: spec.parameters ?? {}, artifacts: inputArtifacts },
    outputs: {
      parameters: Object.fromEntries(
        (spec.outputParameters ?? []).map((name) => [name, { outputFile: join(dir, 'outputs', name) }]),
      ),
      artifacts: Object.fromEntries(
        Object.entries(spec.outputArtifacts ?? {}).map(([name, title]) => [
          name,
          { artifacts: [artifact(name, title)] },
        ]),
      ),
      outputFile: join(dir, 'executor_output.json'),
    },
  };
  // SLUICE_TEST_PYTHON: run these cases with another interpreter (e.g. the oldest supported, 3.9).
  const argv = builtinKfpArgv(process.env.SLUICE_TEST_PYTHON ?? pythonCommand(), {
    source: spec.source,
    requirements: spec.requirements ?? [],
    executorArgs: [
      '--executor_input',
      JSON.stringify(executorInput),
      '--function_to_execute',
      spec.functionName,
    ],
  });
  let code = 0;
  let log = '';
  try {
    const result = await run(argv[0]!, argv.slice(1), {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...spec.env },
    });
    log = result.stdout + result.stderr;
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    code = failure.code ?? -1;
    log = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
  }
  let output: ComponentRun['output'];
  try {
    output = JSON.parse(readFileSync(executorInput.outputs.outputFile, 'utf8'));
  } catch {
    output = undefined;
  }
  return {
    code,
    log,
    dir,
    executorInput,
    output,
    artifactText: (name) => readFileSync(executorInput.outputs.artifacts[name]!.artifacts[0]!.path!, 'utf8'),
    parameterFile: (name) => readFileSync(executorInput.outputs.parameters[name]!.outputFile, 'utf8'),
  };
}
