import type { Issue } from './issues.ts';
import { checkKubernetesExecutors } from './kubernetes-rules.ts';
import { checkProtoRules } from './proto-rules.ts';
import { schemaIssues } from './schema-issues.ts';
import { type PipelineDocument, PipelineSpecSchema, PlatformSpecSchema } from './spec.ts';

/**
 * Every structural issue in a decoded document: fields, JSON types and enum values against the zod mirror
 * of pipeline_spec.proto, then the proto's oneofs and the fields KFP requires; in the PlatformSpec, the
 * same for each kubernetes executor config against kubernetes_executor_config.proto. Never throws, whatever
 * the input; a document with no issues has the shape the rest of Sluice relies on.
 *
 * @example
 * checkStructure({ pipelineSpec: { components_1: {} } })[0]
 * // { code: 'UNKNOWN_FIELD', path: 'components_1', message: "unknown field in PipelineSpec (did you mean 'components'?)" }
 */
export function checkStructure(document: PipelineDocument): Issue[] {
  const { pipelineSpec, platformSpec } = document as { pipelineSpec: unknown; platformSpec?: unknown };
  const issues = byPath([
    ...schemaIssues(pipelineSpec, PipelineSpecSchema),
    ...checkProtoRules(pipelineSpec),
  ]);
  // PlatformSpec paths start with `platforms.`, a field PipelineSpec does not have, so they cannot clash.
  if (platformSpec !== undefined) {
    issues.push(
      ...byPath([
        ...schemaIssues(platformSpec, PlatformSpecSchema),
        ...checkKubernetesExecutors(platformSpec),
      ]),
    );
  }
  return issues;
}

/**
 * Issues in path order: KFP writes keys sorted, so this is the order of the file; and the schema's and
 * the proto rules' findings on one field come out together. The sort is stable.
 */
function byPath(issues: Issue[]): Issue[] {
  return issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
