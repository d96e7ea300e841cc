/**
 * Names from a run (pipeline name, run id, task path, attempt id, output name) as directory names that
 * stay where they are put: `..`, `/`, a leading dot (which could also hit `.staging`) and anything outside
 * `[A-Za-z0-9._-]` are neutralised, so `for-loop-2[0]/train` becomes `for-loop-2_0_/train` and cannot leave
 * the store's root. Uniqueness comes from the attempt id in every path, not from these names.
 */
import { createHash } from 'node:crypto';

const MAX_SEGMENT = 120;

export function safeSegment(text: string): string {
  let segment = text.replace(/[^A-Za-z0-9._-]/g, '_');
  if (segment === '') segment = '_';
  if (segment.startsWith('.')) segment = `_${segment}`;
  if (segment.length > MAX_SEGMENT) {
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    segment = `${segment.slice(0, MAX_SEGMENT - 17)}-${hash}`;
  }
  return segment;
}

/** A task path (`outer/for-loop-2[0]/train`) as safe segments; never empty. */
export function safeTaskPath(taskPath: string): string[] {
  const segments = taskPath
    .split('/')
    .filter((part) => part !== '')
    .map(safeSegment);
  return segments.length > 0 ? segments : ['_'];
}
