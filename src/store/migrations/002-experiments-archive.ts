/**
 * Schema version 2: experiments, run placement and archiving. Frozen once released, like 001.
 *
 * - `experiments`: named groups of runs (KFP's v2beta1 Experiment). The `default` experiment ("Default") is
 *   created here, so every run, old or new, belongs to one.
 * - `runs.experiment_id` (default `'default'`: runs written by schema 1 and runs created without one land in
 *   Default), `runs.storage_state` (`AVAILABLE` | `ARCHIVED`), `runs.pipeline_version_id` (the version a
 *   run ran, when known; NULL for runs written by schema 1).
 *
 * No foreign key from `runs.experiment_id`: SQLite cannot add a column with a REFERENCES clause and a
 * non-NULL default; the store checks the experiment exists where it matters (deleting one with runs).
 *
 * Indexes serve the run list without a sort step: each order (created_at, name, state, finished_at) over all
 * runs and within one experiment, and the default list (available runs, newest first); keyset pages compare
 * `(sort key, id)`, so each index ends on `id`. The name and finished_at keys are expressions (the display
 * name falling back to the pipeline name; unfinished runs as ''), indexed as written in the queries.
 * Artifacts get indexes for their list (newest first, optionally of one run or one type).
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const DEFAULT_EXPERIMENT_ID = 'default';

export function experimentsArchiveMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const schema = db.schema;

      await schema
        .createTable('experiments')
        .addColumn('id', 'text', (col) => col.primaryKey().notNull())
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('storage_state', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await sql`insert into experiments (id, name, description, storage_state, created_at) values (${DEFAULT_EXPERIMENT_ID}, ${'Default'}, ${'runs created without an experiment'}, ${'AVAILABLE'}, ${new Date().toISOString()})`.execute(
        db,
      );

      await schema
        .alterTable('runs')
        .addColumn('experiment_id', 'text', (col) => col.notNull().defaultTo(DEFAULT_EXPERIMENT_ID))
        .execute();
      await schema
        .alterTable('runs')
        .addColumn('storage_state', 'text', (col) => col.notNull().defaultTo('AVAILABLE'))
        .execute();
      await schema.alterTable('runs').addColumn('pipeline_version_id', 'text').execute();

      // The default list (available runs, newest first).
      await schema
        .createIndex('runs_storage_created_idx')
        .on('runs')
        .columns(['storage_state', 'created_at', 'id'])
        .execute();
      // The other orders, over all runs (archived rows are skipped as the index is walked).
      await schema
        .createIndex('runs_name_idx')
        .on('runs')
        .expression(sql`coalesce(display_name, pipeline_name), id`)
        .execute();
      await schema.createIndex('runs_state_sort_idx').on('runs').columns(['state', 'id']).execute();
      await schema
        .createIndex('runs_finished_idx')
        .on('runs')
        .expression(sql`coalesce(finished_at, ''), id`)
        .execute();
      // Each order within one experiment.
      await schema
        .createIndex('runs_experiment_created_idx')
        .on('runs')
        .columns(['experiment_id', 'created_at', 'id'])
        .execute();
      await schema
        .createIndex('runs_experiment_name_idx')
        .on('runs')
        .expression(sql`experiment_id, coalesce(display_name, pipeline_name), id`)
        .execute();
      await schema
        .createIndex('runs_experiment_state_idx')
        .on('runs')
        .columns(['experiment_id', 'state', 'id'])
        .execute();
      await schema
        .createIndex('runs_experiment_finished_idx')
        .on('runs')
        .expression(sql`experiment_id, coalesce(finished_at, ''), id`)
        .execute();

      await schema
        .createIndex('artifacts_created_idx')
        .on('artifacts')
        .columns(['created_at', 'id'])
        .execute();
      await schema
        .createIndex('artifacts_type_idx')
        .on('artifacts')
        .columns(['schema_title', 'created_at', 'id'])
        .execute();
      await schema
        .createIndex('artifacts_run_created_idx')
        .on('artifacts')
        .columns(['run_id', 'created_at', 'id'])
        .execute();
    },
  };
}
