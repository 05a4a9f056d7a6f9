import { describe, expect, it } from 'vitest';
import { evaluateFormula } from './evaluate.js';
import { parseFormula } from './parser.js';
import { context, errorOf, NOW, run, value } from './test-helpers.js';

describe('arithmetic', () => {
  it('is exact in decimal: 0.1 + 0.2 = 0.3', () => {
    expect(value('0.1 + 0.2')).toBe(0.3);
    expect(value('0.1 + 0.2 = 0.3')).toBe(true);
    expect(value('a + b', { a: 0.1, b: 0.2 })).toBe(0.3);
    expect(value('1.1 * 3')).toBe(3.3);
    expect(value('0.3 - 0.1')).toBe(0.2);
    expect(value('19.99 * 3')).toBe(59.97);
  });

  it('sums 1,000 rows of 0.01 to exactly 10', () => {
    const items = Array.from({ length: 1000 }, () => ({ amount: 0.01 }));
    expect(value('SUM(items.amount)', { items })).toBe(10);
    expect(value('SUM(items.amount) = 10', { items })).toBe(true);
  });

  it('follows operator precedence and right-associative powers', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('2 ^ 3 ^ 2')).toBe(512);
    expect(value('-2 ^ 2')).toBe(-4);
    expect(value('2 ^ -2')).toBe(0.25);
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('+5')).toBe(5);
  });

  it('divides to 20 decimal places', () => {
    expect(value('1 / 3')).toBeCloseTo(0.333333333333, 12);
    expect(value('1 / 4')).toBe(0.25);
    expect(value('ROUND(1 / 3 * 3, 2)')).toBe(1);
  });

  it('gives % the sign of the divisor, like MOD', () => {
    expect(value('7 % 3')).toBe(1);
    expect(value('-7 % 3')).toBe(2);
    expect(value('7 % -3')).toBe(-2);
    expect(value('5.5 % 2')).toBe(1.5);
  });

  it('returns DIV_ZERO for division by zero instead of throwing', () => {
    expect(errorOf('1 / 0')).toBe('DIV_ZERO');
    expect(errorOf('1 % 0')).toBe('DIV_ZERO');
    expect(errorOf('a / b', { a: 1, b: null })).toBe('DIV_ZERO');
    expect(errorOf('0 ^ -1')).toBe('DIV_ZERO');
    const p = parseFormula('1 / 0');
    const r = p.ok ? evaluateFormula(p.ast, context()) : null;
    expect(r).toEqual({
      ok: false,
      code: 'DIV_ZERO',
      message: { 'zh-CN': '除数为 0', en: 'Division by zero' },
    });
  });

  it('counts null and blank text as 0 and TRUE as 1', () => {
    expect(value('qty * price', { qty: null, price: 5 })).toBe(0);
    expect(value('missing + 1')).toBe(1);
    expect(value('a + 1', { a: '' })).toBe(1);
    expect(value('TRUE + TRUE')).toBe(2);
  });

  it('reads numeric text, and refuses words, lists and objects as numbers', () => {
    expect(value('a * 2', { a: '1,234.5' })).toBe(2469);
    expect(value('a + 1', { a: '５' })).toBe(6);
    expect(errorOf('"abc" * 2')).toBe('INVALID_ARGUMENT');
    expect(errorOf('a + 1', { a: [1, 2] })).toBe('INVALID_ARGUMENT');
    expect(errorOf('a + 1', { a: { x: 1 } })).toBe('INVALID_ARGUMENT');
  });

  it('reports numbers beyond the range of a double as NUMBER_OVERFLOW', () => {
    expect(errorOf('1e300 * 1e300')).toBe('NUMBER_OVERFLOW');
    expect(errorOf('10 ^ 400')).toBe('NUMBER_OVERFLOW');
    expect(errorOf('POWER(2, 100000)')).toBe('NUMBER_OVERFLOW');
    expect(value('1e-300 * 1e-300')).toBe(0);
  });

  it('keeps huge exponent chains cheap (no runaway big-number growth)', () => {
    const t = performance.now();
    expect(run('POWER(POWER(POWER(1.0000001, 1000), 1000), 1000)')).toHaveProperty('value');
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('computes fractional powers in floating point and refuses roots of negatives', () => {
    expect(value('4 ^ 0.5')).toBe(2);
    expect(errorOf('(-8) ^ 0.5')).toBe('INVALID_ARGUMENT');
  });

  it('treats a JS number from a field by its shortest decimal form', () => {
    expect(value('a * 3', { a: 0.1 })).toBe(0.3);
    expect(value('a', { a: Number.NaN })).toBe(null);
    expect(value('a', { a: 12n })).toBe(12);
  });
});

describe('text', () => {
  it('joins with & and prints numbers without exponent or float noise', () => {
    expect(value('"a" & 1 & TRUE & NULL')).toBe('a1TRUE');
    expect(value('"¥" & (0.1 + 0.2)')).toBe('¥0.3');
    expect(value('"" & 1e21')).toBe('1000000000000000000000');
    expect(value('"" & 0.0000001')).toBe('0.0000001');
    expect(value('"" & a', { a: ['x', 'y'] })).toBe('x,y');
  });
});

describe('comparisons and null', () => {
  it('compares numbers, text and booleans', () => {
    expect(value('2 > 1')).toBe(true);
    expect(value('2 >= 2')).toBe(true);
    expect(value('1 < 1')).toBe(false);
    expect(value('"abc" < "abd"')).toBe(true);
    expect(value('"a" = "a"')).toBe(true);
    expect(value('"a" = "A"')).toBe(false);
    expect(value('FALSE < TRUE')).toBe(true);
    expect(value('1 <> 2')).toBe(true);
    expect(value('1 == 1')).toBe(true);
  });

  it('compares numeric text numerically against numbers', () => {
    expect(value('a = 10', { a: '10.0' })).toBe(true);
    expect(value('a > 9', { a: '10' })).toBe(true);
    expect(value('"abc" = 1')).toBe(false);
    expect(value('"abc" > 1')).toBe(false);
  });

  it('makes every comparison with null false except = NULL and != ', () => {
    const d = { a: null };
    expect(value('a = 0', d)).toBe(false);
    expect(value('a < 1', d)).toBe(false);
    expect(value('a > -1', d)).toBe(false);
    expect(value('a <= 0', d)).toBe(false);
    expect(value('a = NULL', d)).toBe(true);
    expect(value('a != NULL', d)).toBe(false);
    expect(value('a != 5', d)).toBe(true);
    expect(value('b = NULL', { b: 5 })).toBe(false);
    expect(value('b != NULL', { b: 5 })).toBe(true);
    expect(value('a = ""', { a: '' })).toBe(true);
    expect(value('a = NULL', { a: [] })).toBe(true);
  });

  it('compares lists element by element for equality only', () => {
    expect(value('a = b', { a: ['x', 'y'], b: ['x', 'y'] })).toBe(true);
    expect(value('a = b', { a: ['x', 'y'], b: ['y', 'x'] })).toBe(false);
    expect(value('a = "x"', { a: ['x'] })).toBe(false);
    expect(value('a > b', { a: [2], b: [1] })).toBe(false);
  });

  it('short-circuits && and || and accepts ! as NOT', () => {
    expect(value('FALSE && 1 / 0')).toBe(false);
    expect(value('TRUE || 1 / 0')).toBe(true);
    expect(errorOf('TRUE && 1 / 0')).toBe('DIV_ZERO');
    expect(value('!TRUE')).toBe(false);
    expect(value('!a', { a: null })).toBe(true);
    expect(value('!"FALSE"')).toBe(true);
    expect(value('1 && "x"')).toBe(true);
    expect(value('0 || ""')).toBe(false);
  });
});

describe('dates', () => {
  it('takes TODAY() in the context time zone (Shanghai is a day ahead of UTC at 16:30 UTC)', () => {
    expect(value('TODAY()', {}, 'Asia/Shanghai')).toBe('2024-05-02');
    expect(value('TODAY()', {}, 'UTC')).toBe('2024-05-01');
    expect(value('TODAY()', {}, 'America/New_York')).toBe('2024-05-01');
    expect(value('NOW()')).toBe('2024-05-01T16:30:00.000Z');
  });

  it('reads date-times in the user zone for YEAR/MONTH/DAY', () => {
    const d = { t: '2024-12-31T16:30:00Z' };
    expect(value('YEAR(t) & "-" & MONTH(t) & "-" & DAY(t)', d, 'Asia/Shanghai')).toBe('2025-1-1');
    expect(value('YEAR(t) & "-" & MONTH(t) & "-" & DAY(t)', d, 'UTC')).toBe('2024-12-31');
  });

  it('reads a date-time without offset as wall-clock time in the user zone', () => {
    expect(value('DATEADD(t, 0, "h")', { t: '2024-05-01 08:00' }, 'Asia/Shanghai')).toBe(
      '2024-05-01T00:00:00.000Z',
    );
    expect(value('DATEADD(t, 0, "h")', { t: '2024-05-01T08:00:00+08:00' }, 'UTC')).toBe(
      '2024-05-01T00:00:00.000Z',
    );
  });

  it('subtracts dates to days and adds days to dates', () => {
    expect(value('end - start', { start: '2024-02-28', end: '2024-03-01' })).toBe(2);
    expect(value('start + 3', { start: '2024-02-28' })).toBe('2024-03-02');
    expect(value('3 + start', { start: '2024-02-28' })).toBe('2024-03-02');
    expect(value('start - 1', { start: '2024-03-01' })).toBe('2024-02-29');
    expect(value('due - TODAY()', { due: '2024-05-12' })).toBe(10);
    expect(value('b - a', { a: '2024-05-01T00:00:00Z', b: '2024-05-01T12:00:00Z' })).toBe(0.5);
    expect(errorOf('1 - d', { d: '2024-01-01' })).toBe('INVALID_ARGUMENT');
    expect(errorOf('d + d', { d: '2024-01-01' })).toBe('INVALID_ARGUMENT');
    expect(errorOf('d + 5000000', { d: '2024-01-01' })).toBe('INVALID_DATE');
  });

  it('compares dates with date text and date-times across forms', () => {
    expect(value('TODAY() > d', { d: '2024-05-01' })).toBe(true);
    expect(value('TODAY() = d', { d: '2024-05-02' })).toBe(true);
    expect(value('d < NOW()', { d: '2024-05-01T16:00:00Z' })).toBe(true);
    expect(value('TODAY() > "not a date"')).toBe(false);
    expect(value('a < b', { a: '2024-01-09', b: '2024-01-10' })).toBe(true);
  });
});

describe('evaluation safety', () => {
  it('answers an unknown function, a wrong argument count and a malformed node with error codes', () => {
    expect(errorOf('FOO(1)')).toBe('UNKNOWN_FUNCTION');
    expect(errorOf('ROUND()')).toBe('WRONG_ARITY');
    expect(errorOf('IFS(TRUE, 1, FALSE)')).toBe('WRONG_ARITY');
    const bad = { kind: 'weird', pos: 0 } as unknown as Parameters<typeof evaluateFormula>[0];
    expect(evaluateFormula(bad, context())).toMatchObject({ ok: false });
  });

  it('refuses an unknown time zone or an invalid clock', () => {
    const p = parseFormula('TODAY()');
    if (!p.ok) throw new Error('parse');
    expect(evaluateFormula(p.ast, context({}, 'Mars/Olympus'))).toMatchObject({
      ok: false,
      code: 'INVALID_TIME_ZONE',
    });
    expect(evaluateFormula(p.ast, context({}, 'UTC', new Date(Number.NaN)))).toMatchObject({ ok: false });
  });

  it('survives a context whose get throws', () => {
    const p = parseFormula('a + 1');
    if (!p.ok) throw new Error('parse');
    const ctx = {
      get: () => {
        throw new Error('boom');
      },
      now: NOW,
      timeZone: 'UTC',
    };
    expect(evaluateFormula(p.ast, ctx)).toMatchObject({ ok: false, code: 'EVALUATION_FAILED' });
  });

  it('evaluates the longest possible left-deep chain', () => {
    expect(value(`1${'+1'.repeat(1999)}`)).toBe(2000);
  });

  it('stops text that grows without bound', () => {
    const src = `SUBSTITUTE(${'SUBSTITUTE('.repeat(10)}a, "x", a)${', "x", a)'.repeat(10)}`;
    expect(errorOf(src, { a: 'x'.repeat(100) })).toBe('TOO_COMPLEX');
  });

  it('does not read inherited properties as fields', () => {
    expect(value('ISEMPTY(constructor)')).toBe(true);
  });
});

describe('number literals', () => {
  it('reads a 200-digit literal and an overflowing one as NUMBER_OVERFLOW', () => {
    expect(value(`${'1'.repeat(200)} > 1e198`)).toBe(true);
    expect(value(`${'1'.repeat(200)} - 1e199`)).toBeCloseTo(1.111e198, -195);
    expect(errorOf('9e999999')).toBe('NUMBER_OVERFLOW');
    expect(value('1e-999999')).toBe(0);
  });
});
