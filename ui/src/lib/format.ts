/** How values read on screen: durations, times, parameters and metric numbers. */
import type { Json } from './api-types.ts';

export function duration(from: string | null, to: string | null, now = Date.now()): string {
  if (!from) return '—';
  const ms = (to ? Date.parse(to) : now) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function when(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function jsonText(value: Json | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function metricNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 || Math.abs(value) < 0.001 ? value.toExponential(3) : value.toFixed(4);
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** An instant in words relative to `now`: `in 3 hours — Mon 7 Dec 02:00 UTC`, or `5 min ago — …`. */
export function relativeTime(iso: string, now = Date.now(), timeZone?: string): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  const size = Math.abs(seconds);
  const [amount, unit] =
    size < 60
      ? [size, 'second']
      : size < 3600
        ? [Math.round(size / 60), 'minute']
        : size < 86_400
          ? [Math.round(size / 3600), 'hour']
          : [Math.round(size / 86_400), 'day'];
  const span = `${amount} ${unit}${amount === 1 ? '' : 's'}`;
  const words = size < 1 ? 'now' : seconds > 0 ? `in ${span}` : `${span} ago`;
  const clock = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(size < 120 ? { second: '2-digit' } : {}),
    timeZone: timeZone ?? 'UTC',
    timeZoneName: 'short',
  })
    .format(new Date(at))
    .replace(',', '');
  return `${words} — ${clock}`;
}
