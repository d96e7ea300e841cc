/**
 * The `sluice execute-function` side of a TypeScript function component: load the module named in the IR,
 * call the component's `run(inputs, outputs)` with values built from the ExecutorInput, then hand the
 * results back through KFP's protocol: each returned output parameter into its output file, artifact
 * metadata into the ExecutorOutput file. A KFP launcher or Sluice's executor reads them like any program's.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue } from '../ir/index.ts';
import type { ExecutorInput, ExecutorOutput } from './executor-input.ts';
import {
  CLASSIFICATION_METRICS,
  FunctionInputArtifact,
  FunctionOutputArtifact,
  METRICS,
} from './function-artifacts.ts';
import { formatParameterValue } from './parameter-text.ts';
import { FunctionLoadError } from './runtime-errors.ts';

export interface FunctionLaunch {
  executorInput: ExecutorInput;
  /** The directory `module` is relative to (the project's package.json directory). */
  projectRoot: string;
  /** POSIX path of the module, relative to `projectRoot`, as the IR holds it. */
  module: string;
  exportName: string;
  /** `sha256:<hex>` of the module source at compile time; a mismatch is reported by `onWarning`. */
  codeDigest?: string;
  onWarning?: (message: string) => void;
}

type RunFunction = (inputs: Record<string, unknown>, outputs: Record<string, unknown>) => unknown;
interface LoadedComponent {
  run: RunFunction;
  /** `component().definition`, read only for which inputs are artifact lists. */
  definition?: { inputs?: Record<string, { isList?: boolean } | undefined> };
}

/**
 * Runs the function once. Whatever the user's code throws propagates unchanged (the CLI prints its stack
 * and exits non-zero); problems with the module or the returned value are FunctionLoadError / Error with
 * a message naming the module, export or output.
 */
export async function launchFunction(launch: FunctionLaunch): Promise<void> {
  const file = resolve(launch.projectRoot, launch.module);
  const component = await loadComponent(file, launch);
  const { executorInput } = launch;
  const inputs = buildInputs(executorInput, component);
  const outputs: Record<string, FunctionOutputArtifact> = {};
  for (const [name, entry] of Object.entries(executorInput.outputs.artifacts)) {
    const artifact = entry.artifacts[0];
    if (artifact) outputs[name] = new FunctionOutputArtifact(name, artifact);
  }
  // As KFP's Python executor does: the function may open `path` for writing without creating its parent.
  await Promise.all(
    Object.values(outputs).map((artifact) => mkdir(dirname(artifact.path), { recursive: true })),
  );
  const result = await component.run(inputs, outputs);
  await writeOutputParameters(executorInput, result, launch.exportName);
  await writeArtifactOutputs(executorInput, outputs);
}

async function loadComponent(file: string, launch: FunctionLaunch): Promise<LoadedComponent> {
  const where = `${launch.module} (under ${launch.projectRoot})`;
  try {
    await access(file);
  } catch {
    throw new FunctionLoadError(
      launch.module,
      launch.exportName,
      `function component module ${where} does not exist; run from the project root or pass --project-root`,
    );
  }
  if (launch.codeDigest) await checkDigest(file, launch);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const exported = module[launch.exportName] as Partial<LoadedComponent> | undefined;
  if (exported === undefined) {
    const names = Object.keys(module).join(', ') || 'none';
    throw new FunctionLoadError(
      launch.module,
      launch.exportName,
      `${where} has no export '${launch.exportName}' (its exports: ${names}); was the component renamed since compiling?`,
    );
  }
  if (typeof exported?.run !== 'function') {
    throw new FunctionLoadError(
      launch.module,
      launch.exportName,
      `export '${launch.exportName}' of ${where} is not a function component (no .run); export the value component({ run }) returns`,
    );
  }
  return exported as LoadedComponent;
}

async function checkDigest(file: string, launch: FunctionLaunch): Promise<void> {
  const actual = `sha256:${createHash('sha256')
    .update(await readFile(file))
    .digest('hex')}`;
  if (actual !== launch.codeDigest) {
    launch.onWarning?.(
      `${launch.module} changed since the pipeline was compiled (code digest ${actual}, IR has ${launch.codeDigest}); recompile so caching sees the change`,
    );
  }
}

function buildInputs(executorInput: ExecutorInput, component: LoadedComponent): Record<string, unknown> {
  const inputs: Record<string, unknown> = { ...executorInput.inputs.parameterValues };
  for (const [name, entry] of Object.entries(executorInput.inputs.artifacts)) {
    const artifacts = entry.artifacts.map((artifact) => new FunctionInputArtifact(artifact));
    const isList = component.definition?.inputs?.[name]?.isList ?? artifacts.length !== 1;
    inputs[name] = isList ? artifacts : artifacts[0];
  }
  return inputs;
}

async function writeOutputParameters(executorInput: ExecutorInput, result: unknown, exportName: string) {
  const declared = executorInput.outputs.parameters;
  const names = Object.keys(declared);
  if (names.length === 0) return;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new TypeError(
      `${exportName}: run() must return an object with its output parameters (${names.join(', ')}), got ${describe(result)}`,
    );
  }
  const values = result as Record<string, unknown>;
  const extra = Object.keys(values).filter((key) => !Object.hasOwn(declared, key));
  if (extra.length > 0) {
    throw new TypeError(
      `${exportName}: run() returned ${extra.map((k) => `'${k}'`).join(', ')}, not declared as output parameters (declared: ${names.join(', ')})`,
    );
  }
  await Promise.all(
    names.map(async (name) => {
      const value = values[name];
      if (value === undefined)
        throw new TypeError(`${exportName}: run() returned no value for output '${name}'`);
      const file = declared[name]!.outputFile;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, formatParameterValue(value as JsonValue));
    }),
  );
}

/**
 * Metadata into the ExecutorOutput file. A metrics output whose function wrote no file gets its metadata
 * as JSON content, so that it has something to publish (its value is the metadata, as in KFP's UI).
 */
async function writeArtifactOutputs(
  executorInput: ExecutorInput,
  outputs: Record<string, FunctionOutputArtifact>,
): Promise<void> {
  const executorOutput: Required<Pick<ExecutorOutput, 'artifacts'>> = { artifacts: {} };
  await Promise.all(
    Object.entries(outputs).map(async ([name, artifact]) => {
      executorOutput.artifacts[name] = {
        artifacts: [{ name: artifact.name, uri: artifact.uri, metadata: artifact.metadata }],
      };
      if (artifact.schemaTitle !== METRICS && artifact.schemaTitle !== CLASSIFICATION_METRICS) return;
      if (await exists(artifact.path)) return;
      await mkdir(dirname(artifact.path), { recursive: true });
      await writeFile(artifact.path, `${JSON.stringify(artifact.metadata)}\n`);
    }),
  );
  const file = executorInput.outputs.outputFile;
  if (!file) return;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(executorOutput));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
