/**
 * The IR: KFP's PipelineSpec as TypeScript types and zod schemas, loading and dumping pipeline files,
 * and validation that reports every issue with a path into the document. Imports nothing else of Sluice.
 *
 * @module
 * @example
 * import { formatIssues, readPipelineFile, validatePipeline } from './ir/index.ts';
 *
 * const document = await readPipelineFile('pipeline.yaml'); // throws IrInvalidError when unusable
 * const issues = validatePipeline(document);
 * if (issues.length > 0) console.error(formatIssues(issues, 'pipeline.yaml'));
 */

// ---- Loading and dumping files ----------------------------------------------------------------------------

export { type DecodeResult, decodePipeline } from './decode.ts';
export { dumpPipeline, dumpPipelineJson } from './dump.ts';
export { reindentKfpYaml } from './kfp-yaml.ts';
export {
  IrParseError,
  PipelineReadError,
  parsePipeline,
  readPipelineFile,
  validatePipelineFile,
  validatePipelineText,
} from './load.ts';
export type { ParseIssue } from './parse-documents.ts';

// ---- Sluice's TypeScript function components inside container executors -----------------------------------

export {
  FUNCTION_COMPONENT_COMMAND,
  type FunctionReference,
  functionComponentArgs,
  parseFunctionComponent,
} from './function-component.ts';

// ---- Validation and issues --------------------------------------------------------------------------------

export { formatIssues, formatPath, IrInvalidError, type Issue, IssueCode } from './issues.ts';
export { SUPPORTED_SCHEMA_VERSIONS } from './proto-rules.ts';
export { parseCpuQuantity, parseMemoryQuantity } from './resource-quantities.ts';
export { closestName, didYouMean } from './suggest.ts';
export { validatePipeline } from './validate.ts';
export { checkStructure } from './validate-structure.ts';

// ---- Placeholders, CEL and semantic checks (the runtime resolves arguments with the placeholder parsers) ----

export { type CelSyntaxError, celParameterReads, checkCel } from './cel.ts';
export {
  type CommandLineElement,
  type CommandLineElementParse,
  parseCommandLineElement,
} from './command-line-elements.ts';
export {
  collectExecutorReferences,
  type ExecutorPath,
  type ExecutorReference,
  type ExecutorReferenceError,
  type ExecutorReferences,
} from './executor-references.ts';
export {
  type ArtifactProperty,
  formatPlaceholder,
  type Placeholder,
  type PlaceholderError,
  PlaceholderKind,
  parsePlaceholders,
  RUN_VALUE_NAMES,
  type RunValueName,
  type TemplateParse,
  type TemplateSegment,
} from './placeholders.ts';
export { checkSemantics } from './validate-semantics.ts';

// ---- Kubernetes executor configs in the PlatformSpec (kfp-kubernetes's kubernetes_executor_config.proto) -----

export {
  type ConfigMapAsEnv,
  ConfigMapAsEnvSchema,
  type ConfigMapAsVolume,
  ConfigMapAsVolumeSchema,
  ConfigMapKeyToEnvSchema,
  type EmptyDirMount,
  EmptyDirMountSchema,
  type EnabledSharedMemory,
  EnabledSharedMemorySchema,
  type FieldPathAsEnv,
  FieldPathAsEnvSchema,
  type GenericEphemeralVolume,
  GenericEphemeralVolumeSchema,
  type ImagePullSecret,
  ImagePullSecretSchema,
  type KubernetesExecutorConfig,
  KubernetesExecutorConfigSchema,
  type PvcMount,
  PvcMountSchema,
  type SecretAsEnv,
  SecretAsEnvSchema,
  type SecretAsVolume,
  SecretAsVolumeSchema,
  SecretKeyToEnvSchema,
} from './kubernetes-config.ts';
export {
  type InitContainer,
  InitContainerEnvVarSchema,
  InitContainerResourcesSchema,
  InitContainerSchema,
  InitContainerVolumeMountSchema,
  type NodeAffinityTerm,
  NodeAffinityTermSchema,
  type NodeSelector,
  NodeSelectorSchema,
  type PodAffinityTerm,
  PodAffinityTermSchema,
  type PodMetadata,
  PodMetadataSchema,
  type SecurityContext,
  SecurityContextSchema,
  type SelectorRequirement,
  SelectorRequirementSchema,
  type Toleration,
  TolerationSchema,
} from './kubernetes-pod-config.ts';

// ---- PipelineSpec types and schemas (pipeline_spec.proto) -------------------------------------------------

export {
  type ArtifactIteratorSpec,
  ArtifactIteratorSpecSchema,
  type ArtifactTypeSchema,
  ArtifactTypeSchemaSchema,
  type ComponentInputsSpec,
  ComponentInputsSpecSchema,
  type ComponentOutputsSpec,
  ComponentOutputsSpecSchema,
  type ComponentSpec,
  ComponentSpecSchema,
  type ContainerSpec,
  ContainerSpecSchema,
  type DagOutputsSpec,
  DagOutputsSpecSchema,
  type DagSpec,
  DagSpecSchema,
  type DeploymentSpec,
  DeploymentSpecSchema,
  DurationSchema,
  type ExecutorSpec,
  ExecutorSpecSchema,
  type ImporterSpec,
  ImporterSpecSchema,
  type InputArtifactDefinition,
  InputArtifactDefinitionSchema,
  type InputParameterDefinition,
  InputParameterDefinitionSchema,
  IR_SCHEMA_VERSION,
  type JsonValue,
  JsonValueSchema,
  LegacyValueSchema,
  type OutputArtifactDefinition,
  OutputArtifactDefinitionSchema,
  type OutputParameterDefinition,
  OutputParameterDefinitionSchema,
  type ParameterIteratorSpec,
  ParameterIteratorSpecSchema,
  ParameterType,
  ParameterTypeSchema,
  type PipelineConfig,
  PipelineConfigSchema,
  type PipelineDocument,
  type PipelineInfo,
  PipelineInfoSchema,
  type PipelineSpec,
  PipelineSpecSchema,
  type PipelineTaskSpec,
  PipelineTaskSpecSchema,
  type PlatformSpec,
  PlatformSpecSchema,
  type ResolverSpec,
  ResolverSpecSchema,
  type ResourceSpec,
  ResourceSpecSchema,
  type RetryPolicy,
  RetryPolicySchema,
  type SinglePlatformSpec,
  SinglePlatformSpecSchema,
  type Struct,
  StructSchema,
  TaskConfigPassthroughSchema,
  type TaskInputArtifact,
  TaskInputArtifactSchema,
  type TaskInputParameter,
  TaskInputParameterSchema,
  type TaskInputsSpec,
  TaskInputsSpecSchema,
  type TriggerPolicy,
  TriggerPolicySchema,
  TriggerStrategy,
  type ValueOrRuntimeParameter,
  ValueOrRuntimeParameterSchema,
} from './spec.ts';
