/**
 * KFP's topology rules that need the whole pipeline: what a pipeline may return, where TASK_FINAL_STATUS
 * inputs may appear, and how `.ignoreUpstreamFailure()` wires them.
 */
import {
  DslError,
  isCollected,
  isOneOf,
  type OneOfParameter,
  type PipelineChannel,
  type PipelineTask,
} from '../dsl/index.ts';
import type { PipelineTaskSpec } from '../ir/index.ts';
import type { GroupTree } from './group-tree.ts';

/** KFP's rule: a pipeline returns top-level task outputs, or Collected/OneOf values. */
export function checkPipelineOutputs(
  groups: GroupTree,
  outputs: Readonly<Record<string, PipelineChannel>>,
): void {
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

export function checkFinalStatusUse(task: PipelineTask): void {
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

export function applyIgnoreUpstreamFailure(task: PipelineTask, taskSpec: PipelineTaskSpec): void {
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
