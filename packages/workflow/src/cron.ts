import { isValidTimeZone } from '@formwork/metadata';
import { Cron } from 'croner';

/**
 * 5-field cron (`minute hour day-of-month month day-of-week`, `*`, lists, ranges, steps, names,
 * `@daily`-style nicknames) evaluated in an IANA time zone, through croner used as a pure calculator:
 * no job is scheduled, no clock is read (the instant to start from is passed in).
 */

export type CronCheck = { ok: true } | { ok: false; reason: string };

function cronOf(expr: string, timeZone: string): Cron {
  const nick = expr.trim().startsWith('@');
  const fields = expr.trim().split(/\s+/);
  if (!nick && fields.length !== 5)
    throw new TypeError('a cron expression has 5 fields: minute hour day month weekday');
  return new Cron(expr.trim(), { timezone: timeZone, mode: nick ? 'auto' : '5-part' });
}

/** Whether `expr` is a valid 5-field cron expression (and `timeZone` a valid zone). */
export function checkCron(expr: string, timeZone = 'Asia/Shanghai'): CronCheck {
  if (!isValidTimeZone(timeZone)) return { ok: false, reason: `unknown time zone ${timeZone}` };
  try {
    cronOf(expr, timeZone);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message.replace(/^CronPattern: /, '') : String(e) };
  }
}

/** The first instant strictly after `after` that matches `expr` in `timeZone`; null when there is none. */
export function nextCronTime(expr: string, after: Date, timeZone = 'Asia/Shanghai'): Date | null {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone ${timeZone}`);
  return cronOf(expr, timeZone).nextRun(after);
}
