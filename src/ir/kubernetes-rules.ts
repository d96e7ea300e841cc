/**
 * The PlatformSpec's kfp-kubernetes part. pipeline_spec.proto leaves each
 * `platforms.kubernetes.deploymentSpec.executors.<label>` a Struct, but KFP's backend unmarshals it as a
 * KubernetesExecutorConfig (protojson, which rejects unknown fields), so it gets what the PipelineSpec gets:
 * the schema check against kubernetes-config.ts, then the rules the schema cannot express (the oneofs of its
 * InputParameterSpecs). Works on raw JSON, like proto-rules.ts. Other platforms' configs stay free-form.
 */
import { formatPath, type Issue } from './issues.ts';
import { KubernetesExecutorConfigSchema } from './kubernetes-config.ts';
import { entries, type Message, oneof, type Path, type Report } from './proto-constraints.ts';
import { isPlainObject } from './proto-json.ts';
import { schemaIssues } from './schema-issues.ts';
import { checkInputParameter } from './task-rules.ts';

/** Where the PlatformSpec keeps the kubernetes executor configs, keyed by executor label. */
export const KUBERNETES_EXECUTORS_PATH: ReadonlyArray<string> = [
  'platforms',
  'kubernetes',
  'deploymentSpec',
  'executors',
];

/** Every structural issue in the PlatformSpec's kubernetes executor configs, with paths from its root. */
export function checkKubernetesExecutors(platformSpec: unknown): Issue[] {
  const issues: Issue[] = [];
  const report: Report = (code, path, message) => issues.push({ code, path: formatPath(path), message });
  for (const [label, config] of kubernetesExecutorEntries(platformSpec)) {
    // A config that is not a mapping is the PlatformSpec schema's to report (a Struct must be one).
    if (!isPlainObject(config)) continue;
    const path = [...KUBERNETES_EXECUTORS_PATH, label];
    issues.push(...schemaIssues(config, KubernetesExecutorConfigSchema, path));
    for (const source of kubernetesParameterSources(config)) {
      const at = [...path, ...source.path];
      if (source.legacyPvcReference) {
        oneof(source.spec, LEGACY_PVC_REFERENCE, at, report, 'a PVC is named one way', false);
      } else checkInputParameter(source.spec, at, report);
    }
  }
  return issues;
}

/** The raw entries of `platforms.kubernetes.deploymentSpec.executors`; none when any step is not a mapping. */
export function kubernetesExecutorEntries(platformSpec: unknown): Array<[string, unknown]> {
  const executors = KUBERNETES_EXECUTORS_PATH.reduce<unknown>(
    (node, key) => (isPlainObject(node) ? node[key] : undefined),
    platformSpec,
  );
  return entries(executors);
}

/** A place where a KubernetesExecutorConfig takes a value from the pipeline. */
export interface KubernetesParameterSource {
  /** Relative to the config: `['secretAsEnv', 0, 'secretNameParameter']`, or `['pvcMount', 0]` (see below). */
  path: Path;
  /** An InputParameterSpec; for a legacy PVC reference, the PvcMount itself (its fields have the same names). */
  spec: Message;
  /** PvcMount's deprecated oneof `pvc_reference` (pvcNameParameter replaced it): at most one, none required. */
  legacyPvcReference: boolean;
}

const LEGACY_PVC_REFERENCE = ['taskOutputParameter', 'constant', 'componentInputParameter'];

// Every field of kubernetes_executor_config.proto typed TaskInputsSpec.InputParameterSpec; `*` is each list item.
const PARAMETER_FIELDS: ReadonlyArray<ReadonlyArray<string>> = [
  ['secretAsVolume', '*', 'secretNameParameter'],
  ['secretAsEnv', '*', 'secretNameParameter'],
  ['pvcMount', '*', 'pvcNameParameter'],
  ['nodeSelector', 'nodeSelectorJson'],
  ['imagePullSecret', '*', 'secretNameParameter'],
  ['configMapAsVolume', '*', 'configMapNameParameter'],
  ['configMapAsEnv', '*', 'configMapNameParameter'],
  ['tolerations', '*', 'tolerationJson'],
  ['nodeAffinity', '*', 'nodeAffinityJson'],
];

/**
 * Every InputParameterSpec in a config (raw JSON; values that are not mappings are skipped), and each PvcMount
 * that uses the deprecated reference. KFP's driver resolves them for each task running the executor.
 */
export function kubernetesParameterSources(config: unknown): KubernetesParameterSource[] {
  const sources: KubernetesParameterSource[] = [];
  for (const pattern of PARAMETER_FIELDS) {
    for (const [path, spec] of expand(config, pattern, [])) {
      if (isPlainObject(spec)) sources.push({ path, spec, legacyPvcReference: false });
    }
  }
  for (const [path, mount] of expand(config, ['pvcMount', '*'], [])) {
    if (isPlainObject(mount) && LEGACY_PVC_REFERENCE.some((member) => mount[member] !== undefined)) {
      sources.push({ path, spec: mount, legacyPvcReference: true });
    }
  }
  return sources;
}

function expand(value: unknown, pattern: ReadonlyArray<string>, path: Path): Array<[Path, unknown]> {
  const [head, ...rest] = pattern;
  if (head === undefined) return value === undefined ? [] : [[path, value]];
  if (head === '*') {
    return Array.isArray(value) ? value.flatMap((item, i) => expand(item, rest, [...path, i])) : [];
  }
  return isPlainObject(value) ? expand(value[head], rest, [...path, head]) : [];
}
