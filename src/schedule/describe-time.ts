/**
 * Fire times in words for people: `in 3 hours (Mon 2026-12-07 02:00 UTC)`. The relative part rounds to
 * the largest whole unit (users scan lists for "soon" or "tomorrow"); the absolute part is exact to the
 * minute (to the second when it has seconds) in the schedule's own time zone, with the zone's short name.
 */
export function describeFireTime(at: Date, now: Date, timeZone = 'UTC'): string {
  return `${relative(at.getTime() - now.getTime())} (${absolute(at, timeZone)})`;
}

function relative(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds <= 0) return 'now';
  const units: [string, number][] = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = units.find(([, size]) => seconds >= size) ?? units[3]!;
  const count = Math.floor(seconds / size);
  return `in ${count} ${unit}${count === 1 ? '' : 's'}`;
}

function absolute(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const seconds = parts.second === '00' ? '' : `:${parts.second}`;
  // en-US abbreviates some zones (UTC, EST, PDT) but writes others as offsets (GMT+1): the zone's own
  // name is clearer than an offset that changes with DST.
  const zone = /^GMT[+-]/.test(parts.timeZoneName ?? '') ? timeZone : parts.timeZoneName;
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${seconds} ${zone}`;
}
