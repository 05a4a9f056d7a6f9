import Big from 'big.js';
import { zonedParts } from '../calendar.js';
import { checkText } from './coerce.js';
import type { DateTimeVal, DateVal, Decimal } from './values.js';

/**
 * TEXT() formats. Numbers: `0`, `0.00`, `#,##0.00`, `0.0%`, `¥#,##0.00`, `0.00元` — `0` is a digit always
 * shown, `#` a digit shown when needed, `,` groups thousands, `%` multiplies by 100; other characters are
 * kept. Dates: `yyyy yy MM M dd d HH H hh h mm ss s`, plus `YYYY`/`DD` as aliases (month is `MM`, minute `mm`).
 */

const PATTERN = /[0#][0#,]*(\.[0#]*)?|\.[0#]+/;

export function formatNumber(n: Decimal, fmt: string): string {
  const m = PATTERN.exec(fmt);
  if (!m) return fmt;
  const prefix = fmt.slice(0, m.index);
  const suffix = fmt.slice(m.index + m[0].length);
  const pattern = m[0];
  const percent = prefix.includes('%') || suffix.includes('%');
  const dot = pattern.indexOf('.');
  const intPattern = dot === -1 ? pattern : pattern.slice(0, dot);
  const decPattern = dot === -1 ? '' : pattern.slice(dot + 1);
  const decimals = decPattern.length;
  const minDecimals = decPattern.length - decPattern.replace(/^0+/, '').length;
  const minInt = intPattern.replace(/[^0]/g, '').length;
  const grouping = intPattern.includes(',');

  const value = (percent ? n.times(100) : n).round(decimals, Big.roundHalfUp);
  const negative = value.lt(0);
  let [intText = '0', decText = ''] = value.abs().toFixed(decimals).split('.');
  while (decText.length > minDecimals && decText.endsWith('0')) decText = decText.slice(0, -1);
  if (intText === '0' && minInt === 0) intText = '';
  intText = intText.padStart(minInt, '0');
  if (grouping) intText = intText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = decText.length > 0 ? `${intText}.${decText}` : intText;
  return checkText(`${negative ? '-' : ''}${prefix}${body === '' ? '0' : body}${suffix}`);
}

const DATE_TOKENS = [
  'yyyy',
  'YYYY',
  'yy',
  'YY',
  'MM',
  'M',
  'dd',
  'DD',
  'd',
  'D',
  'HH',
  'H',
  'hh',
  'h',
  'mm',
  'ss',
  's',
];

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** True when a format string asks for date parts (so TEXT of a date-like text formats it as a date). */
export function isDateFormat(fmt: string): boolean {
  return /yy|YY|MM|dd|DD|HH/.test(fmt);
}

export function formatDateValue(v: DateVal | DateTimeVal, fmt: string, timeZone: string): string {
  const p =
    v.kind === 'date'
      ? { y: v.y, m: v.m, d: v.d, hh: 0, mm: 0, ss: 0 }
      : zonedParts(new Date(v.ms), timeZone);
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const token = DATE_TOKENS.find((t) => fmt.startsWith(t, i));
    if (!token) {
      out += fmt[i];
      i++;
      continue;
    }
    i += token.length;
    switch (token) {
      case 'yyyy':
      case 'YYYY':
        out += pad(p.y, 4);
        break;
      case 'yy':
      case 'YY':
        out += pad(p.y % 100);
        break;
      case 'MM':
        out += pad(p.m);
        break;
      case 'M':
        out += String(p.m);
        break;
      case 'dd':
      case 'DD':
        out += pad(p.d);
        break;
      case 'd':
      case 'D':
        out += String(p.d);
        break;
      case 'HH':
        out += pad(p.hh);
        break;
      case 'H':
        out += String(p.hh);
        break;
      case 'hh':
        out += pad(p.hh % 12 === 0 ? 12 : p.hh % 12);
        break;
      case 'h':
        out += String(p.hh % 12 === 0 ? 12 : p.hh % 12);
        break;
      case 'mm':
        out += pad(p.mm);
        break;
      case 'ss':
        out += pad(p.ss);
        break;
      case 's':
        out += String(p.ss);
        break;
    }
  }
  return checkText(out);
}
