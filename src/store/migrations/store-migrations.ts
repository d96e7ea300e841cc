/**
 * What the migrations need to know about a backend, asked as capabilities (migrations never branch on which
 * database they run on). Everything else in the schema is portable kysely.
 */
import {
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
} from 'kysely';
import { SluiceError } from '../../errors.ts';
import { initialMigration } from './001-initial.ts';
import { experimentsArchiveMigration } from './002-experiments-archive.ts';
import { schedulesMigration } from './003-schedules.ts';
import { runReportsMigration } from './004-run-reports.ts';

export interface SchemaDialect {
  /**
   * An auto-increment integer primary key whose values are never reused. SQLite: `integer` +
   * `primaryKey().autoIncrement()`; Postgres: `integer` + `primaryKey().generatedByDefaultAsIdentity()`.
   */
  identity: {
    type: ColumnDataType;
    build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  };
}

/**
 * Every migration, by name; kysely's Migrator applies them in name order. Names are persisted in
 * `kysely_migration`, so a released name never changes.
 */
export function storeMigrations(dialect: SchemaDialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '001-initial': initialMigration(dialect),
    '002-experiments-archive': experimentsArchiveMigration(),
    '003-schedules': schedulesMigration(),
    '004-run-reports': runReportsMigration(),
  };
  return { getMigrations: async () => migrations };
}

export class StoreMigrationError extends SluiceError {
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const hint = /previously executed migration .* is missing/.test(detail)
      ? 'the database was written by a newer Sluice; upgrade Sluice to open it'
      : 'the database is unchanged by the failed migration; fix the cause and start again';
    super('STORE_MIGRATION_FAILED', `migrating the metadata store failed (${detail}): ${hint}`, { cause });
  }
}

/**
 * Brings the schema to the newest migration. Each backend's dialect must run the Migrator's transaction so
 * that a second process migrating at the same time waits and then finds nothing to do.
 */
export async function migrateStore<Db>(db: Kysely<Db>, dialect: SchemaDialect): Promise<void> {
  const migrator = new Migrator({ db, provider: storeMigrations(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new StoreMigrationError(failed?.migrationName, error);
  }
}
