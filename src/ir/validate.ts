import type { Issue } from './issues.ts';
import type { PipelineDocument } from './spec.ts';
import { checkSoundSemantics } from './validate-semantics.ts';
import { checkStructure } from './validate-structure.ts';

/**
 * Every issue in a pipeline document: structure first (fields, types, enums, oneofs, required fields); the
 * semantic checks (references, cycles, types across edges, placeholders, CEL) run only on a structurally
 * sound document, since their messages would otherwise repeat the structural ones.
 */
export function validatePipeline(document: PipelineDocument): Issue[] {
  const structural = checkStructure(document);
  if (structural.length > 0) return structural;
  return checkSoundSemantics(document);
}
