import { isValidTimeZone } from '../calendar.js';
import type { Message } from '../types.js';
import type { FormulaAst, FormulaContext, FormulaValue } from './ast.js';
import {
  checkText,
  compareValues,
  dateLike,
  isEmptyVal,
  toBool,
  toDecimal,
  toText,
  valuesEqual,
} from './coerce.js';
import {
  add,
  arityFits,
  arityText,
  div,
  type FormulaEnv,
  functionCore,
  functionImpl,
  mod,
  mul,
  power,
  sub,
} from './functions.js';
import {
  addCivilDays,
  bound,
  checkDateRange,
  type DateTimeVal,
  type DateVal,
  Dec,
  type Decimal,
  dateTimeVal,
  dayNumber,
  decimalFromText,
  FormulaError,
  formulaError,
  fromExternal,
  instantOf,
  isDecimal,
  toExternal,
  type Val,
} from './values.js';

export type EvaluateFormulaResult =
  | { ok: true; value: FormulaValue }
  | { ok: false; code: string; message: Message };

/** Deepest recursion the evaluator allows (long `a + b + c …` chains are deep on the left). */
const MAX_EVAL_DEPTH = 5000;

/** A number operand, or a date for date arithmetic (a date text that is not a number counts as a date). */
function numberOrDate(v: Val, op: string, tz: string): Decimal | DateVal | DateTimeVal {
  if (typeof v === 'string' && !decimalFromText(v) && v.trim() !== '') {
    const d = dateLike(v, tz);
    if (d) return d;
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isDecimal(v)) {
    const d = dateLike(v, tz);
    if (d) return d;
  }
  return toDecimal(v, op);
}

function addDaysTo(d: DateVal | DateTimeVal, n: Decimal, tz: string): DateVal | DateTimeVal {
  const days = Number(n.toString());
  if (!Number.isFinite(days) || Math.abs(days) > 4_000_000) {
    throw formulaError(
      'INVALID_DATE',
      '日期超出范围（0001–9999 年）',
      'The date is out of range (years 0001–9999)',
    );
  }
  if (d.kind === 'date' && Number.isInteger(days)) return checkDateRange(addCivilDays(d, days));
  return checkDateRange(dateTimeVal(instantOf(d, tz) + Math.round(days * 86_400_000)));
}

class Evaluator implements FormulaEnv {
  private depth = 0;
  constructor(
    private readonly ctx: FormulaContext,
    readonly timeZone: string,
    readonly now: Date,
  ) {}

  eval(node: FormulaAst): Val {
    if (++this.depth > MAX_EVAL_DEPTH) {
      throw formulaError('TOO_COMPLEX', '公式过于复杂', 'The formula is too complex');
    }
    try {
      return this.evalNode(node);
    } finally {
      this.depth--;
    }
  }

  private evalNode(node: FormulaAst): Val {
    switch (node.kind) {
      case 'number': {
        let n: Decimal;
        try {
          n = new Dec(String(node.value));
        } catch {
          throw formulaError('INVALID_ARGUMENT', `无效的数字 ${node.value}`, `Invalid number ${node.value}`);
        }
        return bound(n);
      }
      case 'string':
        return node.value;
      case 'boolean':
        return node.value;
      case 'null':
        return null;
      case 'ref':
        return fromExternal(this.ctx.get(node.path));
      case 'unary': {
        const v = this.eval(node.operand);
        if (node.op === '!') return !toBool(v);
        const n = toDecimal(v, node.op);
        return node.op === '-' ? n.neg() : n;
      }
      case 'binary':
        return this.binary(node.op, node.left, node.right);
      case 'call':
        return this.call(node.name, node.args);
      default:
        throw formulaError('INVALID_ARGUMENT', '无法识别的公式节点', 'Unknown formula node');
    }
  }

  private call(name: string, args: FormulaAst[]): Val {
    const info = typeof name === 'string' ? functionCore(name) : undefined;
    const impl = info ? functionImpl(info.name) : undefined;
    if (!info || !impl) {
      throw formulaError('UNKNOWN_FUNCTION', `未知函数 ${String(name)}`, `Unknown function ${String(name)}`);
    }
    if (!Array.isArray(args) || !arityFits(info, args.length)) {
      const a = arityText(info);
      throw formulaError('WRONG_ARITY', `${info.name} 需要${a['zh-CN']}`, `${info.name} takes ${a.en}`);
    }
    return impl(args, this);
  }

  private binary(op: string, l: FormulaAst, r: FormulaAst): Val {
    const tz = this.timeZone;
    if (op === '&&') return toBool(this.eval(l)) ? toBool(this.eval(r)) : false;
    if (op === '||') return toBool(this.eval(l)) ? true : toBool(this.eval(r));
    const a = this.eval(l);
    const b = this.eval(r);
    switch (op) {
      case '&':
        return checkText(toText(a, tz) + toText(b, tz));
      case '=':
        return valuesEqual(a, b, tz);
      case '!=':
        return !valuesEqual(a, b, tz);
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (isEmptyVal(a) || isEmptyVal(b)) return false;
        const c = compareValues(a, b, tz);
        if (c === undefined) return false;
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      }
      case '+':
      case '-': {
        const x = numberOrDate(a, op, tz);
        const y = numberOrDate(b, op, tz);
        const xd = isDecimal(x);
        const yd = isDecimal(y);
        if (xd && yd) return op === '+' ? add(x, y) : sub(x, y);
        if (!xd && yd) return addDaysTo(x, op === '+' ? y : y.neg(), tz);
        if (xd && !yd) {
          if (op === '+') return addDaysTo(y, x, tz);
          throw formulaError(
            'INVALID_ARGUMENT',
            '不能用数字减去日期',
            'A date cannot be subtracted from a number',
          );
        }
        if (op === '+')
          throw formulaError('INVALID_ARGUMENT', '两个日期不能相加', 'Two dates cannot be added');
        // date − date = days (fractional when a date-time is involved)
        const dx = x as DateVal | DateTimeVal;
        const dy = y as DateVal | DateTimeVal;
        if (dx.kind === 'date' && dy.kind === 'date') return new Dec(dayNumber(dx) - dayNumber(dy));
        return div(new Dec(instantOf(dx, tz) - instantOf(dy, tz)), new Dec(86_400_000));
      }
      case '*':
        return mul(toDecimal(a, op), toDecimal(b, op));
      case '/':
        return div(toDecimal(a, op), toDecimal(b, op));
      case '%':
        return mod(toDecimal(a, op), toDecimal(b, op));
      case '^':
        return power(toDecimal(a, op), toDecimal(b, op));
      default:
        throw formulaError('INVALID_ARGUMENT', `未知运算符 ${op}`, `Unknown operator ${op}`);
    }
  }
}

/**
 * Evaluate a parsed formula. Never throws: errors such as division by zero (`DIV_ZERO`), a wrong type
 * (`INVALID_ARGUMENT`), an unknown function (`UNKNOWN_FUNCTION`) come back as `{ ok: false, code, message }`.
 */
export function evaluateFormula(ast: FormulaAst, ctx: FormulaContext): EvaluateFormulaResult {
  const r = evaluateToValue(ast, ctx);
  return r.ok ? { ok: true, value: toExternal(r.value) } : r;
}

/** As `evaluateFormula`, keeping the runtime value (exact decimals, dates) for the caller to convert. */
export function evaluateToValue(
  ast: FormulaAst,
  ctx: FormulaContext,
): { ok: true; value: Val } | { ok: false; code: string; message: Message } {
  try {
    if (!isValidTimeZone(ctx.timeZone)) {
      return {
        ok: false,
        code: 'INVALID_TIME_ZONE',
        message: {
          'zh-CN': `未知时区 ${String(ctx.timeZone)}`,
          en: `Unknown time zone ${String(ctx.timeZone)}`,
        },
      };
    }
    if (!(ctx.now instanceof Date) || !Number.isFinite(ctx.now.getTime())) {
      return {
        ok: false,
        code: 'INVALID_ARGUMENT',
        message: { 'zh-CN': '当前时间无效', en: 'The current time is invalid' },
      };
    }
    return { ok: true, value: new Evaluator(ctx, ctx.timeZone, ctx.now).eval(ast) };
  } catch (e) {
    if (e instanceof FormulaError) return { ok: false, code: e.code, message: e.message };
    if (e instanceof RangeError) {
      return {
        ok: false,
        code: 'TOO_COMPLEX',
        message: { 'zh-CN': '公式过于复杂', en: 'The formula is too complex' },
      };
    }
    return {
      ok: false,
      code: 'EVALUATION_FAILED',
      message: { 'zh-CN': '公式无法计算', en: 'The formula could not be evaluated' },
    };
  }
}
