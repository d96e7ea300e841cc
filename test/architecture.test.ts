/**
 * The folders are the architecture (../shared/ARCHITECTURE.md): this reads every import in src/ and fails
 * on an arrow pointing the wrong way, on a deep import into another folder (public names come from its
 * index.ts), and on `export *` in an index.ts (public names are listed explicitly).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcRoot = resolve(import.meta.dirname, '../src');

/** Folder → the folders it may import from. `errors.ts` and `version.ts` at the top are shared by all. */
const ALLOWED: Record<string, string[]> = {
  ir: [],
  dsl: ['ir'],
  compiler: ['dsl', 'ir'],
  runtime: ['ir'],
  store: [],
  artifacts: [],
  cache: ['store', 'ir'],
  executors: ['runtime', 'ir'],
  engine: ['ir', 'store', 'cache', 'artifacts', 'executors'],
  server: ['engine', 'store', 'artifacts', 'ir', 'compiler', 'dsl', 'schedule'],
  schedule: ['engine', 'store', 'ir'],
  cli: ['*'],
  '.': ['dsl', 'ir'],
};
const SHARED = new Set(['errors.ts', 'version.ts']);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) ? [path] : [];
  });
}

function folderOf(file: string): string {
  const parts = relative(srcRoot, file).split(sep);
  return parts.length === 1 ? '.' : parts[0]!;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (match) => match[1]!,
  );
}

describe('architecture', () => {
  const files = sourceFiles(srcRoot);

  it('knows every top-level folder of src/', () => {
    const folders = new Set(files.map(folderOf));
    expect([...folders].filter((folder) => !(folder in ALLOWED))).toEqual([]);
  });

  it('imports point only the allowed way, and only through index.ts across folders', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = resolve(dirname(file), specifier);
        const targetRelative = relative(srcRoot, target);
        if (targetRelative.startsWith('..')) continue;
        const to = folderOf(target);
        if (to === from) continue;
        const where = `${relative(srcRoot, file)} imports ${specifier}`;
        if (to === '.') {
          if (!SHARED.has(targetRelative) && from !== 'cli')
            violations.push(`${where}: only errors.ts/version.ts are shared`);
          continue;
        }
        if (!ALLOWED[from]!.includes('*') && !ALLOWED[from]!.includes(to)) {
          violations.push(`${where}: ${from}/ may not depend on ${to}/`);
        }
        if (targetRelative !== join(to, 'index.ts'))
          violations.push(`${where}: import ${to}/index.ts, not its internals`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('index.ts files list their public names explicitly', () => {
    const offenders = files.filter(
      (file) => file.endsWith(`${sep}index.ts`) && /^\s*export \* /m.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(srcRoot, file))).toEqual([]);
  });
});
