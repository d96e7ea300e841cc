import { DslError } from './pipeline-context.ts';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds from a number of seconds or a string such as `'30s'`, `'1.5m'`, `'2h'`, `'1h30m'`. */
export function parseDuration(value: number | string, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new DslError(`${what}: expected seconds >= 0, got ${value}`);
    return value;
  }
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const consumed = parts.map((part) => part[0]).join('');
  if (parts.length === 0 || consumed !== value.trim()) {
    throw new DslError(
      `${what}: '${value}' is not a duration; use seconds or e.g. '30s', '5m', '2h', '1h30m'`,
    );
  }
  return parts.reduce((total, part) => total + Number(part[1]) * UNIT_SECONDS[part[2]!]!, 0);
}

/** google.protobuf.Duration in proto3 JSON form (`'90s'`, `'0.5s'`). */
export function toProtoDuration(seconds: number): string {
  return `${Number(seconds.toFixed(9))}s`;
}
