/**
 * Sluice's embedded default: the local process executor, a SQLite metadata store and a local artifact
 * directory, all under SLUICE_HOME (default `~/.sluice`).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalArtifactStore } from '../artifacts/index.ts';
import { LocalExecutor } from '../executors/index.ts';
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

export async function openDefaultEngine(options: { home?: string } = {}): Promise<DefaultEngine> {
  const home = options.home ?? sluiceHome();
  const store = await openSqliteRunStore(join(home, 'sluice.db'));
  const engine = new Engine({
    store,
    artifacts: new LocalArtifactStore(join(home, 'artifacts')),
    executor: new LocalExecutor(),
    home,
    ownerId: newOwnerId(),
    now: () => new Date(),
  });
  return { engine, store, home, close: () => store.close() };
}
