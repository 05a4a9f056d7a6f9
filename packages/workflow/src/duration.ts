import type { Duration } from './types.js';

/** Durations in milliseconds, and instants as ISO strings (the snapshot stores text, never Date objects). */

export function durationMs(d: Duration): number {
  return ((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * 60_000;
}

export function addDuration(at: Date | string, d: Duration, sign: 1 | -1 = 1): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + sign * durationMs(d)).toISOString();
}

/** A date (`YYYY-MM-DD`, midnight in `timeZone`) or date-time value as an instant; null when it is neither. */
export function instantOfValue(value: unknown, timeZone: string): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, mo, d] = value.split('-').map(Number) as [number, number, number];
    const guess = Date.UTC(y, mo - 1, d);
    // The offset of the zone at that day: format the UTC guess in the zone and take the difference.
    const offset = zoneOffsetMs(guess, timeZone);
    const first = guess - offset;
    // Around a DST change the offset at the result can differ; one correction is enough for whole hours.
    const second = guess - zoneOffsetMs(first, timeZone);
    return new Date(second);
  }
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t) : null;
}

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}
