/**
 * A StoreBatch as the ordered list of row writes every backend applies inside its one transaction. The
 * order is what makes foreign keys hold within a batch: the run's patch, then new tasks before anything
 * that points at them (patches, attempts, artifacts), artifacts before lineage, transitions last.
 */
import type { Kysely } from 'kysely';
import type { LineageEventRecord, RunRecord, TaskRecord, TransitionRecord } from './records.ts';
import {
  ARTIFACT_COLUMNS,
  ATTEMPT_COLUMNS,
  ATTEMPT_PATCH_COLUMNS,
  encodePatch,
  encodeRecord,
  LINEAGE_COLUMNS,
  RUN_COLUMNS,
  RUN_PATCH_COLUMNS,
  TASK_COLUMNS,
  TASK_PATCH_COLUMNS,
  TRANSITION_COLUMNS,
} from './rows.ts';
import type { StoreDatabase } from './schema.ts';
import { type StoreBatch, StoreBatchRejectedError } from './store.ts';

type Row = Record<string, unknown>;

export interface InsertWrite {
  kind: 'insert';
  table: 'runs' | 'tasks' | 'attempts' | 'artifacts' | 'lineage_events' | 'transitions';
  /** Encoded rows; every row of a table has the same columns in the same order. */
  rows: Row[];
  /** Lineage only: recording the same fact again is a no-op (`on conflict do nothing`). */
  ignoreDuplicates: boolean;
}

export interface PatchWrite {
  kind: 'patch';
  table: 'runs' | 'tasks' | 'attempts';
  id: string;
  /** The batch's run: a patch may only touch rows of that run (the fence covers one run). */
  runId: string;
  set: Row;
}

export type StoreWrite = InsertWrite | PatchWrite;

function insert<R>(
  table: InsertWrite['table'],
  records: ReadonlyArray<R> | undefined,
  columns: Parameters<typeof encodeRecord<R, Row>>[1],
): InsertWrite[] {
  if (records === undefined || records.length === 0) return [];
  const rows = records.map((record) => encodeRecord<R, Row>(record, columns));
  return [{ kind: 'insert', table, rows, ignoreDuplicates: table === 'lineage_events' }];
}

function patch<P>(
  table: PatchWrite['table'],
  runId: string,
  id: string,
  fields: Partial<P>,
  columns: Parameters<typeof encodePatch<P, Row>>[1],
): PatchWrite[] {
  const encoded = encodePatch<P, Row>(fields, columns);
  if ('unknownField' in encoded) {
    throw new StoreBatchRejectedError(runId, table, id, `has no patchable field '${encoded.unknownField}'`);
  }
  const set = encoded.row as Row;
  return Object.keys(set).length === 0 ? [] : [{ kind: 'patch', table, id, runId, set }];
}

/** The writes of `commit(batch)`, in the order to apply them. Throws StoreBatchRejectedError on bad fields. */
export function planBatch(batch: StoreBatch): StoreWrite[] {
  const { runId } = batch;
  return [
    ...(batch.runPatch ? patch('runs', runId, runId, batch.runPatch, RUN_PATCH_COLUMNS) : []),
    ...insert('tasks', batch.newTasks, TASK_COLUMNS),
    ...(batch.taskPatches ?? []).flatMap((p) => patch('tasks', runId, p.id, p.patch, TASK_PATCH_COLUMNS)),
    ...insert('attempts', batch.newAttempts, ATTEMPT_COLUMNS),
    ...(batch.attemptPatches ?? []).flatMap((p) =>
      patch('attempts', runId, p.id, p.patch, ATTEMPT_PATCH_COLUMNS),
    ),
    ...insert('artifacts', batch.newArtifacts, ARTIFACT_COLUMNS),
    ...insert<LineageEventRecord>('lineage_events', batch.lineage, LINEAGE_COLUMNS),
    ...insert<Omit<TransitionRecord, 'id'>>('transitions', batch.transitions, TRANSITION_COLUMNS),
  ];
}

/** The writes of `createRun`. */
export function planCreateRun(
  run: RunRecord,
  rootTask: TaskRecord,
  transitions: ReadonlyArray<Omit<TransitionRecord, 'id'>>,
): InsertWrite[] {
  return [
    ...insert('runs', [run], RUN_COLUMNS),
    ...insert('tasks', [rootTask], TASK_COLUMNS),
    ...insert<Omit<TransitionRecord, 'id'>>('transitions', transitions, TRANSITION_COLUMNS),
  ];
}

/** Rows are already encoded, so the table's static row type does not apply; this view lets kysely take them. */
type UntypedDb = Kysely<Record<string, Row>>;

/** A multi-row insert (`rows` must be non-empty and share one column order). */
export function insertQuery(db: Kysely<StoreDatabase>, write: InsertWrite, rows: Row[] = write.rows) {
  const query = (db as unknown as UntypedDb).insertInto(write.table).values(rows);
  return write.ignoreDuplicates ? query.onConflict((conflict) => conflict.doNothing()) : query;
}

/** Updates one row of the batch's run; it must change exactly one row, or the batch is rejected. */
export function patchQuery(db: Kysely<StoreDatabase>, write: PatchWrite) {
  const query = (db as unknown as UntypedDb)
    .updateTable(write.table)
    .set(write.set)
    .where('id', '=', write.id);
  return write.table === 'runs' ? query : query.where('run_id', '=', write.runId);
}
