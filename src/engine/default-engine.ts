/**
 * Sluice's embedded default: the local process executor, a SQLite metadata store and a local artifact
 * directory, all under SLUICE_HOME (default `~/.sluice`).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalArtifactStore } from '../artifacts/index.ts';
import { type Executor, type KfpRuntime, LocalExecutor, openDockerExecutor } from '../executors/index.ts';
import { openSqliteRunStore, type RunStore } from '../store/index.ts';
import { Engine, newOwnerId } from './engine.ts';

export function sluiceHome(environment: NodeJS.ProcessEnv = process.env): string {
  return resolve(environment.SLUICE_HOME ?? join(homedir(), '.sluice'));
}

export interface DefaultEngine {
  engine: Engine;
  store: RunStore;
  home: string;
  close(): Promise<void>;
}

/** `local` runs each task's command on this machine; `docker` runs it in the task's image. */
export type ExecutorKind = 'local' | 'docker';

export async function openDefaultEngine(
  options: { home?: string; executor?: ExecutorKind; kfpRuntime?: KfpRuntime } = {},
): Promise<DefaultEngine> {
  const home = options.home ?? sluiceHome();
  // Before the store opens, so that a missing Docker engine (an error the user fixes) leaves nothing open.
  const executor: Executor =
    options.executor === 'docker'
      ? await openDockerExecutor({ mounts: [join(home, 'artifacts')] })
      : new LocalExecutor(options.kfpRuntime ? { kfpRuntime: options.kfpRuntime } : {});
  const store = await openSqliteRunStore(join(home, 'sluice.db'));
  const engine = new Engine({
    store,
    artifacts: new LocalArtifactStore(join(home, 'artifacts')),
    executor,
    home,
    ownerId: newOwnerId(),
    now: () => new Date(),
  });
  return { engine, store, home, close: () => store.close() };
}
