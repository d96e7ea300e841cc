/**
 * The state of one pipeline body while it runs: its tasks, the stack of open groups, and the group id
 * counter. Calling a component outside a body is an error, which is how a misplaced call is caught.
 */
import { SluiceError } from '../errors.ts';
import { type PipelineChannel, withChannelRegistry } from './channels.ts';
import { TasksGroup } from './groups.ts';
import type { PipelineTask } from './pipeline-task.ts';

export class DslError extends SluiceError {
  constructor(message: string) {
    super('DSL_INVALID', message);
  }
}

const active: PipelineContext[] = [];

export class PipelineContext {
  readonly name: string;
  readonly root: TasksGroup;
  /** Every task of the pipeline by unique name, in creation order. */
  readonly tasks = new Map<string, PipelineTask>();
  private readonly open: TasksGroup[];
  private groupId = 0;
  private readonly channels = new Map<string, PipelineChannel>();

  private constructor(name: string) {
    this.name = name;
    this.root = new TasksGroup('pipeline', name);
    this.open = [this.root];
  }

  /** Runs a pipeline body in a fresh context and returns the context with what the body returned. */
  static build<T>(
    name: string,
    body: (context: PipelineContext) => T,
  ): { context: PipelineContext; result: T } {
    const context = new PipelineContext(name);
    active.push(context);
    try {
      const result = withChannelRegistry(context.channels, () => body(context));
      if (context.open.length !== 1) {
        throw new DslError(`pipeline '${name}': a control-flow block was left open`);
      }
      return { context, result };
    } finally {
      active.pop();
    }
  }

  /**
   * Runs `read` with this pipeline's channels findable from their string patterns again. The compiler reads
   * strings such as `\`heads and ${n.output}\`` after the body has returned, when its registry is gone.
   */
  withChannels<T>(read: () => T): T {
    return withChannelRegistry(this.channels, read);
  }

  /** The context of the pipeline body being run; `what` names the call for the error message. */
  static current(what: string): PipelineContext {
    const context = active.at(-1);
    if (!context) {
      throw new DslError(
        `${what} can only be used inside a pipeline body: call it from the function passed to pipeline()`,
      );
    }
    return context;
  }

  get currentGroup(): TasksGroup {
    return this.open.at(-1)!;
  }

  /** The group most recently added to the current group (what an Elif/Else follows). */
  get lastGroup(): TasksGroup | undefined {
    return this.currentGroup.groups.at(-1);
  }

  nextGroupId(): number {
    this.groupId += 1;
    return this.groupId;
  }

  pushGroup(group: TasksGroup): void {
    group.parent = this.currentGroup;
    this.currentGroup.groups.push(group);
    this.open.push(group);
  }

  /** Re-opens a group already attached to the tree (KFP's re-entry when wrapping an If in its branches). */
  reopenGroup(group: TasksGroup): void {
    this.open.push(group);
  }

  popGroup(): void {
    if (this.open.length === 1) throw new DslError(`pipeline '${this.name}': no control-flow block to close`);
    this.open.pop();
  }

  /** Detaches the current group's last child (it is about to be wrapped). */
  takeLastGroup(): TasksGroup {
    const group = this.currentGroup.groups.pop();
    if (!group) throw new DslError(`pipeline '${this.name}': nothing to wrap`);
    return group;
  }

  /** Gives the task a name unique in this pipeline (`train`, `train-2`, …) and adds it to the open group. */
  addTask(task: PipelineTask, baseName: string): string {
    const name = uniqueName(baseName, this.tasks);
    this.tasks.set(name, task);
    this.currentGroup.tasks.push(task);
    return name;
  }

  removeTaskFromGroups(task: PipelineTask): void {
    this.root.removeTaskRecursive(task);
  }
}

/** KFP's `make_name_unique_by_adding_index`: `name`, else `name-2`, `name-3`, … */
export function uniqueName(name: string, taken: { has(name: string): boolean }): string {
  if (!taken.has(name)) return name;
  for (let index = 2; ; index++) {
    const candidate = `${name}-${index}`;
    if (!taken.has(candidate)) return candidate;
  }
}
