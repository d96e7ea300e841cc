/**
 * The API's hot reads (get a run, list runs, a run's graph) as plain data in and JSON text out, so that the
 * same code gives the same bytes inline or on a read worker with its own store connection (read-pool.ts).
 */
import type { z } from '@hono/zod-openapi';
import { isSluiceError, SluiceError } from '../errors.ts';
import type { RunStore } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import { buildRunGraph } from './run-graph.ts';
import { listRunsPage, runView } from './run-list.ts';
import type { ListRunsQuerySchema } from './schemas.ts';

export type ReadOp =
  | { kind: 'getRun'; runId: string }
  | { kind: 'listRuns'; query: z.infer<typeof ListRunsQuerySchema> }
  | { kind: 'runGraph'; runId: string };

/**
 * An error as it crosses a thread (structured clone keeps fields, not classes): an ApiError, a SluiceError
 * (mapped to its status on the server's thread, as if thrown there), or anything else (a bug: its stack).
 */
export type ReadFailure =
  | { kind: 'api'; status: number; code: string; message: string; field?: string }
  | { kind: 'sluice'; code: string; message: string }
  | { kind: 'unexpected'; stack: string };

export async function executeRead(store: RunStore, op: ReadOp): Promise<string> {
  switch (op.kind) {
    case 'getRun':
      return JSON.stringify(await runView(store, op.runId));
    case 'listRuns':
      return JSON.stringify(await listRunsPage(store, op.query));
    case 'runGraph': {
      const run = await store.getRun(op.runId);
      if (!run) throw new ApiError(404, 'RUN_NOT_FOUND', `no run '${op.runId}' in this store`, 'runId');
      return JSON.stringify(buildRunGraph(run.spec, await store.getTasks(op.runId)));
    }
  }
}

export function readFailureOf(error: unknown): ReadFailure {
  if (error instanceof ApiError)
    return {
      kind: 'api',
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.field === undefined ? {} : { field: error.field }),
    };
  if (isSluiceError(error)) return { kind: 'sluice', code: error.code, message: error.message };
  return {
    kind: 'unexpected',
    stack: error instanceof Error ? (error.stack ?? error.message) : String(error),
  };
}

/** The error to throw on the server's thread for a failure a worker reported. */
export function errorOfFailure(failure: ReadFailure): Error {
  if (failure.kind === 'api')
    return new ApiError(failure.status as ApiError['status'], failure.code, failure.message, failure.field);
  if (failure.kind === 'sluice') return new SluiceError(failure.code, failure.message);
  return new Error(`in a read worker: ${failure.stack}`);
}
