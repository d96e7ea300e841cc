/**
 * The engine's pure decisions: whether a task whose upstream tasks are final runs or is skipped, how a
 * finished DAG or loop ends, and whether (and when) a failed attempt is retried. No I/O, no clock but the
 * one passed in: test/engine/decide.test.ts walks every case.
 */
import type { TaskFailure } from '../errors.ts';
import type { RetryPolicy } from '../ir/index.ts';
import { producedOutputs, type TaskState } from './task-state.ts';

export type Readiness = { run: true } | { run: false; reason: string };

/**
 * KFP's trigger strategies: by default every upstream task must have produced its outputs (SUCCEEDED or
 * CACHED), otherwise the task is skipped; ALL_UPSTREAM_TASKS_COMPLETED (exit handlers,
 * ignoreUpstreamFailure) runs whatever the upstream outcome.
 */
export function decideReadiness(
  strategy: string | undefined,
  upstream: ReadonlyArray<[string, TaskState]>,
): Readiness {
  if (strategy === 'ALL_UPSTREAM_TASKS_COMPLETED') return { run: true };
  for (const [name, state] of upstream) {
    if (!producedOutputs(state)) return { run: false, reason: `upstream task '${name}' is ${state}` };
  }
  return { run: true };
}

/** How a DAG (or loop) ends once all its tasks are final: a failure anywhere fails it; skips do not. */
export function decideGroupOutcome(children: ReadonlyArray<TaskState>): 'SUCCEEDED' | 'FAILED' | 'CANCELED' {
  if (children.includes('FAILED')) return 'FAILED';
  if (children.includes('CANCELED')) return 'CANCELED';
  return 'SUCCEEDED';
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * KFP's retry policy: up to `maxRetryCount` more attempts, waiting backoffDuration × backoffFactor^(n-1),
 * at most backoffMaxDuration (KFP's defaults: 0s, 2, 3600s). `failedAttempts` counts the attempts that
 * failed for the task's own reasons; attempts lost to an engine crash do not use up the budget.
 */
export function decideRetry(
  policy: RetryPolicy | undefined,
  failure: TaskFailure,
  failedAttempts: number,
): RetryDecision {
  if (!failure.retryable || failure.kind === 'canceled') return { retry: false };
  const maxRetries = policy?.maxRetryCount ?? 0;
  if (failedAttempts > maxRetries) return { retry: false };
  const base = durationSeconds(policy?.backoffDuration, 0);
  const factor = policy?.backoffFactor ?? 2;
  const max = durationSeconds(policy?.backoffMaxDuration, 3600);
  const delaySeconds = Math.min(base * factor ** (failedAttempts - 1), max);
  return { retry: true, delayMs: Math.max(0, Math.round(delaySeconds * 1000)) };
}

function durationSeconds(duration: string | undefined, fallback: number): number {
  if (!duration) return fallback;
  const seconds = Number.parseFloat(duration);
  return Number.isFinite(seconds) ? seconds : fallback;
}
