import type { PipelineDocument } from '../ir/index.ts';
import { readPipelineFile } from '../ir/index.ts';
import { compileModule } from './compile-module.ts';
import { isPipelineModulePath } from './load-pipeline-module.ts';

/** A pipeline file as IR: a `.ts`/`.js` module is compiled, YAML/JSON is read and checked. */
export async function loadPipelineDocument(path: string, exportName?: string): Promise<PipelineDocument> {
  return isPipelineModulePath(path) ? compileModule(path, exportName) : readPipelineFile(path);
}
