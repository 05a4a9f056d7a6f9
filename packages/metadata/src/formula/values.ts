import Big from 'big.js';
import { addDays, daysInMonth, isValidYmd, zonedParts } from '../calendar.js';
import type { Message } from '../types.js';
import type { FormulaValue } from './ast.js';

/**
 * Runtime values of the evaluator. Numbers are exact decimals (big.js); dates are civil dates, date-times
 * instants; rows of a subform and other objects are opaque (they can be counted, not computed with).
 */

/** A private big.js constructor: division keeps 20 decimal places, rounding half up. */
export const Dec = Big();
Dec.DP = 20;
Dec.RM = Big.roundHalfUp;
Dec.NE = -1_000_000;
Dec.PE = 1_000_000;

export type Decimal = InstanceType<typeof Big>;

export interface DateVal {
  readonly kind: 'date';
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

export interface DateTimeVal {
  readonly kind: 'datetime';
  /** Milliseconds since the epoch. */
  readonly ms: number;
}

export class OpaqueVal {
  constructor(readonly raw: unknown) {}
}

export type Val = null | boolean | string | Decimal | DateVal | DateTimeVal | OpaqueVal | Val[];

/** An expected evaluation failure (Excel's `#DIV/0!`, `#VALUE!`…): code plus message. */
export class FormulaError {
  constructor(
    readonly code: string,
    readonly message: Message,
  ) {}
}

export function formulaError(code: string, zh: string, en: string): FormulaError {
  return new FormulaError(code, { 'zh-CN': zh, en });
}

export const isDecimal = (v: unknown): v is Decimal => v instanceof Dec;
export const isDate = (v: unknown): v is DateVal =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'date' && !(v instanceof Dec);
export const isDateTime = (v: unknown): v is DateTimeVal =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'datetime' && !(v instanceof Dec);

export const dateVal = (y: number, m: number, d: number): DateVal => ({ kind: 'date', y, m, d });
export const dateTimeVal = (ms: number): DateTimeVal => ({ kind: 'datetime', ms });

// ---------------------------------------------------------------------------------------------
// Numbers

/** Largest decimal exponent a result may have (beyond it no JS number can hold it). */
const MAX_EXP = 308;
/** Significant digits kept: far more than money needs, few enough that nothing grows without bound. */
const MAX_DIGITS = 40;

/** Keep a computed number within bounds: too large → error; too small → 0; too many digits → rounded. */
export function bound(n: Decimal): Decimal {
  if (n.e > MAX_EXP) {
    throw formulaError('NUMBER_OVERFLOW', '计算结果超出数值范围', 'The result is too large to be a number');
  }
  if (n.e < -MAX_EXP) return new Dec(0);
  if (n.c.length > MAX_DIGITS) return n.prec(MAX_DIGITS, Big.roundHalfUp);
  return n;
}

const NUMBER_TEXT = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,6})?$/;

/**
 * A number written as text: `1,234.50`, ` ¥1234.5 `, `１２３`, `12.5%` (→ 0.125). Undefined when it is not one.
 */
export function decimalFromText(s: string): Decimal | undefined {
  if (s.length > 400) return undefined;
  let t = s
    .normalize('NFKC')
    .trim()
    .replace(/^[¥$€£]\s*/u, '');
  let percent = false;
  if (t.endsWith('%')) {
    percent = true;
    t = t.slice(0, -1).trim();
  }
  if (/^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$/.test(t)) t = t.replace(/,/g, '');
  if (!NUMBER_TEXT.test(t)) return undefined;
  try {
    const n = bound(new Dec(t));
    return percent ? n.div(100) : n;
  } catch {
    return undefined;
  }
}

/** A JS number as an exact decimal (its shortest decimal form: 0.1 → 0.1). */
export function decimalFromNumber(n: number): Decimal | null {
  if (!Number.isFinite(n)) return null;
  return bound(new Dec(n));
}

export function decimalToNumber(n: Decimal): number {
  const r = Number(n.toString());
  return Object.is(r, -0) ? 0 : r;
}

// ---------------------------------------------------------------------------------------------
// Dates

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The instant a wall-clock time in `timeZone` names (the earlier one in a DST overlap). */
export function zonedToUtc(
  y: number,
  m: number,
  d: number,
  hh: number,
  mi: number,
  ss: number,
  ms: number,
  timeZone: string,
): number {
  const local = Date.UTC(y, m - 1, d, hh, mi, ss, ms);
  const offsetAt = (t: number): number => {
    const p = zonedParts(new Date(t), timeZone);
    return Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm, p.ss) - Math.floor(t / 1000) * 1000;
  };
  let guess = local - offsetAt(local);
  guess = local - offsetAt(guess);
  return guess;
}

/** A date or date-time read from text (`2024-05-01`, `2024-05-01T08:00:00Z`, `2024-05-01 08:00`). */
export function dateFromText(s: string, timeZone: string): DateVal | DateTimeVal | undefined {
  if (s.length > 40) return undefined;
  const t = s.trim();
  const dm = DATE_TEXT.exec(t);
  if (dm) {
    const y = Number(dm[1]);
    const m = Number(dm[2]);
    const d = Number(dm[3]);
    return isValidYmd(y, m, d) ? dateVal(y, m, d) : undefined;
  }
  const tm = DATETIME_TEXT.exec(t);
  if (!tm) return undefined;
  const y = Number(tm[1]);
  const m = Number(tm[2]);
  const d = Number(tm[3]);
  const hh = Number(tm[4]);
  const mi = Number(tm[5]);
  const ss = Number(tm[6] ?? '0');
  const ms = Number((tm[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (!isValidYmd(y, m, d) || hh > 23 || mi > 59 || ss > 59) return undefined;
  const zone = tm[8];
  if (zone === undefined) return dateTimeVal(zonedToUtc(y, m, d, hh, mi, ss, ms, timeZone));
  if (zone.toUpperCase() === 'Z') return dateTimeVal(Date.UTC(y, m - 1, d, hh, mi, ss, ms));
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offH = Number(digits.slice(0, 2));
  const offM = Number(digits.slice(2, 4));
  if (offH > 23 || offM > 59) return undefined;
  return dateTimeVal(Date.UTC(y, m - 1, d, hh, mi, ss, ms) - sign * (offH * 60 + offM) * 60_000);
}

/** The civil date of a date or date-time (date-times are read in `timeZone`). */
export function civilDate(v: DateVal | DateTimeVal, timeZone: string): DateVal {
  if (v.kind === 'date') return v;
  const p = zonedParts(new Date(v.ms), timeZone);
  return dateVal(p.y, p.m, p.d);
}

/** The instant of a date (its midnight in `timeZone`) or date-time. */
export function instantOf(v: DateVal | DateTimeVal, timeZone: string): number {
  if (v.kind === 'datetime') return v.ms;
  return zonedToUtc(v.y, v.m, v.d, 0, 0, 0, 0, timeZone);
}

/** Days from 0001-01-01 (for differences between civil dates). */
export function dayNumber(v: DateVal): number {
  return Math.round(Date.UTC(v.y, v.m - 1, v.d) / 86_400_000);
}

export function addCivilDays(v: DateVal, days: number): DateVal {
  const r = addDays(v, days);
  return dateVal(r.y, r.m, r.d);
}

/** Add months, keeping the day where it exists and clamping to the month's end otherwise (Jan 31 + 1 → Feb 28/29). */
export function addMonths(v: DateVal, months: number): DateVal {
  const total = v.y * 12 + (v.m - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return dateVal(y, m, Math.min(v.d, daysInMonth(y, m)));
}

export const MIN_MS = Date.UTC(1, 0, 1) - 86_400_000;
export const MAX_MS = Date.UTC(9999, 11, 31) + 86_400_000;

export function checkDateRange<T extends DateVal | DateTimeVal>(v: T): T {
  const ok =
    v.kind === 'date' ? isValidYmd(v.y, v.m, v.d) : Number.isFinite(v.ms) && v.ms >= MIN_MS && v.ms <= MAX_MS;
  if (!ok)
    throw formulaError(
      'INVALID_DATE',
      '日期超出范围（0001–9999 年）',
      'The date is out of range (years 0001–9999)',
    );
  return v;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatDate(v: DateVal): string {
  return `${pad(v.y, 4)}-${pad(v.m)}-${pad(v.d)}`;
}

// ---------------------------------------------------------------------------------------------
// Conversions at the edges

/** A value from a record (JSON, possibly anything) as a runtime value. */
export function fromExternal(raw: unknown, depth = 0): Val {
  if (raw === null || raw === undefined) return null;
  switch (typeof raw) {
    case 'number':
      return decimalFromNumber(raw);
    case 'bigint':
      try {
        return bound(new Dec(raw.toString()));
      } catch {
        return null;
      }
    case 'string':
      return raw;
    case 'boolean':
      return raw;
    case 'object':
      if (Array.isArray(raw)) {
        if (depth >= 3) return new OpaqueVal(raw);
        return raw.map((x) => fromExternal(x, depth + 1));
      }
      if (raw instanceof Date) return Number.isFinite(raw.getTime()) ? dateTimeVal(raw.getTime()) : null;
      return new OpaqueVal(raw);
    default:
      return null;
  }
}

/** A runtime value as the outside world sees it. */
export function toExternal(v: Val): FormulaValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (isDecimal(v)) return decimalToNumber(v);
  if (Array.isArray(v)) return v.map(toExternal);
  if (isDate(v)) return formatDate(v);
  if (isDateTime(v)) return new Date(v.ms).toISOString();
  return null;
}
