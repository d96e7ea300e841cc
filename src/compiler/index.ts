/**
 * DSL → IR compilation.
 *
 * @module
 * @example
 * import { compilePipeline } from 'sluice/compiler';
 * const document = await compilePipeline(myPipeline);
 */
export { compilePipeline } from './compile-pipeline.ts';
export { projectRoot } from './function-references.ts';
