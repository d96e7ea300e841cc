/**
 * A task as typed on the command line: its full path in the DAG (`exit-handler-1/train`, `for-loop-2[0]/op`)
 * or any unambiguous tail of it (`train`), so users need not know which group a task sits in.
 */
import { SluiceError } from '../errors.ts';
import { didYouMean } from '../ir/index.ts';
import type { TaskRecord } from '../store/index.ts';

export class TaskNotFoundError extends SluiceError {
  constructor(message: string) {
    super('TASK_NOT_FOUND', message);
  }
}

export function findTaskArgument(
  tasks: ReadonlyArray<TaskRecord>,
  runId: string,
  argument: string,
): TaskRecord {
  const named = tasks.filter((task) => task.parentId !== null);
  const exact = named.find((task) => task.path === argument);
  if (exact) return exact;
  const tail = named.filter(
    (task) => task.path.endsWith(`/${argument}`) || task.path.endsWith(`]${argument}`),
  );
  if (tail.length === 1) return tail[0]!;
  if (tail.length > 1) {
    const paths = tail.map((task) => task.path);
    throw new TaskNotFoundError(
      `'${argument}' matches ${paths.length} tasks of run ${runId} (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''}); give the full path`,
    );
  }
  const paths = named.map((task) => task.path);
  throw new TaskNotFoundError(
    `run ${runId} has no task '${argument}'${didYouMean(argument, [...paths, ...named.map((task) => task.name)])}; list them with: sluice show ${runId}`,
  );
}
