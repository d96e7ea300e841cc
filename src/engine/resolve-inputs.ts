/**
 * A task's inputs, resolved from its bindings in the DAG: the enclosing DAG's inputs, sibling outputs,
 * constants (whose `{{$.inputs.parameters['x']}}` placeholders read the task's own other inputs, as KFP's
 * driver resolves them), a sibling's final status, and KFP's parameter expression selectors. Component
 * defaults fill what is absent; executors then get values of each input's declared type.
 */

import type { ComponentSpec, JsonValue, PipelineTaskSpec, TaskInputParameter } from '../ir/index.ts';
import { parsePlaceholders } from '../ir/index.ts';
import { evaluateSelector } from './cel-evaluation.ts';
import { coerceParameter } from './parameter-values.ts';
import { type ArtifactRef, emptyValues, type TaskNode, type TaskValues } from './run-tree.ts';
import { substituteRunValues } from './run-values.ts';

export class InputResolutionError extends Error {}

export interface FinalStatusContext {
  /** KFP's name for the run in a final status (see run-values.ts). */
  jobResourceName: string;
  /** The run-level placeholder values for this task, substituted into `runtimeValue` constants. */
  runValues: Readonly<Record<string, string>>;
}

/** Resolves the inputs of a task spec placed in `parent` (a DAG or iteration node). */
export function resolveTaskInputs(
  spec: PipelineTaskSpec,
  parent: TaskNode,
  component: ComponentSpec,
  context: FinalStatusContext,
): TaskValues {
  const scope = parent.inputs ?? emptyValues();
  const values = emptyValues();
  const constants: [string, JsonValue][] = [];
  for (const [name, binding] of Object.entries(spec.inputs?.parameters ?? {})) {
    const value = parameterValue(name, binding, scope, parent, context);
    if (value === undefined) continue;
    if (isPlaceholderConstant(binding, value)) constants.push([name, value]);
    else values.parameters[name] = value;
  }
  for (const [name, value] of constants)
    values.parameters[name] = fillPlaceholders(value, values.parameters, name);
  for (const [name, binding] of Object.entries(spec.inputs?.artifacts ?? {})) {
    let artifacts: ArtifactRef[] | undefined;
    if (binding.componentInputArtifact !== undefined)
      artifacts = scope.artifacts[binding.componentInputArtifact];
    else if (binding.taskOutputArtifact) {
      const producer = parent.children.get(binding.taskOutputArtifact.producerTask ?? '');
      artifacts = producer?.outputs?.artifacts[binding.taskOutputArtifact.outputArtifactKey ?? ''];
    }
    if (artifacts) values.artifacts[name] = artifacts;
  }
  applyDefaults(values, component);
  return values;
}

function parameterValue(
  name: string,
  binding: TaskInputParameter,
  scope: TaskValues,
  parent: TaskNode,
  context: FinalStatusContext,
): JsonValue | undefined {
  let value: JsonValue | undefined;
  if (binding.componentInputParameter !== undefined)
    value = scope.parameters[binding.componentInputParameter];
  else if (binding.taskOutputParameter) {
    const producer = parent.children.get(binding.taskOutputParameter.producerTask ?? '');
    value = producer?.outputs?.parameters[binding.taskOutputParameter.outputParameterKey ?? ''];
  } else if (binding.runtimeValue) {
    const runtime = binding.runtimeValue;
    if (runtime.constant !== undefined)
      value =
        typeof runtime.constant === 'string'
          ? substituteRunValues(runtime.constant, context.runValues)
          : runtime.constant;
    else if (runtime.constantValue) {
      const legacy = runtime.constantValue;
      value =
        legacy.stringValue ?? (legacy.intValue !== undefined ? Number(legacy.intValue) : legacy.doubleValue);
    } else if (runtime.runtimeParameter !== undefined) value = scope.parameters[runtime.runtimeParameter];
  } else if (binding.taskFinalStatus) {
    const producer = parent.children.get(binding.taskFinalStatus.producerTask ?? '');
    if (producer) value = finalStatus(producer, context);
  }
  if (value === undefined || value === null) return value ?? undefined;
  if (binding.parameterExpressionSelector) {
    try {
      return evaluateSelector(binding.parameterExpressionSelector, value);
    } catch (error) {
      throw new InputResolutionError(`input '${name}': selector failed: ${(error as Error).message}`);
    }
  }
  return value;
}

/** KFP's PipelineTaskFinalStatus as a struct: what an exit task learns about the group it guards. */
function finalStatus(producer: TaskNode, context: FinalStatusContext): JsonValue {
  const error = producer.record.error;
  return {
    // KFP's backend reports the group's execution state as MLMD names it: COMPLETE, FAILED, CANCELED.
    state: producer.state === 'SUCCEEDED' || producer.state === 'CACHED' ? 'COMPLETE' : producer.state,
    pipelineJobResourceName: context.jobResourceName,
    pipelineTaskName: producer.record.path,
    error: error ? { code: error.exitCode ?? 1, message: error.message } : {},
  };
}

function isPlaceholderConstant(binding: TaskInputParameter, value: JsonValue): boolean {
  return binding.runtimeValue !== undefined && JSON.stringify(value).includes('{{$.inputs.parameters[');
}

/** Replaces `{{$.inputs.parameters['x']}}` inside a constant with the task's own input `x`. */
export function fillPlaceholders(
  value: JsonValue,
  parameters: Record<string, JsonValue>,
  inputName: string,
): JsonValue {
  if (typeof value === 'string') {
    const parsed = parsePlaceholders(value);
    let text = '';
    for (const segment of parsed.segments) {
      if (segment.type === 'LITERAL') {
        text += segment.text;
        continue;
      }
      const placeholder = segment.placeholder;
      if (placeholder.kind !== 'INPUT_PARAMETER') {
        text += segment.raw;
        continue;
      }
      const referenced = parameters[placeholder.name];
      if (referenced === undefined) {
        throw new InputResolutionError(
          `input '${inputName}' reads input '${placeholder.name}', which has no value`,
        );
      }
      text += typeof referenced === 'string' ? referenced : JSON.stringify(referenced);
    }
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, parameters, inputName));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        fillPlaceholders(key, parameters, inputName) as string,
        fillPlaceholders(item, parameters, inputName),
      ]),
    );
  }
  return value;
}

function applyDefaults(values: TaskValues, component: ComponentSpec): void {
  for (const [name, definition] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
    if (
      values.parameters[name] === undefined &&
      definition.defaultValue !== undefined &&
      definition.defaultValue !== null
    ) {
      values.parameters[name] = definition.defaultValue;
    }
  }
}

/**
 * The inputs an executor receives: each declared parameter in its declared type, and a clear error for a
 * required input with no value (typically because its producer was skipped or failed).
 */
export function checkExecutorInputs(
  values: TaskValues,
  component: ComponentSpec,
  describeMissing: (name: string) => string,
): TaskValues {
  const parameters: Record<string, JsonValue> = { ...values.parameters };
  for (const [name, definition] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
    const value = parameters[name];
    if (value === undefined) {
      if (!definition.isOptional && definition.parameterType !== 'TASK_FINAL_STATUS') {
        throw new InputResolutionError(`required input '${name}' has no value${describeMissing(name)}`);
      }
      continue;
    }
    try {
      parameters[name] = coerceParameter(value, definition.parameterType, `input '${name}'`);
    } catch (error) {
      throw new InputResolutionError((error as Error).message);
    }
  }
  for (const [name, definition] of Object.entries(component.inputDefinitions?.artifacts ?? {})) {
    if (!values.artifacts[name] && !definition.isOptional) {
      throw new InputResolutionError(
        `required input artifact '${name}' has no value${describeMissing(name)}`,
      );
    }
  }
  return { parameters, artifacts: values.artifacts };
}
