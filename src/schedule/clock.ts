/**
 * The scheduler's only source of time. Injected so that tests move time by hand (a week of slots, three
 * hours of downtime, a DST change) without sleeping; the server uses the system clock.
 */
export interface Clock {
  now(): Date;
  /** Calls `callback` once after `ms` milliseconds; returns a function that cancels it. */
  setTimer(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, callback) {
    // Unref'd: a pending wake-up must not keep a process alive that has nothing else to do.
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
