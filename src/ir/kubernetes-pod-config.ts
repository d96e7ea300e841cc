/**
 * The parts of kfp-kubernetes's KubernetesExecutorConfig that shape the task's pod rather than mount something
 * into it: where it is scheduled (node selector, tolerations, affinity), its metadata, security context and
 * init containers. Strict like spec.ts; kubernetes-config.ts assembles them into the executor config.
 *
 * @see ../../../shared/kfp-spec/kubernetes_executor_config.proto
 */
import { z } from 'zod';
import { Int64Schema, TaskInputParameterSchema } from './spec.ts';

const StringMapSchema = z.record(z.string(), z.string());

// ---- scheduling ------------------------------------------------------------------------------------------

export const NodeSelectorSchema = z.strictObject({
  /** Pod.spec.nodeSelector. */
  labels: StringMapSchema.optional(),
  /** A JSON object of node labels, resolved at run time; takes precedence over `labels`. */
  nodeSelectorJson: TaskInputParameterSchema.optional(),
});
export type NodeSelector = z.infer<typeof NodeSelectorSchema>;

export const TolerationSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.string().optional(),
  value: z.string().optional(),
  effect: z.string().optional(),
  tolerationSeconds: Int64Schema.optional(),
  /** A Kubernetes Toleration as JSON, resolved at run time; takes precedence over the fields above. */
  tolerationJson: TaskInputParameterSchema.optional(),
});
export type Toleration = z.infer<typeof TolerationSchema>;

/** A label or node selector requirement: `key`, `operator` (In, NotIn, Exists, …) and `values`. */
export const SelectorRequirementSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.string().optional(),
  values: z.array(z.string()).optional(),
});
export type SelectorRequirement = z.infer<typeof SelectorRequirementSchema>;

export const NodeAffinityTermSchema = z.strictObject({
  matchExpressions: z.array(SelectorRequirementSchema).optional(),
  matchFields: z.array(SelectorRequirementSchema).optional(),
  /** Set: a preferred rule with this weight; unset: a required one. */
  weight: z.number().int().optional(),
  /** A Kubernetes NodeAffinity as JSON, resolved at run time; takes precedence over the fields above. */
  nodeAffinityJson: TaskInputParameterSchema.optional(),
});
export type NodeAffinityTerm = z.infer<typeof NodeAffinityTermSchema>;

export const PodAffinityTermSchema = z.strictObject({
  matchPodExpressions: z.array(SelectorRequirementSchema).optional(),
  matchPodLabels: StringMapSchema.optional(),
  topologyKey: z.string().optional(),
  namespaces: z.array(z.string()).optional(),
  matchNamespaceExpressions: z.array(SelectorRequirementSchema).optional(),
  matchNamespaceLabels: StringMapSchema.optional(),
  /** Set: a preferred rule with this weight; unset: a required one. */
  weight: z.number().int().optional(),
  /** true for pod anti-affinity. */
  anti: z.boolean().optional(),
});
export type PodAffinityTerm = z.infer<typeof PodAffinityTermSchema>;

// ---- the pod and its containers --------------------------------------------------------------------------

/** Pod.metadata labels and annotations (also the metadata of a generic ephemeral volume's claim). */
export const PodMetadataSchema = z.strictObject({
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
});
export type PodMetadata = z.infer<typeof PodMetadataSchema>;

/**
 * The main container's security context. Fields 3–5 (privileged, addCapabilities, dropCapabilities) were
 * removed from the proto: KFP's backend drops all capabilities, so they are unknown fields here too.
 */
export const SecurityContextSchema = z.strictObject({
  runAsUser: Int64Schema.optional(),
  runAsGroup: Int64Schema.optional(),
  runAsNonRoot: z.boolean().optional(),
});
export type SecurityContext = z.infer<typeof SecurityContextSchema>;

export const InitContainerEnvVarSchema = z.strictObject({
  name: z.string().optional(),
  value: z.string().optional(),
});

export const InitContainerVolumeMountSchema = z.strictObject({
  /** A volume the config defines elsewhere (emptyDirMounts, pvcMount, genericEphemeralVolume, …). */
  volumeName: z.string().optional(),
  mountPath: z.string().optional(),
});

export const InitContainerResourcesSchema = z.strictObject({
  /** Resource name → Kubernetes quantity, e.g. `cpu: 500m`. */
  requests: StringMapSchema.optional(),
  limits: StringMapSchema.optional(),
});

/** Runs to completion before the main container; `kfp-launcher` is a reserved name. */
export const InitContainerSchema = z.strictObject({
  name: z.string().optional(),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(InitContainerEnvVarSchema).optional(),
  volumeMounts: z.array(InitContainerVolumeMountSchema).optional(),
  /** `Always` makes it a native sidecar that keeps running beside the main container. */
  restartPolicy: z.string().optional(),
  resources: InitContainerResourcesSchema.optional(),
});
export type InitContainer = z.infer<typeof InitContainerSchema>;
