/**
 * Reads the zod schemas of spec.ts and kubernetes-config.ts as the protos they mirror: which fields a message
 * has at a path, and what the message is called. The structural check uses it to suggest the right field for
 * a typo, and decoding uses it to apply proto3 JSON's leniencies (the schemas stay the one description of the
 * format).
 */
import { z } from 'zod';
import {
  ConfigMapAsEnvSchema,
  ConfigMapAsVolumeSchema,
  ConfigMapKeyToEnvSchema,
  EmptyDirMountSchema,
  EnabledSharedMemorySchema,
  FieldPathAsEnvSchema,
  GenericEphemeralVolumeSchema,
  ImagePullSecretSchema,
  KubernetesExecutorConfigSchema,
  PvcMountSchema,
  SecretAsEnvSchema,
  SecretAsVolumeSchema,
  SecretKeyToEnvSchema,
} from './kubernetes-config.ts';
import {
  InitContainerEnvVarSchema,
  InitContainerResourcesSchema,
  InitContainerSchema,
  InitContainerVolumeMountSchema,
  NodeAffinityTermSchema,
  NodeSelectorSchema,
  PodAffinityTermSchema,
  PodMetadataSchema,
  SecurityContextSchema,
  SelectorRequirementSchema,
  TolerationSchema,
} from './kubernetes-pod-config.ts';
import {
  ArtifactIteratorSpecSchema,
  ArtifactTypeSchemaSchema,
  ComponentInputsSpecSchema,
  ComponentOutputsSpecSchema,
  ComponentSpecSchema,
  ContainerSpecSchema,
  DagOutputsSpecSchema,
  DagSpecSchema,
  DeploymentSpecSchema,
  ExecutorSpecSchema,
  ImporterSpecSchema,
  InputArtifactDefinitionSchema,
  InputParameterDefinitionSchema,
  JsonValueSchema,
  LegacyValueSchema,
  OutputArtifactDefinitionSchema,
  OutputParameterDefinitionSchema,
  ParameterIteratorSpecSchema,
  PipelineConfigSchema,
  PipelineInfoSchema,
  PipelineSpecSchema,
  PipelineTaskSpecSchema,
  PlatformSpecSchema,
  ResolverSpecSchema,
  ResourceSpecSchema,
  RetryPolicySchema,
  SinglePlatformSpecSchema,
  StructSchema,
  TaskConfigPassthroughSchema,
  TaskInputArtifactSchema,
  TaskInputParameterSchema,
  TaskInputsSpecSchema,
  TriggerPolicySchema,
  ValueOrRuntimeParameterSchema,
} from './spec.ts';

/** Peels `.optional()` / `.nullable()` / `.default()` wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** The schema one step down: a message field, a map value or a list item. */
export function childSchema(schema: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  const inner = unwrapSchema(schema);
  if (inner instanceof z.ZodObject) {
    return typeof segment === 'string' && Object.hasOwn(inner.shape, segment)
      ? (inner.shape[segment] as z.ZodType)
      : undefined;
  }
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType;
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType;
  return undefined;
}

export function schemaAt(root: z.ZodType, path: ReadonlyArray<PropertyKey>): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = childSchema(current, segment);
  }
  return current;
}

/** The field names of a message schema, or undefined when the schema is not a message. */
export function messageFields(schema: z.ZodType): string[] | undefined {
  const inner = unwrapSchema(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : undefined;
}

/** google.protobuf.Value / Struct: free-form JSON that no field rule applies inside. */
export function isFreeformJson(schema: z.ZodType): 'value' | 'struct' | undefined {
  const inner = unwrapSchema(schema);
  if (inner === JsonValueSchema) return 'value';
  if (inner === StructSchema) return 'struct';
  return undefined;
}

/** The proto message name for a schema (`PipelineTaskSpec`), for messages users read. */
export function messageName(schema: z.ZodType): string | undefined {
  return MESSAGE_NAMES.get(unwrapSchema(schema));
}

function field(schema: z.ZodType, ...path: string[]): z.ZodType {
  // `*` steps into a map value or list item.
  const found = schemaAt(
    schema,
    path.map((segment) => (segment === '*' ? 0 : segment)),
  );
  if (found === undefined) throw new Error(`spec.ts has no field ${path.join('.')}`);
  return unwrapSchema(found);
}

// Names follow pipeline_spec.proto, nested messages with their parent, so a user can look them up there.
const MESSAGE_NAMES = new Map<z.ZodType, string>([
  [PipelineSpecSchema, 'PipelineSpec'],
  [PipelineInfoSchema, 'PipelineInfo'],
  [DeploymentSpecSchema, 'PipelineDeploymentConfig'],
  [ExecutorSpecSchema, 'ExecutorSpec'],
  [ContainerSpecSchema, 'PipelineContainerSpec'],
  [field(ContainerSpecSchema, 'lifecycle'), 'PipelineContainerSpec.Lifecycle'],
  [field(ContainerSpecSchema, 'lifecycle', 'preCacheCheck'), 'PipelineContainerSpec.Lifecycle.Exec'],
  [field(ContainerSpecSchema, 'env', '*'), 'PipelineContainerSpec.EnvVar'],
  [ResourceSpecSchema, 'PipelineContainerSpec.ResourceSpec'],
  [field(ResourceSpecSchema, 'accelerator'), 'ResourceSpec.AcceleratorConfig'],
  [ImporterSpecSchema, 'ImporterSpec'],
  [ResolverSpecSchema, 'ResolverSpec'],
  [field(ResolverSpecSchema, 'outputArtifactQueries', '*'), 'ResolverSpec.ArtifactQuerySpec'],
  [field(ExecutorSpecSchema, 'customJob'), 'AIPlatformCustomJobSpec'],
  [ComponentSpecSchema, 'ComponentSpec'],
  [ComponentInputsSpecSchema, 'ComponentInputsSpec'],
  [ComponentOutputsSpecSchema, 'ComponentOutputsSpec'],
  [InputParameterDefinitionSchema, 'ComponentInputsSpec.ParameterSpec'],
  [InputArtifactDefinitionSchema, 'ComponentInputsSpec.ArtifactSpec'],
  [OutputParameterDefinitionSchema, 'ComponentOutputsSpec.ParameterSpec'],
  [OutputArtifactDefinitionSchema, 'ComponentOutputsSpec.ArtifactSpec'],
  [ArtifactTypeSchemaSchema, 'ArtifactTypeSchema'],
  [ValueOrRuntimeParameterSchema, 'ValueOrRuntimeParameter'],
  [LegacyValueSchema, 'Value'],
  [DagSpecSchema, 'DagSpec'],
  [DagOutputsSpecSchema, 'DagOutputsSpec'],
  [field(DagOutputsSpecSchema, 'artifacts', '*'), 'DagOutputsSpec.DagOutputArtifactSpec'],
  [
    field(DagOutputsSpecSchema, 'artifacts', '*', 'artifactSelectors', '*'),
    'DagOutputsSpec.ArtifactSelectorSpec',
  ],
  [field(DagOutputsSpecSchema, 'parameters', '*'), 'DagOutputsSpec.DagOutputParameterSpec'],
  [
    field(DagOutputsSpecSchema, 'parameters', '*', 'valueFromParameter'),
    'DagOutputsSpec.ParameterSelectorSpec',
  ],
  [field(DagOutputsSpecSchema, 'parameters', '*', 'valueFromOneof'), 'DagOutputsSpec.ParameterSelectorsSpec'],
  [PipelineTaskSpecSchema, 'PipelineTaskSpec'],
  [field(PipelineTaskSpecSchema, 'taskInfo'), 'PipelineTaskInfo'],
  [field(PipelineTaskSpecSchema, 'componentRef'), 'ComponentRef'],
  [field(PipelineTaskSpecSchema, 'cachingOptions'), 'PipelineTaskSpec.CachingOptions'],
  [field(PipelineTaskSpecSchema, 'iteratorPolicy'), 'PipelineTaskSpec.IteratorPolicy'],
  [TriggerPolicySchema, 'PipelineTaskSpec.TriggerPolicy'],
  [RetryPolicySchema, 'PipelineTaskSpec.RetryPolicy'],
  [TaskInputsSpecSchema, 'TaskInputsSpec'],
  [TaskInputParameterSchema, 'TaskInputsSpec.InputParameterSpec'],
  [field(TaskInputParameterSchema, 'taskOutputParameter'), 'InputParameterSpec.TaskOutputParameterSpec'],
  [field(TaskInputParameterSchema, 'taskFinalStatus'), 'InputParameterSpec.TaskFinalStatus'],
  [TaskInputArtifactSchema, 'TaskInputsSpec.InputArtifactSpec'],
  [field(TaskInputArtifactSchema, 'taskOutputArtifact'), 'InputArtifactSpec.TaskOutputArtifactSpec'],
  [ParameterIteratorSpecSchema, 'ParameterIteratorSpec'],
  [field(ParameterIteratorSpecSchema, 'items'), 'ParameterIteratorSpec.ItemsSpec'],
  [ArtifactIteratorSpecSchema, 'ArtifactIteratorSpec'],
  [field(ArtifactIteratorSpecSchema, 'items'), 'ArtifactIteratorSpec.ItemsSpec'],
  [TaskConfigPassthroughSchema, 'TaskConfigPassthrough'],
  [PlatformSpecSchema, 'PlatformSpec'],
  [SinglePlatformSpecSchema, 'SinglePlatformSpec'],
  [field(SinglePlatformSpecSchema, 'deploymentSpec'), 'PlatformDeploymentConfig'],
  [PipelineConfigSchema, 'PipelineConfig'],
  [field(PipelineConfigSchema, 'workspace'), 'WorkspaceConfig'],
  [field(PipelineConfigSchema, 'workspace', 'kubernetes'), 'KubernetesWorkspaceConfig'],
  // kubernetes_executor_config.proto (package kfp_kubernetes)
  [KubernetesExecutorConfigSchema, 'KubernetesExecutorConfig'],
  [SecretAsVolumeSchema, 'SecretAsVolume'],
  [SecretAsEnvSchema, 'SecretAsEnv'],
  [SecretKeyToEnvSchema, 'SecretAsEnv.SecretKeyToEnvMap'],
  [ConfigMapAsVolumeSchema, 'ConfigMapAsVolume'],
  [ConfigMapAsEnvSchema, 'ConfigMapAsEnv'],
  [ConfigMapKeyToEnvSchema, 'ConfigMapAsEnv.ConfigMapKeyToEnvMap'],
  [ImagePullSecretSchema, 'ImagePullSecret'],
  [FieldPathAsEnvSchema, 'FieldPathAsEnv'],
  [PvcMountSchema, 'PvcMount'],
  [GenericEphemeralVolumeSchema, 'GenericEphemeralVolume'],
  [EmptyDirMountSchema, 'EmptyDirMount'],
  [EnabledSharedMemorySchema, 'EnabledSharedMemory'],
  [NodeSelectorSchema, 'NodeSelector'],
  [TolerationSchema, 'Toleration'],
  [SelectorRequirementSchema, 'SelectorRequirement'],
  [NodeAffinityTermSchema, 'NodeAffinityTerm'],
  [PodAffinityTermSchema, 'PodAffinityTerm'],
  [PodMetadataSchema, 'PodMetadata'],
  [SecurityContextSchema, 'SecurityContext'],
  [InitContainerSchema, 'InitContainer'],
  [InitContainerEnvVarSchema, 'InitContainer.EnvVar'],
  [InitContainerVolumeMountSchema, 'InitContainer.VolumeMount'],
  [InitContainerResourcesSchema, 'InitContainer.ResourceRequirements'],
]);
