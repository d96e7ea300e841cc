/**
 * Semantic checks of a structurally sound document: does every name point at something, do types agree across
 * edges, can the DAG run, do placeholders and CEL parse. Each concern is its own module; this one only runs
 * them in reading order (the whole pipeline, then references, then what depends on references resolving).
 */
import type { Issue } from './issues.ts';
import { buildSemanticContext } from './semantic-context.ts';
import { type PipelineDocument, PipelineSpecSchema } from './spec.ts';
import { checkConditions } from './validate-conditions.ts';
import { checkDependencyCycles } from './validate-dag.ts';
import { checkDefaults } from './validate-defaults.ts';
import { checkIterators } from './validate-iterators.ts';
import { checkPipelineName } from './validate-pipeline-name.ts';
import { checkPlaceholders } from './validate-placeholders.ts';
import { checkPlatform } from './validate-platform.ts';
import { checkReferences } from './validate-references.ts';
import { checkTaskInputs } from './validate-task-inputs.ts';
import { checkTypes } from './validate-types.ts';

/**
 * Every semantic issue in a structurally sound document, all collected (none for a document that does not
 * match the PipelineSpec schema: run checkStructure, or validatePipeline which does both). Paths name DAGs as `root.dag.tasks.<task>…` or
 * `components.<component>.dag.tasks.<task>…`, executors as `deploymentSpec.executors.<label>…`, and the
 * PlatformSpec's kubernetes executor configs as `platforms.kubernetes.deploymentSpec.executors.<label>…`.
 */
export function checkSemantics(document: PipelineDocument): Issue[] {
  // The checks read the document through spec.ts's types. When those types do not describe it, checkStructure
  // reports why, and anything said here would be noise about the same fault (or a crash), so nothing runs.
  if (!PipelineSpecSchema.safeParse(document.pipelineSpec).success) return [];
  return checkSoundSemantics(document);
}

/**
 * checkSemantics for a document checkStructure found no issue in, so the schema holds and is not checked
 * again: on a wide DAG that check costs as much as all the semantic checks together.
 */
export function checkSoundSemantics(document: PipelineDocument): Issue[] {
  const context = buildSemanticContext(document);
  return [
    ...checkPipelineName(context.document),
    ...checkDefaults(context.document),
    ...checkReferences(context),
    ...checkTaskInputs(context),
    ...checkIterators(context),
    ...checkDependencyCycles(context),
    ...checkTypes(context),
    ...checkConditions(context),
    ...checkPlaceholders(context),
    ...checkPlatform(context),
  ];
}
