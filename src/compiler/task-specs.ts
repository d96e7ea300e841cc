/**
 * PipelineTaskSpecs: how each task and group reads its inputs inside its DAG. A value from a sibling is a
 * task output; anything else arrives through the enclosing DAG's `pipelinechannel--` inputs. Strings (and
 * lists/objects) holding channels get a placeholder and an injected input, as KFP does for f-strings.
 */
import {
  ArtifactChannel,
  ConditionGroup,
  channelsInValue,
  DslError,
  LoopArgumentVariable,
  LoopArtifactArgument,
  LoopParameterArgument,
  ParallelForGroup,
  ParameterChannel,
  type PipelineChannel,
  type PipelineTask,
  pythonJson,
  replacePattern,
  type TasksGroup,
} from '../dsl/index.ts';
import type { ComponentInputsSpec, JsonValue, PipelineTaskSpec, TaskInputsSpec } from '../ir/index.ts';
import { conditionsToCel } from './condition-to-cel.ts';
import { inputName } from './group-inputs.ts';

/** Where a task or group sits: its DAG's inputs and the names of its siblings. */
export interface DagScope {
  readonly parentInputs: ComponentInputsSpec;
  readonly siblings: ReadonlySet<string>;
  readonly parentIsRoot: boolean;
}

type Inputs = {
  parameters: NonNullable<TaskInputsSpec['parameters']>;
  artifacts: NonNullable<TaskInputsSpec['artifacts']>;
};

const selector = (field: string) => `parseJson(string_value)["${field}"]`;

export function taskSpecForTask(task: PipelineTask, scope: DagScope): PipelineTaskSpec {
  const inputs: Inputs = { parameters: {}, artifacts: {} };
  const hasParameter = (name: string) => name in (scope.parentInputs.parameters ?? {});
  const hasArtifact = (name: string) => name in (scope.parentInputs.artifacts ?? {});
  const missing = (name: string): never => {
    throw new Error(`internal: DAG input '${name}' for task '${task.name}' was not created`);
  };

  for (const [name, value] of Object.entries(task.inputs)) {
    if (value instanceof LoopParameterArgument) {
      const source = inputName(value);
      if (!hasParameter(source)) missing(source);
      inputs.parameters[name] = { componentInputParameter: source };
    } else if (value instanceof LoopArtifactArgument) {
      const source = inputName(value);
      if (!hasArtifact(source)) missing(source);
      inputs.artifacts[name] = { componentInputArtifact: source };
    } else if (value instanceof LoopArgumentVariable) {
      const source = inputName(value.loopArgument);
      if (!hasParameter(source)) missing(source);
      inputs.parameters[name] = {
        componentInputParameter: source,
        parameterExpressionSelector: selector(value.subvarName),
      };
    } else if (value instanceof ArtifactChannel) {
      if (value.taskName && scope.siblings.has(value.taskName)) {
        inputs.artifacts[name] = {
          taskOutputArtifact: { producerTask: value.taskName, outputArtifactKey: value.name },
        };
      } else if (value.taskName) {
        const source = inputName(value);
        if (!hasArtifact(source)) missing(source);
        inputs.artifacts[name] = { componentInputArtifact: source };
      } else {
        inputs.artifacts[name] = {
          componentInputArtifact: hasArtifact(value.fullName) ? value.fullName : inputName(value),
        };
      }
    } else if (value instanceof ParameterChannel) {
      if (value.taskName && scope.siblings.has(value.taskName)) {
        inputs.parameters[name] = {
          taskOutputParameter: { producerTask: value.taskName, outputParameterKey: value.name },
        };
      } else if (value.taskName) {
        const source = inputName(value);
        if (!hasParameter(source)) missing(source);
        inputs.parameters[name] = { componentInputParameter: source };
      } else {
        inputs.parameters[name] = {
          componentInputParameter: hasParameter(value.fullName) ? value.fullName : inputName(value),
        };
      }
    } else {
      const constant = injectChannels(value, inputs, task, scope);
      inputs.parameters[name] = { runtimeValue: { constant: constant as JsonValue } };
    }
  }

  const spec: PipelineTaskSpec = {
    taskInfo: { name: task.displayName ?? task.name },
    componentRef: { name: `comp-${task.name}` },
    cachingOptions: task.enableCaching
      ? { enableCache: true, ...(task.cacheKey ? { cacheKey: task.cacheKey } : {}) }
      : {},
  };
  if (task.retryPolicy) spec.retryPolicy = { ...task.retryPolicy };
  setInputs(spec, inputs);
  return spec;
}

/**
 * Replaces the channels inside a constant (string, list, object) with placeholders of injected
 * `pipelinechannel--` inputs, which it adds to `inputs`. Returns the constant to store.
 */
export function injectChannels(value: unknown, inputs: Inputs, task: PipelineTask, scope: DagScope): unknown {
  let result = value;
  for (const channel of channelsInValue(value)) {
    if (channel instanceof ArtifactChannel) {
      throw new DslError(
        `task '${task.name}': the artifact '${channel.fullName}' is used inside a string; pass artifacts as whole inputs`,
      );
    }
    const injected = inputName(channel);
    if (injected in task.component.inputs) {
      throw new DslError(
        `task '${task.name}': input name '${injected}' collides with a generated input name`,
      );
    }
    result = replacePattern(result, channel.pattern, `{{$.inputs.parameters['${injected}']}}`);
    inputs.parameters[injected] = sourceOf(channel, scope);
  }
  return result;
}

function sourceOf(
  channel: PipelineChannel,
  scope: DagScope,
): NonNullable<TaskInputsSpec['parameters']>[string] {
  if (channel instanceof LoopArgumentVariable) {
    return {
      componentInputParameter: inputName(channel.loopArgument),
      parameterExpressionSelector: selector(channel.subvarName),
    };
  }
  if (channel.taskName && scope.siblings.has(channel.taskName)) {
    return { taskOutputParameter: { producerTask: channel.taskName, outputParameterKey: channel.name } };
  }
  if (channel.taskName) return { componentInputParameter: inputName(channel) };
  return {
    componentInputParameter:
      channel.fullName in (scope.parentInputs.parameters ?? {}) ? channel.fullName : inputName(channel),
  };
}

export function taskSpecForExitTask(
  task: PipelineTask,
  handlerName: string,
  rootInputs: ComponentInputsSpec,
): PipelineTaskSpec {
  const spec = taskSpecForTask(task, { parentInputs: rootInputs, siblings: new Set(), parentIsRoot: true });
  spec.dependentTasks = [handlerName];
  spec.triggerPolicy = { strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' };
  for (const [name, input] of Object.entries(task.component.inputs)) {
    if (input.kind === 'parameter' && input.type === 'TASK_FINAL_STATUS') {
      spec.inputs ??= {};
      spec.inputs.parameters ??= {};
      spec.inputs.parameters[name] = { taskFinalStatus: { producerTask: handlerName } };
    }
  }
  return spec;
}

/** The task spec of a group inside its parent DAG: its inputs, plus the iterator or the condition. */
export function taskSpecForGroup(
  group: TasksGroup,
  channels: ReadonlyArray<PipelineChannel>,
  scope: DagScope,
): PipelineTaskSpec {
  const inputs: Inputs = { parameters: {}, artifacts: {} };
  for (const channel of channels) {
    let sourceFullName = channel.fullName;
    let channelName = channel.name;
    const name = inputName(channel);
    if (channel instanceof LoopArgumentVariable) {
      sourceFullName = channel.loopArgument.fullName;
      inputs.parameters[name] = { parameterExpressionSelector: selector(channel.subvarName) };
      if (!channel.isWithItems) channelName = (channel.itemsOrChannel as PipelineChannel).name;
    }
    if (channel instanceof ArtifactChannel) {
      inputs.artifacts[name] =
        channel.taskName && scope.siblings.has(channel.taskName)
          ? { taskOutputArtifact: { producerTask: channel.taskName, outputArtifactKey: channelName } }
          : { componentInputArtifact: scope.parentIsRoot ? sourceFullName : name };
    } else if (channel.taskName && scope.siblings.has(channel.taskName)) {
      inputs.parameters[name] = {
        ...inputs.parameters[name],
        taskOutputParameter: { producerTask: channel.taskName, outputParameterKey: channelName },
      };
    } else {
      inputs.parameters[name] = {
        ...inputs.parameters[name],
        componentInputParameter: scope.parentIsRoot ? sourceFullName : inputName(sourceFullName),
      };
    }
  }
  const spec: PipelineTaskSpec = {
    taskInfo: { name: group.displayName ?? group.name },
    componentRef: { name: `comp-${group.name}` },
  };
  if (group instanceof ParallelForGroup) applyIterator(group, spec, inputs);
  else if (group instanceof ConditionGroup)
    spec.triggerPolicy = { condition: conditionsToCel(group.conditions) };
  setInputs(spec, inputs);
  return spec;
}

function applyIterator(group: ParallelForGroup, spec: PipelineTaskSpec, inputs: Inputs): void {
  const loopArgument = group.loopArgument;
  const itemInput = inputName(loopArgument);
  if (group.itemsIsChannel) {
    const items = loopArgument.itemsOrChannel as PipelineChannel;
    const itemsInput = inputName(items);
    if (loopArgument instanceof LoopArtifactArgument) {
      spec.artifactIterator = { items: { inputArtifact: itemsInput }, itemInput };
    } else {
      spec.parameterIterator = { items: { inputParameter: itemsInput }, itemInput };
    }
    delete inputs.parameters[itemInput];
    delete inputs.artifacts[itemInput];
    if (items instanceof LoopArgumentVariable) {
      inputs.parameters[itemsInput] = {
        componentInputParameter: inputName(items.loopArgument),
        parameterExpressionSelector: selector(items.subvarName),
      };
    }
  } else {
    const raw = (loopArgument as LoopParameterArgument).itemsOrChannel as ReadonlyArray<unknown>;
    spec.parameterIterator = { items: { raw: pythonJson(raw, true) }, itemInput };
    delete inputs.parameters[itemInput];
    delete inputs.artifacts[itemInput];
  }
  if (group.parallelism > 0) spec.iteratorPolicy = { parallelismLimit: group.parallelism };
}

function setInputs(spec: PipelineTaskSpec, inputs: Inputs): void {
  const parameters = Object.keys(inputs.parameters).length > 0 ? inputs.parameters : undefined;
  const artifacts = Object.keys(inputs.artifacts).length > 0 ? inputs.artifacts : undefined;
  if (parameters || artifacts)
    spec.inputs = { ...(parameters ? { parameters } : {}), ...(artifacts ? { artifacts } : {}) };
  else delete spec.inputs;
}
