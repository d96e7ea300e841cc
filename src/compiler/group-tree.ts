/**
 * Lookups over a built pipeline's group tree, computed once per compile: ancestors of every task and group,
 * groups by name, loop groups, and the channels each task's enclosing conditions read.
 */
import {
  type BuiltPipeline,
  ConditionGroup,
  type ConditionOperation,
  ParallelForGroup,
  type PipelineChannel,
  PipelineChannel as PipelineChannelClass,
  type PipelineTask,
  type TasksGroup,
} from '../dsl/index.ts';

export class GroupTree {
  readonly root: TasksGroup;
  /** Every group, parents before children (KFP's `get_all_groups`). */
  readonly allGroups: TasksGroup[] = [];
  readonly groupsByName = new Map<string, TasksGroup>();
  readonly loopGroups = new Map<string, ParallelForGroup>();
  /** Task name → names from the root group down to the task itself. */
  readonly taskAncestors = new Map<string, string[]>();
  /** Group name → names from the root group down to the group itself. */
  readonly groupAncestors = new Map<string, string[]>();
  /** Task name → channels read by the conditions of the groups around it. */
  readonly conditionChannels = new Map<string, PipelineChannel[]>();
  readonly tasks: ReadonlyMap<string, PipelineTask>;

  constructor(built: BuiltPipeline) {
    this.root = built.context.root;
    this.tasks = built.context.tasks;
    this.walk(this.root, [this.root.name], []);
  }

  private walk(group: TasksGroup, path: string[], conditionChannels: PipelineChannel[]): void {
    this.allGroups.push(group);
    this.groupsByName.set(group.name, group);
    if (group instanceof ParallelForGroup) this.loopGroups.set(group.name, group);
    const channels =
      group instanceof ConditionGroup
        ? [...conditionChannels, ...channelsOfConditions(group.conditions)]
        : conditionChannels;
    for (const child of group.groups) {
      const childPath = [...path, child.name];
      this.groupAncestors.set(child.name, childPath);
      this.walk(child, childPath, channels);
    }
    for (const task of group.tasks) {
      this.taskAncestors.set(task.name, [...path, task.name]);
      this.conditionChannels.set(task.name, unique(channels));
    }
  }

  /** Ancestors (root first, itself last) of a task or group name. */
  ancestorsOf(name: string): string[] {
    const path = this.taskAncestors.get(name) ?? this.groupAncestors.get(name);
    if (!path) throw new Error(`internal: '${name}' is neither a task nor a group of the pipeline`);
    return path;
  }

  /**
   * The ancestors two nodes do not share: for [root, G1, G2, a] and [root, G1, G3, b] that is
   * ([G2, a], [G3, b]). Dependencies and values cross between the first elements of each.
   */
  uncommonAncestors(first: string, second: string): [string[], string[]] {
    const a = this.ancestorsOf(first);
    const b = this.ancestorsOf(second);
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    return [a.slice(common), b.slice(common)];
  }

  /** The task or group a channel's `taskName` refers to. */
  producerOf(channel: PipelineChannel): PipelineTask | TasksGroup | undefined {
    if (!channel.taskName) return undefined;
    return this.tasks.get(channel.taskName) ?? this.groupsByName.get(channel.taskName);
  }

  children(groupName: string): string[] {
    const group = this.groupsByName.get(groupName);
    return group ? [...group.groups.map((child) => child.name), ...group.tasks.map((task) => task.name)] : [];
  }
}

export function channelsOfConditions(conditions: ReadonlyArray<ConditionOperation>): PipelineChannel[] {
  const channels: PipelineChannel[] = [];
  for (const condition of conditions) {
    for (const operand of [condition.left, condition.right]) {
      if (operand instanceof PipelineChannelClass) channels.push(operand);
    }
  }
  return channels;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
