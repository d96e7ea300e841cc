/**
 * When a value of one type may feed an input of another: the KFP SDK's rules (kfp/dsl/types/type_utils.py
 * `verify_type_compatibility`), loosened only where the KFP backend runs what the SDK refuses.
 *
 * Kept from KFP: parameter types must match; an artifact and a list of artifacts never mix; artifact
 * schemaTitles must match unless either side is `system.Artifact`, which fits every artifact type both ways.
 * Loosened (no issue):
 * - NUMBER_INTEGER feeding NUMBER_DOUBLE: the value is exact in a double; the SDK refuses it, the backend runs it.
 * - TASK_FINAL_STATUS feeding STRUCT: the SDK treats the status as a dict (pipeline_as_exit_task passes it on).
 * - Unset or unspecified parameter types, and artifacts without a schemaTitle (instanceSchema, schemaUri).
 * - Artifact schemaVersion is not compared (the SDK compares major versions; every corpus type is 0.0.1).
 */
import type { InputArtifactDefinition, OutputArtifactDefinition } from './spec.ts';

export type ArtifactDefinition = InputArtifactDefinition | OutputArtifactDefinition;

export function isSet(type: string | undefined): type is string {
  return type !== undefined && type !== 'PARAMETER_TYPE_ENUM_UNSPECIFIED';
}

export function parameterFits(given: string, expected: string): boolean {
  if (given === expected) return true;
  if (given === 'NUMBER_INTEGER' && expected === 'NUMBER_DOUBLE') return true;
  return given === 'TASK_FINAL_STATUS' && expected === 'STRUCT';
}

/** How the two types read in a message when they do not fit; undefined when they do. */
export function artifactMismatch(
  given: ArtifactDefinition,
  expected: ArtifactDefinition,
): { given: string; expected: string } | undefined {
  const describe = (d: ArtifactDefinition) => {
    const title = d.artifactType?.schemaTitle ?? 'an artifact';
    return d.isArtifactList ? `a list of ${title}` : title;
  };
  const givenTitle = given.artifactType?.schemaTitle;
  const expectedTitle = expected.artifactType?.schemaTitle;
  const listsMatch = Boolean(given.isArtifactList) === Boolean(expected.isArtifactList);
  const generic = givenTitle === 'system.Artifact' || expectedTitle === 'system.Artifact';
  const titlesMatch =
    givenTitle === undefined || expectedTitle === undefined || generic || givenTitle === expectedTitle;
  return listsMatch && titlesMatch ? undefined : { given: describe(given), expected: describe(expected) };
}
