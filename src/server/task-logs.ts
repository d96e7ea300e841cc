/**
 * Task logs over HTTP: the attempt log files the store points at (never a path from the request; the task
 * is looked up by its path in the run). Complete text, or a stream that follows new output and new
 * attempts until the run is final. With more than one attempt, and no `attempt` asked for, each attempt's
 * output is preceded by a `--- attempt N ---` line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isFinalRun, type RunState, readLogFrom } from '../engine/index.ts';
import type { AttemptRecord, RunStore, TaskRecord } from '../store/index.ts';
import { ApiError } from './api-error.ts';

const FOLLOW_POLL_MS = 200;

export async function findTask(store: RunStore, runId: string, taskPath: string): Promise<TaskRecord> {
  const task = (await store.getTasks(runId)).find((candidate) => candidate.path === taskPath);
  if (!task) throw new ApiError(404, 'TASK_NOT_FOUND', `run ${runId} has no task '${taskPath}'`, 'taskPath');
  return task;
}

async function attemptsOf(store: RunStore, task: TaskRecord, only?: number): Promise<AttemptRecord[]> {
  return (await store.getAttempts(task.runId))
    .filter((attempt) => attempt.taskId === task.id && (only === undefined || attempt.number === only))
    .sort((a, b) => a.number - b.number);
}

export async function completeLog(store: RunStore, task: TaskRecord, only?: number): Promise<string> {
  const attempts = await attemptsOf(store, task, only);
  if (only !== undefined && attempts.length === 0)
    throw new ApiError(404, 'ATTEMPT_NOT_FOUND', `task ${task.path} has no attempt ${only}`, 'attempt');
  const parts: string[] = [];
  for (const attempt of attempts) {
    if (only === undefined && attempts.length > 1) parts.push(`--- attempt ${attempt.number} ---\n`);
    parts.push((await readLogFrom(attempt.logPath, 0)).toString('utf8'));
  }
  return parts.join('');
}

/** New output as it is written, until the run is final (or the client goes away). */
export function followLog(
  store: RunStore,
  task: TaskRecord,
  only: number | undefined,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const offsets = new Map<string, number>();
  const headed = new Set<string>();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for (;;) {
          // The state first: output written before the run turned final is then read below.
          const final = isFinalRun(((await store.getRun(task.runId))?.state ?? 'FAILED') as RunState);
          const attempts = await attemptsOf(store, task, only);
          for (const attempt of attempts) {
            if (only === undefined && attempt.number > 1 && !headed.has(attempt.id)) {
              headed.add(attempt.id);
              controller.enqueue(Buffer.from(`--- attempt ${attempt.number} ---\n`));
            }
            const offset = offsets.get(attempt.id) ?? 0;
            const chunk = await readLogFrom(attempt.logPath, offset);
            if (chunk.length === 0) continue;
            offsets.set(attempt.id, offset + chunk.length);
            controller.enqueue(new Uint8Array(chunk));
          }
          if (final || signal.aborted) break;
          await sleep(FOLLOW_POLL_MS, undefined, { signal }).catch(() => undefined);
        }
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
}
