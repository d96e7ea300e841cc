/**
 * Schema version 3: recurring runs (schedules) and triggers. Frozen once released, like 001.
 *
 * The unique keys are the point: `schedule_slots (schedule_id, slot_time)` makes a slot claimable once,
 * `trigger_events (trigger_id, dedup_key)` makes an event count once. Slots and events name the run they
 * create (`run_id`) but do not reference `runs`: the id is stored before the run exists (that is how a
 * crash between claim and start is recovered without a duplicate), and runs may be deleted while the
 * schedule's history stays.
 */
import type { Kysely, Migration } from 'kysely';

export function schedulesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const schema = db.schema;

      await schema
        .createTable('schedules')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .addColumn('pipeline_id', 'text', (col) => col.notNull())
        // NULL: the newest version of the pipeline at each start.
        .addColumn('pipeline_version_id', 'text')
        .addColumn('cron', 'text')
        .addColumn('time_zone', 'text')
        .addColumn('interval_seconds', 'integer')
        .addColumn('start_at', 'text')
        .addColumn('parameters', 'text', (col) => col.notNull())
        .addColumn('max_concurrency', 'integer', (col) => col.notNull())
        .addColumn('catch_up', 'text', (col) => col.notNull())
        .addColumn('enabled', 'integer', (col) => col.notNull())
        .addColumn('project_root', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addColumn('evaluated_through', 'text', (col) => col.notNull())
        .execute();

      await schema
        .createTable('schedule_slots')
        .addColumn('schedule_id', 'text', (col) =>
          col.notNull().references('schedules.id').onDelete('cascade'),
        )
        .addColumn('slot_time', 'text', (col) => col.notNull())
        .addColumn('run_id', 'text', (col) => col.notNull().unique())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('claimed_by', 'text', (col) => col.notNull())
        .addColumn('claimed_at', 'text', (col) => col.notNull())
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('schedule_slots_pk', ['schedule_id', 'slot_time'])
        .execute();
      // Recovery and admission look slots up by state.
      await schema
        .createIndex('schedule_slots_state_idx')
        .on('schedule_slots')
        .columns(['state', 'claimed_at'])
        .execute();

      await schema
        .createTable('triggers')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('pipeline_id', 'text', (col) => col.notNull())
        .addColumn('pipeline_version_id', 'text')
        .addColumn('parameters', 'text', (col) => col.notNull())
        .addColumn('watch_directory', 'text')
        .addColumn('parameter_name', 'text')
        .addColumn('secret_hash', 'text')
        .addColumn('enabled', 'integer', (col) => col.notNull())
        .addColumn('project_root', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();

      await schema
        .createTable('trigger_events')
        .addColumn('trigger_id', 'text', (col) => col.notNull().references('triggers.id').onDelete('cascade'))
        .addColumn('dedup_key', 'text', (col) => col.notNull())
        .addColumn('run_id', 'text', (col) => col.notNull().unique())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('parameters', 'text', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        .addColumn('claimed_by', 'text', (col) => col.notNull())
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('trigger_events_pk', ['trigger_id', 'dedup_key'])
        .execute();
      await schema
        .createIndex('trigger_events_state_idx')
        .on('trigger_events')
        .columns(['state', 'received_at'])
        .execute();
    },
  };
}
