/**
 * The API's one error shape, `{ error: { code, message, field? } }`, and how engine, store and IR errors map
 * onto HTTP statuses. Anything unexpected is a 500 whose details go to stderr, never to the client.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isSluiceError } from '../errors.ts';

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** The request field at fault, as a dotted path (`parameters.epochs`, `pageSize`). */
    field?: string;
    /** IR validation issues, each with its path into the pipeline document. */
    issues?: { code: string; path: string; message: string; line?: number; column?: number }[];
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly issues?: ApiErrorBody['error']['issues'],
  ) {
    super(message);
  }

  body(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.issues === undefined ? {} : { issues: this.issues }),
      },
    };
  }
}

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  RUN_NOT_FOUND: 404,
  RUN_ID_AMBIGUOUS: 400,
  RUN_BUSY: 409,
  RETRY_NOT_POSSIBLE: 409,
  RUN_INPUT_INVALID: 400,
  IR_INVALID: 400,
  IR_PARSE_ERROR: 400,
  LINEAGE_SUBJECT_NOT_FOUND: 404,
  PIPELINE_VERSION_NAME_TAKEN: 409,
};

/** The ApiError an error thrown by a handler stands for. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isSluiceError(error)) {
    const status = STATUS_BY_CODE[error.code];
    if (status !== undefined) return new ApiError(status, error.code, error.message);
  }
  process.stderr.write(`sluice server: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return new ApiError(500, 'INTERNAL', 'internal error; the server log has the details');
}

export function errorResponse(c: Context, error: ApiError): Response {
  return c.json(error.body(), error.status);
}
