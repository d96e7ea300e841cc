import type { Issue } from './issues.ts';
import type { PipelineDocument } from './spec.ts';

/** Structural checks of a decoded document (placeholder until written). */
export function checkStructure(_document: PipelineDocument): Issue[] {
  return [];
}
