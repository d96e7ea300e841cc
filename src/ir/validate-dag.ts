/**
 * Dependency cycles inside each DAG, over both ways a task waits for a sibling: `dependentTasks` and the
 * producers its inputs name (taskOutputParameter, taskOutputArtifact, taskFinalStatus). A cycle means no task
 * in it can ever start, so the run would hang; KFP's backend does not check this either.
 */
import type { Issue } from './issues.ts';
import type { DagScope, SemanticContext } from './semantic-context.ts';
import { taskPath } from './semantic-context.ts';
import type { PipelineTaskSpec } from './spec.ts';

export function checkDependencyCycles(context: SemanticContext): Issue[] {
  const issues: Issue[] = [];
  for (const scope of context.dags) {
    const upstream = new Map<string, string[]>();
    for (const [name, task] of Object.entries(scope.tasks)) {
      upstream.set(name, [...new Set(upstreamOf(task))].filter((u) => scope.tasks[u] !== undefined).sort());
    }
    for (const group of stronglyConnected(upstream)) {
      const start = group[0]!;
      const isCycle = group.length > 1 || upstream.get(start)!.includes(start);
      if (isCycle) issues.push(cycleIssue(scope, start, group, upstream));
    }
  }
  return issues;
}

/** Sibling names a task waits for. */
export function upstreamOf(task: PipelineTaskSpec): string[] {
  const names = [...(task.dependentTasks ?? [])];
  for (const source of Object.values(task.inputs?.parameters ?? {})) {
    const producer = source.taskOutputParameter?.producerTask ?? source.taskFinalStatus?.producerTask;
    if (producer !== undefined) names.push(producer);
  }
  for (const source of Object.values(task.inputs?.artifacts ?? {})) {
    const producer = source.taskOutputArtifact?.producerTask;
    if (producer !== undefined) names.push(producer);
  }
  return names;
}

/**
 * One issue per group of tasks that wait on each other (a group may hold several cycles), spelling out one
 * shortest cycle in run order and naming the others caught in the same loop.
 */
function cycleIssue(scope: DagScope, start: string, group: string[], upstream: Map<string, string[]>): Issue {
  const members = new Set(group);
  // Breadth-first along "waits for" edges inside the group, until an edge leads back to `start`.
  const previous = new Map<string, string>();
  const queue = [start];
  let closing: string | undefined;
  // An index, not queue.shift(): a loop through 10,000 tasks would shift 10,000 times.
  for (let head = 0; head < queue.length && closing === undefined; head++) {
    const node = queue[head]!;
    for (const next of upstream.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        closing = node;
        break;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  // Walking back from the closing node gives the run order: each task finishes before the next one starts.
  const runOrder = [start];
  for (let node = closing; node !== undefined && node !== start; node = previous.get(node)) {
    runOrder.push(node);
  }
  const cycle = [...runOrder, start].join(' → ');
  const inCycle = new Set(runOrder);
  const others = group.filter((name) => !inCycle.has(name));
  const also =
    others.length === 0
      ? ''
      : `; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} caught in the same loop`;
  return {
    code: 'DEPENDENCY_CYCLE',
    path: taskPath({ scope, name: start }),
    message: `dependency cycle ${cycle}: each task must finish before the next one starts, so none of them can${also}; remove one of these dependencies (a dependentTasks entry or an input taken from a task's output)`,
  };
}

/** Tarjan's algorithm; each group sorted by name, groups in discovery order. */
function stronglyConnected(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    groups.push(group.sort());
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}
