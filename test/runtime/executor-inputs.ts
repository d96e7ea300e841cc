/** Builders of ExecutorInputs for the runtime and executor tests. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComponentSpec, JsonValue } from '../../src/ir/index.ts';
import { RUN_VALUE_NAMES } from '../../src/ir/index.ts';
import type { ExecutorInput, RuntimeArtifact } from '../../src/runtime/index.ts';

export function runtimeArtifact(
  name: string,
  filePath: string,
  schemaTitle = 'system.Artifact',
  metadata: Record<string, JsonValue> = {},
): RuntimeArtifact {
  return {
    name,
    uri: pathToFileURL(filePath).href,
    path: filePath,
    type: { schemaTitle, schemaVersion: '0.0.1' },
    metadata,
  };
}

export function emptyExecutorInput(outputFile = ''): ExecutorInput {
  return {
    inputs: { parameterValues: {}, artifacts: {} },
    outputs: { parameters: {}, artifacts: {}, outputFile },
  };
}

/** Every run value KFP defines, so placeholders of any corpus component resolve. */
export const RUN_VALUES: Record<string, string> = Object.fromEntries(
  RUN_VALUE_NAMES.map((name) => [name, `value-of-${name}`]),
);

const SAMPLE_VALUES: Record<string, JsonValue> = {
  STRING: 'text with spaces',
  NUMBER_INTEGER: 5,
  NUMBER_DOUBLE: 0.5,
  BOOLEAN: true,
  LIST: [1, 'two'],
  STRUCT: { key: 'value' },
  TASK_FINAL_STATUS: {
    state: 'SUCCEEDED',
    pipelineJobResourceName: 'job',
    pipelineTaskName: 'task',
    error: {},
  },
  TASK_CONFIG: {},
};

/**
 * A synthetic ExecutorInput for a component: every input parameter (`optional: 'omit'` leaves out optional
 * ones without a default, as an engine would) and artifact, and outputs under `root`.
 */
export function syntheticExecutorInput(
  component: ComponentSpec,
  root: string,
  options: { optional: 'include' | 'omit' } = { optional: 'include' },
): ExecutorInput {
  const input = emptyExecutorInput(path.join(root, 'executor_output.json'));
  for (const [name, spec] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
    if (spec.defaultValue !== undefined) input.inputs.parameterValues[name] = spec.defaultValue as JsonValue;
    else if (spec.isOptional && options.optional === 'omit') continue;
    else input.inputs.parameterValues[name] = SAMPLE_VALUES[parameterTypeOf(spec)] ?? 'x';
  }
  for (const [name, spec] of Object.entries(component.inputDefinitions?.artifacts ?? {})) {
    if (spec.isOptional && options.optional === 'omit') continue;
    const title = spec.artifactType?.schemaTitle ?? 'system.Artifact';
    const count = spec.isArtifactList ? 2 : 1;
    input.inputs.artifacts[name] = {
      artifacts: Array.from({ length: count }, (_, i) =>
        runtimeArtifact(`${name}-${i}`, path.join(root, 'in', name, String(i)), title),
      ),
    };
  }
  for (const name of Object.keys(component.outputDefinitions?.parameters ?? {})) {
    input.outputs.parameters[name] = { outputFile: path.join(root, 'outputs', name) };
  }
  for (const [name, spec] of Object.entries(component.outputDefinitions?.artifacts ?? {})) {
    const title = spec.artifactType?.schemaTitle ?? 'system.Artifact';
    input.outputs.artifacts[name] = {
      artifacts: [runtimeArtifact(name, path.join(root, 'out', name), title)],
    };
  }
  return input;
}

/** The declared type, reading the deprecated v1 `type` (INT/DOUBLE/STRING) too. */
export function parameterTypeOf(spec: { parameterType?: string; type?: string }): string {
  if (spec.parameterType) return spec.parameterType;
  return { INT: 'NUMBER_INTEGER', DOUBLE: 'NUMBER_DOUBLE' }[spec.type ?? ''] ?? 'STRING';
}
