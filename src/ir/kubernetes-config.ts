/**
 * kfp-kubernetes's KubernetesExecutorConfig as zod schemas, in proto3 JSON (lowerCamel keys): what the
 * PlatformSpec holds under `platforms.kubernetes.deploymentSpec.executors.<label>`. pipeline_spec.proto types
 * those entries as Structs, but KFP's backend reads each one as this message and rejects unknown fields, so
 * the structural check applies these schemas there (kubernetes-rules.ts). Strict like spec.ts; deprecated
 * fields are still accepted, since older SDKs wrote them. Pod-level messages are in kubernetes-pod-config.ts.
 *
 * Fields of type `TaskInputsSpec.InputParameterSpec` (`secretNameParameter`, `pvcNameParameter`, …) are
 * resolved by KFP's driver for each task running the executor, against the DAG that holds the task.
 *
 * @see ../../../shared/kfp-spec/kubernetes_executor_config.proto (message names are kept in the schema names)
 */
import { z } from 'zod';
import {
  InitContainerSchema,
  NodeAffinityTermSchema,
  NodeSelectorSchema,
  PodAffinityTermSchema,
  PodMetadataSchema,
  SecurityContextSchema,
  TolerationSchema,
} from './kubernetes-pod-config.ts';
import { Int64Schema, TaskInputParameterSchema } from './spec.ts';

// ---- Secrets and ConfigMaps ------------------------------------------------------------------------------

export const SecretAsVolumeSchema = z.strictObject({
  /** @deprecated use secretNameParameter */
  secretName: z.string().optional(),
  mountPath: z.string().optional(),
  /** Whether the pod may start when the Secret does not exist. */
  optional: z.boolean().optional(),
  secretNameParameter: TaskInputParameterSchema.optional(),
});
export type SecretAsVolume = z.infer<typeof SecretAsVolumeSchema>;

export const SecretKeyToEnvSchema = z.strictObject({
  /** A key of the Secret's data. */
  secretKey: z.string().optional(),
  envVar: z.string().optional(),
});

export const SecretAsEnvSchema = z.strictObject({
  /** @deprecated use secretNameParameter */
  secretName: z.string().optional(),
  keyToEnv: z.array(SecretKeyToEnvSchema).optional(),
  optional: z.boolean().optional(),
  secretNameParameter: TaskInputParameterSchema.optional(),
});
export type SecretAsEnv = z.infer<typeof SecretAsEnvSchema>;

export const ConfigMapAsVolumeSchema = z.strictObject({
  /** @deprecated use configMapNameParameter */
  configMapName: z.string().optional(),
  mountPath: z.string().optional(),
  optional: z.boolean().optional(),
  configMapNameParameter: TaskInputParameterSchema.optional(),
});
export type ConfigMapAsVolume = z.infer<typeof ConfigMapAsVolumeSchema>;

export const ConfigMapKeyToEnvSchema = z.strictObject({
  configMapKey: z.string().optional(),
  envVar: z.string().optional(),
});

export const ConfigMapAsEnvSchema = z.strictObject({
  /** @deprecated use configMapNameParameter */
  configMapName: z.string().optional(),
  keyToEnv: z.array(ConfigMapKeyToEnvSchema).optional(),
  configMapNameParameter: TaskInputParameterSchema.optional(),
  optional: z.boolean().optional(),
});
export type ConfigMapAsEnv = z.infer<typeof ConfigMapAsEnvSchema>;

export const ImagePullSecretSchema = z.strictObject({
  /** @deprecated use secretNameParameter */
  secretName: z.string().optional(),
  secretNameParameter: TaskInputParameterSchema.optional(),
});
export type ImagePullSecret = z.infer<typeof ImagePullSecretSchema>;

/** An environment variable set from the pod's own fields (downward API), e.g. `metadata.name`. */
export const FieldPathAsEnvSchema = z.strictObject({
  name: z.string().optional(),
  fieldPath: z.string().optional(),
});
export type FieldPathAsEnv = z.infer<typeof FieldPathAsEnvSchema>;

// ---- Volumes ---------------------------------------------------------------------------------------------

export const PvcMountSchema = z.strictObject({
  /** @deprecated use pvcNameParameter (this and the next two are the oneof `pvc_reference`) */
  taskOutputParameter: TaskInputParameterSchema.shape.taskOutputParameter,
  /** @deprecated use pvcNameParameter */
  constant: z.string().optional(),
  /** @deprecated use pvcNameParameter */
  componentInputParameter: z.string().optional(),
  mountPath: z.string().optional(),
  pvcNameParameter: TaskInputParameterSchema.optional(),
  /** Path within the volume to mount; the volume's root when empty. */
  subPath: z.string().optional(),
});
export type PvcMount = z.infer<typeof PvcMountSchema>;

export const GenericEphemeralVolumeSchema = z.strictObject({
  volumeName: z.string().optional(),
  mountPath: z.string().optional(),
  accessModes: z.array(z.string()).optional(),
  /** A Kubernetes quantity, e.g. `5Gi`. */
  size: z.string().optional(),
  /** true: leave storageClassName out of the claim, so the cluster's default class is used. */
  defaultStorageClass: z.boolean().optional(),
  storageClassName: z.string().optional(),
  /** The volume claim template's metadata. */
  metadata: PodMetadataSchema.optional(),
});
export type GenericEphemeralVolume = z.infer<typeof GenericEphemeralVolumeSchema>;

export const EmptyDirMountSchema = z.strictObject({
  volumeName: z.string().optional(),
  mountPath: z.string().optional(),
  /** `Memory` for a tmpfs. */
  medium: z.string().optional(),
  sizeLimit: z.string().optional(),
});
export type EmptyDirMount = z.infer<typeof EmptyDirMountSchema>;

/** A memory-backed volume at /dev/shm. */
export const EnabledSharedMemorySchema = z.strictObject({
  volumeName: z.string().optional(),
  size: z.string().optional(),
});
export type EnabledSharedMemory = z.infer<typeof EnabledSharedMemorySchema>;

// ---- The executor config ---------------------------------------------------------------------------------

/**
 * The Kubernetes settings of one executor, keyed by its label in the PlatformSpec.
 *
 * @example
 * const config: KubernetesExecutorConfig = KubernetesExecutorConfigSchema.parse({
 *   secretAsEnv: [
 *     {
 *       secretNameParameter: { componentInputParameter: 'secret_name' },
 *       keyToEnv: [{ secretKey: 'token', envVar: 'TOKEN' }],
 *     },
 *   ],
 *   activeDeadlineSeconds: '3600',
 * });
 */
export const KubernetesExecutorConfigSchema = z.strictObject({
  secretAsVolume: z.array(SecretAsVolumeSchema).optional(),
  secretAsEnv: z.array(SecretAsEnvSchema).optional(),
  pvcMount: z.array(PvcMountSchema).optional(),
  nodeSelector: NodeSelectorSchema.optional(),
  podMetadata: PodMetadataSchema.optional(),
  imagePullSecret: z.array(ImagePullSecretSchema).optional(),
  /** One of Always, Never, IfNotPresent (a string in the proto; Kubernetes checks the value). */
  imagePullPolicy: z.string().optional(),
  configMapAsVolume: z.array(ConfigMapAsVolumeSchema).optional(),
  configMapAsEnv: z.array(ConfigMapAsEnvSchema).optional(),
  /** The task's timeout in seconds (int64: a number or a string of digits). */
  activeDeadlineSeconds: Int64Schema.optional(),
  fieldPathAsEnv: z.array(FieldPathAsEnvSchema).optional(),
  tolerations: z.array(TolerationSchema).optional(),
  genericEphemeralVolume: z.array(GenericEphemeralVolumeSchema).optional(),
  nodeAffinity: z.array(NodeAffinityTermSchema).optional(),
  podAffinity: z.array(PodAffinityTermSchema).optional(),
  enabledSharedMemory: EnabledSharedMemorySchema.optional(),
  emptyDirMounts: z.array(EmptyDirMountSchema).optional(),
  securityContext: SecurityContextSchema.optional(),
  initContainers: z.array(InitContainerSchema).optional(),
});
export type KubernetesExecutorConfig = z.infer<typeof KubernetesExecutorConfigSchema>;
