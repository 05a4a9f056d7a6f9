import { describe, expect, it } from 'vitest';
import { FORMULA_FUNCTIONS, getFormulaFunction } from './catalogue.js';
import { parseFormula } from './parser.js';
import { errorOf, run, value } from './test-helpers.js';

const items = [
  { qty: 2, price: 10.5, amount: 21, note: 'a', due: '2024-03-01' },
  { qty: null, price: 3, amount: null, note: '', due: '2024-01-15' },
  { qty: 3, price: 0.1, amount: 0.3, note: 'b', due: null },
];

describe('catalogue', () => {
  it('describes every function in both languages with an example that parses and a matching arity', () => {
    expect(FORMULA_FUNCTIONS.length).toBeGreaterThanOrEqual(43);
    for (const f of FORMULA_FUNCTIONS) {
      expect(f.description['zh-CN'].length, f.name).toBeGreaterThan(0);
      expect(f.description.en.length, f.name).toBeGreaterThan(0);
      const p = parseFormula(f.example);
      expect(p.ok, `${f.name}: ${f.example}`).toBe(true);
      expect(f.syntax.startsWith(`${f.name}(`)).toBe(true);
      expect(f.example.toUpperCase()).toContain(f.name);
    }
  });

  it('covers every function the product promises', () => {
    const names = new Set(FORMULA_FUNCTIONS.map((f) => f.name));
    for (const n of 'IF IFS AND OR NOT SUM AVERAGE MIN MAX COUNT ROUND ROUNDUP ROUNDDOWN INT MOD ABS POWER CONCATENATE TEXT LEN LEFT RIGHT MID UPPER LOWER TRIM SUBSTITUTE CONTAINS SEARCH VALUE TODAY NOW DATE DATEDIF DATEADD YEAR MONTH DAY WEEKDAY ISEMPTY ISNOTEMPTY SUMPRODUCT'.split(
      ' ',
    )) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('finds functions case-insensitively', () => {
    expect(getFormulaFunction('sum')?.name).toBe('SUM');
    expect(getFormulaFunction('nope')).toBeUndefined();
  });
});

describe('logic', () => {
  it('IF picks a branch, evaluates only that branch, and defaults to empty', () => {
    expect(value('IF(a > 1, "big", "small")', { a: 2 })).toBe('big');
    expect(value('IF(a > 1, "big", "small")', { a: null })).toBe('small');
    expect(value('IF(FALSE, 1)')).toBe(null);
    expect(value('IF(TRUE, 1, 1 / 0)')).toBe(1);
    expect(value('IF("", 1, 2)')).toBe(2);
  });

  it('IFS returns the first true branch, or empty', () => {
    const f = 'IFS(s >= 90, "A", s >= 60, "B", TRUE, "C")';
    expect(value(f, { s: 95 })).toBe('A');
    expect(value(f, { s: 60 })).toBe('B');
    expect(value(f, { s: null })).toBe('C');
    expect(value('IFS(FALSE, 1)')).toBe(null);
  });

  it('AND, OR and NOT treat null as false and stop early', () => {
    expect(value('AND(TRUE, 1, "x")')).toBe(true);
    expect(value('AND(TRUE, a)', { a: null })).toBe(false);
    expect(value('AND(FALSE, 1 / 0)')).toBe(false);
    expect(value('OR(FALSE, a)', { a: 0 })).toBe(false);
    expect(value('OR(FALSE, 1)')).toBe(true);
    expect(value('OR(TRUE, 1 / 0)')).toBe(true);
    expect(value('NOT(a)', { a: null })).toBe(true);
    expect(value('NOT(1)')).toBe(false);
  });

  it('IFERROR replaces an error value, and passes other values through', () => {
    expect(value('IFERROR(1 / 0, 0)')).toBe(0);
    expect(value('IFERROR(4 / 2, 0)')).toBe(2);
    expect(value('IFERROR(VALUE("x"), -1)')).toBe(-1);
  });
});

describe('aggregates', () => {
  it('SUM adds arguments and subform columns, ignoring blanks', () => {
    expect(value('SUM(1, 2, 3)')).toBe(6);
    expect(value('SUM(items.amount)', { items })).toBe(21.3);
    expect(value('SUM(items.amount, 0.7)', { items })).toBe(22);
    expect(value('SUM(items.amount)', { items: [] })).toBe(0);
    expect(value('SUM(a)', { a: null })).toBe(0);
    expect(value('SUM(items.note)', { items })).toBe(0);
    expect(errorOf('SUM("abc")')).toBe('INVALID_ARGUMENT');
  });

  it('AVERAGE ignores blanks and is DIV_ZERO over nothing', () => {
    expect(value('AVERAGE(items.qty)', { items })).toBe(2.5);
    expect(value('AVERAGE(1, 2)')).toBe(1.5);
    expect(errorOf('AVERAGE(items.qty)', { items: [] })).toBe('DIV_ZERO');
    expect(errorOf('AVERAGE(a)', { a: null })).toBe('DIV_ZERO');
  });

  it('MIN and MAX over numbers, and over dates when every value is a date', () => {
    expect(value('MIN(items.price)', { items })).toBe(0.1);
    expect(value('MAX(items.price)', { items })).toBe(10.5);
    expect(value('MAX(3, 7, -1)')).toBe(7);
    expect(value('MIN(items.qty)', { items: [] })).toBe(0);
    expect(value('MAX(items.due)', { items })).toBe('2024-03-01');
    expect(value('MIN(items.due)', { items })).toBe('2024-01-15');
    expect(value('MAX(TODAY(), "2030-01-01")')).toBe('2030-01-01');
    expect(errorOf('MIN("abc", 1)')).toBe('INVALID_ARGUMENT');
  });

  it('COUNT counts non-empty values, and rows of a subform', () => {
    expect(value('COUNT(items)', { items })).toBe(3);
    expect(value('COUNT(items.qty)', { items })).toBe(2);
    expect(value('COUNT(items.note)', { items })).toBe(2);
    expect(value('COUNT(1, NULL, "")')).toBe(1);
    expect(value('COUNT(items)', { items: null })).toBe(0);
  });

  it('SUMPRODUCT multiplies columns row by row, blanks as 0', () => {
    expect(value('SUMPRODUCT(items.qty, items.price)', { items })).toBe(21.3);
    expect(value('SUMPRODUCT(a, b)', { a: [1, 2], b: [3, 4] })).toBe(11);
    expect(value('SUMPRODUCT(a)', { a: [1, 2] })).toBe(3);
    expect(errorOf('SUMPRODUCT(a, b)', { a: [1, 2], b: [3] })).toBe('INVALID_ARGUMENT');
  });
});

describe('math', () => {
  it('ROUND rounds half up (away from zero), to negative places too', () => {
    expect(value('ROUND(2.5)')).toBe(3);
    expect(value('ROUND(-2.5)')).toBe(-3);
    expect(value('ROUND(1.005, 2)')).toBe(1.01);
    expect(value('ROUND(1234, -2)')).toBe(1200);
    expect(value('ROUND(a, 2)', { a: null })).toBe(null);
    expect(errorOf('ROUND("x", 2)')).toBe('INVALID_ARGUMENT');
    expect(errorOf('ROUND(1, 1000)')).toBe('INVALID_ARGUMENT');
  });

  it('ROUNDUP goes away from zero and ROUNDDOWN toward zero', () => {
    expect(value('ROUNDUP(3.141, 2)')).toBe(3.15);
    expect(value('ROUNDUP(-3.141, 2)')).toBe(-3.15);
    expect(value('ROUNDDOWN(3.149, 2)')).toBe(3.14);
    expect(value('ROUNDDOWN(-3.149, 2)')).toBe(-3.14);
    expect(value('ROUNDUP(2.1)')).toBe(3);
  });

  it('INT floors toward minus infinity', () => {
    expect(value('INT(2.7)')).toBe(2);
    expect(value('INT(-2.5)')).toBe(-3);
    expect(value('INT(-2)')).toBe(-2);
    expect(value('INT(a)', { a: null })).toBe(null);
  });

  it('MOD takes the sign of the divisor and refuses zero', () => {
    expect(value('MOD(10, 3)')).toBe(1);
    expect(value('MOD(-3, 2)')).toBe(1);
    expect(value('MOD(3, -2)')).toBe(-1);
    expect(errorOf('MOD(1, 0)')).toBe('DIV_ZERO');
  });

  it('ABS, POWER and VALUE', () => {
    expect(value('ABS(-5.5)')).toBe(5.5);
    expect(value('ABS(a)', { a: null })).toBe(null);
    expect(value('POWER(2, 10)')).toBe(1024);
    expect(value('POWER(1.1, 2)')).toBe(1.21);
    expect(value('VALUE("1,234.5")')).toBe(1234.5);
    expect(value('VALUE("¥ 12")')).toBe(12);
    expect(value('VALUE("12.5%")')).toBe(0.125);
    expect(value('VALUE("")')).toBe(null);
    expect(value('VALUE(TRUE)')).toBe(1);
    expect(errorOf('VALUE("12abc")')).toBe('INVALID_ARGUMENT');
    expect(errorOf('ABS("x")')).toBe('INVALID_ARGUMENT');
  });
});

describe('text functions', () => {
  it('CONCATENATE joins anything as text', () => {
    expect(value('CONCATENATE(a, "-", b)', { a: '张三', b: 138 })).toBe('张三-138');
    expect(value('CONCATENATE(a, "x")', { a: null })).toBe('x');
  });

  it('TEXT formats numbers', () => {
    expect(value('TEXT(3.14159, "0.00")')).toBe('3.14');
    expect(value('TEXT(1234567.891, "#,##0.00")')).toBe('1,234,567.89');
    expect(value('TEXT(0.256, "0.0%")')).toBe('25.6%');
    expect(value('TEXT(5, "000")')).toBe('005');
    expect(value('TEXT(-1234.5, "¥#,##0.00")')).toBe('-¥1,234.50');
    expect(value('TEXT(12.5, "0.##元")')).toBe('12.5元');
    expect(value('TEXT(2.5, "0")')).toBe('3');
    expect(value('TEXT("1234.5", "#,##0")')).toBe('1,235');
    expect(value('TEXT(1.5)')).toBe('1.5');
    expect(value('TEXT(a, "0.00")', { a: null })).toBe('');
  });

  it('TEXT formats dates and date-times in the user zone', () => {
    expect(value('TEXT(d, "yyyy-MM-dd")', { d: '2024-03-05' })).toBe('2024-03-05');
    expect(value('TEXT(d, "yyyy年M月d日")', { d: '2024-03-05' })).toBe('2024年3月5日');
    expect(value('TEXT(d, "YYYY/MM/DD")', { d: '2024-03-05' })).toBe('2024/03/05');
    expect(value('TEXT(t, "yyyy-MM-dd HH:mm:ss")', { t: '2024-05-01T16:30:05Z' })).toBe(
      '2024-05-02 00:30:05',
    );
    expect(value('TEXT(t, "yyyy-MM-dd HH:mm")', { t: '2024-05-01T16:30:05Z' }, 'UTC')).toBe(
      '2024-05-01 16:30',
    );
    expect(value('TEXT(t, "hh:mm")', { t: '2024-05-01T13:05:00Z' }, 'UTC')).toBe('01:05');
    expect(value('TEXT(TODAY(), "yy.M.d")')).toBe('24.5.2');
  });

  it('LEN, LEFT, RIGHT and MID count characters, not UTF-16 units', () => {
    expect(value('LEN("客户😀")')).toBe(3);
    expect(value('LEN(a)', { a: null })).toBe(0);
    expect(value('LEFT("张三丰", 2)')).toBe('张三');
    expect(value('LEFT("abc")')).toBe('a');
    expect(value('RIGHT("13800138000", 4)')).toBe('8000');
    expect(value('RIGHT("abc", 0)')).toBe('');
    expect(value('RIGHT("abc", 10)')).toBe('abc');
    expect(value('MID("110105199001011234", 7, 8)')).toBe('19900101');
    expect(value('MID("😀ab", 2, 5)')).toBe('ab');
    expect(errorOf('LEFT("abc", -1)')).toBe('INVALID_ARGUMENT');
    expect(errorOf('MID("abc", 0, 1)')).toBe('INVALID_ARGUMENT');
    expect(errorOf('LEFT("abc", "x")')).toBe('INVALID_ARGUMENT');
  });

  it('UPPER, LOWER and TRIM', () => {
    expect(value('UPPER("abc")')).toBe('ABC');
    expect(value('LOWER("ABC")')).toBe('abc');
    expect(value('TRIM("  a   b  ")')).toBe('a b');
    expect(value('UPPER(a)', { a: null })).toBe('');
  });

  it('SUBSTITUTE replaces every occurrence, or only the nth', () => {
    expect(value('SUBSTITUTE("138-0013-8000", "-", "")')).toBe('13800138000');
    expect(value('SUBSTITUTE("a-b-c", "-", "+", 2)')).toBe('a-b+c');
    expect(value('SUBSTITUTE("a-b", "-", "+", 5)')).toBe('a-b');
    expect(value('SUBSTITUTE("abc", "", "x")')).toBe('abc');
    expect(errorOf('SUBSTITUTE("abc", "a", "b", 0)')).toBe('INVALID_ARGUMENT');
  });

  it('CONTAINS searches text case-insensitively and lists by item', () => {
    expect(value('CONTAINS("Hello World", "world")')).toBe(true);
    expect(value('CONTAINS("Hello", "x")')).toBe(false);
    expect(value('CONTAINS(tags, "VIP")', { tags: ['VIP', '老客户'] })).toBe(true);
    expect(value('CONTAINS(tags, "VI")', { tags: ['VIP'] })).toBe(false);
    expect(value('CONTAINS(a, "x")', { a: null })).toBe(false);
  });

  it('SEARCH gives a 1-based position, or 0 when absent', () => {
    expect(value('SEARCH("@", "bob@example.com")')).toBe(4);
    expect(value('SEARCH("B", "abcb", 3)')).toBe(4);
    expect(value('SEARCH("z", "abc")')).toBe(0);
    expect(value('SEARCH("", "abc")')).toBe(1);
    expect(errorOf('SEARCH("a", "abc", 0)')).toBe('INVALID_ARGUMENT');
  });
});

describe('date functions', () => {
  it('TODAY and NOW follow the context clock and zone', () => {
    expect(value('TODAY()', {}, 'Asia/Shanghai')).toBe('2024-05-02');
    expect(value('TODAY()', {}, 'UTC')).toBe('2024-05-01');
    expect(value('NOW()', {}, 'UTC', new Date('2030-01-01T00:00:00Z'))).toBe('2030-01-01T00:00:00.000Z');
  });

  it('DATE builds dates and rolls over months and days like Excel', () => {
    expect(value('DATE(2024, 2, 29)')).toBe('2024-02-29');
    expect(value('DATE(2024, 13, 1)')).toBe('2025-01-01');
    expect(value('DATE(2024, 3, 0)')).toBe('2024-02-29');
    expect(value('DATE(2023, 2, 29)')).toBe('2023-03-01');
    expect(errorOf('DATE(0, 1, 1)')).toBe('INVALID_DATE');
    expect(errorOf('DATE(9999, 12, 32)')).toBe('INVALID_DATE');
    expect(errorOf('DATE("x", 1, 1)')).toBe('INVALID_ARGUMENT');
  });

  it('DATEDIF counts days, whole months, whole years and hours, negative when reversed', () => {
    expect(value('DATEDIF("2024-01-01", "2024-03-01", "d")')).toBe(60);
    expect(value('DATEDIF("2024-01-31", "2024-02-29", "m")')).toBe(0);
    expect(value('DATEDIF("2024-01-31", "2024-03-31", "M")')).toBe(2);
    expect(value('DATEDIF("2020-02-29", "2024-02-28", "y")')).toBe(3);
    expect(value('DATEDIF("2020-02-29", "2024-02-29", "y")')).toBe(4);
    expect(value('DATEDIF("2024-03-01", "2024-01-01", "d")')).toBe(-60);
    expect(value('DATEDIF("2024-03-31", "2024-01-31", "m")')).toBe(-2);
    expect(value('DATEDIF("2024-05-01T00:00:00Z", "2024-05-02T06:00:00Z", "h")')).toBe(30);
    expect(value('DATEDIF(a, TODAY(), "d")', { a: null })).toBe(null);
    expect(errorOf('DATEDIF("2024-01-01", "2024-02-01", "w")')).toBe('INVALID_ARGUMENT');
    expect(errorOf('DATEDIF("soon", "2024-02-01", "d")')).toBe('INVALID_ARGUMENT');
  });

  it('DATEDIF of date-times counts calendar days in the user zone', () => {
    const d = { a: '2024-05-01T15:00:00Z', b: '2024-05-01T17:00:00Z' };
    expect(value('DATEDIF(a, b, "d")', d, 'Asia/Shanghai')).toBe(1);
    expect(value('DATEDIF(a, b, "d")', d, 'UTC')).toBe(0);
  });

  it('DATEADD adds days, months (clamped at month end), years and hours', () => {
    expect(value('DATEADD("2024-01-31", 1, "m")')).toBe('2024-02-29');
    expect(value('DATEADD("2024-02-29", 1, "y")')).toBe('2025-02-28');
    expect(value('DATEADD("2024-12-30", 5, "d")')).toBe('2025-01-04');
    expect(value('DATEADD("2024-03-01", -1, "d")')).toBe('2024-02-29');
    expect(value('DATEADD("2024-05-01", 2, "h")', {}, 'Asia/Shanghai')).toBe('2024-04-30T18:00:00.000Z');
    expect(value('DATEADD("2024-05-01T10:00:00Z", 1, "m")', {}, 'UTC')).toBe('2024-06-01T10:00:00.000Z');
    expect(value('DATEADD(a, 1, "d")', { a: null })).toBe(null);
    expect(errorOf('DATEADD("2024-01-01", 1, "q")')).toBe('INVALID_ARGUMENT');
    expect(errorOf('DATEADD("9999-12-31", 1, "d")')).toBe('INVALID_DATE');
  });

  it('DATEADD keeps the wall-clock time across a daylight-saving change', () => {
    // 2024-03-10 is the US spring-forward day: 09:00 local stays 09:00 local.
    expect(value('DATEADD("2024-03-09T14:00:00Z", 1, "d")', {}, 'America/New_York')).toBe(
      '2024-03-10T13:00:00.000Z',
    );
  });

  it('YEAR, MONTH, DAY of dates, and empty for empty', () => {
    expect(value('YEAR("2024-05-06")')).toBe(2024);
    expect(value('MONTH("2024-05-06")')).toBe(5);
    expect(value('DAY("2024-05-06")')).toBe(6);
    expect(value('YEAR(a)', { a: null })).toBe(null);
    expect(errorOf('MONTH("May")')).toBe('INVALID_ARGUMENT');
    expect(errorOf('DAY(5)')).toBe('INVALID_ARGUMENT');
    expect(errorOf('YEAR("2023-02-29")')).toBe('INVALID_ARGUMENT');
  });

  it('WEEKDAY numbers the days the Excel ways', () => {
    // 2024-05-05 is a Sunday, 2024-05-06 a Monday.
    expect(value('WEEKDAY("2024-05-05")')).toBe(1);
    expect(value('WEEKDAY("2024-05-06")')).toBe(2);
    expect(value('WEEKDAY("2024-05-05", 2)')).toBe(7);
    expect(value('WEEKDAY("2024-05-06", 2)')).toBe(1);
    expect(value('WEEKDAY("2024-05-06", 3)')).toBe(0);
    expect(value('WEEKDAY(a)', { a: null })).toBe(null);
    expect(errorOf('WEEKDAY("2024-05-06", 4)')).toBe('INVALID_ARGUMENT');
  });
});

describe('info', () => {
  it('ISEMPTY and ISNOTEMPTY treat null, blank text and [] as empty', () => {
    expect(value('ISEMPTY(a)', { a: null })).toBe(true);
    expect(value('ISEMPTY(a)', { a: '  ' })).toBe(true);
    expect(value('ISEMPTY(a)', { a: [] })).toBe(true);
    expect(value('ISEMPTY(a)', { a: 0 })).toBe(false);
    expect(value('ISEMPTY(a)', { a: false })).toBe(false);
    expect(value('ISNOTEMPTY(a)', { a: 'x' })).toBe(true);
    expect(value('NOT(ISEMPTY(a))', { a: 'x' })).toBe(true);
  });

  it('reads an object value (a member, an attachment) by its name', () => {
    expect(value('"owner: " & o', { o: { id: 'u1', name: '李四' } })).toBe('owner: 李四');
    expect(value('ISEMPTY(o)', { o: { id: 'u1' } })).toBe(false);
  });
});

describe('arity at run time', () => {
  it('answers WRONG_ARITY for every function called with too many arguments', () => {
    for (const f of FORMULA_FUNCTIONS) {
      if (f.arity.max === null) continue;
      const args = Array.from({ length: f.arity.max + 1 }, () => '1').join(', ');
      expect(run(`${f.name}(${args})`), f.name).toEqual({ error: 'WRONG_ARITY' });
    }
  });
});
