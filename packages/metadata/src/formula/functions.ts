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

/** A function's name, category and arity: what evaluating and checking a formula need. */
export type FormulaFunctionCore = Pick<FormulaFunctionInfo, 'name' | 'category' | 'arity'>;

const catalogue: FormulaFunctionCore[] = [];
const impls = new Map<string, Impl>();

function def(
  name: string,
  category: FormulaFunctionCategory,
  arity: [number, number | null],
  impl: Impl,
): void {
  catalogue.push({ name, category, arity: { min: arity[0], max: arity[1] } });
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
def('IF', 'logic', [2, 3], (args, env) => {
  const [c, a, b] = args;
  if (!c || !a) return null;
  if (toBool(env.eval(c))) return env.eval(a);
  return b ? env.eval(b) : null;
});
def('IFS', 'logic', [2, null], (args, env) => {
  if (args.length % 2 !== 0)
    throw invalid('IFS', '条件和值必须成对出现', 'conditions and values must come in pairs');
  for (let i = 0; i + 1 < args.length; i += 2) {
    if (toBool(env.eval(args[i] as FormulaAst))) return env.eval(args[i + 1] as FormulaAst);
  }
  return null;
});
def('AND', 'logic', [1, null], (args, env) => {
  for (const a of args) if (!toBool(env.eval(a))) return false;
  return true;
});
def('OR', 'logic', [1, null], (args, env) => {
  for (const a of args) if (toBool(env.eval(a))) return true;
  return false;
});
def(
  'NOT',
  'logic',
  [1, 1],
  eager((v) => !toBool(arg(v, 0))),
);
def('IFERROR', 'logic', [2, 2], (args, env) => {
  try {
    return env.eval(args[0] as FormulaAst);
  } catch (e) {
    if (e instanceof FormulaError) return env.eval(args[1] as FormulaAst);
    throw e;
  }
});

// Aggregates
def(
  'SUM',
  'aggregate',
  [1, null],
  eager((v) => numbers('SUM', v).reduce(add, new Dec(0))),
);
def(
  'AVERAGE',
  'aggregate',
  [1, null],
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
  eager((v, env) => extreme('MIN', v, env)),
);
def(
  'MAX',
  'aggregate',
  [1, null],
  eager((v, env) => extreme('MAX', v, env)),
);
def(
  'COUNT',
  'aggregate',
  [1, null],
  eager((v) => new Dec(flatten(v).filter((x) => !isEmptyVal(x)).length)),
);
def(
  'SUMPRODUCT',
  'aggregate',
  [1, null],
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
  eager((v) => roundTo('ROUND', v, 1)),
);
def(
  'ROUNDUP',
  'math',
  [1, 2],
  eager((v) => roundTo('ROUNDUP', v, 3)),
);
def(
  'ROUNDDOWN',
  'math',
  [1, 2],
  eager((v) => roundTo('ROUNDDOWN', v, 0)),
);
def(
  'INT',
  'math',
  [1, 1],
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
  eager((v) => mod(toDecimal(arg(v, 0), 'MOD'), toDecimal(arg(v, 1), 'MOD'))),
);
def(
  'ABS',
  'math',
  [1, 1],
  eager((v) => (arg(v, 0) === null ? null : toDecimal(arg(v, 0), 'ABS').abs())),
);
def(
  'POWER',
  'math',
  [2, 2],
  eager((v) => power(toDecimal(arg(v, 0), 'POWER'), toDecimal(arg(v, 1), 'POWER'))),
);
def(
  'VALUE',
  'math',
  [1, 1],
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
  eager((v, env) => checkText(v.map((x) => toText(x, env.timeZone)).join(''))),
);
def(
  'TEXT',
  'text',
  [1, 2],
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
  eager((v, env) => new Dec(chars(textArg(v, 0, env)).length)),
);
def(
  'LEFT',
  'text',
  [1, 2],
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
  eager((v, env) => textArg(v, 0, env).toUpperCase()),
);
def(
  'LOWER',
  'text',
  [1, 1],
  eager((v, env) => textArg(v, 0, env).toLowerCase()),
);
def(
  'TRIM',
  'text',
  [1, 1],
  eager((v, env) => textArg(v, 0, env).replace(/\s+/gu, ' ').trim()),
);
def(
  'SUBSTITUTE',
  'text',
  [3, 4],
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
def('TODAY', 'date', [0, 0], (_a, env) => civilDate(dateTimeVal(env.now.getTime()), env.timeZone));
def('NOW', 'date', [0, 0], (_a, env) => dateTimeVal(env.now.getTime()));
def(
  'DATE',
  'date',
  [3, 3],
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
  eager((v, env) => {
    const d = dateArg('YEAR', v, 0, env);
    return d ? new Dec(civilDate(d, env.timeZone).y) : null;
  }),
);
def(
  'MONTH',
  'date',
  [1, 1],
  eager((v, env) => {
    const d = dateArg('MONTH', v, 0, env);
    return d ? new Dec(civilDate(d, env.timeZone).m) : null;
  }),
);
def(
  'DAY',
  'date',
  [1, 1],
  eager((v, env) => {
    const d = dateArg('DAY', v, 0, env);
    return d ? new Dec(civilDate(d, env.timeZone).d) : null;
  }),
);
def(
  'WEEKDAY',
  'date',
  [1, 2],
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
  eager((v) => isEmptyVal(arg(v, 0))),
);
def(
  'ISNOTEMPTY',
  'info',
  [1, 1],
  eager((v) => !isEmptyVal(arg(v, 0))),
);

/** The functions' names, categories and arities, in definition order (with their texts: catalogue.ts). */
export const FUNCTION_CORES: readonly FormulaFunctionCore[] = catalogue;

const byName = new Map(catalogue.map((f) => [f.name, f]));

/** A function's name, category and arity (without its documentation), by name in any case. */
export function functionCore(name: string): FormulaFunctionCore | undefined {
  return byName.get(name.toUpperCase());
}

export function functionImpl(name: string): Impl | undefined {
  return impls.get(name);
}

/** Whether a call with `count` arguments fits the function's arity (IFS also needs pairs). */
export function arityFits(info: Pick<FormulaFunctionInfo, 'name' | 'arity'>, count: number): boolean {
  if (count < info.arity.min) return false;
  if (info.arity.max !== null && count > info.arity.max) return false;
  if (info.name === 'IFS' && count % 2 !== 0) return false;
  return true;
}

export function arityText(info: Pick<FormulaFunctionInfo, 'name' | 'arity'>): Message {
  const { min, max } = info.arity;
  if (info.name === 'IFS') return { 'zh-CN': '成对的条件和值', en: 'pairs of conditions and values' };
  if (max === null)
    return { 'zh-CN': `至少 ${min} 个参数`, en: `at least ${min} argument${min === 1 ? '' : 's'}` };
  if (min === max) return { 'zh-CN': `${min} 个参数`, en: `${min} argument${min === 1 ? '' : 's'}` };
  return { 'zh-CN': `${min} 到 ${max} 个参数`, en: `${min} to ${max} arguments` };
}
