/**
 * `sluice compile pipeline.ts [-o out.yaml] [--export name]`: the module's pipeline as KFP IR YAML, which
 * the KFP backend, Vertex AI and `sluice run` all accept. The output is validated before it is written.
 */
import { writeFile } from 'node:fs/promises';
import { dumpPipeline, dumpPipelineJson, IrInvalidError, validatePipeline } from '../ir/index.ts';
import { compileModule } from './compile-module.ts';

export interface CompileOptions {
  output?: string;
  export?: string;
  json?: boolean;
}

export async function compileCommand(module: string, options: CompileOptions): Promise<number> {
  const document = await compileModule(module, options.export);
  const issues = validatePipeline(document);
  if (issues.length > 0) throw new IrInvalidError(issues, `${module} (compiled)`);
  const asJson = options.json === true || options.output?.endsWith('.json') === true;
  const text = asJson ? dumpPipelineJson(document) : dumpPipeline(document);
  const ended = text.endsWith('\n') ? text : `${text}\n`;
  if (options.output) {
    await writeFile(options.output, ended);
    process.stderr.write(`wrote ${options.output}\n`);
  } else {
    process.stdout.write(ended);
  }
  return 0;
}
