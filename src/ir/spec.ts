/**
 * KFP's PipelineSpec (schemaVersion 2.1.0) as zod schemas, in the proto3 JSON shape the KFP SDK writes
 * (lowerCamel keys). One source gives the TypeScript types, the structural check and, later, OpenAPI.
 * Objects are strict: an unknown key is reported, since in a hand-written IR it is almost always a typo.
 *
 * @see ../../../shared/kfp-spec/pipeline_spec.proto (message names are kept in the schema names)
 */
import { z } from 'zod';

/** google.protobuf.Value: any JSON value. */
export const JsonValueSchema = z.json();
export type JsonValue = z.infer<typeof JsonValueSchema>;
/** google.protobuf.Struct: a JSON object. */
export const StructSchema = z.record(z.string(), JsonValueSchema);
export type Struct = z.infer<typeof StructSchema>;

/** proto3 JSON writes int64 as a string and accepts numbers; int32 as a number. */
export const Int64Schema = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer')]);
/** google.protobuf.Duration in proto3 JSON: decimal seconds with an `s` suffix, e.g. `3600s`, `0.5s`. */
export const DurationSchema = z.string().regex(/^-?\d+(\.\d{1,9})?s$/, 'expected a duration such as "30s"');

export const ParameterType = {
  NUMBER_DOUBLE: 'NUMBER_DOUBLE',
  NUMBER_INTEGER: 'NUMBER_INTEGER',
  STRING: 'STRING',
  BOOLEAN: 'BOOLEAN',
  LIST: 'LIST',
  STRUCT: 'STRUCT',
  TASK_FINAL_STATUS: 'TASK_FINAL_STATUS',
  TASK_CONFIG: 'TASK_CONFIG',
} as const;
export type ParameterType = (typeof ParameterType)[keyof typeof ParameterType];
export const ParameterTypeSchema = z.enum([
  'PARAMETER_TYPE_ENUM_UNSPECIFIED',
  ...(Object.values(ParameterType) as [ParameterType, ...ParameterType[]]),
]);

/** Deprecated v1 primitive type, still accepted on read. */
const PrimitiveTypeSchema = z.enum(['PRIMITIVE_TYPE_UNSPECIFIED', 'INT', 'DOUBLE', 'STRING']);

/** ml_pipelines.Value (deprecated, used by `constantValue`). */
export const LegacyValueSchema = z.strictObject({
  intValue: Int64Schema.optional(),
  doubleValue: z.number().optional(),
  stringValue: z.string().optional(),
});

export const ArtifactTypeSchemaSchema = z.strictObject({
  schemaTitle: z.string().optional(),
  schemaUri: z.string().optional(),
  instanceSchema: z.string().optional(),
  schemaVersion: z.string().optional(),
});
export type ArtifactTypeSchema = z.infer<typeof ArtifactTypeSchemaSchema>;

export const ValueOrRuntimeParameterSchema = z.strictObject({
  constantValue: LegacyValueSchema.optional(),
  runtimeParameter: z.string().optional(),
  constant: JsonValueSchema.optional(),
});
export type ValueOrRuntimeParameter = z.infer<typeof ValueOrRuntimeParameterSchema>;

// ---- component interface -------------------------------------------------------------------------------

export const InputParameterDefinitionSchema = z.strictObject({
  type: PrimitiveTypeSchema.optional(),
  parameterType: ParameterTypeSchema.optional(),
  defaultValue: JsonValueSchema.optional(),
  isOptional: z.boolean().optional(),
  description: z.string().optional(),
  literals: z.array(JsonValueSchema).optional(),
});
export type InputParameterDefinition = z.infer<typeof InputParameterDefinitionSchema>;

export const InputArtifactDefinitionSchema = z.strictObject({
  artifactType: ArtifactTypeSchemaSchema.optional(),
  isArtifactList: z.boolean().optional(),
  isOptional: z.boolean().optional(),
  description: z.string().optional(),
});
export type InputArtifactDefinition = z.infer<typeof InputArtifactDefinitionSchema>;

export const ComponentInputsSpecSchema = z.strictObject({
  artifacts: z.record(z.string(), InputArtifactDefinitionSchema).optional(),
  parameters: z.record(z.string(), InputParameterDefinitionSchema).optional(),
});
export type ComponentInputsSpec = z.infer<typeof ComponentInputsSpecSchema>;

export const OutputParameterDefinitionSchema = z.strictObject({
  type: PrimitiveTypeSchema.optional(),
  parameterType: ParameterTypeSchema.optional(),
  description: z.string().optional(),
});
export type OutputParameterDefinition = z.infer<typeof OutputParameterDefinitionSchema>;

export const OutputArtifactDefinitionSchema = z.strictObject({
  artifactType: ArtifactTypeSchemaSchema.optional(),
  properties: z.record(z.string(), ValueOrRuntimeParameterSchema).optional(),
  customProperties: z.record(z.string(), ValueOrRuntimeParameterSchema).optional(),
  metadata: StructSchema.optional(),
  isArtifactList: z.boolean().optional(),
  description: z.string().optional(),
});
export type OutputArtifactDefinition = z.infer<typeof OutputArtifactDefinitionSchema>;

export const ComponentOutputsSpecSchema = z.strictObject({
  artifacts: z.record(z.string(), OutputArtifactDefinitionSchema).optional(),
  parameters: z.record(z.string(), OutputParameterDefinitionSchema).optional(),
});
export type ComponentOutputsSpec = z.infer<typeof ComponentOutputsSpecSchema>;

// ---- tasks -----------------------------------------------------------------------------------------------

export const TaskInputParameterSchema = z.strictObject({
  taskOutputParameter: z
    .strictObject({ producerTask: z.string().optional(), outputParameterKey: z.string().optional() })
    .optional(),
  runtimeValue: ValueOrRuntimeParameterSchema.optional(),
  componentInputParameter: z.string().optional(),
  taskFinalStatus: z.strictObject({ producerTask: z.string().optional() }).optional(),
  parameterExpressionSelector: z.string().optional(),
});
export type TaskInputParameter = z.infer<typeof TaskInputParameterSchema>;

export const TaskInputArtifactSchema = z.strictObject({
  taskOutputArtifact: z
    .strictObject({ producerTask: z.string().optional(), outputArtifactKey: z.string().optional() })
    .optional(),
  componentInputArtifact: z.string().optional(),
});
export type TaskInputArtifact = z.infer<typeof TaskInputArtifactSchema>;

export const TaskInputsSpecSchema = z.strictObject({
  parameters: z.record(z.string(), TaskInputParameterSchema).optional(),
  artifacts: z.record(z.string(), TaskInputArtifactSchema).optional(),
});
export type TaskInputsSpec = z.infer<typeof TaskInputsSpecSchema>;

export const TriggerStrategy = {
  ALL_UPSTREAM_TASKS_SUCCEEDED: 'ALL_UPSTREAM_TASKS_SUCCEEDED',
  ALL_UPSTREAM_TASKS_COMPLETED: 'ALL_UPSTREAM_TASKS_COMPLETED',
} as const;
export type TriggerStrategy = (typeof TriggerStrategy)[keyof typeof TriggerStrategy];

export const TriggerPolicySchema = z.strictObject({
  condition: z.string().optional(),
  strategy: z
    .enum([
      'TRIGGER_STRATEGY_UNSPECIFIED',
      TriggerStrategy.ALL_UPSTREAM_TASKS_SUCCEEDED,
      TriggerStrategy.ALL_UPSTREAM_TASKS_COMPLETED,
    ])
    .optional(),
});
export type TriggerPolicy = z.infer<typeof TriggerPolicySchema>;

export const RetryPolicySchema = z.strictObject({
  maxRetryCount: z.number().int().nonnegative().optional(),
  backoffDuration: DurationSchema.optional(),
  backoffFactor: z.number().optional(),
  backoffMaxDuration: DurationSchema.optional(),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const ParameterIteratorSpecSchema = z.strictObject({
  items: z.strictObject({ raw: z.string().optional(), inputParameter: z.string().optional() }).optional(),
  itemInput: z.string().optional(),
});
export type ParameterIteratorSpec = z.infer<typeof ParameterIteratorSpecSchema>;

export const ArtifactIteratorSpecSchema = z.strictObject({
  items: z.strictObject({ inputArtifact: z.string().optional() }).optional(),
  itemInput: z.string().optional(),
});
export type ArtifactIteratorSpec = z.infer<typeof ArtifactIteratorSpecSchema>;

export const PipelineTaskSpecSchema = z.strictObject({
  taskInfo: z.strictObject({ name: z.string().optional() }).optional(),
  inputs: TaskInputsSpecSchema.optional(),
  dependentTasks: z.array(z.string()).optional(),
  cachingOptions: z
    .strictObject({ enableCache: z.boolean().optional(), cacheKey: z.string().optional() })
    .optional(),
  componentRef: z.strictObject({ name: z.string().optional() }).optional(),
  triggerPolicy: TriggerPolicySchema.optional(),
  artifactIterator: ArtifactIteratorSpecSchema.optional(),
  parameterIterator: ParameterIteratorSpecSchema.optional(),
  retryPolicy: RetryPolicySchema.optional(),
  iteratorPolicy: z.strictObject({ parallelismLimit: z.number().int().nonnegative().optional() }).optional(),
});
export type PipelineTaskSpec = z.infer<typeof PipelineTaskSpecSchema>;

// ---- DAGs and components -----------------------------------------------------------------------------

const ParameterSelectorSchema = z.strictObject({
  producerSubtask: z.string().optional(),
  outputParameterKey: z.string().optional(),
});
const ArtifactSelectorSchema = z.strictObject({
  producerSubtask: z.string().optional(),
  outputArtifactKey: z.string().optional(),
});

export const DagOutputsSpecSchema = z.strictObject({
  artifacts: z
    .record(z.string(), z.strictObject({ artifactSelectors: z.array(ArtifactSelectorSchema).optional() }))
    .optional(),
  parameters: z
    .record(
      z.string(),
      z.strictObject({
        valueFromParameter: ParameterSelectorSchema.optional(),
        valueFromOneof: z
          .strictObject({ parameterSelectors: z.array(ParameterSelectorSchema).optional() })
          .optional(),
      }),
    )
    .optional(),
});
export type DagOutputsSpec = z.infer<typeof DagOutputsSpecSchema>;

export const DagSpecSchema = z.strictObject({
  tasks: z.record(z.string(), PipelineTaskSpecSchema).optional(),
  outputs: DagOutputsSpecSchema.optional(),
});
export type DagSpec = z.infer<typeof DagSpecSchema>;

export const TaskConfigPassthroughSchema = z.strictObject({
  field: z
    .enum([
      'NONE',
      'RESOURCES',
      'ENV',
      'KUBERNETES_AFFINITY',
      'KUBERNETES_TOLERATIONS',
      'KUBERNETES_NODE_SELECTOR',
      'KUBERNETES_VOLUMES',
    ])
    .optional(),
  applyToTask: z.boolean().optional(),
});

export const PipelineConfigSchema = z.strictObject({
  resourceTtlOnCompletion: z.number().int().optional(),
  resourceTtlOnSuccess: z.number().int().optional(),
  resourceTtlOnFailure: z.number().int().optional(),
  activeDeadlineSeconds: z.number().int().optional(),
  workspace: z
    .strictObject({
      size: z.string().optional(),
      kubernetes: z.strictObject({ pvcSpecPatch: StructSchema.optional() }).optional(),
    })
    .optional(),
});
export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;

/**
 * One platform's configuration; executors' configs are platform-specific Structs, as in pipeline_spec.proto.
 * Under `platforms.kubernetes` each is a kfp-kubernetes KubernetesExecutorConfig (kubernetes-config.ts), which
 * the structural check applies on top of this schema (kubernetes-rules.ts).
 */
export const SinglePlatformSpecSchema = z.strictObject({
  deploymentSpec: z.strictObject({ executors: z.record(z.string(), StructSchema).optional() }).optional(),
  platform: z.string().optional(),
  config: StructSchema.optional(),
  pipelineConfig: PipelineConfigSchema.optional(),
});
export type SinglePlatformSpec = z.infer<typeof SinglePlatformSpecSchema>;

export const ComponentSpecSchema = z.strictObject({
  inputDefinitions: ComponentInputsSpecSchema.optional(),
  outputDefinitions: ComponentOutputsSpecSchema.optional(),
  dag: DagSpecSchema.optional(),
  executorLabel: z.string().optional(),
  singlePlatformSpecs: z.array(SinglePlatformSpecSchema).optional(),
  taskConfigPassthroughs: z.array(TaskConfigPassthroughSchema).optional(),
});
export type ComponentSpec = z.infer<typeof ComponentSpecSchema>;

// ---- executors -----------------------------------------------------------------------------------------

export const ResourceSpecSchema = z.strictObject({
  cpuLimit: z.number().optional(),
  memoryLimit: z.number().optional(),
  cpuRequest: z.number().optional(),
  memoryRequest: z.number().optional(),
  resourceCpuLimit: z.string().optional(),
  resourceMemoryLimit: z.string().optional(),
  resourceCpuRequest: z.string().optional(),
  resourceMemoryRequest: z.string().optional(),
  accelerator: z
    .strictObject({
      type: z.string().optional(),
      count: Int64Schema.optional(),
      resourceType: z.string().optional(),
      resourceCount: z.string().optional(),
    })
    .optional(),
});
export type ResourceSpec = z.infer<typeof ResourceSpecSchema>;

const ExecSchema = z.strictObject({
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
});

export const ContainerSpecSchema = z.strictObject({
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  lifecycle: z.strictObject({ preCacheCheck: ExecSchema.optional() }).optional(),
  resources: ResourceSpecSchema.optional(),
  env: z.array(z.strictObject({ name: z.string().optional(), value: z.string().optional() })).optional(),
});
export type ContainerSpec = z.infer<typeof ContainerSpecSchema>;

export const ImporterSpecSchema = z.strictObject({
  artifactUri: ValueOrRuntimeParameterSchema.optional(),
  typeSchema: ArtifactTypeSchemaSchema.optional(),
  properties: z.record(z.string(), ValueOrRuntimeParameterSchema).optional(),
  customProperties: z.record(z.string(), ValueOrRuntimeParameterSchema).optional(),
  reimport: z.boolean().optional(),
  metadata: StructSchema.optional(),
  downloadToWorkspace: z.boolean().optional(),
});
export type ImporterSpec = z.infer<typeof ImporterSpecSchema>;

export const ResolverSpecSchema = z.strictObject({
  outputArtifactQueries: z
    .record(z.string(), z.strictObject({ filter: z.string().optional(), limit: z.number().int().optional() }))
    .optional(),
});
export type ResolverSpec = z.infer<typeof ResolverSpecSchema>;

export const ExecutorSpecSchema = z.strictObject({
  container: ContainerSpecSchema.optional(),
  importer: ImporterSpecSchema.optional(),
  resolver: ResolverSpecSchema.optional(),
  customJob: z.strictObject({ customJob: StructSchema.optional() }).optional(),
});
export type ExecutorSpec = z.infer<typeof ExecutorSpecSchema>;

export const DeploymentSpecSchema = z.strictObject({
  executors: z.record(z.string(), ExecutorSpecSchema).optional(),
});
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;

// ---- documents -------------------------------------------------------------------------------------------

export const PipelineInfoSchema = z.strictObject({
  name: z.string().optional(),
  displayName: z.string().optional(),
  description: z.string().optional(),
});
export type PipelineInfo = z.infer<typeof PipelineInfoSchema>;

export const PipelineSpecSchema = z.strictObject({
  pipelineInfo: PipelineInfoSchema.optional(),
  deploymentSpec: DeploymentSpecSchema.optional(),
  sdkVersion: z.string().optional(),
  schemaVersion: z.string().optional(),
  components: z.record(z.string(), ComponentSpecSchema).optional(),
  root: ComponentSpecSchema.optional(),
  defaultPipelineRoot: z.string().optional(),
});
export type PipelineSpec = z.infer<typeof PipelineSpecSchema>;

/** The optional second YAML document: `platforms.kubernetes…` (kfp-kubernetes). */
export const PlatformSpecSchema = z.strictObject({
  platforms: z.record(z.string(), SinglePlatformSpecSchema).optional(),
});
export type PlatformSpec = z.infer<typeof PlatformSpecSchema>;

/** A loaded pipeline file: the PipelineSpec and, when present, its PlatformSpec. */
export interface PipelineDocument {
  pipelineSpec: PipelineSpec;
  platformSpec?: PlatformSpec;
}

export const IR_SCHEMA_VERSION = '2.1.0';
