/**
 * Emits one group's DAG: a task spec and a component spec for each child task or group, with executors,
 * dependencies and surfaced outputs (KFP's `build_spec_by_group`), then the exit handlers' tasks.
 */
import {
  type ComponentDefinition,
  ConditionBranchesGroup,
  ConditionGroup,
  ExitHandlerGroup,
  ParallelForGroup,
  type PipelineChannel,
  PipelineTask,
  type TasksGroup,
  uniqueName,
} from '../dsl/index.ts';
import type {
  ComponentSpec,
  FunctionReference,
  PipelineSpec,
  PipelineTaskSpec,
  PlatformSpec,
} from '../ir/index.ts';
import type { BuiltTree, CompiledSpec } from './built-tree.ts';
import { containerForTask, groupComponentSpec, importerForTask, interfaceSpec } from './component-specs.ts';
import { connectDagOutputs, connectOneOfOutputs } from './dag-outputs.ts';
import type { Dependencies } from './dependencies.ts';
import type { GroupInputs } from './group-inputs.ts';
import type { GroupOutputs } from './group-outputs.ts';
import { channelsOfConditions, type GroupTree } from './group-tree.ts';
import { mergeSubPipeline } from './merge-sub-pipeline.ts';
import { setExecutorConfig } from './platform-config.ts';
import { type DagScope, taskSpecForExitTask, taskSpecForGroup, taskSpecForTask } from './task-specs.ts';
import { applyIgnoreUpstreamFailure, checkFinalStatusUse } from './topology-rules.ts';

export class GroupCompiler {
  /** Group name → the component name its DAG was stored under (renamed only on a clash). */
  private readonly componentNames = new Map<string, string>();

  constructor(
    private readonly spec: PipelineSpec,
    private readonly platform: PlatformSpec,
    private readonly groups: GroupTree,
    private readonly inputs: GroupInputs,
    private readonly outputs: GroupOutputs,
    private readonly dependencies: Dependencies,
    private readonly tree: BuiltTree,
    private readonly compileSubPipeline: (sub: BuiltTree, task: PipelineTask) => CompiledSpec,
    private readonly functionReferences: ReadonlyMap<ComponentDefinition, FunctionReference>,
  ) {}

  compileGroup(group: TasksGroup): void {
    const groupSpec = group.isRoot
      ? this.spec.root!
      : this.spec.components![this.componentNames.get(group.name)!]!;
    const children: (TasksGroup | PipelineTask)[] = [...group.groups, ...group.tasks];
    const scope: DagScope = {
      parentInputs: groupSpec.inputDefinitions ?? {},
      siblings: new Set(children.map((child) => child.name)),
      parentIsRoot: group.isRoot,
    };
    for (const child of children) {
      const { taskSpec, componentSpec } =
        child instanceof PipelineTask ? this.compileTask(child, scope) : this.compileChildGroup(child, scope);
      const upstream = this.dependencies.get(child.name);
      if (upstream && upstream.size > 0) taskSpec.dependentTasks = [...upstream].sort();
      if (child instanceof PipelineTask) applyIgnoreUpstreamFailure(child, taskSpec);
      const componentName = uniqueName(`comp-${child.name}`, {
        has: (name) => name in this.spec.components!,
      });
      taskSpec.componentRef = { name: componentName };
      this.spec.components![componentName] = componentSpec;
      if (!(child instanceof PipelineTask)) this.componentNames.set(child.name, componentName);
      (groupSpec.dag!.tasks ??= {})[child.name] = taskSpec;
    }
  }

  private compileTask(
    task: PipelineTask,
    scope: DagScope,
  ): { taskSpec: PipelineTaskSpec; componentSpec: ComponentSpec } {
    checkFinalStatusUse(task);
    const taskSpec = taskSpecForTask(task, scope);
    return { taskSpec, componentSpec: this.componentFor(task, taskSpec, scope) };
  }

  private componentFor(task: PipelineTask, taskSpec: PipelineTaskSpec, scope: DagScope): ComponentSpec {
    const implementation = task.component.implementation;
    if (implementation.kind === 'pipeline') {
      const sub = this.tree.subPipelines.get(task)!;
      const compiled = this.compileSubPipeline(sub, task);
      return mergeSubPipeline(this.spec, this.platform, compiled);
    }
    const componentSpec = interfaceSpec(task.component.inputs, task.component.outputs);
    const executors = this.spec.deploymentSpec!.executors!;
    const label = uniqueName(`exec-${task.name}`, { has: (name) => name in executors });
    componentSpec.executorLabel = label;
    executors[label] =
      implementation.kind === 'importer'
        ? importerForTask(task.component)
        : containerForTask(task, taskSpec, scope, this.functionReferences.get(task.component));
    if (task.timeoutSeconds !== undefined) {
      setExecutorConfig(this.platform, label, { activeDeadlineSeconds: task.timeoutSeconds });
    }
    return componentSpec;
  }

  private compileChildGroup(
    group: TasksGroup,
    scope: DagScope,
  ): { taskSpec: PipelineTaskSpec; componentSpec: ComponentSpec } {
    let channels = [...(this.inputs.get(group.name)?.values() ?? [])];
    const outputs = this.outputs.get(group.name) ?? new Map<string, PipelineChannel>();
    if (group instanceof ParallelForGroup) {
      channels = channels.filter((channel) => !isInnerLoopItem(this.groups, group, channel));
      if (group.itemsIsChannel) channels.push(group.loopArgument.itemsOrChannel as PipelineChannel);
      channels.push(group.loopArgument);
    } else if (group instanceof ConditionGroup) {
      channels.push(...channelsOfConditions(group.conditions));
    }
    channels = dedupeByInputName(channels);
    const componentSpec = groupComponentSpec(
      channels,
      group instanceof ExitHandlerGroup ? new Map() : outputs,
    );
    componentSpec.dag = { tasks: {} };
    if (group instanceof ConditionBranchesGroup) connectOneOfOutputs(componentSpec, outputs);
    else if (!(group instanceof ExitHandlerGroup))
      connectDagOutputs(componentSpec, Object.fromEntries(outputs));
    return { taskSpec: taskSpecForGroup(group, channels, scope), componentSpec };
  }

  /** Exit tasks run after their handler group at the pipeline's top level, whatever its outcome. */
  compileExitHandlers(): void {
    for (const group of this.groups.root.groups) {
      if (!(group instanceof ExitHandlerGroup)) continue;
      const task = group.exitTask;
      const taskSpec = taskSpecForExitTask(task, group.name, this.spec.root!.inputDefinitions ?? {});
      const scope: DagScope = {
        parentInputs: this.spec.root!.inputDefinitions ?? {},
        siblings: new Set(),
        parentIsRoot: true,
      };
      const componentSpec = this.componentFor(task, taskSpec, scope);
      const componentName = uniqueName(`comp-${task.name}`, { has: (name) => name in this.spec.components! });
      taskSpec.componentRef = { name: componentName };
      this.spec.components![componentName] = componentSpec;
      this.spec.root!.dag!.tasks![task.name] = taskSpec;
    }
  }
}

/** KFP skips a literal-items loop argument that belongs to a loop nested inside this one. */
function isInnerLoopItem(groups: GroupTree, loop: ParallelForGroup, channel: PipelineChannel): boolean {
  const withItems = (channel as { isWithItems?: boolean }).isWithItems === true;
  if (!withItems) return false;
  for (const name of [...groups.ancestorsOf(loop.name)].reverse()) {
    const enclosing = groups.loopGroups.get(name);
    if (enclosing?.loopArgument.name.includes(channel.name)) return false;
  }
  return true;
}

function dedupeByInputName(channels: PipelineChannel[]): PipelineChannel[] {
  const seen = new Map<string, PipelineChannel>();
  for (const channel of channels) if (!seen.has(channel.fullName)) seen.set(channel.fullName, channel);
  return [...seen.values()];
}
