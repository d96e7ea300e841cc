/**
 * The authoring API: components, pipelines, typed parameters and artifacts, control flow.
 *
 * @module
 * @example
 * import { component, pipeline, Param, Dataset } from 'sluice';
 * const produce = component({ name: 'produce', image: 'alpine', inputs: { text: Param.string() },
 *   outputs: { data: Dataset }, command: ['sh', '-c', 'echo "$0" > "$1"'],
 *   args: ({ inputs, outputs }) => [inputs.text, outputs.data.path] });
 * export default pipeline({ name: 'hello' }, () => { produce({ text: 'hello' }); });
 */

// Public authoring API.
export {
  Artifact,
  type ArtifactSpec,
  ArtifactType,
  artifactType,
  ClassificationMetrics,
  Dataset,
  HTML,
  Markdown,
  Metrics,
  Model,
  SlicedClassificationMetrics,
} from './artifacts.ts';
export {
  ArtifactChannel,
  type ConditionOperation,
  channelsInValue,
  type Operand,
  type Operator,
  ParameterChannel,
  PipelineChannel,
  replacePattern,
} from './channels.ts';
export type {
  ArtifactListPlaceholders,
  ArtifactPlaceholders,
  CommandArgument,
  CommandContext,
  StructuredArgument,
} from './command-placeholders.ts';
// For the compiler: the built graph and its parts.
export { pythonJson } from './command-placeholders.ts';
export {
  type Component,
  type ContainerComponentOptions,
  component,
  type FunctionComponentOptions,
} from './component.ts';
export type {
  ComponentDefinition,
  ContainerImplementation,
  FunctionImplementation,
  Implementation,
  ImporterImplementation,
  PipelineImplementation,
} from './component-definition.ts';
export { sanitizeName } from './component-definition.ts';
export { type ConditionChain, If } from './conditions.ts';
export {
  Collected,
  CollectedArtifact,
  CollectedParameter,
  isCollected,
  isOneOf,
  OneOf,
  OneOfArtifact,
  OneOfParameter,
} from './fan-in-channels.ts';
export type {
  InputArtifact,
  OutputArtifact,
  RunFunction,
  RunInputs,
  RunOutputs,
  RunResult,
} from './function-types.ts';
export {
  ConditionBranchesGroup,
  ConditionGroup,
  ExitHandlerGroup,
  type GroupKind,
  ParallelForGroup,
  TasksGroup,
} from './groups.ts';
export { type ImporterOptions, importer } from './importer.ts';
export {
  isLoopChannel,
  LoopArgumentVariable,
  LoopArtifactArgument,
  LoopParameterArgument,
} from './loop-channels.ts';
export { ExitHandler, ParallelFor, type ParallelForOptions } from './loops-and-exit.ts';
export { type JsonValue, Param, type ParamOptions, type ParamSpec, type TaskFinalStatus } from './params.ts';
export {
  type AnyPipeline,
  type BuiltPipeline,
  isPipeline,
  type Pipeline,
  type PipelineInputChannels,
  type PipelineOptions,
  pipeline,
} from './pipeline.ts';
export { DslError, PipelineContext, uniqueName } from './pipeline-context.ts';
export { PipelineTask, type Upstream } from './pipeline-task.ts';
export {
  embeddedSource,
  KFP_IMPORT_PREAMBLE,
  KFP_VERSION,
  kfpLightweightCommand,
  type PythonComponentOptions,
  pythonComponent,
} from './python-component.ts';
export { cpuCores, memoryGigabytes, type TaskResources } from './resources.ts';
export type { ArgumentFor, IoSpec, IoSpecs, OutputChannels, TaskArguments } from './typing.ts';
