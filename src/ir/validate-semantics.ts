import type { Issue } from './issues.ts';
import type { PipelineDocument } from './spec.ts';

/** Semantic checks of a structurally sound document (placeholder until written). */
export function checkSemantics(_document: PipelineDocument): Issue[] {
  return [];
}
