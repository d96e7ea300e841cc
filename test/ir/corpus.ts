/** The KFP corpus (`../shared/kfp-corpus` beside the repository) for the IR tests. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePipeline } from '../../src/ir/load.ts';
import type { PipelineDocument } from '../../src/ir/spec.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusRoot = path.resolve(repoRoot, '../shared/kfp-corpus');

/** Every `.yaml` under the given corpus folders, as paths relative to the corpus root, sorted. */
export function corpusFiles(...folders: string[]): string[] {
  return folders
    .flatMap((folder) =>
      readdirSync(path.join(corpusRoot, folder), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.yaml'))
        .map((name) => path.join(folder, name)),
    )
    .sort();
}

/** A corpus file loaded the way Sluice loads any pipeline file (parsePipeline: decode + structure check). */
export function readCorpusPipeline(relative: string): PipelineDocument {
  return parsePipeline(readFileSync(path.join(corpusRoot, relative), 'utf8'), relative);
}
