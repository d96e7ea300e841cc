/**
 * The envelopes a PipelineSpec arrives in besides a bare compiled file:
 * - a Vertex AI / KFP `PipelineJob` (pipeline_spec.proto): `{displayName, pipelineSpec, runtimeConfig:
 *   {parameterValues}, ...}`, what `PipelineJob.submit()` sends and the Vertex console exports;
 * - the KFP API's combined form, `{pipeline_spec, platform_spec}`, which a pipeline version holds when
 *   the pipeline uses kfp-kubernetes features.
 * Both spellings of each field (proto and JSON names) are accepted, as protobuf's JSON parsers do.
 */
import { isPlainObject } from './proto-json.ts';
import type { JsonValue } from './spec.ts';

export interface UnwrappedPipelineJob {
  pipelineSpec: Record<string, unknown>;
  platformSpec?: Record<string, unknown>;
  parameterValues?: Record<string, JsonValue>;
}

/** Fields only a PipelineSpec has: their presence means the value is the spec itself, not an envelope. */
const SPEC_FIELDS = ['pipelineInfo', 'root', 'components', 'deploymentSpec', 'schemaVersion', 'sdkVersion'];

/** The spec inside `value`, or `value` itself when it is not an envelope; a string says what is wrong. */
export function unwrapPipelineJob(value: Record<string, unknown>): UnwrappedPipelineJob | string {
  const spec = pick(value, 'pipelineSpec', 'pipeline_spec');
  if (spec === undefined || SPEC_FIELDS.some((field) => field in value)) return { pipelineSpec: value };
  if (!isPlainObject(spec)) return "the PipelineJob's pipelineSpec must be a mapping (the PipelineSpec)";
  const unwrapped: UnwrappedPipelineJob = { pipelineSpec: spec };
  const platformSpec = pick(value, 'platformSpec', 'platform_spec');
  if (platformSpec !== undefined) {
    if (!isPlainObject(platformSpec)) return 'the platformSpec must be a mapping (the PlatformSpec)';
    unwrapped.platformSpec = platformSpec;
  }
  const runtimeConfig = pick(value, 'runtimeConfig', 'runtime_config');
  if (runtimeConfig !== undefined) {
    if (!isPlainObject(runtimeConfig)) return "the PipelineJob's runtimeConfig must be a mapping";
    const parameterValues = pick(runtimeConfig, 'parameterValues', 'parameter_values');
    if (parameterValues !== undefined) {
      if (!isPlainObject(parameterValues))
        return 'runtimeConfig.parameterValues must map parameter names to values';
      unwrapped.parameterValues = parameterValues as Record<string, JsonValue>;
    }
  }
  return unwrapped;
}

function pick(value: Record<string, unknown>, jsonName: string, protoName: string): unknown {
  return value[jsonName] ?? value[protoName];
}
