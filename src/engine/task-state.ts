/**
 * Run and task states, and THE table of allowed transitions. Nothing else in Sluice assigns a state: every
 * change goes through `transitionTask` / `transitionRun`, which refuse an edge that is not in the table
 * (Argo's `markNodePhase` only logs such an edge; a refused edge here is a bug caught where it happens).
 *
 * Names are KFP's v2beta1 RuntimeState words and are stored in the database exactly as written.
 */
import { SluiceError } from '../errors.ts';

export const RunState = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELING: 'CANCELING',
  CANCELED: 'CANCELED',
} as const;
export type RunState = (typeof RunState)[keyof typeof RunState];

export const TaskState = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  RETRYING: 'RETRYING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  SKIPPED: 'SKIPPED',
  CACHED: 'CACHED',
  CANCELED: 'CANCELED',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

const RUN_TRANSITIONS: Readonly<Record<RunState, ReadonlyArray<RunState>>> = {
  PENDING: ['RUNNING', 'CANCELING', 'CANCELED', 'FAILED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'CANCELING'],
  // A cancel that finds everything already finished ends the run as it would have ended.
  CANCELING: ['CANCELED', 'FAILED', 'SUCCEEDED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELED: [],
};

const TASK_TRANSITIONS: Readonly<Record<TaskState, ReadonlyArray<TaskState>>> = {
  PENDING: ['RUNNING', 'SKIPPED', 'CACHED', 'CANCELED', 'FAILED'],
  // FAILED straight from RUNNING when no retry is left; RETRYING while waiting for the next attempt.
  RUNNING: ['SUCCEEDED', 'FAILED', 'RETRYING', 'CANCELED'],
  RETRYING: ['RUNNING', 'CANCELED', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
  SKIPPED: [],
  CACHED: [],
  CANCELED: [],
};

/**
 * The one way back from a final state: `retry` re-opens a FAILED or CANCELED run, and in it the tasks that
 * must run again (see retry-plan.ts). Kept apart from the tables above so that nothing while driving can
 * take these edges; the retry commits them in one batch before the run is driven again.
 */
const RUN_REOPENINGS: ReadonlyArray<RunState> = ['FAILED', 'CANCELED'];
const TASK_REOPENINGS: Readonly<Record<'PENDING' | 'RUNNING', ReadonlyArray<TaskState>>> = {
  PENDING: ['FAILED', 'SKIPPED', 'CANCELED', 'SUCCEEDED'],
  RUNNING: ['FAILED', 'CANCELED', 'SUCCEEDED', 'SKIPPED'],
};

export function reopenRun(subject: string, from: RunState): RunState {
  if (!RUN_REOPENINGS.includes(from)) throw new IllegalTransitionError(subject, from, 'PENDING');
  return 'PENDING';
}

export function reopenTask<To extends 'PENDING' | 'RUNNING'>(subject: string, from: TaskState, to: To): To {
  if (!TASK_REOPENINGS[to].includes(from)) throw new IllegalTransitionError(subject, from, to);
  return to;
}

/** Finished runs: nothing will change them again (resume leaves them alone). */
export const FINAL_RUN_STATES: ReadonlySet<RunState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);
/** Runs a cancel request applies to. */
export const CANCELABLE_RUN_STATES: ReadonlySet<RunState> = new Set(['PENDING', 'RUNNING']);
/** Finished tasks: their outputs (if any) are published and never recomputed in this run. */
export const FINAL_TASK_STATES: ReadonlySet<TaskState> = new Set([
  'SUCCEEDED',
  'FAILED',
  'SKIPPED',
  'CACHED',
  'CANCELED',
]);
/** Tasks whose outputs downstream tasks may read: a cache hit is as good as a success. */
export const PRODUCED_TASK_STATES: ReadonlySet<TaskState> = new Set(['SUCCEEDED', 'CACHED']);
/** Tasks a process may be running for: on a restart these are checked for lost processes. */
export const ACTIVE_TASK_STATES: ReadonlySet<TaskState> = new Set(['RUNNING', 'RETRYING']);

export const isFinalTask = (state: TaskState): boolean => FINAL_TASK_STATES.has(state);
export const isFinalRun = (state: RunState): boolean => FINAL_RUN_STATES.has(state);
export const producedOutputs = (state: TaskState): boolean => PRODUCED_TASK_STATES.has(state);

export class IllegalTransitionError extends SluiceError {
  constructor(
    readonly subject: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(
      'ILLEGAL_TRANSITION',
      `${subject}: ${from} → ${to} is not an allowed transition (this is a Sluice bug)`,
    );
  }
}

export function canTransitionTask(from: TaskState, to: TaskState): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}

export function canTransitionRun(from: RunState, to: RunState): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/** Checks a task transition; returns the new state so call sites read `state = transitionTask(...)`. */
export function transitionTask(subject: string, from: TaskState, to: TaskState): TaskState {
  if (!canTransitionTask(from, to)) throw new IllegalTransitionError(subject, from, to);
  return to;
}

export function transitionRun(subject: string, from: RunState, to: RunState): RunState {
  if (!canTransitionRun(from, to)) throw new IllegalTransitionError(subject, from, to);
  return to;
}

/** The whole table, for tests and docs. */
export const TASK_TRANSITION_TABLE = TASK_TRANSITIONS;
export const RUN_TRANSITION_TABLE = RUN_TRANSITIONS;
