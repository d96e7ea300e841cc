/**
 * Task groups: the pipeline body and the control-flow blocks inside it. Each non-root group becomes a DAG
 * component in the IR (`comp-condition-2`, `comp-for-loop-3`, …), named `<kind>-<id>` with one id counter per
 * pipeline, as KFP numbers them.
 */
import type { ConditionOperation } from './channels.ts';
import type { LoopArgument } from './loop-channels.ts';
import type { PipelineTask } from './pipeline-task.ts';

export type GroupKind = 'pipeline' | 'condition' | 'condition-branches' | 'for-loop' | 'exit-handler';

export class TasksGroup {
  name: string;
  readonly kind: GroupKind;
  readonly displayName: string | undefined;
  readonly tasks: PipelineTask[] = [];
  readonly groups: TasksGroup[] = [];
  parent: TasksGroup | undefined;

  constructor(kind: GroupKind, name: string, displayName?: string) {
    this.kind = kind;
    this.name = name;
    this.displayName = displayName;
  }

  get isRoot(): boolean {
    return this.parent === undefined;
  }

  removeTaskRecursive(task: PipelineTask): void {
    const index = this.tasks.indexOf(task);
    if (index >= 0) this.tasks.splice(index, 1);
    for (const group of this.groups) group.removeTaskRecursive(task);
  }
}

export type ConditionVariant = 'if' | 'elif' | 'else';

/** One branch: its conditions are ANDed; Elif/Else inherit the negations of the branches before them. */
export class ConditionGroup extends TasksGroup {
  readonly conditions: ConditionOperation[];
  readonly variant: ConditionVariant;
  /** What a following Elif/Else must add: NOT of this branch's own test, after those of earlier branches. */
  readonly negatedUpstream: ConditionOperation[];

  constructor(
    name: string,
    variant: ConditionVariant,
    conditions: ConditionOperation[],
    negatedUpstream: ConditionOperation[],
    displayName?: string,
  ) {
    super('condition', name, displayName);
    this.variant = variant;
    this.conditions = conditions;
    this.negatedUpstream = negatedUpstream;
  }
}

/** The wrapper KFP creates around an If that has Elif/Else branches; OneOf outputs surface from it. */
export class ConditionBranchesGroup extends TasksGroup {
  private oneOfCount = 0;

  constructor(name: string) {
    super('condition-branches', name);
  }

  nextOneOfId(): number {
    this.oneOfCount += 1;
    return this.oneOfCount;
  }
}

export class ParallelForGroup extends TasksGroup {
  readonly loopArgument: LoopArgument;
  readonly itemsIsChannel: boolean;
  /** 0 = unbounded. */
  readonly parallelism: number;

  constructor(name: string, loopArgument: LoopArgument, parallelism: number, displayName?: string) {
    super('for-loop', name, displayName);
    this.loopArgument = loopArgument;
    this.itemsIsChannel = !loopArgument.isWithItems;
    this.parallelism = parallelism;
  }
}

export class ExitHandlerGroup extends TasksGroup {
  readonly exitTask: PipelineTask;

  constructor(name: string, exitTask: PipelineTask, displayName?: string) {
    super('exit-handler', name, displayName);
    this.exitTask = exitTask;
  }
}
