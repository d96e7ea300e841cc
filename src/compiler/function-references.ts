/**
 * Where a TypeScript function component lives, so a fresh Node process can load it: the module that called
 * `component()` (relative to its project root) and the export holding the component. The module's digest
 * goes into the IR so that editing the function changes the cache key.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ComponentDefinition, DslError } from '../dsl/index.ts';
import type { FunctionReference } from '../ir/index.ts';

export async function resolveFunctionReference(definition: ComponentDefinition): Promise<FunctionReference> {
  const implementation = definition.implementation;
  if (implementation.kind !== 'function') throw new Error('internal: not a function component');
  const file = implementation.definedIn;
  if (!file || !existsSync(file)) {
    throw new DslError(
      `function component '${definition.name}': cannot tell which file defines it; define it at the top level of a .ts/.js module`,
    );
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const exportName = findExport(module, definition);
  if (!exportName) {
    throw new DslError(
      `function component '${definition.name}' must be exported from ${file} (e.g. \`export const ${camel(definition.name)} = component({...})\`), so that Sluice can load it in a separate process`,
    );
  }
  const root = projectRoot(file);
  return {
    module: relative(root, file).split(sep).join('/'),
    exportName,
    codeDigest: `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`,
  };
}

/**
 * The export holding this component. Identity first; the same module may also be loaded twice (once by
 * the CLI's loader, once here), so a component of the same name and function source is accepted too.
 */
function findExport(module: Record<string, unknown>, definition: ComponentDefinition): string | undefined {
  const candidates = Object.entries(module).filter(
    ([, value]) => typeof value === 'function' && 'definition' in value,
  ) as [string, { definition: ComponentDefinition }][];
  const same = candidates.find(([, value]) => value.definition === definition);
  if (same) return same[0];
  const run = (definition.implementation as { run: { toString(): string } }).run.toString();
  return candidates.find(
    ([, value]) =>
      value.definition.name === definition.name &&
      value.definition.implementation.kind === 'function' &&
      value.definition.implementation.run.toString() === run,
  )?.[0];
}

/** The nearest directory above `file` holding a package.json; the file's own directory if none. */
export function projectRoot(file: string): string {
  let directory = dirname(file);
  for (;;) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return dirname(file);
    directory = parent;
  }
}

function camel(name: string): string {
  return name.replace(/[-_ ]+(.)/g, (_, char: string) => char.toUpperCase());
}
