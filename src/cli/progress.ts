/**
 * Live progress of a run on the terminal: one line per task change worth seeing (started, retrying,
 * finished, skipped, cached), with the attempt and duration. Inside a loop, the first few tasks get their
 * own lines; past that the loop is shown as counts (at most once a second, and when it ends), so a
 * 10,000-item fan-out prints tens of lines, not tens of thousands. Failures always get their own line.
 * Plain lines when not on a TTY; colour only on a TTY and never with NO_COLOR.
 */
import type { TransitionEvent } from '../engine/index.ts';

const COLORS: Record<string, string> = {
  SUCCEEDED: '\x1b[32m',
  CACHED: '\x1b[36m',
  FAILED: '\x1b[31m',
  RETRYING: '\x1b[33m',
  SKIPPED: '\x1b[90m',
  CANCELED: '\x1b[35m',
  RUNNING: '\x1b[34m',
};
const RESET = '\x1b[0m';
/** Tasks of one loop shown one by one before the loop collapses to counts. */
const LINES_PER_LOOP = 12;
const COUNTS_EVERY_MS = 1_000;

interface LoopProgress {
  /** Latest state of each task seen inside the loop. */
  states: Map<string, string>;
  shown: number;
  lastCountsAt: number;
}

export function progressPrinter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  clock: () => number = Date.now,
): (event: TransitionEvent) => void {
  const color = stream.isTTY === true && !process.env.NO_COLOR;
  const paint = (text: string, state: string) =>
    color && COLORS[state] ? `${COLORS[state]}${text}${RESET}` : text;
  const started = new Map<string, number>();
  const loops = new Map<string, LoopProgress>();

  const printCounts = (key: string, loop: LoopProgress) => {
    const counts = new Map<string, number>();
    for (const state of loop.states.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
    const parts = [...counts].map(([state, count]) => paint(`${count} ${state.toLowerCase()}`, state));
    stream.write(`  ${'LOOP'.padEnd(9)} ${key}: ${parts.join(', ')} (${loop.states.size} tasks so far)\n`);
    loop.lastCountsAt = clock();
  };

  return (event) => {
    if (event.to === 'PENDING') return;
    if (event.taskId === null) {
      stream.write(
        `run ${event.runId}: ${paint(event.to, event.to)}${event.reason ? ` — ${event.reason}` : ''}\n`,
      );
      return;
    }
    if (event.path === null || event.path === 'root' || event.kind === 'ITERATION') return;
    const time = Date.parse(event.at);
    if (event.to === 'RUNNING' && !started.has(event.taskId)) started.set(event.taskId, time);
    const since = started.get(event.taskId);
    const duration = since !== undefined && event.to !== 'RUNNING' ? ` ${formatDuration(time - since)}` : '';
    const attempt = event.attempt > 1 ? ` attempt ${event.attempt}` : '';
    const reason = event.reason && event.to !== 'RUNNING' ? ` — ${event.reason}` : '';
    const line = `  ${paint(event.to.padEnd(9), event.to)} ${event.path}${attempt}${duration}${reason}\n`;

    const key = loopKey(event.path);
    if (key === undefined) {
      if (event.kind === 'LOOP' && loops.has(event.path) && event.to !== 'RUNNING') {
        const loop = loops.get(event.path)!;
        if (loop.shown >= LINES_PER_LOOP) printCounts(event.path, loop);
      }
      stream.write(line);
      return;
    }
    let loop = loops.get(key);
    if (!loop) loops.set(key, (loop = { states: new Map(), shown: 0, lastCountsAt: 0 }));
    loop.states.set(event.taskId, event.to);
    if (event.to === 'FAILED') {
      stream.write(line);
      return;
    }
    if (loop.shown < LINES_PER_LOOP) {
      loop.shown += 1;
      stream.write(line);
      if (loop.shown === LINES_PER_LOOP)
        stream.write(`  ${' '.repeat(9)} ${key}: more tasks shown as counts\n`);
      return;
    }
    if (clock() - loop.lastCountsAt >= COUNTS_EVERY_MS) printCounts(key, loop);
  };
}

/** The outermost loop a task path is inside: `for-loop-2[13]/sub/op` → `for-loop-2`. */
function loopKey(path: string): string | undefined {
  const bracket = path.indexOf('[');
  return bracket > 0 ? path.slice(0, bracket) : undefined;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
