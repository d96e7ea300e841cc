/**
 * Loads a pipeline defined in a TypeScript/JavaScript module. `.ts` files load without a build step: the
 * `sluice` bin registers tsx before any command runs.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AnyPipeline, isPipeline } from '../dsl/index.ts';
import { SluiceError } from '../errors.ts';

export class PipelineModuleError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PIPELINE_MODULE_INVALID', message, options);
  }
}

const MODULE_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs|tsx)$/;

export function isPipelineModulePath(path: string): boolean {
  return MODULE_EXTENSIONS.test(path);
}

/**
 * The pipeline a module exports: `exportName`, else the default export, else its only pipeline export.
 * @throws PipelineModuleError naming the file and what it does export
 */
export async function loadPipelineModule(path: string, exportName?: string): Promise<AnyPipeline> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new PipelineModuleError(`${path}: no such file`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SluiceError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new PipelineModuleError(`${path}: failed to load: ${reason}`, { cause: error });
  }
  const pipelines = Object.entries(module).filter(([, value]) => isPipeline(value));
  const listed = pipelines.map(([name]) => name).join(', ') || 'none';
  if (exportName !== undefined) {
    const value = module[exportName];
    if (value === undefined)
      throw new PipelineModuleError(`${path}: no export named '${exportName}' (pipeline exports: ${listed})`);
    if (!isPipeline(value))
      throw new PipelineModuleError(
        `${path}: export '${exportName}' is not a pipeline() (pipeline exports: ${listed})`,
      );
    return value;
  }
  if (isPipeline(module.default)) return module.default;
  if (module.default !== undefined) {
    throw new PipelineModuleError(
      `${path}: the default export is not a pipeline(); pass --export NAME (pipeline exports: ${listed})`,
    );
  }
  if (pipelines.length === 1) return pipelines[0]![1] as AnyPipeline;
  throw new PipelineModuleError(
    pipelines.length === 0
      ? `${path}: exports no pipeline; export one with \`export default pipeline({...}, () => {...})\``
      : `${path}: exports several pipelines (${listed}); choose one with --export NAME`,
  );
}
