import { compilePipeline } from '../compiler/index.ts';
import type { PipelineDocument } from '../ir/index.ts';
import { loadPipelineModule } from './load-pipeline-module.ts';

/** Loads a pipeline module and compiles the chosen pipeline to IR. */
export async function compileModule(path: string, exportName?: string): Promise<PipelineDocument> {
  return compilePipeline(await loadPipelineModule(path, exportName));
}
