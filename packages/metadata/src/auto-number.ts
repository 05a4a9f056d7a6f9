import { zonedParts } from './calendar.js';
import type { Message } from './types.js';

/**
 * Auto-number patterns: literal text plus tokens `{yyyy} {yy} {MM} {dd} {yyyyMM} {yyyyMMdd}` (the date in
 * the workspace time zone) and exactly one counter `{0000}` (zero-padded to the number of zeros, 1..12).
 * The counter restarts whenever the date part of the pattern changes: `HT-{yyyyMMdd}-{0000}` counts per day.
 */

const DATE_TOKENS = ['yyyy', 'yy', 'MM', 'dd', 'yyyyMM', 'yyyyMMdd'] as const;
type DateToken = (typeof DATE_TOKENS)[number];

type Part =
  | { kind: 'literal'; text: string }
  | { kind: 'date'; token: DateToken }
  | { kind: 'counter'; width: number };

function tokenize(pattern: string): { parts: Part[] } | { error: Message } {
  if (pattern.length === 0 || pattern.length > 64) {
    return {
      error: { 'zh-CN': '编号规则长度须为 1 到 64 个字符', en: 'The pattern must be 1 to 64 characters' },
    };
  }
  const parts: Part[] = [];
  let counters = 0;
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (const m of pattern.matchAll(re)) {
    if (m[3] !== undefined) {
      return { error: { 'zh-CN': '编号规则中的花括号不成对', en: 'Unbalanced braces in the pattern' } };
    }
    if (m[2] !== undefined) {
      parts.push({ kind: 'literal', text: m[2] });
      continue;
    }
    const token = m[1] ?? '';
    if (/^0{1,12}$/.test(token)) {
      counters++;
      parts.push({ kind: 'counter', width: token.length });
    } else if ((DATE_TOKENS as readonly string[]).includes(token)) {
      parts.push({ kind: 'date', token: token as DateToken });
    } else {
      return {
        error: {
          'zh-CN': `编号规则中有未知的占位符 {${token}}`,
          en: `Unknown placeholder {${token}} in the pattern`,
        },
      };
    }
  }
  if (counters !== 1) {
    return {
      error: {
        'zh-CN': '编号规则必须恰好包含一个流水号占位符，如 {0000}',
        en: 'The pattern must contain exactly one counter such as {0000}',
      },
    };
  }
  return { parts };
}

/** Null when the pattern is valid, else why not. */
export function checkAutoNumberPattern(pattern: string): Message | null {
  const t = tokenize(pattern);
  return 'error' in t ? t.error : null;
}

function dateValue(token: DateToken, p: { y: number; m: number; d: number }): string {
  const yyyy = String(p.y).padStart(4, '0');
  const MM = String(p.m).padStart(2, '0');
  const dd = String(p.d).padStart(2, '0');
  switch (token) {
    case 'yyyy':
      return yyyy;
    case 'yy':
      return yyyy.slice(2);
    case 'MM':
      return MM;
    case 'dd':
      return dd;
    case 'yyyyMM':
      return yyyy + MM;
    case 'yyyyMMdd':
      return yyyy + MM + dd;
  }
}

function parsed(pattern: string): Part[] {
  const t = tokenize(pattern);
  if ('error' in t) throw new RangeError(`Invalid auto-number pattern: ${t.error.en}`);
  return t.parts;
}

/**
 * The number for counter value `n` (≥ 1): `formatAutoNumber('HT-{yyyyMMdd}-{0000}', 7, now, 'Asia/Shanghai')`
 * → `HT-20261123-0007`. A counter wider than its zeros is written in full. Throws RangeError on an invalid
 * pattern, counter or time zone (definitions are checked when saved, so this is a programming error).
 */
export function formatAutoNumber(pattern: string, n: number, now: Date, timeZone: string): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('The counter must be a positive integer');
  const parts = parsed(pattern);
  const p = zonedParts(now, timeZone);
  return parts
    .map((part) => {
      if (part.kind === 'literal') return part.text;
      if (part.kind === 'date') return dateValue(part.token, p);
      return String(n).padStart(part.width, '0');
    })
    .join('');
}

/**
 * The counter's period key: the date at the finest unit the pattern shows (`yyyy`, `yyyyMM` or
 * `yyyyMMdd`); `''` when the pattern has no date (the counter never restarts).
 */
export function autoNumberPeriod(pattern: string, now: Date, timeZone: string): string {
  const parts = parsed(pattern);
  let unit = 0; // 0 none, 1 year, 2 month, 3 day
  for (const part of parts) {
    if (part.kind !== 'date') continue;
    const u =
      part.token === 'yyyy' || part.token === 'yy'
        ? 1
        : part.token === 'MM' || part.token === 'yyyyMM'
          ? 2
          : 3;
    unit = Math.max(unit, u);
  }
  if (unit === 0) return '';
  const p = zonedParts(now, timeZone);
  const key = dateValue('yyyyMMdd', p);
  return key.slice(0, unit === 1 ? 4 : unit === 2 ? 6 : 8);
}
