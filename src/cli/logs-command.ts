/**
 * `sluice logs RUN_ID [TASK] [--follow]`: what tasks printed, from the attempt log files the store points
 * at. One task: its output as written (a header per attempt when it ran more than once). The whole run:
 * every line prefixed with its task, in attempt start order. `--follow` keeps reading new output and new
 * attempts until the run is final, from any process (the run may be driven by another one). `--json`
 * prints one `{"task", "attempt", "line"}` object per line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isFinalRun, openDefaultEngine, type RunState, readLogFrom } from '../engine/index.ts';
import type { AttemptRecord, TaskRecord } from '../store/index.ts';
import { resolveRunIdArgument } from './run-id.ts';
import { findTaskArgument } from './task-argument.ts';

const FOLLOW_POLL_MS = 250;

export async function logsCommand(
  runArgument: string,
  taskArgument: string | undefined,
  options: { follow?: boolean; json?: boolean },
): Promise<number> {
  const { store, close } = await openDefaultEngine();
  try {
    const runId = await resolveRunIdArgument(store, runArgument);
    let tasks = await store.getTasks(runId);
    const only = taskArgument === undefined ? undefined : findTaskArgument(tasks, runId, taskArgument);
    if (only && only.kind !== 'CONTAINER') {
      process.stdout.write(
        `${only.path} is a ${only.kind.toLowerCase()} task: it runs no process of its own\n`,
      );
      return 0;
    }
    const printer = new LogPrinter(options.json ? 'json' : only === undefined ? 'prefixed' : 'raw');
    for (;;) {
      // Read the run's state first: output written before it turned final is then read below.
      const final = isFinalRun(((await store.getRun(runId))?.state ?? 'FAILED') as RunState);
      if (!only) tasks = await store.getTasks(runId);
      const attempts = (await store.getAttempts(runId))
        .filter((attempt) => !only || attempt.taskId === only.id)
        .sort((a, b) =>
          a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.number - b.number,
        );
      const paths = new Map(tasks.map((task) => [task.id, task.path]));
      for (const attempt of attempts)
        await printer.print(attempt, paths.get(attempt.taskId) ?? '?', attempts);
      if (!options.follow || final) break;
      await sleep(FOLLOW_POLL_MS);
    }
    printer.flush();
    if (only && printer.printedNothing) explainEmpty(only);
    return 0;
  } finally {
    await close();
  }
}

class LogPrinter {
  private readonly offsets = new Map<string, number>();
  private readonly headed = new Set<string>();
  /** Per attempt: the unfinished last line, held back until its newline arrives. */
  private readonly partial = new Map<string, { task: string; attempt: number; rest: string }>();
  printedNothing = true;

  constructor(private readonly mode: 'raw' | 'prefixed' | 'json') {}

  async print(attempt: AttemptRecord, path: string, all: ReadonlyArray<AttemptRecord>): Promise<void> {
    const offset = this.offsets.get(attempt.id) ?? 0;
    const chunk = await readLogFrom(attempt.logPath, offset);
    if (this.mode === 'raw' && all.length > 1 && !this.headed.has(attempt.id)) {
      this.headed.add(attempt.id);
      process.stdout.write(`--- attempt ${attempt.number} (${attempt.state}) ---\n`);
    }
    if (chunk.length === 0) return;
    this.offsets.set(attempt.id, offset + chunk.length);
    this.printedNothing = false;
    const text = chunk.toString('utf8');
    if (this.mode === 'raw') {
      process.stdout.write(text);
      return;
    }
    const lines = `${this.partial.get(attempt.id)?.rest ?? ''}${text}`.split('\n');
    const held = { task: path, attempt: attempt.number, rest: lines.pop() ?? '' };
    this.partial.set(attempt.id, held);
    for (const line of lines) this.line(held, line);
  }

  /** Lines without a final newline (a task that ended mid-line). */
  flush(): void {
    for (const held of this.partial.values()) if (held.rest !== '') this.line(held, held.rest);
  }

  private line(from: { task: string; attempt: number }, line: string): void {
    if (this.mode === 'json') {
      process.stdout.write(`${JSON.stringify({ task: from.task, attempt: from.attempt, line })}\n`);
      return;
    }
    const label = from.attempt > 1 ? `${from.task}#${from.attempt}` : from.task;
    process.stdout.write(`${label} | ${line}\n`);
  }
}

function explainEmpty(task: TaskRecord): void {
  const why =
    task.state === 'CACHED'
      ? 'it was answered from the cache and ran no process (sluice why shows the source run)'
      : task.state === 'SKIPPED' || task.state === 'PENDING'
        ? `it is ${task.state} and ran no process`
        : 'it printed nothing';
  process.stderr.write(`no output for ${task.path}: ${why}\n`);
}
