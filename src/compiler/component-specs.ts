/**
 * ComponentSpecs (interfaces) and ExecutorSpecs (how to run) for tasks and groups.
 */
import {
  ArtifactChannel,
  type ComponentDefinition,
  cpuCores,
  DslError,
  type IoSpecs,
  LoopArtifactArgument,
  memoryGigabytes,
  type ParameterChannel,
  type PipelineChannel,
  type PipelineTask,
} from '../dsl/index.ts';
import {
  type ComponentSpec,
  type ContainerSpec,
  type ExecutorSpec,
  FUNCTION_COMPONENT_COMMAND,
  type FunctionReference,
  functionComponentArgs,
  type JsonValue,
  type PipelineTaskSpec,
  type ResourceSpec,
} from '../ir/index.ts';
import { inputName } from './group-inputs.ts';
import { type DagScope, injectChannels } from './task-specs.ts';

/** The inputDefinitions / outputDefinitions of a component's declared interface. */
export function interfaceSpec(inputs: IoSpecs, outputs: IoSpecs): ComponentSpec {
  const spec: ComponentSpec = {};
  const inputParameters: NonNullable<NonNullable<ComponentSpec['inputDefinitions']>['parameters']> = {};
  const inputArtifacts: NonNullable<NonNullable<ComponentSpec['inputDefinitions']>['artifacts']> = {};
  for (const [name, input] of Object.entries(inputs)) {
    if (input.kind === 'parameter') {
      inputParameters[name] = {
        parameterType: input.type,
        ...(input.isOptional ? { isOptional: true } : {}),
        ...(input.default !== undefined && input.type !== 'TASK_FINAL_STATUS'
          ? { defaultValue: input.default as JsonValue }
          : {}),
        ...(input.description ? { description: input.description } : {}),
      };
    } else {
      inputArtifacts[name] = {
        artifactType: { schemaTitle: input.schemaTitle, schemaVersion: input.schemaVersion },
        ...(input.isList ? { isArtifactList: true } : {}),
        ...(input.isOptional ? { isOptional: true } : {}),
        ...(input.description ? { description: input.description } : {}),
      };
    }
  }
  const outputParameters: NonNullable<NonNullable<ComponentSpec['outputDefinitions']>['parameters']> = {};
  const outputArtifacts: NonNullable<NonNullable<ComponentSpec['outputDefinitions']>['artifacts']> = {};
  for (const [name, output] of Object.entries(outputs)) {
    if (output.kind === 'parameter') {
      outputParameters[name] = {
        parameterType: output.type,
        ...(output.description ? { description: output.description } : {}),
      };
    } else {
      outputArtifacts[name] = {
        artifactType: { schemaTitle: output.schemaTitle, schemaVersion: output.schemaVersion },
        ...(output.isList ? { isArtifactList: true } : {}),
        ...(output.description ? { description: output.description } : {}),
      };
    }
  }
  if (Object.keys(inputParameters).length || Object.keys(inputArtifacts).length) {
    spec.inputDefinitions = {
      ...(Object.keys(inputArtifacts).length ? { artifacts: inputArtifacts } : {}),
      ...(Object.keys(inputParameters).length ? { parameters: inputParameters } : {}),
    };
  }
  if (Object.keys(outputParameters).length || Object.keys(outputArtifacts).length) {
    spec.outputDefinitions = {
      ...(Object.keys(outputArtifacts).length ? { artifacts: outputArtifacts } : {}),
      ...(Object.keys(outputParameters).length ? { parameters: outputParameters } : {}),
    };
  }
  return spec;
}

/** A group's interface: one input per channel crossing into it, one output per value it surfaces. */
export function groupComponentSpec(
  inputs: ReadonlyArray<PipelineChannel>,
  outputs: ReadonlyMap<string, PipelineChannel>,
): ComponentSpec {
  const toSpecs = (entries: Iterable<[string, PipelineChannel]>): IoSpecs =>
    Object.fromEntries(
      [...entries].map(([name, channel]) => [
        name,
        channel instanceof ArtifactChannel || channel instanceof LoopArtifactArgument
          ? {
              kind: 'artifact',
              schemaTitle: channel.schemaTitle,
              schemaVersion: channel.schemaVersion,
              isList: channel.isList,
              isOptional: false,
            }
          : { kind: 'parameter', type: (channel as ParameterChannel).type, isOptional: false },
      ]),
    );
  return interfaceSpec(toSpecs(inputs.map((channel) => [inputName(channel), channel])), toSpecs(outputs));
}

/**
 * The executor of a container or function task: the component's container with the task's env and
 * resources. Resource values holding channels become placeholders of injected task inputs.
 */
export function containerForTask(
  task: PipelineTask,
  taskSpec: PipelineTaskSpec,
  scope: DagScope,
  functionReference: FunctionReference | undefined,
): ExecutorSpec {
  const implementation = task.component.implementation;
  let container: ContainerSpec;
  let baseEnv: Readonly<Record<string, string>> = {};
  if (implementation.kind === 'container') {
    container = structuredClone(implementation.container);
    baseEnv = Object.fromEntries((container.env ?? []).map((entry) => [entry.name ?? '', entry.value ?? '']));
  } else if (implementation.kind === 'function') {
    if (!functionReference)
      throw new Error(`internal: function component '${task.component.name}' was not resolved`);
    container = {
      image: implementation.image,
      command: [...FUNCTION_COMPONENT_COMMAND],
      args: functionComponentArgs(functionReference),
    };
    baseEnv = implementation.env;
  } else {
    throw new Error(`internal: task '${task.name}' has no container`);
  }
  const env = { ...baseEnv, ...task.env };
  if (Object.keys(env).length > 0)
    container.env = Object.entries(env).map(([name, value]) => ({ name, value }));
  else delete container.env;

  const resources = resourceSpec(task, taskSpec, scope);
  if (resources) container.resources = resources;
  return { container };
}

function resourceSpec(
  task: PipelineTask,
  taskSpec: PipelineTaskSpec,
  scope: DagScope,
): ResourceSpec | undefined {
  const given = task.resources;
  if (Object.keys(given).length === 0) return undefined;
  const inputs = {
    parameters: { ...(taskSpec.inputs?.parameters ?? {}) },
    artifacts: { ...(taskSpec.inputs?.artifacts ?? {}) },
  };
  const resolve = (value: string) => injectChannels(value, inputs, task, scope) as string;
  const spec: ResourceSpec = {};
  if (given.cpuLimit) {
    spec.resourceCpuLimit = resolve(given.cpuLimit);
    const cores = cpuCores(given.cpuLimit);
    if (cores !== undefined) spec.cpuLimit = cores;
  }
  if (given.cpuRequest) {
    spec.resourceCpuRequest = resolve(given.cpuRequest);
    const cores = cpuCores(given.cpuRequest);
    if (cores !== undefined) spec.cpuRequest = cores;
  }
  if (given.memoryLimit) {
    spec.resourceMemoryLimit = resolve(given.memoryLimit);
    const gigabytes = memoryGigabytes(given.memoryLimit);
    if (gigabytes !== undefined) spec.memoryLimit = gigabytes;
  }
  if (given.memoryRequest) {
    spec.resourceMemoryRequest = resolve(given.memoryRequest);
    const gigabytes = memoryGigabytes(given.memoryRequest);
    if (gigabytes !== undefined) spec.memoryRequest = gigabytes;
  }
  if (given.acceleratorCount || given.acceleratorType) {
    if (!given.acceleratorType || !given.acceleratorCount) {
      throw new DslError(
        `task '${task.name}': set both setAcceleratorType() and setAcceleratorLimit() (e.g. 'nvidia.com/gpu' and 1)`,
      );
    }
    const type = resolve(given.acceleratorType);
    const count = resolve(given.acceleratorCount);
    spec.accelerator = { resourceType: type, resourceCount: count };
    if (type === given.acceleratorType && count === given.acceleratorCount) {
      spec.accelerator.type = type;
      spec.accelerator.count = count;
    }
  }
  if (Object.keys(inputs.parameters).length > 0) {
    taskSpec.inputs = { ...(taskSpec.inputs ?? {}), parameters: inputs.parameters };
  }
  return spec;
}

export function importerForTask(definition: ComponentDefinition): ExecutorSpec {
  if (definition.implementation.kind !== 'importer') throw new Error('internal: not an importer');
  return { importer: structuredClone(definition.implementation.importer) };
}
