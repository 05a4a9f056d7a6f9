import { addDays, formatYmd, isoWeekday, startOfDayUtc, type Ymd, zonedParts } from './calendar.js';
import type { PeriodValue } from './types.js';

/** `today | thisWeek | thisMonth | thisQuarter | thisYear | lastNDays:<1..3650>` */
const PERIOD = /^(today|thisWeek|thisMonth|thisQuarter|thisYear|lastNDays:([1-9][0-9]{0,3}))$/;

export function isPeriodValue(v: unknown): v is PeriodValue {
  if (typeof v !== 'string') return false;
  const m = PERIOD.exec(v);
  if (!m) return false;
  return m[2] === undefined || Number(m[2]) <= 3650;
}

export interface ResolvedPeriod {
  /** First instant of the period, ISO UTC (inclusive). */
  start: string;
  /** First instant after the period, ISO UTC (exclusive). */
  end: string;
  /** First civil day of the period, `YYYY-MM-DD` (inclusive) — for date fields. */
  startDate: string;
  /** First civil day after the period, `YYYY-MM-DD` (exclusive). */
  endDate: string;
}

/**
 * The half-open range [start, end) of a relative period at `now`, in the workspace time zone. Weeks
 * start on Monday; `lastNDays:7` is today and the six days before. Throws RangeError on an invalid
 * period or time zone (validate with `isPeriodValue` / `isValidTimeZone` first).
 */
export function resolvePeriod(period: string, now: Date, timeZone: string): ResolvedPeriod {
  if (!isPeriodValue(period)) throw new RangeError(`Invalid period: ${period}`);
  const p = zonedParts(now, timeZone);
  const today: Ymd = { y: p.y, m: p.m, d: p.d };
  let first: Ymd;
  let after: Ymd;
  if (period === 'today') {
    first = today;
    after = addDays(today, 1);
  } else if (period === 'thisWeek') {
    first = addDays(today, 1 - isoWeekday(today));
    after = addDays(first, 7);
  } else if (period === 'thisMonth') {
    first = { y: p.y, m: p.m, d: 1 };
    after = p.m === 12 ? { y: p.y + 1, m: 1, d: 1 } : { y: p.y, m: p.m + 1, d: 1 };
  } else if (period === 'thisQuarter') {
    const qm = Math.floor((p.m - 1) / 3) * 3 + 1;
    first = { y: p.y, m: qm, d: 1 };
    after = qm === 10 ? { y: p.y + 1, m: 1, d: 1 } : { y: p.y, m: qm + 3, d: 1 };
  } else if (period === 'thisYear') {
    first = { y: p.y, m: 1, d: 1 };
    after = { y: p.y + 1, m: 1, d: 1 };
  } else {
    const n = Number(period.slice('lastNDays:'.length));
    first = addDays(today, 1 - n);
    after = addDays(today, 1);
  }
  return {
    start: startOfDayUtc(first, timeZone).toISOString(),
    end: startOfDayUtc(after, timeZone).toISOString(),
    startDate: formatYmd(first.y, first.m, first.d),
    endDate: formatYmd(after.y, after.m, after.d),
  };
}
