/**
 * What `retry` re-opens in a FAILED or CANCELED run (KFP's "retry run", done so that it finishes): every
 * task that did not produce its outputs (failed, skipped, canceled, never started), every task downstream
 * of one of those in its DAG (exit handlers included: they must see the new outcome), and the groups that
 * contain them. Everything else that succeeded — or came from the cache — stays as it is and is reused.
 *
 * Re-opened leaves go back to PENDING and are evaluated afresh (inputs, cache lookup, attempts). Groups
 * that already expanded go back to RUNNING and keep their children and their resolved inputs, which is
 * sound only when nothing upstream of the group runs again; the one shape where that does not hold (an
 * expanded group downstream of a re-run task, e.g. a sub-DAG with ignoreUpstreamFailure) is refused
 * with a message rather than re-run on stale inputs.
 */
import { SluiceError } from '../errors.ts';
import type { RunPlan } from './plan.ts';
import type { TaskNode } from './run-tree.ts';
import { producedOutputs, type TaskState } from './task-state.ts';

export interface TaskReopening {
  node: TaskNode;
  to: Extract<TaskState, 'PENDING' | 'RUNNING'>;
}

export class RetryNotPossibleError extends SluiceError {
  constructor(message: string) {
    super('RETRY_NOT_POSSIBLE', message);
  }
}

/** The tasks to re-open, parents before children; empty when every task produced its outputs. */
export function planRetry(plan: RunPlan, root: TaskNode): TaskReopening[] {
  const reopenings: TaskReopening[] = [];
  if (reopenGroup(plan, root, reopenings)) reopenings.unshift({ node: root, to: 'RUNNING' });
  return reopenings;
}

/** Re-opens what needs it inside an expanded group; returns whether anything inside runs again. */
function reopenGroup(plan: RunPlan, group: TaskNode, out: TaskReopening[]): boolean {
  if (group.kind === 'LOOP') {
    let any = false;
    for (const iteration of group.iterations) {
      if (!iteration) continue;
      if (iteration.children.size === 0) {
        if (!producedOutputs(iteration.state)) {
          if (!STILL_OPEN.has(iteration.state)) reopen(iteration, 'PENDING', out);
          any = true;
        }
        continue;
      }
      const mark = out.length;
      if (reopenGroup(plan, iteration, out)) {
        out.splice(mark, 0, { node: iteration, to: 'RUNNING' });
        any = true;
      }
    }
    return any;
  }
  const dag = plan.dag(group.record.componentName);
  const rerun = new Set<string>();
  for (const [name] of dag.tasks) {
    const child = group.children.get(name);
    if (!child) continue;
    const upstreamRuns = (dag.upstream.get(name) ?? []).some((upstream) => rerun.has(upstream));
    const expanded = child.children.size > 0 || child.iterations.length > 0;
    if (!expanded) {
      if (upstreamRuns || !producedOutputs(child.state)) {
        // A task still PENDING, RUNNING or RETRYING in a final run (one a stall report ended) needs no
        // re-opening: driving the run again evaluates it, or recovers its lost attempt.
        if (!STILL_OPEN.has(child.state)) reopen(child, 'PENDING', out);
        rerun.add(name);
      }
      continue;
    }
    if (upstreamRuns) {
      throw new RetryNotPossibleError(
        `retry cannot re-run '${child.record.path}': it already started, and a task it depends on runs again, ` +
          'so its inputs would be stale; start a new run instead (the cache reuses what did not change)',
      );
    }
    const mark = out.length;
    if (reopenGroup(plan, child, out) || !producedOutputs(child.state)) {
      out.splice(mark, 0, { node: child, to: 'RUNNING' });
      rerun.add(name);
    }
  }
  return rerun.size > 0;
}

const STILL_OPEN: ReadonlySet<string> = new Set(['PENDING', 'RUNNING', 'RETRYING']);

function reopen(node: TaskNode, to: TaskReopening['to'], out: TaskReopening[]): void {
  out.push({ node, to });
}
