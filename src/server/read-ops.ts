/**
 * The API's hot reads (get a run, list runs) as plain data in and JSON text out, so that the same code gives
 * the same bytes inline or on a read worker with its own store connection (read-pool.ts).
 */
import type { z } from '@hono/zod-openapi';
import { isSluiceError, SluiceError } from '../errors.ts';
import type { RunStore } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import { listRunsPage, runView } from './run-list.ts';
import type { ListRunsQuerySchema } from './schemas.ts';

export type ReadOp =
  | { kind: 'getRun'; runId: string }
  | { kind: 'listRuns'; query: z.infer<typeof ListRunsQuerySchema> };

/**
 * An error as it crosses a thread (structured clone keeps fields, not classes): an ApiError, a SluiceError
 * (mapped to its status on the server's thread, as if thrown there), or anything else (a bug: its stack).
 */
export type ReadFailure =
  | { kind: 'api'; status: number; code: string; message: string; field?: string }
  | { kind: 'sluice'; code: string; message: string }
  | { kind: 'unexpected'; stack: string };

export async function executeRead(store: RunStore, op: ReadOp): Promise<string> {
  const value = op.kind === 'getRun' ? await runView(store, op.runId) : await listRunsPage(store, op.query);
  return JSON.stringify(value);
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
