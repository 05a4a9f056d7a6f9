import Big from 'big.js';
import { isoWeekday, zonedParts } from '../calendar.js';
import type { Message } from '../types.js';
import type { FormulaAst } from './ast.js';
import {
  checkText,
  compareValues,
  dateLike,
  flatten,
  isEmptyVal,
  MAX_TEXT,
  toBool,
  toDate,
  toDecimal,
  toInt,
  toText,
} from './coerce.js';
import { formatDateValue, formatNumber, isDateFormat } from './format.js';
import {
  addCivilDays,
  addMonths,
  bound,
  checkDateRange,
  civilDate,
  type DateTimeVal,
  type DateVal,
  Dec,
  type Decimal,
  dateTimeVal,
  dateVal,
  dayNumber,
  decimalFromNumber,
  decimalFromText,
  FormulaError,
  formulaError,
  instantOf,
  isDate,
  isDateTime,
  isDecimal,
  type Val,
  zonedToUtc,
} from './values.js';

export type FormulaFunctionCategory = 'logic' | 'math' | 'aggregate' | 'text' | 'date' | 'info';

/** One entry of the function catalogue (for a formula editor and for checking definitions). */
export interface FormulaFunctionInfo {
  name: string;
  category: FormulaFunctionCategory;
  /** Accepted argument counts; `max: null` = any number. */
  arity: { min: number; max: number | null };
  /** `ROUND(number, [digits])` */
  syntax: string;
  description: Message;
  example: string;
}

/** What a function implementation can use while it runs. */
export interface FormulaEnv {
  readonly timeZone: string;
  readonly now: Date;
  eval(node: FormulaAst): Val;
}

type Impl = (args: FormulaAst[], env: FormulaEnv) => Val;

const catalogue: FormulaFunctionInfo[] = [];
const impls = new Map<string, Impl>();

function def(
  name: string,
  category: FormulaFunctionCategory,
  arity: [number, number | null],
  syntax: string,
  zh: string,
  en: string,
  example: string,
  impl: Impl,
): void {
  catalogue.push({
    name,
    category,
    arity: { min: arity[0], max: arity[1] },
    syntax,
    description: { 'zh-CN': zh, en },
    example,
  });
  impls.set(name, impl);
}

/** An implementation that needs every argument evaluated first. */
const eager =
  (fn: (vals: Val[], env: FormulaEnv) => Val): Impl =>
  (args, env) =>
    fn(
      args.map((a) => env.eval(a)),
      env,
    );

const arg = (vals: Val[], i: number): Val => vals[i] ?? null;

function invalid(fn: string, zh: string, en: string): FormulaError {
  return formulaError('INVALID_ARGUMENT', `${fn}：${zh}`, `${fn}: ${en}`);
}

const divZero = (): FormulaError => formulaError('DIV_ZERO', '除数为 0', 'Division by zero');

// ---------------------------------------------------------------------------------------------
// Numeric helpers shared with the operators

export function add(a: Decimal, b: Decimal): Decimal {
  return bound(a.plus(b));
}
export function sub(a: Decimal, b: Decimal): Decimal {
  return bound(a.minus(b));
}
export function mul(a: Decimal, b: Decimal): Decimal {
  return bound(a.times(b));
}
export function div(a: Decimal, b: Decimal): Decimal {
  if (b.eq(0)) throw divZero();
  return bound(a.div(b));
}
/** Excel's MOD: the result has the sign of the divisor (`MOD(-3, 2)` = 1). */
export function mod(a: Decimal, b: Decimal): Decimal {
  if (b.eq(0)) throw divZero();
  let r = a.mod(b);
  if (!r.eq(0) && r.lt(0) !== b.lt(0)) r = r.plus(b);
  return bound(r);
}
/** Exact for whole exponents of reasonable size, floating point otherwise. */
export function power(a: Decimal, b: Decimal): Decimal {
  const bn = Number(b.toString());
  if (a.eq(0) && bn < 0) throw divZero();
  if (b.eq(b.round(0, Big.roundDown)) && Math.abs(bn) <= 1000) {
    if (a.eq(0)) return bn === 0 ? new Dec(1) : new Dec(0);
    const magnitude = Math.abs((a.e + 1) * bn);
    if (a.c.length * Math.abs(bn) <= 2000 && magnitude <= 400) return bound(a.pow(bn));
  }
  const r = Number(a.toString()) ** bn;
  if (Number.isNaN(r))
    throw invalid('POWER', '负数不能开非整数次方', 'a negative number has no fractional power');
  if (!Number.isFinite(r)) {
    throw formulaError('NUMBER_OVERFLOW', '计算结果超出数值范围', 'The result is too large to be a number');
  }
  return decimalFromNumber(r) ?? new Dec(0);
}

function roundTo(fn: string, vals: Val[], mode: 0 | 1 | 3): Val {
  const x = arg(vals, 0);
  if (x === null) return null;
  const n = toDecimal(x, fn);
  const digits = vals.length > 1 ? toInt(arg(vals, 1), fn) : 0;
  if (Math.abs(digits) > 300) throw invalid(fn, '小数位数超出范围', 'the number of digits is out of range');
  // big.js: 0 = down (toward zero), 1 = half up, 3 = up (away from zero)
  return bound(n.round(digits, mode));
}

// ---------------------------------------------------------------------------------------------
// Aggregates

/**
 * The numbers of an aggregate's arguments. Lists (subform columns, multi-value fields) are flattened and
 * their blanks and non-numeric entries skipped; a blank argument is skipped; other arguments must be numbers.
 */
function numbers(fn: string, vals: Val[]): Decimal[] {
  const out: Decimal[] = [];
  for (const v of vals) {
    if (Array.isArray(v)) {
      for (const x of flatten(v)) {
        if (isDecimal(x)) out.push(x);
        else if (typeof x === 'string') {
          const n = decimalFromText(x);
          if (n) out.push(n);
        }
      }
    } else if (!isEmptyVal(v)) {
      out.push(toDecimal(v, fn));
    }
  }
  return out;
}

/** MIN/MAX of dates when every non-empty argument is a date (or date text), otherwise of numbers. */
function extreme(fn: 'MIN' | 'MAX', vals: Val[], env: FormulaEnv): Val {
  const items = flatten(vals).filter((v) => !isEmptyVal(v));
  const dates = items.map((v) =>
    isDecimal(v) || typeof v === 'boolean' ? undefined : dateLike(v, env.timeZone),
  );
  if (items.length > 0 && dates.every((d) => d !== undefined)) {
    let best = 0;
    for (let i = 1; i < items.length; i++) {
      const c = compareValues(dates[i] ?? null, dates[best] ?? null, env.timeZone) ?? 0;
      if (fn === 'MIN' ? c < 0 : c > 0) best = i;
    }
    return dates[best] ?? null;
  }
  const ns = numbers(fn, vals);
  if (ns.length === 0) return new Dec(0);
  return ns.reduce((a, b) => (fn === 'MIN' ? (b.lt(a) ? b : a) : b.gt(a) ? b : a));
}

// ---------------------------------------------------------------------------------------------
// Text helpers

const chars = (s: string): string[] => Array.from(s);

function textArg(vals: Val[], i: number, env: FormulaEnv): string {
  return toText(arg(vals, i), env.timeZone);
}

function countArg(fn: string, vals: Val[], i: number, fallback: number): number {
  if (vals.length <= i || arg(vals, i) === null) return fallback;
  const n = toInt(arg(vals, i), fn);
  if (n < 0) throw invalid(fn, '字符数不能为负数', 'the number of characters cannot be negative');
  return n;
}

// ---------------------------------------------------------------------------------------------
// Date helpers

function dateArg(fn: string, vals: Val[], i: number, env: FormulaEnv): DateVal | DateTimeVal | null {
  return toDate(arg(vals, i), fn, env.timeZone);
}

function unitArg(fn: string, vals: Val[], i: number, env: FormulaEnv, allowed: string[]): string {
  const u = textArg(vals, i, env).trim().toLowerCase();
  if (!allowed.includes(u)) {
    throw invalid(
      fn,
      `单位必须是 ${allowed.join('、')} 之一`,
      `the unit must be one of ${allowed.join(', ')}`,
    );
  }
  return u;
}

function monthsBetween(a: DateVal, b: DateVal): number {
  // a <= b
  let months = (b.y - a.y) * 12 + (b.m - a.m);
  if (b.d < a.d) months--;
  return months;
}

// ---------------------------------------------------------------------------------------------
// The catalogue

// Logic
def(
  'IF',
  'logic',
  [2, 3],
  'IF(condition, then, [else])',
  '条件为真时返回第二个参数，否则返回第三个（省略时为空）',
  'Returns the second argument when the condition is true, else the third (empty when omitted)',
  'IF(amount > 10000, "大单", "普通")',
  (args, env) => {
    const [c, a, b] = args;
    if (!c || !a) return null;
    if (toBool(env.eval(c))) return env.eval(a);
    return b ? env.eval(b) : null;
  },
);
def(
  'IFS',
  'logic',
  [2, null],
  'IFS(condition1, value1, [condition2, value2], …)',
  '返回第一个为真的条件对应的值；都不成立时为空',
  'Returns the value of the first true condition; empty when none is true',
  'IFS(score >= 90, "A", score >= 60, "B", TRUE, "C")',
  (args, env) => {
    if (args.length % 2 !== 0)
      throw invalid('IFS', '条件和值必须成对出现', 'conditions and values must come in pairs');
    for (let i = 0; i + 1 < args.length; i += 2) {
      if (toBool(env.eval(args[i] as FormulaAst))) return env.eval(args[i + 1] as FormulaAst);
    }
    return null;
  },
);
def(
  'AND',
  'logic',
  [1, null],
  'AND(condition1, [condition2], …)',
  '所有条件都为真时为 TRUE（也可写作 &&）',
  'TRUE when every condition is true (also written &&)',
  'AND(qty > 0, price > 0)',
  (args, env) => {
    for (const a of args) if (!toBool(env.eval(a))) return false;
    return true;
  },
);
def(
  'OR',
  'logic',
  [1, null],
  'OR(condition1, [condition2], …)',
  '任一条件为真时为 TRUE（也可写作 ||）',
  'TRUE when any condition is true (also written ||)',
  'OR(grade = "A", amount > 10000)',
  (args, env) => {
    for (const a of args) if (toBool(env.eval(a))) return true;
    return false;
  },
);
def(
  'NOT',
  'logic',
  [1, 1],
  'NOT(condition)',
  '条件取反（也可写作 !）',
  'The opposite of the condition (also written !)',
  'NOT(ISEMPTY(phone))',
  eager((v) => !toBool(arg(v, 0))),
);
def(
  'IFERROR',
  'logic',
  [2, 2],
  'IFERROR(value, fallback)',
  '第一个参数计算出错（如除数为 0）时返回第二个参数',
  'Returns the fallback when the value is an error (such as division by zero)',
  'IFERROR(profit / revenue, 0)',
  (args, env) => {
    try {
      return env.eval(args[0] as FormulaAst);
    } catch (e) {
      if (e instanceof FormulaError) return env.eval(args[1] as FormulaAst);
      throw e;
    }
  },
);

// Aggregates
def(
  'SUM',
  'aggregate',
  [1, null],
  'SUM(number1, [number2], …)',
  '求和；可对子表单列求和，空值忽略',
  'The sum; works on a subform column; blanks are ignored',
  'SUM(items.amount)',
  eager((v) => numbers('SUM', v).reduce(add, new Dec(0))),
);
def(
  'AVERAGE',
  'aggregate',
  [1, null],
  'AVERAGE(number1, [number2], …)',
  '平均值，空值不计入',
  'The average, ignoring blanks',
  'AVERAGE(items.price)',
  eager((v) => {
    const ns = numbers('AVERAGE', v);
    if (ns.length === 0) throw divZero();
    return div(ns.reduce(add, new Dec(0)), new Dec(ns.length));
  }),
);
def(
  'MIN',
  'aggregate',
  [1, null],
  'MIN(value1, [value2], …)',
  '最小值（数字或日期），空值忽略',
  'The smallest value (numbers or dates), ignoring blanks',
  'MIN(items.price)',
  eager((v, env) => extreme('MIN', v, env)),
);
def(
  'MAX',
  'aggregate',
  [1, null],
  'MAX(value1, [value2], …)',
  '最大值（数字或日期），空值忽略',
  'The largest value (numbers or dates), ignoring blanks',
  'MAX(items.deliveryDate)',
  eager((v, env) => extreme('MAX', v, env)),
);
def(
  'COUNT',
  'aggregate',
  [1, null],
  'COUNT(value1, [value2], …)',
  '非空值的个数；COUNT(子表单) 为行数',
  'The number of non-empty values; COUNT(subform) is its number of rows',
  'COUNT(items)',
  eager((v) => new Dec(flatten(v).filter((x) => !isEmptyVal(x)).length)),
);
def(
  'SUMPRODUCT',
  'aggregate',
  [1, null],
  'SUMPRODUCT(list1, [list2], …)',
  '各列表对应项相乘后求和，列表长度必须相同',
  'Multiplies the lists item by item and sums the products; the lists must be the same length',
  'SUMPRODUCT(items.qty, items.price)',
  eager((v) => {
    const lists = v.map((x) => (Array.isArray(x) ? flatten(x) : [x]));
    const len = lists[0]?.length ?? 0;
    if (lists.some((l) => l.length !== len))
      throw invalid('SUMPRODUCT', '各列表长度必须相同', 'the lists must be the same length');
    let total = new Dec(0);
    for (let i = 0; i < len; i++) {
      let p = new Dec(1);
      for (const l of lists) {
        const x = l[i] ?? null;
        const n = isDecimal(x)
          ? x
          : typeof x === 'string'
            ? decimalFromText(x)
            : typeof x === 'boolean'
              ? new Dec(x ? 1 : 0)
              : undefined;
        p = mul(p, n ?? new Dec(0));
      }
      total = add(total, p);
    }
    return total;
  }),
);

// Math
def(
  'ROUND',
  'math',
  [1, 2],
  'ROUND(number, [digits])',
  '四舍五入到指定小数位数（默认 0）',
  'Rounds half up to the given number of decimal places (default 0)',
  'ROUND(3.14159, 2)',
  eager((v) => roundTo('ROUND', v, 1)),
);
def(
  'ROUNDUP',
  'math',
  [1, 2],
  'ROUNDUP(number, [digits])',
  '向远离 0 的方向舍入',
  'Rounds away from zero',
  'ROUNDUP(3.141, 2)',
  eager((v) => roundTo('ROUNDUP', v, 3)),
);
def(
  'ROUNDDOWN',
  'math',
  [1, 2],
  'ROUNDDOWN(number, [digits])',
  '向 0 的方向舍入（截断）',
  'Rounds toward zero (truncates)',
  'ROUNDDOWN(3.149, 2)',
  eager((v) => roundTo('ROUNDDOWN', v, 0)),
);
def(
  'INT',
  'math',
  [1, 1],
  'INT(number)',
  '向下取整（不大于该数的最大整数）',
  'Rounds down to the nearest integer',
  'INT(-2.5)',
  eager((v) => {
    if (arg(v, 0) === null) return null;
    const n = toDecimal(arg(v, 0), 'INT');
    const t = n.round(0, Big.roundDown);
    return t.gt(n) ? t.minus(1) : t;
  }),
);
def(
  'MOD',
  'math',
  [2, 2],
  'MOD(number, divisor)',
  '余数，符号与除数相同（运算符 % 相同）',
  'The remainder, with the sign of the divisor (same as the % operator)',
  'MOD(10, 3)',
  eager((v) => mod(toDecimal(arg(v, 0), 'MOD'), toDecimal(arg(v, 1), 'MOD'))),
);
def(
  'ABS',
  'math',
  [1, 1],
  'ABS(number)',
  '绝对值',
  'The absolute value',
  'ABS(-5)',
  eager((v) => (arg(v, 0) === null ? null : toDecimal(arg(v, 0), 'ABS').abs())),
);
def(
  'POWER',
  'math',
  [2, 2],
  'POWER(number, exponent)',
  '乘方（运算符 ^ 相同）',
  'Raises to a power (same as the ^ operator)',
  'POWER(2, 10)',
  eager((v) => power(toDecimal(arg(v, 0), 'POWER'), toDecimal(arg(v, 1), 'POWER'))),
);
def(
  'VALUE',
  'math',
  [1, 1],
  'VALUE(text)',
  '把文本转换为数字（支持千分位、货币符号、百分号）',
  'Converts text to a number (thousands separators, currency signs and % allowed)',
  'VALUE("1,234.5")',
  eager((v, env) => {
    const x = arg(v, 0);
    if (isEmptyVal(x)) return null;
    if (isDecimal(x)) return x;
    if (typeof x === 'boolean') return new Dec(x ? 1 : 0);
    const n = decimalFromText(toText(x, env.timeZone));
    if (!n) throw invalid('VALUE', '无法转换为数字', 'the text is not a number');
    return n;
  }),
);

// Text
def(
  'CONCATENATE',
  'text',
  [1, null],
  'CONCATENATE(text1, [text2], …)',
  '连接文本（运算符 & 相同）',
  'Joins texts (same as the & operator)',
  'CONCATENATE(name, "-", phone)',
  eager((v, env) => checkText(v.map((x) => toText(x, env.timeZone)).join(''))),
);
def(
  'TEXT',
  'text',
  [1, 2],
  'TEXT(value, [format])',
  '按格式把数字或日期转为文本，如 "0.00"、"#,##0"、"0%"、"yyyy-MM-dd"',
  'Formats a number or date as text, e.g. "0.00", "#,##0", "0%", "yyyy-MM-dd"',
  'TEXT(signedAt, "yyyy年M月d日")',
  eager((v, env) => {
    const x = arg(v, 0);
    if (v.length < 2) return toText(x, env.timeZone);
    const fmt = textArg(v, 1, env);
    if (x === null) return '';
    if (isDate(x) || isDateTime(x)) return formatDateValue(x, fmt, env.timeZone);
    if (isDecimal(x)) return formatNumber(x, fmt);
    if (typeof x === 'string') {
      const n = decimalFromText(x);
      if (n && !isDateFormat(fmt)) return formatNumber(n, fmt);
      const d = dateLike(x, env.timeZone);
      if (d) return formatDateValue(d, fmt, env.timeZone);
      if (n) return formatNumber(n, fmt);
    }
    return toText(x, env.timeZone);
  }),
);
def(
  'LEN',
  'text',
  [1, 1],
  'LEN(text)',
  '文本的字符数',
  'The number of characters in the text',
  'LEN(phone)',
  eager((v, env) => new Dec(chars(textArg(v, 0, env)).length)),
);
def(
  'LEFT',
  'text',
  [1, 2],
  'LEFT(text, [count])',
  '从左边取指定个数的字符（默认 1）',
  'The first characters of the text (default 1)',
  'LEFT(name, 1)',
  eager((v, env) =>
    chars(textArg(v, 0, env))
      .slice(0, countArg('LEFT', v, 1, 1))
      .join(''),
  ),
);
def(
  'RIGHT',
  'text',
  [1, 2],
  'RIGHT(text, [count])',
  '从右边取指定个数的字符（默认 1）',
  'The last characters of the text (default 1)',
  'RIGHT(phone, 4)',
  eager((v, env) => {
    const n = countArg('RIGHT', v, 1, 1);
    const cs = chars(textArg(v, 0, env));
    return n === 0 ? '' : cs.slice(Math.max(0, cs.length - n)).join('');
  }),
);
def(
  'MID',
  'text',
  [3, 3],
  'MID(text, start, count)',
  '从第 start 个字符起取 count 个字符（从 1 开始计数）',
  'count characters starting at position start (1-based)',
  'MID(idNumber, 7, 8)',
  eager((v, env) => {
    const start = toInt(arg(v, 1), 'MID');
    if (start < 1) throw invalid('MID', '起始位置必须从 1 开始', 'the start position must be at least 1');
    const n = countArg('MID', v, 2, 0);
    return chars(textArg(v, 0, env))
      .slice(start - 1, start - 1 + n)
      .join('');
  }),
);
def(
  'UPPER',
  'text',
  [1, 1],
  'UPPER(text)',
  '转为大写',
  'Converts to upper case',
  'UPPER(code)',
  eager((v, env) => textArg(v, 0, env).toUpperCase()),
);
def(
  'LOWER',
  'text',
  [1, 1],
  'LOWER(text)',
  '转为小写',
  'Converts to lower case',
  'LOWER(email)',
  eager((v, env) => textArg(v, 0, env).toLowerCase()),
);
def(
  'TRIM',
  'text',
  [1, 1],
  'TRIM(text)',
  '去掉首尾空白，并把中间连续空白合并为一个空格',
  'Removes leading and trailing spaces and collapses inner runs of spaces',
  'TRIM(name)',
  eager((v, env) => textArg(v, 0, env).replace(/\s+/gu, ' ').trim()),
);
def(
  'SUBSTITUTE',
  'text',
  [3, 4],
  'SUBSTITUTE(text, old, new, [instance])',
  '把文本中的 old 替换为 new；给出 instance 时只替换第几次出现',
  'Replaces old with new in the text; with instance, only that occurrence',
  'SUBSTITUTE(phone, "-", "")',
  eager((v, env) => {
    const text = textArg(v, 0, env);
    const from = textArg(v, 1, env);
    const to = textArg(v, 2, env);
    if (from === '') return text;
    if (v.length > 3 && arg(v, 3) !== null) {
      const nth = toInt(arg(v, 3), 'SUBSTITUTE');
      if (nth < 1) throw invalid('SUBSTITUTE', '序号必须从 1 开始', 'the instance must be at least 1');
      let at = -1;
      for (let k = 0; k < nth; k++) {
        at = text.indexOf(from, at + 1);
        if (at === -1) return text;
      }
      return text.slice(0, at) + to + text.slice(at + from.length);
    }
    const parts = text.split(from);
    if ((parts.length - 1) * to.length + text.length > MAX_TEXT) {
      throw formulaError('TOO_COMPLEX', '文本结果过长', 'The text result is too long');
    }
    return parts.join(to);
  }),
);
def(
  'CONTAINS',
  'text',
  [2, 2],
  'CONTAINS(textOrList, search)',
  '文本是否包含 search（不区分大小写）；对多选/标签判断是否含有该项',
  'Whether the text contains search (case-insensitive); for multi-select/tags, whether the item is present',
  'CONTAINS(tags, "VIP")',
  eager((v, env) => {
    const hay = arg(v, 0);
    const needle = textArg(v, 1, env);
    if (Array.isArray(hay)) return flatten(hay).some((x) => toText(x, env.timeZone) === needle);
    return toText(hay, env.timeZone).toLowerCase().includes(needle.toLowerCase());
  }),
);
def(
  'SEARCH',
  'text',
  [2, 3],
  'SEARCH(find, text, [start])',
  'find 在文本中第一次出现的位置（从 1 开始，不区分大小写），找不到为 0',
  'The position of find in the text (1-based, case-insensitive); 0 when absent',
  'SEARCH("@", email)',
  eager((v, env) => {
    const find = chars(textArg(v, 0, env).toLowerCase());
    const within = chars(textArg(v, 1, env).toLowerCase());
    const start = v.length > 2 && arg(v, 2) !== null ? toInt(arg(v, 2), 'SEARCH') : 1;
    if (start < 1) throw invalid('SEARCH', '起始位置必须从 1 开始', 'the start position must be at least 1');
    for (let i = start - 1; i + find.length <= within.length; i++) {
      let ok = true;
      for (let k = 0; k < find.length; k++) {
        if (within[i + k] !== find[k]) {
          ok = false;
          break;
        }
      }
      if (ok) return new Dec(i + 1);
    }
    return new Dec(0);
  }),
);

// Date
def(
  'TODAY',
  'date',
  [0, 0],
  'TODAY()',
  '今天的日期（按用户时区）',
  "Today's date (in the user's time zone)",
  'DATEDIF(signedAt, TODAY(), "d")',
  (_a, env) => civilDate(dateTimeVal(env.now.getTime()), env.timeZone),
);
def(
  'NOW',
  'date',
  [0, 0],
  'NOW()',
  '当前日期和时间',
  'The current date and time',
  'DATEADD(NOW(), 2, "h")',
  (_a, env) => dateTimeVal(env.now.getTime()),
);
def(
  'DATE',
  'date',
  [3, 3],
  'DATE(year, month, day)',
  '由年、月、日组成日期；超出的月、日顺延（DATE(2024, 13, 1) = 2025-01-01）',
  'A date from year, month and day; overflowing months and days roll over (DATE(2024, 13, 1) = 2025-01-01)',
  'DATE(2024, 12, 31)',
  eager((v) => {
    const y = toInt(arg(v, 0), 'DATE');
    const m = toInt(arg(v, 1), 'DATE');
    const d = toInt(arg(v, 2), 'DATE');
    if (y < 1 || y > 9999 || Math.abs(m) > 120_000 || Math.abs(d) > 4_000_000) {
      throw formulaError(
        'INVALID_DATE',
        '日期超出范围（0001–9999 年）',
        'The date is out of range (years 0001–9999)',
      );
    }
    return checkDateRange(addCivilDays(addMonths(dateVal(y, 1, 1), m - 1), d - 1));
  }),
);
def(
  'DATEDIF',
  'date',
  [3, 3],
  'DATEDIF(start, end, unit)',
  '两个日期之差：unit 为 "d"（天）、"m"（整月）、"y"（整年）或 "h"（小时）；开始晚于结束时为负数',
  'The difference between two dates: unit "d" (days), "m" (whole months), "y" (whole years) or "h" (hours); negative when start is after end',
  'DATEDIF(createdAt, TODAY(), "d")',
  eager((v, env) => {
    const unit = unitArg('DATEDIF', v, 2, env, ['d', 'm', 'y', 'h']);
    const a = dateArg('DATEDIF', v, 0, env);
    const b = dateArg('DATEDIF', v, 1, env);
    if (!a || !b) return null;
    if (unit === 'h')
      return new Dec(Math.trunc((instantOf(b, env.timeZone) - instantOf(a, env.timeZone)) / 3_600_000));
    const ca = civilDate(a, env.timeZone);
    const cb = civilDate(b, env.timeZone);
    if (unit === 'd') return new Dec(dayNumber(cb) - dayNumber(ca));
    const sign = dayNumber(cb) >= dayNumber(ca) ? 1 : -1;
    const months = sign > 0 ? monthsBetween(ca, cb) : monthsBetween(cb, ca);
    const r = unit === 'm' ? months : Math.trunc(months / 12);
    return new Dec(sign * r);
  }),
);
def(
  'DATEADD',
  'date',
  [3, 3],
  'DATEADD(date, amount, unit)',
  '日期加上若干 "d"（天）、"m"（月）、"y"（年）或 "h"（小时）；月末按月份天数截断',
  'Adds an amount of "d" (days), "m" (months), "y" (years) or "h" (hours) to a date; month ends are clamped',
  'DATEADD(signedAt, 30, "d")',
  eager((v, env) => {
    const unit = unitArg('DATEADD', v, 2, env, ['d', 'm', 'y', 'h']);
    const date = dateArg('DATEADD', v, 0, env);
    if (!date) return null;
    if (unit === 'h') {
      const hours = Number(toDecimal(arg(v, 1), 'DATEADD').toString());
      if (!Number.isFinite(hours) || Math.abs(hours) > 1e8)
        throw invalid('DATEADD', '数量过大', 'the amount is too large');
      return checkDateRange(dateTimeVal(instantOf(date, env.timeZone) + Math.round(hours * 3_600_000)));
    }
    const n = toInt(arg(v, 1), 'DATEADD');
    if (Math.abs(n) > 4_000_000) throw invalid('DATEADD', '数量过大', 'the amount is too large');
    if (date.kind === 'date') {
      if (unit === 'd') return checkDateRange(addCivilDays(date, n));
      return checkDateRange(addMonths(date, unit === 'm' ? n : n * 12));
    }
    // A date-time keeps its wall-clock time in the user's time zone.
    const p = zonedParts(new Date(date.ms), env.timeZone);
    const day = dateVal(p.y, p.m, p.d);
    const shifted = unit === 'd' ? addCivilDays(day, n) : addMonths(day, unit === 'm' ? n : n * 12);
    checkDateRange(shifted);
    const msPart = ((date.ms % 1000) + 1000) % 1000;
    return checkDateRange(
      dateTimeVal(zonedToUtc(shifted.y, shifted.m, shifted.d, p.hh, p.mm, p.ss, msPart, env.timeZone)),
    );
  }),
);
def(
  'YEAR',
  'date',
  [1, 1],
  'YEAR(date)',
  '日期的年份',
  'The year of a date',
  'YEAR(signedAt)',
  eager((v, env) => {
    const d = dateArg('YEAR', v, 0, env);
    return d ? new Dec(civilDate(d, env.timeZone).y) : null;
  }),
);
def(
  'MONTH',
  'date',
  [1, 1],
  'MONTH(date)',
  '日期的月份（1–12）',
  'The month of a date (1–12)',
  'MONTH(signedAt)',
  eager((v, env) => {
    const d = dateArg('MONTH', v, 0, env);
    return d ? new Dec(civilDate(d, env.timeZone).m) : null;
  }),
);
def(
  'DAY',
  'date',
  [1, 1],
  'DAY(date)',
  '日期是当月的第几天',
  'The day of the month of a date',
  'DAY(signedAt)',
  eager((v, env) => {
    const d = dateArg('DAY', v, 0, env);
    return d ? new Dec(civilDate(d, env.timeZone).d) : null;
  }),
);
def(
  'WEEKDAY',
  'date',
  [1, 2],
  'WEEKDAY(date, [type])',
  '星期几：type 1（默认）周日 = 1…周六 = 7；2 周一 = 1…周日 = 7；3 周一 = 0…周日 = 6',
  'The day of the week: type 1 (default) Sunday = 1 … Saturday = 7; 2 Monday = 1 … Sunday = 7; 3 Monday = 0 … Sunday = 6',
  'WEEKDAY(TODAY(), 2)',
  eager((v, env) => {
    const d = dateArg('WEEKDAY', v, 0, env);
    const type = v.length > 1 && arg(v, 1) !== null ? toInt(arg(v, 1), 'WEEKDAY') : 1;
    if (type !== 1 && type !== 2 && type !== 3)
      throw invalid('WEEKDAY', '类型必须是 1、2 或 3', 'the type must be 1, 2 or 3');
    if (!d) return null;
    const iso = isoWeekday(civilDate(d, env.timeZone)); // 1 = Monday … 7 = Sunday
    return new Dec(type === 1 ? (iso % 7) + 1 : type === 2 ? iso : iso - 1);
  }),
);

// Info
def(
  'ISEMPTY',
  'info',
  [1, 1],
  'ISEMPTY(value)',
  '值为空（空值、空白文本或空列表）时为 TRUE',
  'TRUE when the value is empty (null, blank text or an empty list)',
  'ISEMPTY(phone)',
  eager((v) => isEmptyVal(arg(v, 0))),
);
def(
  'ISNOTEMPTY',
  'info',
  [1, 1],
  'ISNOTEMPTY(value)',
  '值不为空时为 TRUE',
  'TRUE when the value is not empty',
  'ISNOTEMPTY(email)',
  eager((v) => !isEmptyVal(arg(v, 0))),
);

/** The function catalogue, sorted by name. */
export const FORMULA_FUNCTIONS: readonly FormulaFunctionInfo[] = Object.freeze(
  [...catalogue].sort((a, b) => (a.name < b.name ? -1 : 1)),
);

const byName = new Map(catalogue.map((f) => [f.name, f]));

export function getFormulaFunction(name: string): FormulaFunctionInfo | undefined {
  return byName.get(name.toUpperCase());
}

export function functionImpl(name: string): Impl | undefined {
  return impls.get(name);
}

/** Whether a call with `count` arguments fits the function's arity (IFS also needs pairs). */
export function arityFits(info: FormulaFunctionInfo, count: number): boolean {
  if (count < info.arity.min) return false;
  if (info.arity.max !== null && count > info.arity.max) return false;
  if (info.name === 'IFS' && count % 2 !== 0) return false;
  return true;
}

export function arityText(info: FormulaFunctionInfo): Message {
  const { min, max } = info.arity;
  if (info.name === 'IFS') return { 'zh-CN': '成对的条件和值', en: 'pairs of conditions and values' };
  if (max === null)
    return { 'zh-CN': `至少 ${min} 个参数`, en: `at least ${min} argument${min === 1 ? '' : 's'}` };
  if (min === max) return { 'zh-CN': `${min} 个参数`, en: `${min} argument${min === 1 ? '' : 's'}` };
  return { 'zh-CN': `${min} 到 ${max} 个参数`, en: `${min} to ${max} arguments` };
}
