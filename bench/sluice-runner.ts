/**
 * The seam between the bench and Sluice's engine.
 *
 * Contract for the implementation:
 * - Run `document` to completion in this process with the default assembly (local executor, SQLite store
 *   and local artifact store under `home`), at most `parallelism` tasks at once.
 * - `cached: true` runs with the cache on (look up and record); otherwise as `sluice run --no-cache`.
 *   The bench runs chain100 twice with `cached: true` in one `home` and reports the second run.
 * - `wallMs`: from the call to the run's final state, including store setup and planning.
 *   `engineMs`: the engine's own time, i.e. `wallMs` less time spent waiting on task processes.
 *   `peakRssBytes`: the engine's peak resident set (this process's, or the engine process's if it spawns one),
 *   not counting the task processes. `tasks`: tasks that reached a final state.
 */
import { execFile } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PipelineDocument } from '../src/ir/index.ts';

const execFileAsync = promisify(execFile);

export interface SluiceRunOptions {
  parallelism: number;
  /** A fresh SLUICE_HOME for this run (the bench makes a temp dir per workload). */
  home: string;
  /** Cache on (lookup and record); @default false */
  cached?: boolean;
}

export interface SluiceRunFigures {
  wallMs: number;
  engineMs: number;
  peakRssBytes: number;
  tasks: number;
}

export class EngineNotBuiltError extends Error {}

const repoRoot = resolve(import.meta.dirname, '..');
const buildDirectory = join(repoRoot, 'node_modules/.cache/sluice-build');
let built: Promise<void> | undefined;

/**
 * Compiles Sluice to JavaScript once per bench run (tsc, ~2 s), as a published package ships it: the engine
 * is then measured without the on-the-fly TypeScript loader a git checkout uses (about 40 MB of RSS and a
 * slower start that belong to the development setup, not to the engine).
 */
function buildEngine(): Promise<void> {
  built ??= (async () => {
    await execFileAsync(
      join(repoRoot, 'node_modules/.bin/tsc'),
      ['-p', join(repoRoot, 'tsconfig.build.json')],
      {
        cwd: repoRoot,
      },
    );
    // tsc emits TypeScript only; the spawner helpers are shipped as they are.
    for (const spawner of ['spawner-process.mjs', 'spawner-process.py']) {
      const file = join('src/executors/local', spawner);
      await copyFile(join(repoRoot, file), join(buildDirectory, file));
    }
  })();
  return built;
}

/** Runs the document in a child process (compiled bench/sluice-child.ts) so its peak RSS is the run's own. */
export async function runWithSluice(
  document: PipelineDocument,
  options: SluiceRunOptions,
): Promise<SluiceRunFigures> {
  await buildEngine();
  const documentPath = join(options.home, 'pipeline.json');
  await writeFile(documentPath, JSON.stringify(document));
  const child = join(buildDirectory, 'bench/sluice-child.js');
  const args = [
    documentPath,
    options.home,
    String(options.parallelism),
    String(options.cached ?? false),
    '1',
  ];
  const { stdout } = await execFileAsync(process.execPath, [child, ...args], {
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
  });
  const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as SluiceRunFigures & { state: string };
  if (figures.state !== 'SUCCEEDED') throw new Error(`the run ended ${figures.state}`);
  return figures;
}
