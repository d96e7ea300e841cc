/**
 * Opening the SQLite file, and the kysely dialect over it. Two changes to kysely's stock SqliteDialect, both
 * for several processes sharing one file:
 *
 * - Transactions start with `BEGIN IMMEDIATE`. Kysely's driver sends a plain (deferred) `BEGIN`: a deferred
 *   transaction that reads and then writes must upgrade its lock, and in WAL mode an upgrade after another
 *   process committed fails at once with SQLITE_BUSY (busy_timeout does not apply: its snapshot is stale).
 *   IMMEDIATE takes the write lock up front, where busy_timeout does apply.
 * - Migrations run in a transaction. Kysely's SqliteAdapter says SQLite has no transactional DDL (it does)
 *   and its migration lock is a no-op, so two processes starting together would both run a migration. In
 *   one IMMEDIATE transaction the second waits, then finds the migration applied.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import type { SchemaDialect } from '../migrations/store-migrations.ts';

/** How long a writer waits for another process's write lock before SQLITE_BUSY. @default 10_000 */
export const BUSY_TIMEOUT_MS = 10_000;

export const SQLITE_SCHEMA_DIALECT: SchemaDialect = {
  identity: { type: 'integer', build: (column) => column.primaryKey().autoIncrement() },
};

/**
 * Opens (creating the parent directory) a database file, or `:memory:`. WAL lets readers run beside the one
 * writer; synchronous=NORMAL in WAL mode loses at most the last commits on power loss, never consistency.
 */
export function openSqliteDatabase(path: string): Database.Database {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  switchToWal(sqlite);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/**
 * Switching a new file to WAL needs an exclusive lock. When two processes open the new file together, each
 * holds a shared lock and wants the exclusive one; SQLite then answers SQLITE_BUSY at once instead of waiting
 * (waiting would deadlock), so busy_timeout does not help. One of them must let go and try again: the retry
 * here, with a jittered pause, until BUSY_TIMEOUT_MS has passed.
 */
function switchToWal(sqlite: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      // A synchronous pause: opening a store is synchronous, and it happens once per connection.
      Atomics.wait(pause, 0, 0, 5 + Math.random() * 20);
    }
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Migrates a store just opened over its own connection; a failed migration closes it before rethrowing. */
export async function migrated<Store extends { migrate(): Promise<void>; close(): Promise<void> }>(
  store: Store,
): Promise<Store> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
