/**
 * What one engine tick changes, collected so it commits as one store batch before any effect of it runs
 * (durability rule 1). Every state change goes through here, checked against the transition table.
 */
import type { TaskFailure } from '../errors.ts';
import type {
  ArtifactRecord,
  AttemptRecord,
  LineageEventRecord,
  RunRecord,
  StoreBatch,
  TaskRecord,
  TransitionRecord,
} from '../store/index.ts';
import { type RunState, type TaskState, transitionRun, transitionTask } from './task-state.ts';

type TaskPatch = Partial<Omit<TaskRecord, 'id' | 'runId' | 'createdAt'>>;
type AttemptPatch = Partial<Omit<AttemptRecord, 'id' | 'taskId' | 'runId' | 'number'>>;

export class ChangeSet {
  private readonly newTasks: TaskRecord[] = [];
  private readonly newTaskIds = new Set<string>();
  private readonly taskPatches = new Map<string, TaskPatch>();
  private readonly newAttempts = new Map<string, AttemptRecord>();
  private readonly attemptPatches = new Map<string, AttemptPatch>();
  private readonly newArtifacts: ArtifactRecord[] = [];
  private readonly lineage: LineageEventRecord[] = [];
  private readonly transitions: Omit<TransitionRecord, 'id'>[] = [];
  private runPatch: StoreBatch['runPatch'];

  constructor(
    private readonly run: RunRecord,
    private readonly now: () => string,
  ) {}

  get isEmpty(): boolean {
    return (
      this.newTasks.length === 0 &&
      this.taskPatches.size === 0 &&
      this.newAttempts.size === 0 &&
      this.attemptPatches.size === 0 &&
      this.newArtifacts.length === 0 &&
      this.lineage.length === 0 &&
      this.transitions.length === 0 &&
      this.runPatch === undefined
    );
  }

  addTask(task: TaskRecord): void {
    this.newTasks.push(task);
    this.newTaskIds.add(task.id);
    this.transitions.push({
      runId: task.runId,
      taskId: task.id,
      from: null,
      to: task.state,
      reason: null,
      at: task.createdAt,
    });
  }

  /** Whether the task is inserted by this change set (its row is not in the store yet). */
  isNewTask(taskId: string): boolean {
    return this.newTaskIds.has(taskId);
  }

  /** Moves a task to a new state (refusing edges outside the table) and records why. */
  setTaskState(task: TaskRecord, to: TaskState, reason: string | null, extra: TaskPatch = {}): void {
    const from = task.state as TaskState;
    transitionTask(`task ${task.path}`, from, to);
    const at = this.now();
    task.state = to;
    const patch: TaskPatch = { state: to, ...extra };
    if (to === 'RUNNING' && task.startedAt === null) patch.startedAt = task.startedAt = at;
    if (['SUCCEEDED', 'FAILED', 'SKIPPED', 'CACHED', 'CANCELED'].includes(to))
      patch.finishedAt = task.finishedAt = at;
    Object.assign(task, extra);
    this.patchTask(task, patch);
    this.transitions.push({ runId: task.runId, taskId: task.id, from, to, reason, at });
  }

  /** Changes fields other than the state (inputs, outputs, fingerprint…). */
  patchTask(task: TaskRecord, patch: TaskPatch): void {
    Object.assign(task, patch);
    if (this.newTaskIds.has(task.id)) return; // the inserted row already carries the object's current values
    this.taskPatches.set(task.id, { ...(this.taskPatches.get(task.id) ?? {}), ...patch });
  }

  setRunState(to: RunState, reason: string | null, error?: TaskFailure | null): void {
    const from = this.run.state as RunState;
    transitionRun(`run ${this.run.id}`, from, to);
    const at = this.now();
    this.run.state = to;
    const patch: NonNullable<StoreBatch['runPatch']> = { ...(this.runPatch ?? {}), state: to };
    if (to === 'RUNNING' && this.run.startedAt === null) patch.startedAt = this.run.startedAt = at;
    if (to === 'SUCCEEDED' || to === 'FAILED' || to === 'CANCELED')
      patch.finishedAt = this.run.finishedAt = at;
    if (error !== undefined) patch.error = this.run.error = error;
    this.runPatch = patch;
    this.transitions.push({ runId: this.run.id, taskId: null, from, to, reason, at });
  }

  addAttempt(attempt: AttemptRecord): void {
    this.newAttempts.set(attempt.id, attempt);
  }

  patchAttempt(attempt: AttemptRecord, patch: AttemptPatch): void {
    Object.assign(attempt, patch);
    if (this.newAttempts.has(attempt.id)) return;
    this.attemptPatches.set(attempt.id, { ...(this.attemptPatches.get(attempt.id) ?? {}), ...patch });
  }

  addArtifact(artifact: ArtifactRecord): void {
    this.newArtifacts.push(artifact);
  }

  addLineage(event: LineageEventRecord): void {
    this.lineage.push(event);
  }

  /**
   * The batch to commit. New rows are the live objects, not copies (a 10,000-task expansion would double
   * its memory): the driver commits right away and changes nothing while the commit is in progress.
   */
  toBatch(ownerId: string): StoreBatch {
    return {
      ownerId,
      runId: this.run.id,
      ...(this.runPatch ? { runPatch: this.runPatch } : {}),
      newTasks: this.newTasks,
      taskPatches: [...this.taskPatches].map(([id, patch]) => ({ id, patch })),
      newAttempts: [...this.newAttempts.values()],
      attemptPatches: [...this.attemptPatches].map(([id, patch]) => ({ id, patch })),
      newArtifacts: this.newArtifacts,
      lineage: this.lineage,
      transitions: this.transitions,
    };
  }

  /** The transitions of this tick, for the in-process event stream. */
  get committedTransitions(): ReadonlyArray<Omit<TransitionRecord, 'id'>> {
    return this.transitions;
  }
}
