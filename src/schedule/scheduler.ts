/**
 * The scheduler: on each tick, for every enabled schedule, claims the slots that came due (by its catch-up
 * policy), admits waiting slots under max concurrency, and starts their runs; it also finishes launches a
 * crash interrupted and scans watched directories. Ticks come from an injected Clock: at the next fire
 * time, and at least every POLL_MS so that schedules changed by another process (the CLI) are seen.
 *
 * Why it never fires twice: every decision is a transaction in the store (claimSlots is compare-and-set on
 * the schedule's evaluatedThrough plus a unique slot key; admitSlots counts and admits atomically), and a
 * slot's run id is stored with the slot before the run exists, so starting it again can only find it.
 * Why it never silently misses: evaluatedThrough moves only in the transaction that claims the window's
 * slots, and a STARTING slot left by a crash is finished by whichever scheduler sees it next.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Engine, FINAL_RUN_STATES } from '../engine/index.ts';
import type {
  Json,
  RunStore,
  ScheduleRecord,
  ScheduleStore,
  SlotRecord,
  TriggerEventRecord,
  TriggerRecord,
} from '../store/index.ts';
import { decideCatchUp } from './catch-up.ts';
import { type Clock, systemClock } from './clock.ts';
import { DirectoryTriggers } from './directory-triggers.ts';
import { type LaunchOutcome, launchPlannedRun } from './launcher.ts';
import { nextFireTime } from './timing.ts';

/** Longest wait between ticks: how soon a schedule created or resumed elsewhere is noticed. */
export const POLL_MS = 1_000;
/** A STARTING slot or event claimed longer ago than this by another scheduler is taken as abandoned. */
export const LAUNCH_STALE_MS = 15_000;
/** Delay of a tick asked for by poke(), so that a burst of pokes makes one tick. */
const POKE_MS = 50;

export interface SchedulerDependencies {
  schedules: ScheduleStore;
  store: RunStore;
  /** The engine runs are submitted through (the server's). */
  engine: Pick<Engine, 'submit'>;
  /** @default the system clock */
  clock?: Clock;
  /** Names this scheduler in slot claims. @default host:pid:uuid */
  ownerId?: string;
  /** Called with each run a slot or event now has (the server drives it in the background). */
  onRun?: (runId: string) => void;
  /** @default stderr */
  log?: (line: string) => void;
  /** Watch file triggers' directories (needs the real file system). @default true */
  watchDirectories?: boolean;
  /**
   * For tests: called at the two points a crash matters (slot admitted, run not yet created; run created,
   * slot not yet marked). Throwing stops the tick right there, as a crash would.
   */
  faults?: { afterAdmit?: (slot: SlotRecord) => void; afterLaunch?: (slot: SlotRecord) => void };
}

export class Scheduler {
  readonly ownerId: string;
  readonly #deps: SchedulerDependencies;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  readonly #directories: DirectoryTriggers | undefined;
  #cancelTimer: (() => void) | undefined;
  /** When the armed timer fires (epoch ms), if one is armed. */
  #armedFor: number | undefined;
  #ticking: Promise<void> | undefined;
  #running = false;
  /** Earliest instant anything is due after the last tick (a fire time), if sooner than POLL_MS. */
  #nextDue: number | undefined;

  constructor(deps: SchedulerDependencies) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#log = deps.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.ownerId = deps.ownerId ?? `${hostname()}:${process.pid}:${randomUUID()}`;
    this.#directories =
      deps.watchDirectories === false
        ? undefined
        : new DirectoryTriggers({
            schedules: deps.schedules,
            clock: this.#clock,
            fire: (trigger, key, parameters) =>
              this.fireTrigger(trigger, key, parameters).then(() => undefined),
            poke: () => this.poke(),
            log: this.#log,
          });
  }

  get schedules(): ScheduleStore {
    return this.#deps.schedules;
  }

  /** Starts ticking (first tick at once). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm(0);
  }

  /** Stops ticking and waits for a tick in progress to end. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#directories?.close();
    await this.#ticking;
  }

  /**
   * Ticks soon (a watched directory changed, a schedule was edited through the API). Bursts of pokes (a
   * file being written fires many fs.watch events) make one tick, POKE_MS later.
   */
  poke(): void {
    if (!this.#running) return;
    if (this.#armedFor !== undefined && this.#armedFor <= this.#clock.now().getTime() + POKE_MS) return;
    this.#arm(POKE_MS);
  }

  #arm(ms: number): void {
    this.#cancelTimer?.();
    this.#armedFor = this.#clock.now().getTime() + ms;
    this.#cancelTimer = this.#clock.setTimer(ms, () => {
      this.#cancelTimer = undefined;
      this.#armedFor = undefined;
      void this.tick().finally(() => {
        if (!this.#running || this.#cancelTimer !== undefined) return;
        const now = this.#clock.now().getTime();
        this.#arm(Math.min(POLL_MS, Math.max(0, (this.#nextDue ?? Number.POSITIVE_INFINITY) - now)));
      });
    });
  }

  /** One evaluation at the clock's now. Ticks never overlap; a call during one waits for it. */
  async tick(): Promise<void> {
    while (this.#ticking) await this.#ticking;
    const ticking = this.#tick()
      .catch((error: unknown) => {
        if (this.#deps.faults) throw error;
        this.#log(`sluice scheduler: ${(error as Error)?.stack ?? error}`);
      })
      .finally(() => {
        if (this.#ticking === ticking) this.#ticking = undefined;
      });
    this.#ticking = ticking;
    await ticking;
  }

  async #tick(): Promise<void> {
    const now = this.#clock.now();
    await this.#recover(now);
    let nextDue: number | undefined;
    for (const schedule of await this.#deps.schedules.listSchedules()) {
      if (!schedule.enabled) continue;
      try {
        await this.#evaluate(schedule, now);
        await this.#admit(schedule, now);
      } catch (error) {
        // One schedule's trouble (a store error) must not stop the others; it is tried again next tick.
        if (this.#deps.faults) throw error;
        this.#log(`sluice scheduler: schedule '${schedule.name}': ${(error as Error)?.message ?? error}`);
      }
      const next = nextFireTime(schedule.timing, now)?.getTime();
      if (next !== undefined && (nextDue === undefined || next < nextDue)) nextDue = next;
    }
    this.#nextDue = nextDue;
    if (this.#directories) await this.#directories.scan(await this.#deps.schedules.listTriggers());
  }

  /** Claims the window (evaluatedThrough, now] by the schedule's catch-up policy. */
  async #evaluate(initial: ScheduleRecord, now: Date): Promise<void> {
    let schedule: ScheduleRecord | undefined = initial;
    // A lost compare-and-set means another scheduler decided the window: re-read and decide what is left.
    // `all` after a long outage claims in chunks, hence more than one round.
    for (let round = 0; round < 100 && schedule?.enabled; round++) {
      const through = new Date(schedule.evaluatedThrough);
      const decision = decideCatchUp(schedule.timing, schedule.catchUp, through, now);
      if (decision.through.getTime() <= through.getTime()) return;
      const claimed = await this.#deps.schedules.claimSlots({
        scheduleId: schedule.id,
        expectedThrough: schedule.evaluatedThrough,
        through: decision.through.toISOString(),
        slots: decision.slots.map((slot) => ({ slotTime: slot.toISOString(), runId: randomUUID() })),
        supersedeWaiting: decision.supersedeWaiting,
        claimedBy: this.ownerId,
        at: now.toISOString(),
      });
      if (claimed !== undefined && decision.through.getTime() >= now.getTime()) return;
      schedule = await this.#deps.schedules.getSchedule(schedule.id);
    }
  }

  /** Starts the oldest waiting slots while the schedule has room under its max concurrency. */
  async #admit(schedule: ScheduleRecord, now: Date): Promise<void> {
    const admitted = await this.#deps.schedules.admitSlots(
      schedule.id,
      [...FINAL_RUN_STATES],
      this.ownerId,
      now.toISOString(),
    );
    for (const slot of admitted) await this.#launchSlot(schedule, slot);
  }

  async #launchSlot(schedule: ScheduleRecord, slot: SlotRecord): Promise<void> {
    this.#deps.faults?.afterAdmit?.(slot);
    const outcome = await launchPlannedRun(this.#deps.engine, this.#deps.store, {
      runId: slot.runId,
      pipelineId: schedule.pipelineId,
      pipelineVersionId: schedule.pipelineVersionId,
      parameters: schedule.parameters,
      displayName: `${schedule.name} ${slot.slotTime}`,
      origin: { kind: 'schedule', id: schedule.id, name: schedule.name, key: slot.slotTime },
      projectRoot: schedule.projectRoot,
    });
    this.#deps.faults?.afterLaunch?.(slot);
    await this.#settle(
      outcome,
      slot.runId,
      `schedule '${schedule.name}' slot ${slot.slotTime}`,
      (state, error) => this.#deps.schedules.setSlotState(slot.scheduleId, slot.slotTime, state, error),
    );
  }

  async #settle(
    outcome: LaunchOutcome,
    runId: string,
    what: string,
    record: (state: 'STARTED' | 'FAILED', error?: string) => Promise<void>,
  ): Promise<void> {
    if (outcome.kind === 'started') {
      await record('STARTED');
      this.#deps.onRun?.(runId);
    } else if (outcome.kind === 'failed') {
      await record('FAILED', outcome.error);
      this.#log(`sluice scheduler: ${what} could not start its run: ${outcome.error}`);
    } else {
      this.#log(`sluice scheduler: ${what} will be started again: ${outcome.error}`);
    }
  }

  /** Finishes launches a crash (or a passing error) left STARTING: exactly their planned runs. */
  async #recover(now: Date): Promise<void> {
    const staleBefore = new Date(now.getTime() - LAUNCH_STALE_MS).toISOString();
    const schedules = this.#deps.schedules;
    for (const slot of await schedules.listStartingSlots(staleBefore, this.ownerId)) {
      const schedule = await schedules.getSchedule(slot.scheduleId);
      if (schedule) await this.#launchSlot(schedule, slot);
    }
    for (const event of await schedules.listStartingTriggerEvents(staleBefore, this.ownerId)) {
      const trigger = await schedules.getTrigger(event.triggerId);
      if (trigger) await this.#launchEvent(trigger, event);
    }
  }

  /**
   * Records one event of a trigger and starts its run, unless an event with the same `dedupKey` was
   * recorded before (then nothing starts, and the earlier event is returned).
   */
  async fireTrigger(
    trigger: TriggerRecord,
    dedupKey: string,
    parameters: { [name: string]: Json },
  ): Promise<{ event: TriggerEventRecord; created: boolean }> {
    const { event, created } = await this.#deps.schedules.recordTriggerEvent({
      triggerId: trigger.id,
      dedupKey,
      runId: randomUUID(),
      state: 'STARTING',
      parameters: { ...trigger.parameters, ...parameters },
      receivedAt: this.#clock.now().toISOString(),
      claimedBy: this.ownerId,
      error: null,
    });
    if (!created) return { event, created };
    const state = await this.#launchEvent(trigger, event);
    return { event: { ...event, ...state }, created };
  }

  async #launchEvent(
    trigger: TriggerRecord,
    event: TriggerEventRecord,
  ): Promise<Pick<TriggerEventRecord, 'state' | 'error'>> {
    const outcome = await launchPlannedRun(this.#deps.engine, this.#deps.store, {
      runId: event.runId,
      pipelineId: trigger.pipelineId,
      pipelineVersionId: trigger.pipelineVersionId,
      parameters: event.parameters,
      displayName: `${trigger.name} ${event.receivedAt}`,
      origin: { kind: 'trigger', id: trigger.id, name: trigger.name, key: event.dedupKey },
      projectRoot: trigger.projectRoot,
    });
    let result: Pick<TriggerEventRecord, 'state' | 'error'> = { state: 'STARTING', error: null };
    await this.#settle(
      outcome,
      event.runId,
      `trigger '${trigger.name}' event ${event.dedupKey}`,
      async (state, error) => {
        result = { state, error: error ?? null };
        await this.#deps.schedules.setTriggerEventState(event.triggerId, event.dedupKey, state, error);
      },
    );
    return result;
  }
}
