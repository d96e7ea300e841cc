/**
 * Loads a pipeline defined in a TypeScript/JavaScript module. `.ts` files load without a build step: the
 * `sluice` bin registers tsx before any command runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../compiler/index.ts';
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
    const asCommonJs = loadedAsCommonJs(absolute, error);
    if (asCommonJs !== undefined) throw new PipelineModuleError(`${path}: ${asCommonJs}`, { cause: error });
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

/**
 * Why Node failed a module with import/export syntax that it took for CommonJS, when that is what happened:
 * a `.ts` or `.js` file belongs to the nearest package.json's module type, and npm's default (no "type") is
 * CommonJS. Node then says only "Cannot require() ES Module … in a cycle" (or ERR_REQUIRE_ESM).
 */
function loadedAsCommonJs(file: string, error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_REQUIRE')) return undefined;
  if (!/\.(ts|tsx|js)$/.test(file)) return undefined;
  const manifest = nearestPackageJson(file);
  if (manifest?.type === 'module') return undefined;
  const renamed = basename(file).replace(/\.(ts|tsx|js)$/, (extension) =>
    extension === '.js' ? '.mjs' : '.mts',
  );
  const where =
    manifest === undefined
      ? 'no package.json above it sets "type": "module"'
      : `${manifest.path} does not set "type": "module"`;
  return `Node loads this file as CommonJS, because ${where}, while a pipeline module uses import/export; add "type": "module" to the project's package.json, or rename the file to ${renamed}`;
}

/** The package.json that decides `file`'s module type (projectRoot's), with its "type"; undefined if none. */
function nearestPackageJson(file: string): { path: string; type: unknown } | undefined {
  const path = join(projectRoot(file), 'package.json');
  if (!existsSync(path)) return undefined;
  try {
    return { path, type: (JSON.parse(readFileSync(path, 'utf8')) as { type?: unknown }).type };
  } catch {
    return { path, type: undefined };
  }
}
