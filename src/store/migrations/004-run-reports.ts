/**
 * Schema version 4: saved run reports. Frozen once released, like 001.
 *
 * `run_reports` holds a finished run's report body (what `sluice show` and `GET /runs/{id}` derive from its
 * tasks and attempts), saved once when the run ends, so that a read of a finished run is two row lookups
 * instead of every task and attempt row. `transition_id` is the run's newest transition when the report was
 * made: a run's tasks and state change only in batches that record a transition, so a report whose
 * transition is no longer the newest (a retried run, say) is stale and readers ignore it. Keyed by run id;
 * deleted with its run.
 */
import type { Kysely, Migration } from 'kysely';

export function runReportsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('run_reports')
        .addColumn('run_id', 'text', (col) =>
          col.primaryKey().notNull().references('runs.id').onDelete('cascade'),
        )
        .addColumn('transition_id', 'integer', (col) => col.notNull())
        .addColumn('report', 'text', (col) => col.notNull())
        .execute();
    },
  };
}
