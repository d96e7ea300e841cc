/**
 * Task and group dependencies, as KFP's `get_dependencies` computes them: when a task depends on another
 * (by data, by a condition it sits under, or by `.after()`), the dependency is recorded between the first
 * ancestors they do not share, so only siblings in one DAG depend on each other.
 */
import {
  ConditionGroup,
  DslError,
  ExitHandlerGroup,
  ParallelForGroup,
  type PipelineTask,
} from '../dsl/index.ts';
import type { GroupTree } from './group-tree.ts';

/** Task or group name → names of the siblings it depends on. */
export type Dependencies = Map<string, Set<string>>;

export function computeDependencies(tree: GroupTree): Dependencies {
  const dependencies: Dependencies = new Map();
  for (const task of tree.tasks.values()) {
    if (!tree.taskAncestors.has(task.name)) continue; // exit tasks are wired to their handler separately
    const upstream = new Set<string>();
    for (const channel of [...task.channelInputs, ...(tree.conditionChannels.get(task.name) ?? [])]) {
      const producer = tree.producerOf(channel);
      if (producer) upstream.add(producer.name);
    }
    for (const name of task.dependentTasks) upstream.add(name);

    for (const upstreamName of upstream) {
      if (!tree.taskAncestors.has(upstreamName) && !tree.groupAncestors.has(upstreamName)) {
        const exit = tree.tasks.get(upstreamName);
        throw new DslError(
          exit?.isExitTask
            ? `task '${task.name}' cannot depend on '${upstreamName}', which is an ExitHandler's exit task`
            : `task '${task.name}' depends on '${upstreamName}', which is not part of pipeline '${tree.root.name}'`,
        );
      }
      const [upstreamPath, downstreamPath] = tree.uncommonAncestors(upstreamName, task.name);
      if (downstreamPath.length === 0 || upstreamPath.length === 0) {
        throw new DslError(`task '${task.name}' cannot depend on the group it is in ('${upstreamName}')`);
      }
      checkCrossing(tree, task, upstreamName, upstreamPath.slice(0, -1));
      const key = downstreamPath[0]!;
      let set = dependencies.get(key);
      if (!set) dependencies.set(key, (set = new Set()));
      set.add(upstreamPath[0]!);
    }
  }
  return dependencies;
}

/**
 * A task cannot depend on one inside a condition or exit handler it is not in (that task may never run),
 * nor take data from a task inside a loop it is not in, except through Collected(). `.after()` a loop is fine.
 */
function checkCrossing(
  tree: GroupTree,
  task: PipelineTask,
  upstreamName: string,
  upstreamGroups: string[],
): void {
  if (upstreamGroups.length === 0) return;
  const group = tree.groupsByName.get(upstreamGroups[0]!);
  if (group instanceof ConditionGroup || group instanceof ExitHandlerGroup) {
    const kind = group instanceof ConditionGroup ? 'an If/Elif/Else branch' : 'an ExitHandler';
    throw new DslError(
      `task '${task.name}' depends on task '${upstreamName}' inside ${kind} (${group.name}) that does not contain '${task.name}'; move the consumer into that block, or use OneOf() for branch outputs`,
    );
  }
  if (group instanceof ParallelForGroup) {
    const readsData = task.channelInputs.some((channel) => channel.taskName === upstreamName);
    if (readsData) {
      throw new DslError(
        `task '${task.name}' reads an output of task '${upstreamName}' inside ParallelFor ${group.name} without being in that loop; wrap the output in Collected() to get every iteration's value`,
      );
    }
  }
}
