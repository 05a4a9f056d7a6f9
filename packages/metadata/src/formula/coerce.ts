import { zonedParts } from '../calendar.js';
import {
  type DateTimeVal,
  type DateVal,
  Dec,
  type Decimal,
  dateFromText,
  dayNumber,
  decimalFromText,
  formatDate,
  formulaError,
  instantOf,
  isDate,
  isDateTime,
  isDecimal,
  OpaqueVal,
  type Val,
} from './values.js';

/** Coercions between runtime values, Excel-like: empty counts as 0 / "" / FALSE. */

const ZERO = new Dec(0);
const ONE = new Dec(1);

export const MAX_TEXT = 1_000_000;

export function checkText(s: string): string {
  if (s.length > MAX_TEXT) {
    throw formulaError('TOO_COMPLEX', '文本结果过长', 'The text result is too long');
  }
  return s;
}

/** True for null, blank text and an empty list. */
export function isEmptyVal(v: Val): boolean {
  if (v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

export function typeName(v: Val): { zh: string; en: string } {
  if (v === null) return { zh: '空值', en: 'empty' };
  if (typeof v === 'boolean') return { zh: '布尔值', en: 'a boolean' };
  if (typeof v === 'string')
    return {
      zh: `文本“${v.length > 20 ? `${v.slice(0, 20)}…` : v}”`,
      en: `text "${v.length > 20 ? `${v.slice(0, 20)}…` : v}"`,
    };
  if (isDecimal(v)) return { zh: '数字', en: 'a number' };
  if (Array.isArray(v)) return { zh: '列表', en: 'a list' };
  if (isDate(v) || isDateTime(v)) return { zh: '日期', en: 'a date' };
  return { zh: '对象', en: 'an object' };
}

/** A number; null and blank text are 0, TRUE/FALSE are 1/0; other text must read as a number. */
export function toDecimal(v: Val, where: string): Decimal {
  if (v === null) return ZERO;
  if (isDecimal(v)) return v;
  if (typeof v === 'boolean') return v ? ONE : ZERO;
  if (typeof v === 'string') {
    if (v.trim() === '') return ZERO;
    const n = decimalFromText(v);
    if (n) return n;
  }
  const t = typeName(v);
  throw formulaError(
    'INVALID_ARGUMENT',
    `${where} 需要数字，得到${t.zh}`,
    `${where} needs a number, got ${t.en}`,
  );
}

/** A whole number argument (truncated toward zero), within ±1e9. */
export function toInt(v: Val, where: string): number {
  const n = Math.trunc(Number(toDecimal(v, where).toString()));
  if (!Number.isFinite(n) || Math.abs(n) > 1e9) {
    throw formulaError('INVALID_ARGUMENT', `${where} 的数值过大`, `${where}: the number is too large`);
  }
  return n;
}

function objectText(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null) {
    for (const k of ['name', 'label', 'title', 'value']) {
      const x = (raw as Record<string, unknown>)[k];
      if (typeof x === 'string') return x;
    }
  }
  return '';
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function dateTimeText(v: DateTimeVal, timeZone: string): string {
  const p = zonedParts(new Date(v.ms), timeZone);
  return `${formatDate({ kind: 'date', y: p.y, m: p.m, d: p.d })} ${pad(p.hh)}:${pad(p.mm)}:${pad(p.ss)}`;
}

/** Text: null → "", TRUE/FALSE, numbers in plain notation, dates `yyyy-MM-dd`, lists joined by ",". */
export function toText(v: Val, timeZone: string): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (isDecimal(v)) return v.toString();
  if (Array.isArray(v)) return checkText(v.map((x) => toText(x, timeZone)).join(','));
  if (isDate(v)) return formatDate(v);
  if (isDateTime(v)) return dateTimeText(v, timeZone);
  if (v instanceof OpaqueVal) return objectText(v.raw);
  return '';
}

/** Truthiness: null, 0, "", "FALSE", "0" and [] are false. */
export function toBool(v: Val): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (isDecimal(v)) return !v.eq(0);
  if (typeof v === 'string') {
    const t = v.trim().toUpperCase();
    return !(t === '' || t === 'FALSE' || t === '0');
  }
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** A date (or date-time); null stays null; text must be `YYYY-MM-DD` or an ISO date-time. */
export function toDate(v: Val, where: string, timeZone: string): DateVal | DateTimeVal | null {
  if (v === null) return null;
  if (isDate(v) || isDateTime(v)) return v;
  if (typeof v === 'string') {
    if (v.trim() === '') return null;
    const d = dateFromText(v, timeZone);
    if (d) return d;
  }
  const t = typeName(v);
  throw formulaError(
    'INVALID_ARGUMENT',
    `${where} 需要日期，得到${t.zh}`,
    `${where} needs a date, got ${t.en}`,
  );
}

/** Text that reads as a date but not as a number. */
export function dateLike(v: Val, timeZone: string): DateVal | DateTimeVal | undefined {
  if (isDate(v) || isDateTime(v)) return v;
  if (typeof v === 'string') return dateFromText(v, timeZone);
  return undefined;
}

export function flatten(values: Val[], out: Val[] = []): Val[] {
  for (const v of values) {
    if (Array.isArray(v)) flatten(v, out);
    else out.push(v);
  }
  return out;
}

function compareDates(a: DateVal | DateTimeVal, b: DateVal | DateTimeVal, timeZone: string): number {
  if (a.kind === 'date' && b.kind === 'date') return Math.sign(dayNumber(a) - dayNumber(b));
  return Math.sign(instantOf(a, timeZone) - instantOf(b, timeZone));
}

function deepEqual(a: Val[], b: Val[], timeZone: string): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i] ?? null;
    if (isEmptyVal(x) && isEmptyVal(y)) return true;
    return compareValues(x, y, timeZone) === 0;
  });
}

/**
 * Order two non-empty values: -1, 0, 1, or undefined when they cannot be compared (a number and a
 * word, a list and a number…). Numbers compare numerically (numeric text too), dates as dates when
 * either side is a date value, text by code units, FALSE < TRUE.
 */
export function compareValues(a: Val, b: Val, timeZone: string): number | undefined {
  if (a === null || b === null) return undefined;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) return deepEqual(a, b, timeZone) ? 0 : undefined;
    return undefined;
  }
  if (a instanceof OpaqueVal || b instanceof OpaqueVal) return a === b ? 0 : undefined;
  if (isDate(a) || isDateTime(a) || isDate(b) || isDateTime(b)) {
    const da = dateLike(a, timeZone);
    const db = dateLike(b, timeZone);
    return da && db ? compareDates(da, db, timeZone) : undefined;
  }
  if (isDecimal(a) || isDecimal(b)) {
    const na = isDecimal(a) ? a : typeof a === 'string' ? decimalFromText(a) : undefined;
    const nb = isDecimal(b) ? b : typeof b === 'string' ? decimalFromText(b) : undefined;
    return na && nb ? na.cmp(nb) : undefined;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  return undefined;
}

/** `=`: both empty → TRUE; one empty → FALSE; otherwise equal when they compare as 0. */
export function valuesEqual(a: Val, b: Val, timeZone: string): boolean {
  const ea = isEmptyVal(a);
  const eb = isEmptyVal(b);
  if (ea || eb) return ea && eb;
  return compareValues(a, b, timeZone) === 0;
}
