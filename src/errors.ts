/**
 * Root of every error Sluice throws on purpose. Callers match on `code`, never on message text; the message
 * says what went wrong and what to do, and identifiers travel as fields.
 */
export class SluiceError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export function isSluiceError(value: unknown): value is SluiceError {
  return value instanceof SluiceError;
}

/**
 * Why a task attempt failed: data, not an exception. Non-zero exit is `user`; a lost process or a failed
 * spawn is `system`; the retry policy reads `retryable`.
 */
export interface TaskFailure {
  kind: 'user' | 'system' | 'timeout' | 'canceled';
  retryable: boolean;
  message: string;
  exitCode?: number;
}
