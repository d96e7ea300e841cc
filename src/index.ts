/**
 * Sluice: write KFP pipelines in TypeScript, run them on a laptop, move them to Kubernetes unchanged.
 * This entry holds the authoring API and the IR types only; it loads no database or cluster client.
 *
 * @module
 * @example
 * import { component, pipeline, Param, Dataset } from 'sluice';
 */
export {
  Artifact,
  ArtifactChannel,
  type ArtifactSpec,
  ArtifactType,
  artifactType,
  ClassificationMetrics,
  Collected,
  type Component,
  type ConditionChain,
  type ContainerComponentOptions,
  component,
  Dataset,
  DslError,
  ExitHandler,
  type FunctionComponentOptions,
  HTML,
  If,
  type ImporterOptions,
  type InputArtifact,
  importer,
  isPipeline,
  type JsonValue,
  Markdown,
  Metrics,
  Model,
  OneOf,
  type OutputArtifact,
  ParallelFor,
  type ParallelForOptions,
  Param,
  ParameterChannel,
  type Pipeline,
  type PipelineOptions,
  PipelineTask,
  type PythonComponentOptions,
  pipeline,
  pythonComponent,
  SlicedClassificationMetrics,
  type TaskFinalStatus,
} from './dsl/index.ts';
export { SluiceError } from './errors.ts';
export type { PipelineDocument, PipelineSpec, PlatformSpec } from './ir/index.ts';
