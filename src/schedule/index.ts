/**
 * Recurring runs and triggers: cron or interval schedules with catch-up policies and max concurrency,
 * directory-watch and webhook triggers, and the Scheduler that starts their runs through the engine —
 * each slot or event at most once, even across crashes and several processes on one store.
 *
 * @module
 * @example
 * import { openScheduleStore, Scheduler } from '../schedule/index.ts';
 * const schedules = await openScheduleStore(home);
 * const scheduler = new Scheduler({ schedules, store, engine, onRun: (id) => background.drive(id) });
 * scheduler.start();
 */
import { join } from 'node:path';
import { openSqliteScheduleStore, type ScheduleStore } from '../store/index.ts';

export { type CatchUpDecision, decideCatchUp, MAX_SLOTS_PER_EVALUATION, ON_TIME_MS } from './catch-up.ts';
export { type Clock, systemClock } from './clock.ts';
export {
  CATCH_UP_POLICIES,
  checkPipeline,
  createSchedule,
  createWatchTrigger,
  createWebhookTrigger,
  editSchedule,
  type ScheduleInput,
  type TriggerInput,
  verifyTriggerSecret,
} from './definitions.ts';
export { describeFireTime } from './describe-time.ts';
export { SETTLE_MS } from './directory-triggers.ts';
export { type LaunchOutcome, launchPlannedRun, type PlannedRun, resolveVersion } from './launcher.ts';
export { ScheduleInputError, TriggerAuthError } from './schedule-errors.ts';
export { LAUNCH_STALE_MS, POLL_MS, Scheduler, type SchedulerDependencies } from './scheduler.ts';
export {
  describeTiming,
  fireTimesBetween,
  latestFireTime,
  nextFireTime,
  nextFireTimes,
  parseDuration,
} from './timing.ts';

/** The schedule tables of the store in SLUICE_HOME (`<home>/sluice.db`, the run store's file). */
export function openScheduleStore(home: string): Promise<ScheduleStore> {
  return openSqliteScheduleStore(join(home, 'sluice.db'));
}
