/**
 * Schema version 1. Frozen once released: change the schema in a new migration (002-…), never here, and
 * keep test/fixtures/store/v1.sqlite opening with the current code.
 *
 * Portable on purpose: text, integer and bigint columns only (JSON and ISO-8601 timestamps are text), and
 * the one dialect difference, the auto-increment key, comes from `SchemaDialect`. Text primary keys say
 * NOT NULL explicitly: SQLite, unlike Postgres, would otherwise accept NULL ids.
 *
 * Foreign keys: every row belongs to its run (ON DELETE CASCADE, so deleting a run is one statement), and
 * attempts, artifacts and lineage to their task. Not constrained: `tasks.parent_id` (a batch may list a child
 * before its parent), `tasks.cached_from_task_id` (it points into another run, which may be deleted while
 * this run's history stays) and `transitions.task_id` (an event log; a constraint there would need one more
 * index on the hottest insert for nothing the run constraint does not already give).
 */
import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './store-migrations.ts';

export function initialMigration(dialect: SchemaDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const schema = db.schema;

      await schema
        .createTable('pipelines')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();

      await schema
        .createTable('pipeline_versions')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('pipeline_id', 'text', (col) => col.notNull().references('pipelines.id'))
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('digest', 'text', (col) => col.notNull())
        .addColumn('spec', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addUniqueConstraint('pipeline_versions_digest_unique', ['pipeline_id', 'digest'])
        .execute();

      await schema
        .createTable('runs')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('pipeline_name', 'text', (col) => col.notNull())
        .addColumn('display_name', 'text')
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('spec', 'text', (col) => col.notNull())
        .addColumn('parameters', 'text', (col) => col.notNull())
        .addColumn('options', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('error', 'text')
        .addColumn('owner_id', 'text')
        .addColumn('heartbeat_at', 'text')
        .execute();
      // listRuns: newest first, optionally of one state or one pipeline, paged by (created_at, id).
      await schema.createIndex('runs_created_idx').on('runs').columns(['created_at', 'id']).execute();
      await schema.createIndex('runs_state_idx').on('runs').columns(['state', 'created_at', 'id']).execute();
      await schema
        .createIndex('runs_pipeline_idx')
        .on('runs')
        .columns(['pipeline_name', 'created_at', 'id'])
        .execute();

      await schema
        .createTable('tasks')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('run_id', 'text', (col) => col.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('parent_id', 'text')
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('path', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('component_name', 'text', (col) => col.notNull())
        .addColumn('iteration_index', 'integer')
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('inputs', 'text')
        .addColumn('outputs', 'text')
        .addColumn('fingerprint', 'text')
        .addColumn('fingerprint_parts', 'text')
        .addColumn('cached_from_task_id', 'text')
        .addColumn('cache_miss_reason', 'text')
        .addColumn('error', 'text')
        .addColumn('attempt_count', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      // A path is unique within its run; the index also serves getTasks(runId).
      await schema
        .createIndex('tasks_run_path_unique')
        .on('tasks')
        .columns(['run_id', 'path'])
        .unique()
        .execute();
      // findCacheHit: newest task with a fingerprint in a state.
      await schema
        .createIndex('tasks_fingerprint_idx')
        .on('tasks')
        .columns(['fingerprint', 'state', 'created_at', 'id'])
        .execute();
      // findPreviousTask: newest task at a path before a time (the pipeline is checked through the run).
      await schema.createIndex('tasks_path_idx').on('tasks').columns(['path', 'created_at', 'id']).execute();

      await schema
        .createTable('attempts')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('task_id', 'text', (col) => col.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('run_id', 'text', (col) => col.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('number', 'integer', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('pid', 'integer')
        .addColumn('pod_name', 'text')
        .addColumn('started_at', 'text', (col) => col.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('exit_code', 'integer')
        .addColumn('log_path', 'text', (col) => col.notNull())
        .addColumn('work_dir', 'text', (col) => col.notNull())
        .addColumn('error', 'text')
        .execute();
      await schema
        .createIndex('attempts_task_number_unique')
        .on('attempts')
        .columns(['task_id', 'number'])
        .unique()
        .execute();
      await schema.createIndex('attempts_run_idx').on('attempts').column('run_id').execute();

      await schema
        .createTable('artifacts')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('run_id', 'text', (col) => col.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('task_id', 'text', (col) => col.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('uri', 'text', (col) => col.notNull())
        .addColumn('schema_title', 'text', (col) => col.notNull())
        .addColumn('schema_version', 'text', (col) => col.notNull())
        .addColumn('metadata', 'text', (col) => col.notNull())
        .addColumn('digest', 'text')
        .addColumn('size_bytes', 'bigint')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await schema.createIndex('artifacts_run_idx').on('artifacts').column('run_id').execute();
      await schema.createIndex('artifacts_task_idx').on('artifacts').column('task_id').execute();
      await schema.createIndex('artifacts_uri_idx').on('artifacts').column('uri').execute();

      await schema
        .createTable('lineage_events')
        .addColumn('artifact_id', 'text', (col) => col.notNull().references('artifacts.id'))
        .addColumn('task_id', 'text', (col) => col.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('run_id', 'text', (col) => col.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('key', 'text', (col) => col.notNull())
        // One fact per (task, direction, key, artifact): recording it again changes nothing.
        .addPrimaryKeyConstraint('lineage_events_pk', ['task_id', 'kind', 'key', 'artifact_id'])
        .execute();
      await schema.createIndex('lineage_events_run_idx').on('lineage_events').column('run_id').execute();
      await schema
        .createIndex('lineage_events_artifact_idx')
        .on('lineage_events')
        .column('artifact_id')
        .execute();

      await schema
        .createTable('transitions')
        .addColumn('id', dialect.identity.type, dialect.identity.build)
        .addColumn('run_id', 'text', (col) => col.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('task_id', 'text')
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (col) => col.notNull())
        .addColumn('reason', 'text')
        .addColumn('at', 'text', (col) => col.notNull())
        .execute();
      // getTransitions(runId, afterId): one run's events in commit order.
      await schema.createIndex('transitions_run_idx').on('transitions').columns(['run_id', 'id']).execute();
    },
  };
}
