/**
 * Drives one run to its end, Argo-style: each tick loads what happened (process exits, retry timers, a
 * cancel), decides (evaluation, completion, scheduling), commits the tick's changes in one transaction, and
 * only then acts (spawns, cancels, timers). A restart just builds the state from the store and ticks again.
 */
import { SluiceError } from '../errors.ts';
import { RunOwnershipLostError, type RunRecord } from '../store/index.ts';
import { finishAttempt } from './attempts.ts';
import { ChangeSet } from './change-set.ts';
import { onTaskFinal } from './completion.ts';
import type { TransitionEvent } from './events.ts';
import type { RunPlan } from './plan.ts';
import { recoverRun } from './recovery.ts';
import type { DriverEvent, EngineDependencies, InFlight, RunContext, RunOptions } from './run-context.ts';
import { saveFinalReport } from './run-report.ts';
import { rebuildTree, type TaskNode } from './run-tree.ts';
import { type MachineBudget, machineBudget, startWaitingTasks } from './scheduler.ts';
import { evaluateTask } from './task-evaluation.ts';
import { isFinalRun, isFinalTask } from './task-state.ts';

const HEARTBEAT_MS = 2_000;
/** Evaluations per tick at most, so that one tick's batch (and its memory) stays small. */
const EVALUATIONS_PER_TICK = 256;

export class RunStalledError extends SluiceError {
  constructor(
    readonly runId: string,
    detail: string,
  ) {
    super('RUN_STALLED', `run ${runId} cannot make progress (a Sluice bug): ${detail}`);
  }
}

export class RunDriver implements RunContext {
  readonly nodes = new Map<string, TaskNode>();
  readonly toEvaluate: TaskNode[] = [];
  readonly toStart: TaskNode[] = [];
  readonly inFlight = new Map<string, InFlight>();
  readonly afterCommit: (() => void)[] = [];
  readonly failedAttempts = new Map<string, number>();
  canceling = false;
  changes: ChangeSet;
  root!: TaskNode;
  private readonly events: DriverEvent[] = [];
  private wake: (() => void) | undefined;
  private readonly budget: MachineBudget = machineBudget();
  private readonly listeners: ((event: TransitionEvent) => void)[] = [];
  private stopped: Error | undefined;
  /** Retry timers armed but not yet fired: they keep the run alive while nothing runs. */
  private pendingTimers = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly deps: EngineDependencies,
    readonly run: RunRecord,
    readonly plan: RunPlan,
    readonly options: RunOptions,
  ) {
    this.changes = new ChangeSet(run, () => this.now());
  }

  now(): string {
    return this.deps.now().toISOString();
  }

  push(event: DriverEvent): void {
    this.events.push(event);
    this.wake?.();
  }

  scheduleRetry(taskId: string, delayMs: number): void {
    this.pendingTimers += 1;
    this.afterCommit.push(() => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.pendingTimers -= 1;
        this.push({ type: 'retry-due', taskId });
      }, delayMs);
      this.timers.add(timer);
    });
  }

  onTransition(listener: (event: TransitionEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Requests cancellation from inside this process (Ctrl-C): running attempts are stopped. */
  cancel(reason = 'canceled'): void {
    this.push({ type: 'cancel', reason });
  }

  /** Loads the run's tasks from the store, recovers lost attempts, and runs ticks until the run is final. */
  async drive(): Promise<RunRecord> {
    const [tasks, attempts] = await Promise.all([
      this.deps.store.getTasks(this.run.id),
      this.deps.store.getAttempts(this.run.id),
    ]);
    const root = rebuildTree(this.plan, tasks);
    if (!root) throw new SluiceError('RUN_CORRUPT', `run ${this.run.id} has no root task in the store`);
    this.root = root;
    const index = (node: TaskNode) => {
      this.nodes.set(node.record.id, node);
      for (const child of node.children.values()) index(child);
      for (const iteration of node.iterations) index(iteration);
    };
    index(root);
    if (this.run.state === 'PENDING') this.changes.setRunState('RUNNING', null);
    if (this.run.state === 'CANCELING') this.beginCancel('the run was canceled');
    await recoverRun(this, attempts);
    const heartbeat = setInterval(() => void this.checkLease(), HEARTBEAT_MS);
    try {
      await this.tick();
      while (!isFinalRun(this.run.state as never)) {
        if (this.stopped) throw this.stopped;
        if (this.events.length === 0 && !this.canEvaluate()) {
          if (this.inFlight.size === 0 && this.pendingTimers === 0) {
            await this.failStalledRun();
            break;
          }
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
        }
        await this.tick();
      }
    } catch (error) {
      for (const flight of this.inFlight.values()) flight.execution.cancel();
      throw error;
    } finally {
      clearInterval(heartbeat);
      for (const timer of this.timers) clearTimeout(timer);
    }
    await saveFinalReport(this.deps.store, this.run.id);
    await this.deps.store.releaseRun(this.run.id, this.deps.ownerId);
    return this.run;
  }

  private async tick(): Promise<void> {
    for (const flight of this.inFlight.values()) {
      if (flight.attempt.pid === null && flight.execution.pid !== undefined) {
        this.changes.patchAttempt(flight.attempt, { pid: flight.execution.pid });
      }
    }
    for (const event of this.events.splice(0)) await this.handle(event);
    let evaluations = await this.evaluate(EVALUATIONS_PER_TICK);
    if (!this.canceling) await startWaitingTasks(this, this.budget);
    evaluations += await this.evaluate(EVALUATIONS_PER_TICK - evaluations);
    await this.commit();
  }

  /**
   * Container tasks evaluated but not yet started, at most: evaluation looks only this far ahead of the
   * free process slots. A 10,000-task fan-out then resolves inputs and fingerprints as slots free up, not
   * all at once (which would hold all of them in memory and in one batch); what a pipeline can observe
   * does not change, since a task waiting for a slot stays PENDING either way.
   */
  private get lookahead(): number {
    return Math.max(16, this.options.parallelism * 2);
  }

  /** Whether a tick would evaluate something now, without waiting for an event. */
  private canEvaluate(): boolean {
    return this.toEvaluate.length > 0 && (this.canceling || this.toStart.length < this.lookahead);
  }

  /** Evaluates queued tasks in order, up to `limit` and the look-ahead; returns how many. */
  private async evaluate(limit: number): Promise<number> {
    let count = 0;
    while (count < limit && this.canEvaluate()) {
      await evaluateTask(this, this.toEvaluate.shift()!);
      count += 1;
    }
    return count;
  }

  private async handle(event: DriverEvent): Promise<void> {
    switch (event.type) {
      case 'exited':
        await finishAttempt(this, event.attemptId, event.result);
        return;
      case 'retry-due': {
        const node = this.nodes.get(event.taskId);
        if (node?.state === 'RETRYING') this.toStart.push(node);
        return;
      }
      case 'cancel':
        this.beginCancel(event.reason);
        return;
      case 'poke':
        return;
    }
  }

  private beginCancel(reason: string): void {
    if (this.canceling || isFinalRun(this.run.state as never)) return;
    this.canceling = true;
    if (this.run.state !== 'CANCELING') this.changes.setRunState('CANCELING', reason);
    for (const flight of this.inFlight.values()) this.afterCommit.push(() => flight.execution.cancel());
    const waiting = [
      ...this.toStart.splice(0),
      ...[...this.nodes.values()].filter((node) => node.state === 'RETRYING'),
    ];
    for (const node of new Set(waiting)) {
      if (isFinalTask(node.state) || [...this.inFlight.values()].some((flight) => flight.node === node))
        continue;
      this.changes.setTaskState(node.record, 'CANCELED', reason);
      onTaskFinal(this, node);
    }
  }

  commitNow(): Promise<void> {
    return this.commit();
  }

  private async commit(): Promise<void> {
    if (this.changes.isEmpty && this.afterCommit.length === 0) return;
    const changes = this.changes;
    this.changes = new ChangeSet(this.run, () => this.now());
    if (!changes.isEmpty) await this.deps.store.commit(changes.toBatch(this.deps.ownerId));
    for (const effect of this.afterCommit.splice(0)) effect();
    this.publish(changes);
  }

  private publish(changes: ChangeSet): void {
    if (this.listeners.length === 0) return;
    for (const transition of changes.committedTransitions) {
      const node = transition.taskId ? this.nodes.get(transition.taskId) : undefined;
      const event: TransitionEvent = {
        runId: transition.runId,
        taskId: transition.taskId,
        path: node?.record.path ?? null,
        kind: node?.record.kind ?? null,
        from: transition.from,
        to: transition.to,
        reason: transition.reason,
        at: transition.at,
        attempt: node?.record.attemptCount ?? 0,
        cached: transition.to === 'CACHED',
      };
      for (const listener of this.listeners) listener(event);
    }
  }

  private async checkLease(): Promise<void> {
    try {
      const stillOwner = await this.deps.store.heartbeat(this.run.id, this.deps.ownerId, this.now());
      if (!stillOwner) {
        this.stopped = new RunOwnershipLostError(this.run.id, this.deps.ownerId);
        this.push({ type: 'poke' });
        return;
      }
      const stored = await this.deps.store.getRun(this.run.id);
      if (stored?.state === 'CANCELING' && !this.canceling)
        this.push({ type: 'cancel', reason: 'cancel requested' });
    } catch (error) {
      this.stopped = error as Error;
      this.push({ type: 'poke' });
    }
  }

  /**
   * Nothing runs and nothing is due, yet the run is not final: a Sluice bug. The run fails (the engine does
   * not), with what is stuck in each bucket, so the report says where to look.
   */
  private async failStalledRun(): Promise<void> {
    const stuck = [...this.nodes.values()].filter((node) => !node.isFinal);
    const buckets = new Map<string, string[]>();
    for (const node of stuck) {
      const bucket =
        node.state === 'PENDING' ? `pending (waiting on ${node.waitingOn})` : node.state.toLowerCase();
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), node.record.path]);
    }
    const detail = [...buckets]
      .map(([bucket, paths]) => `${bucket}: ${paths.slice(0, 10).join(', ')}`)
      .join('; ');
    const message = new RunStalledError(this.run.id, detail || 'no task is left, yet the run did not end')
      .message;
    this.changes.setRunState('FAILED', message, { kind: 'system', retryable: false, message });
    await this.commit();
  }
}
