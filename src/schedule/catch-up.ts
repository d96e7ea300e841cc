/**
 * Which slots of a window to claim, by catch-up policy. The window is (evaluatedThrough, now]: every fire
 * time since the schedule was last evaluated. Normally that is one slot, just due; after downtime it holds
 * the missed ones too.
 *
 * - `skip`: no missed runs. Only a slot that is on time (due at most ON_TIME_MS ago) is claimed.
 * - `latest`: one run for everything missed: the newest slot of the window, however late.
 * - `all`: every slot, oldest first (at most MAX_SLOTS_PER_EVALUATION at once; the rest next time).
 *
 * A window without a fire time leaves `through` where it was: nothing to record, so no write (the server
 * evaluates every second, and a write transaction per schedule per second would compete with runs).
 */
import type { CatchUpPolicy, ScheduleTiming } from '../store/index.ts';
import { fireTimesBetween, latestFireTime } from './timing.ts';

/** How late a slot may be seen and still count as on time rather than missed. */
export const ON_TIME_MS = 60_000;
/** `all` claims this many slots per evaluation at most, so a long outage cannot make one huge transaction. */
export const MAX_SLOTS_PER_EVALUATION = 500;

export interface CatchUpDecision {
  /** Fire times to claim, oldest first. */
  slots: Date[];
  /** The new `evaluatedThrough`: `now`, or the last slot claimed when `all` had more than fit. */
  through: Date;
  /** Whether older WAITING slots are superseded by these (not for `all`, which runs every slot). */
  supersedeWaiting: boolean;
}

export function decideCatchUp(
  timing: ScheduleTiming,
  policy: CatchUpPolicy,
  evaluatedThrough: Date,
  now: Date,
): CatchUpDecision {
  if (now.getTime() <= evaluatedThrough.getTime())
    return { slots: [], through: evaluatedThrough, supersedeWaiting: false };
  if (policy === 'all') {
    const slots = fireTimesBetween(timing, evaluatedThrough, now, MAX_SLOTS_PER_EVALUATION);
    const full = slots.length === MAX_SLOTS_PER_EVALUATION;
    const through = slots.length === 0 ? evaluatedThrough : full ? slots[slots.length - 1]! : now;
    return { slots, through, supersedeWaiting: false };
  }
  const latest = latestFireTime(timing, now);
  const inWindow = latest !== undefined && latest.getTime() > evaluatedThrough.getTime();
  const onTime = inWindow && now.getTime() - latest.getTime() <= ON_TIME_MS;
  const claim = policy === 'latest' ? inWindow : onTime;
  return {
    slots: claim ? [latest!] : [],
    through: inWindow ? now : evaluatedThrough,
    supersedeWaiting: claim,
  };
}
