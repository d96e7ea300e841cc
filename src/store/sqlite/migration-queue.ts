/**
 * Migrations in progress in this process, by database file.
 *
 * The migrator's transaction stays open across awaits. A second connection to the same file in this
 * process that tried to write meanwhile would block the event loop in SQLite's busy wait, so the migration
 * holding the lock could never finish: a 10 s stall, then SQLITE_BUSY. Within one process, stores on one
 * file therefore wait for each other's migrations here, in JS; across processes busy_timeout does it.
 */
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';

const running = new Map<string, Promise<void>>();
let inMemoryDatabases = 0;

/** The key of a database in the queue: its absolute path, or a new key per in-memory database. */
export function migrationKey(sqlite: Database.Database): string {
  return sqlite.memory ? `:memory:${++inMemoryDatabases}` : resolve(sqlite.name);
}

/** Resolves once no migration of this file is running in this process (rejects if the last one failed). */
export function migrationOf(key: string): Promise<void> | undefined {
  return running.get(key);
}

/** Runs `migrate` after any migration of the same file already queued in this process. */
export async function queueMigration(key: string, migrate: () => Promise<void>): Promise<void> {
  const migrating = (running.get(key) ?? Promise.resolve()).catch(() => undefined).then(migrate);
  running.set(key, migrating);
  try {
    await migrating;
  } finally {
    if (running.get(key) === migrating) running.delete(key);
  }
}
