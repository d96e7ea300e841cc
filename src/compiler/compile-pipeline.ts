/**
 * DSL → IR. Builds the pipeline body, then emits a PipelineSpec group by group as KFP's compiler does
 * (`create_pipeline_spec` / `build_spec_by_group`), so a pipeline written here and its KFP twin compile to
 * the same tasks, DAG components, inputs, dependencies, triggers and iterators.
 */
import {
  type AnyPipeline,
  ArtifactChannel,
  type BuiltPipeline,
  type ComponentDefinition,
  ConditionBranchesGroup,
  ConditionGroup,
  DslError,
  ExitHandlerGroup,
  type IoSpecs,
  isCollected,
  isOneOf,
  type OneOfArtifact,
  type OneOfParameter,
  ParallelForGroup,
  type ParameterChannel,
  type PipelineChannel,
  PipelineTask,
  type TasksGroup,
  uniqueName,
} from '../dsl/index.ts';
import {
  type ComponentSpec,
  type FunctionReference,
  IR_SCHEMA_VERSION,
  type PipelineDocument,
  type PipelineSpec,
  type PipelineTaskSpec,
  type PlatformSpec,
} from '../ir/index.ts';
import { SLUICE_VERSION } from '../version.ts';
import { containerForTask, groupComponentSpec, importerForTask, interfaceSpec } from './component-specs.ts';
import { computeDependencies, type Dependencies } from './dependencies.ts';
import { resolveFunctionReference } from './function-references.ts';
import { computeGroupInputs, type GroupInputs } from './group-inputs.ts';
import { computeGroupOutputs, type GroupOutputs } from './group-outputs.ts';
import { channelsOfConditions, GroupTree } from './group-tree.ts';
import { mergeSubPipeline } from './merge-sub-pipeline.ts';
import { hasPlatformConfig, setExecutorConfig } from './platform-config.ts';
import { type DagScope, taskSpecForExitTask, taskSpecForGroup, taskSpecForTask } from './task-specs.ts';

/** A built pipeline with the built graphs of the sub-pipelines its tasks call, ready to compile. */
interface BuiltTree {
  readonly built: BuiltPipeline;
  readonly subPipelines: Map<PipelineTask, BuiltTree>;
}

/**
 * Compiles a pipeline to a KFP PipelineSpec (and PlatformSpec when tasks set Kubernetes-level options).
 * Async because function components are located by importing the module that defines them.
 */
export async function compilePipeline(pipeline: AnyPipeline): Promise<PipelineDocument> {
  const tree = buildTree(pipeline.build());
  const functions = new Map<ComponentDefinition, FunctionReference>();
  for (const definition of functionDefinitions(tree)) {
    functions.set(definition, await resolveFunctionReference(definition));
  }
  const { spec, platform } = compileBuilt(tree, pipeline.options, functions);
  return hasPlatformConfig(platform)
    ? { pipelineSpec: spec, platformSpec: platform }
    : { pipelineSpec: spec };
}

function buildTree(built: BuiltPipeline): BuiltTree {
  const subPipelines = new Map<PipelineTask, BuiltTree>();
  for (const task of built.context.tasks.values()) {
    const implementation = task.component.implementation;
    if (implementation.kind === 'pipeline')
      subPipelines.set(task, buildTree(implementation.pipeline.build()));
  }
  return { built, subPipelines };
}

function* functionDefinitions(tree: BuiltTree): Generator<ComponentDefinition> {
  const seen = new Set<ComponentDefinition>();
  const walk = function* (node: BuiltTree): Generator<ComponentDefinition> {
    for (const task of node.built.context.tasks.values()) {
      if (task.component.implementation.kind === 'function' && !seen.has(task.component)) {
        seen.add(task.component);
        yield task.component;
      }
    }
    for (const sub of node.subPipelines.values()) yield* walk(sub);
  };
  yield* walk(tree);
}

interface PipelineMeta {
  readonly name: string;
  readonly description?: string | undefined;
  readonly displayName?: string | undefined;
  readonly inputs?: IoSpecs | undefined;
  readonly pipelineRoot?: string | undefined;
}

function compileBuilt(
  tree: BuiltTree,
  meta: PipelineMeta,
  functions: ReadonlyMap<ComponentDefinition, FunctionReference>,
): { spec: PipelineSpec; platform: PlatformSpec } {
  // Arguments and resources may embed channels in strings; their patterns resolve only in their own pipeline.
  return tree.built.context.withChannels(() => compileBuiltBody(tree, meta, functions));
}

function compileBuiltBody(
  tree: BuiltTree,
  meta: PipelineMeta,
  functions: ReadonlyMap<ComponentDefinition, FunctionReference>,
): { spec: PipelineSpec; platform: PlatformSpec } {
  const groups = new GroupTree(tree.built);
  checkPipelineOutputs(groups, tree.built.outputs);
  const groupInputs = computeGroupInputs(groups);
  const { groupOutputs, pipelineOutputs } = computeGroupOutputs(groups, { ...tree.built.outputs });
  const dependencies = computeDependencies(groups);

  const spec: PipelineSpec = {
    pipelineInfo: {
      name: meta.name,
      ...(meta.displayName ? { displayName: meta.displayName } : {}),
      ...(meta.description ? { description: meta.description } : {}),
    },
    sdkVersion: `sluice-${SLUICE_VERSION}`,
    schemaVersion: IR_SCHEMA_VERSION,
    components: {},
    deploymentSpec: { executors: {} },
    root: {
      ...interfaceSpec(meta.inputs ?? {}, outputSpecsOf(pipelineOutputs)),
      dag: { tasks: {} },
    },
    ...(meta.pipelineRoot ? { defaultPipelineRoot: meta.pipelineRoot } : {}),
  };
  const platform: PlatformSpec = {};
  const compiler = new GroupCompiler(
    spec,
    platform,
    groups,
    groupInputs,
    groupOutputs,
    dependencies,
    tree,
    functions,
  );
  for (const group of groups.allGroups) compiler.compileGroup(group);
  compiler.compileExitHandlers();
  connectDagOutputs(spec.root!, pipelineOutputs);
  if (Object.keys(spec.components ?? {}).length === 0) delete spec.components;
  return { spec, platform };
}

class GroupCompiler {
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
    private readonly functions: ReadonlyMap<ComponentDefinition, FunctionReference>,
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
      const compiled = compileBuilt(sub, implementation.pipeline.options, this.functions);
      return mergeSubPipeline(this.spec, this.platform, compiled);
    }
    const componentSpec = interfaceSpec(task.component.inputs, task.component.outputs);
    const executors = this.spec.deploymentSpec!.executors!;
    const label = uniqueName(`exec-${task.name}`, { has: (name) => name in executors });
    componentSpec.executorLabel = label;
    executors[label] =
      implementation.kind === 'importer'
        ? importerForTask(task.component)
        : containerForTask(task, taskSpec, scope, this.functions.get(task.component));
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

function connectDagOutputs(
  componentSpec: ComponentSpec,
  outputs: Readonly<Record<string, PipelineChannel>>,
): void {
  for (const [name, channel] of Object.entries(outputs)) {
    const dag = (componentSpec.dag ??= {});
    const dagOutputs = (dag.outputs ??= {});
    if (channel instanceof ArtifactChannel) {
      const selectors = (((dagOutputs.artifacts ??= {})[name] ??= {}).artifactSelectors ??= []);
      selectors.push({ outputArtifactKey: channel.name, producerSubtask: channel.taskName ?? '' });
    } else {
      (dagOutputs.parameters ??= {})[name] = {
        valueFromParameter: { outputParameterKey: channel.name, producerSubtask: channel.taskName ?? '' },
      };
    }
  }
}

function connectOneOfOutputs(
  componentSpec: ComponentSpec,
  outputs: ReadonlyMap<string, PipelineChannel>,
): void {
  for (const [name, channel] of outputs) {
    if (!isOneOf(channel)) continue;
    // Created on first use: branches that surface nothing have no `outputs` at all, as in KFP's IR.
    const dagOutputs = ((componentSpec.dag ??= {}).outputs ??= {});
    const oneOf = channel as OneOfParameter | OneOfArtifact;
    if (oneOf instanceof ArtifactChannel) {
      (dagOutputs.artifacts ??= {})[name] = {
        artifactSelectors: oneOf.channels.map((inner) => ({
          outputArtifactKey: inner.name,
          producerSubtask: inner.taskName ?? '',
        })),
      };
    } else {
      (dagOutputs.parameters ??= {})[name] = {
        valueFromOneof: {
          parameterSelectors: oneOf.channels.map((inner) => ({
            outputParameterKey: inner.name,
            producerSubtask: inner.taskName ?? '',
          })),
        },
      };
    }
  }
}

function outputSpecsOf(outputs: Readonly<Record<string, PipelineChannel>>): IoSpecs {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, channel]) => [
      name,
      channel instanceof ArtifactChannel
        ? {
            kind: 'artifact',
            schemaTitle: channel.schemaTitle,
            schemaVersion: channel.schemaVersion,
            isList: channel.isList,
            isOptional: false,
          }
        : { kind: 'parameter', type: (channel as ParameterChannel).type, isOptional: false },
    ]),
  );
}

/** KFP's rule: a pipeline returns top-level task outputs, or Collected/OneOf values. */
function checkPipelineOutputs(groups: GroupTree, outputs: Readonly<Record<string, PipelineChannel>>): void {
  for (const [name, channel] of Object.entries(outputs)) {
    if (isCollected(channel)) continue;
    if (isOneOf(channel)) {
      if (!(channel as OneOfParameter).branches.parent?.isRoot) {
        throw new DslError(
          `pipeline output '${name}': a OneOf() output must come from If/Else branches at the top level`,
        );
      }
      continue;
    }
    const producer = channel.taskName ? groups.tasks.get(channel.taskName) : undefined;
    if (!producer) {
      throw new DslError(`pipeline output '${name}' must be a task output (got '${channel.fullName}')`);
    }
    if (!producer.parentGroup.isRoot) {
      throw new DslError(
        `pipeline output '${name}' comes from task '${producer.name}' inside ${producer.parentGroup.name}; return top-level task outputs, or use Collected()/OneOf()`,
      );
    }
  }
}

function checkFinalStatusUse(task: PipelineTask): void {
  for (const [name, input] of Object.entries(task.component.inputs)) {
    if (
      input.kind === 'parameter' &&
      input.type === 'TASK_FINAL_STATUS' &&
      !task.isExitTask &&
      !task.ignoreUpstreamFailureTag
    ) {
      throw new DslError(
        `task '${task.name}': input '${name}' is a TASK_FINAL_STATUS, which only an ExitHandler's exit task or a task with .ignoreUpstreamFailure() receives`,
      );
    }
  }
}

function applyIgnoreUpstreamFailure(task: PipelineTask, taskSpec: PipelineTaskSpec): void {
  if (!task.ignoreUpstreamFailureTag) return;
  taskSpec.triggerPolicy = { ...(taskSpec.triggerPolicy ?? {}), strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' };
  for (const [name, input] of Object.entries(task.component.inputs)) {
    if (input.kind !== 'parameter' || input.type !== 'TASK_FINAL_STATUS') continue;
    const upstream = taskSpec.dependentTasks ?? [];
    if (upstream.length !== 1) {
      throw new DslError(
        `task '${task.name}' uses .ignoreUpstreamFailure() with a TASK_FINAL_STATUS input, so it needs exactly one upstream task in its own block; it has ${upstream.length}`,
      );
    }
    ((taskSpec.inputs ??= {}).parameters ??= {})[name] = { taskFinalStatus: { producerTask: upstream[0]! } };
  }
}
