/**
 * Live progress of a run on the terminal: one line per task change worth seeing (started, retrying,
 * finished, skipped, cached), with the attempt and duration. Plain lines when not on a TTY; colour only on
 * a TTY and never with NO_COLOR.
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

export function progressPrinter(stream: NodeJS.WriteStream): (event: TransitionEvent) => void {
  const color = stream.isTTY === true && !process.env.NO_COLOR;
  const started = new Map<string, number>();
  return (event) => {
    if (event.to === 'PENDING') return;
    const paint = (text: string, state: string) =>
      color && COLORS[state] ? `${COLORS[state]}${text}${RESET}` : text;
    if (event.taskId === null) {
      stream.write(
        `run ${event.runId}: ${paint(event.to, event.to)}${event.reason ? ` — ${event.reason}` : ''}\n`,
      );
      return;
    }
    if (event.path === 'root' || event.kind === 'ITERATION') return;
    const time = Date.parse(event.at);
    if (event.to === 'RUNNING' && !started.has(event.taskId)) started.set(event.taskId, time);
    const since = started.get(event.taskId);
    const duration =
      since !== undefined && event.to !== 'RUNNING' ? ` ${((time - since) / 1000).toFixed(1)}s` : '';
    const attempt = event.attempt > 1 ? ` attempt ${event.attempt}` : '';
    const reason = event.reason && event.to !== 'RUNNING' ? ` — ${event.reason}` : '';
    stream.write(`  ${paint(event.to.padEnd(9), event.to)} ${event.path}${attempt}${duration}${reason}\n`);
  };
}
