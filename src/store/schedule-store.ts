/**
 * Recurring runs (schedules), their slots, triggers and trigger events: what the store keeps for
 * src/schedule/. The contract the scheduler's correctness rests on:
 *
 * - A slot (schedule, fire time) or a trigger event (trigger, de-dup key) is a row with a UNIQUE key, and
 *   the run id it will create is chosen and stored in that same row before the run exists. Claiming is one
 *   transaction, so of two processes claiming the same slot exactly one gets it; the run id is the runs
 *   table's primary key, so a slot can never produce two runs, even when a crash makes someone retry.
 * - Claiming slots is compare-and-set on the schedule's `evaluatedThrough`: two schedulers evaluating the
 *   same window never both decide about it (one wins; the other re-reads and sees the window consumed).
 * - Admission (a waiting slot may start) counts the schedule's active runs inside the same transaction that
 *   marks the slot STARTING, so max concurrency holds across processes.
 * - Like RunStore, this store neither retries nor interprets run states: the final states are passed in.
 */
import { SluiceError } from '../errors.ts';
import type { Json } from './records.ts';

export type CatchUpPolicy = 'skip' | 'latest' | 'all';

/** When a schedule fires: a cron pattern in a time zone, or every N seconds from a start instant. */
export type ScheduleTiming =
  | { kind: 'cron'; cron: string; timeZone: string }
  | { kind: 'interval'; everySeconds: number; startAt: string };

export interface ScheduleRecord {
  id: string;
  name: string;
  pipelineId: string;
  /** A pinned version, or null for the newest version of the pipeline when each run starts. */
  pipelineVersionId: string | null;
  timing: ScheduleTiming;
  parameters: { [name: string]: Json };
  maxConcurrency: number;
  catchUp: CatchUpPolicy;
  enabled: boolean;
  /** Where TypeScript function components' modules resolve (the directory the schedule was made in). */
  projectRoot: string | null;
  createdAt: string;
  updatedAt: string;
  /** Every slot up to and including this instant has been decided (claimed or skipped). */
  evaluatedThrough: string;
}

export type ScheduleChanges = Partial<
  Pick<
    ScheduleRecord,
    'name' | 'pipelineId' | 'pipelineVersionId' | 'timing' | 'parameters' | 'maxConcurrency' | 'catchUp'
  >
>;

/**
 * WAITING: claimed, its run id fixed, waiting for a free place under max concurrency. STARTING: admitted;
 * its run may or may not exist yet (a crash here is recovered by creating exactly that run id). STARTED:
 * the run exists. SKIPPED: superseded by a newer slot (skip/latest policies). FAILED: the run could not be
 * created (an invalid pipeline or parameters); `error` says why.
 */
export type LaunchState = 'WAITING' | 'STARTING' | 'STARTED' | 'SKIPPED' | 'FAILED';

export interface SlotRecord {
  scheduleId: string;
  slotTime: string;
  runId: string;
  state: LaunchState;
  claimedBy: string;
  claimedAt: string;
  error: string | null;
}

export type TriggerKind = 'watch' | 'webhook';

export interface TriggerRecord {
  id: string;
  name: string;
  kind: TriggerKind;
  pipelineId: string;
  pipelineVersionId: string | null;
  parameters: { [name: string]: Json };
  /** watch: the directory; its new or changed files fire the trigger. */
  watchDirectory: string | null;
  /** watch: the pipeline parameter that receives the file's absolute path. */
  parameterName: string | null;
  /** webhook: sha256 (hex) of the secret callers must send; the secret itself is never stored. */
  secretHash: string | null;
  enabled: boolean;
  projectRoot: string | null;
  createdAt: string;
}

export interface TriggerEventRecord {
  triggerId: string;
  /** Unique per trigger: a repeated delivery of the same event changes nothing. */
  dedupKey: string;
  runId: string;
  state: LaunchState;
  parameters: { [name: string]: Json };
  receivedAt: string;
  claimedBy: string;
  error: string | null;
}

export interface ScheduleStore {
  close(): Promise<void>;

  createSchedule(schedule: ScheduleRecord): Promise<void>;
  getSchedule(idOrName: string): Promise<ScheduleRecord | undefined>;
  listSchedules(): Promise<ScheduleRecord[]>;
  /** Applies an edit; slots and runs already claimed or started are untouched. */
  updateSchedule(id: string, changes: ScheduleChanges, at: string): Promise<ScheduleRecord>;
  /**
   * Pauses or resumes. Resuming moves `evaluatedThrough` to `at`: slots that passed while paused were not
   * missed (the user asked for none), so no catch-up policy applies to them.
   */
  setScheduleEnabled(id: string, enabled: boolean, at: string): Promise<ScheduleRecord>;
  /** Deletes the schedule and its slots (the runs stay). */
  deleteSchedule(id: string): Promise<boolean>;

  /**
   * In one transaction: if the schedule is enabled and its `evaluatedThrough` is still `expectedThrough`,
   * inserts `slots` as WAITING (a slot that already exists is left alone), optionally marks the schedule's
   * older WAITING slots SKIPPED (superseded), and sets `evaluatedThrough` to `through`. Returns the slots
   * this call inserted, or undefined when another scheduler evaluated the window first.
   */
  claimSlots(claim: {
    scheduleId: string;
    expectedThrough: string;
    through: string;
    slots: { slotTime: string; runId: string }[];
    supersedeWaiting: boolean;
    claimedBy: string;
    at: string;
  }): Promise<SlotRecord[] | undefined>;
  /**
   * In one transaction: counts the schedule's active runs (STARTING slots, and STARTED slots whose run is
   * not in `finalRunStates`) and moves the oldest WAITING slots to STARTING while that stays below the
   * schedule's max concurrency. Returns the slots admitted.
   */
  admitSlots(
    scheduleId: string,
    finalRunStates: readonly string[],
    claimedBy: string,
    at: string,
  ): Promise<SlotRecord[]>;
  /** STARTING slots claimed before `staleBefore` or by `claimedBy` (a crash left them): to be finished. */
  listStartingSlots(staleBefore: string, claimedBy: string): Promise<SlotRecord[]>;
  setSlotState(scheduleId: string, slotTime: string, state: LaunchState, error?: string): Promise<void>;
  /** A schedule's slots, newest first. */
  listSlots(scheduleId: string, limit?: number): Promise<SlotRecord[]>;

  createTrigger(trigger: TriggerRecord): Promise<void>;
  getTrigger(idOrName: string): Promise<TriggerRecord | undefined>;
  listTriggers(): Promise<TriggerRecord[]>;
  /**
   * Pauses or resumes. A paused webhook refuses to fire; a paused watch trigger is not scanned, and on
   * resume it fires for the files that arrived or changed meanwhile (files are data waiting, not missed slots).
   */
  setTriggerEnabled(id: string, enabled: boolean): Promise<TriggerRecord>;
  deleteTrigger(id: string): Promise<boolean>;
  /**
   * Records an event as STARTING unless one with the same key exists. Returns the event and whether this
   * call created it (false: a duplicate; the existing event is returned).
   */
  recordTriggerEvent(event: TriggerEventRecord): Promise<{ event: TriggerEventRecord; created: boolean }>;
  /** Whether the trigger already has an event with this key (a cheap pre-check for file scans). */
  hasTriggerEvent(triggerId: string, dedupKey: string): Promise<boolean>;
  listStartingTriggerEvents(staleBefore: string, claimedBy: string): Promise<TriggerEventRecord[]>;
  setTriggerEventState(
    triggerId: string,
    dedupKey: string,
    state: LaunchState,
    error?: string,
  ): Promise<void>;
  /** A trigger's events, newest first. */
  listTriggerEvents(triggerId: string, limit?: number): Promise<TriggerEventRecord[]>;
}

export class ScheduleNameTakenError extends SluiceError {
  constructor(
    readonly kind: 'schedule' | 'trigger',
    readonly takenName: string,
  ) {
    super(
      kind === 'schedule' ? 'SCHEDULE_NAME_TAKEN' : 'TRIGGER_NAME_TAKEN',
      `a ${kind} named '${takenName}' already exists; choose another name (or delete it: sluice ${kind} delete ${takenName})`,
    );
  }
}

export class ScheduleNotFoundError extends SluiceError {
  constructor(readonly scheduleName: string) {
    super(
      'SCHEDULE_NOT_FOUND',
      `no schedule '${scheduleName}' in this store; list them with: sluice schedule list`,
    );
  }
}

export class TriggerNotFoundError extends SluiceError {
  constructor(readonly triggerName: string) {
    super(
      'TRIGGER_NOT_FOUND',
      `no trigger '${triggerName}' in this store; list them with: sluice trigger list`,
    );
  }
}
