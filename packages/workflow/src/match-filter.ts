import { type FilterLeaf, type FilterNode, foldText, resolvePeriod } from '@formwork/metadata';

/**
 * Evaluate a (validated, normalised) filter AST against one record in memory, with the same meaning the
 * store gives it in SQL: text matching is case-insensitive, `ne`/`nin` are true for an empty value,
 * arrays (multi select, tags, multiple members) match `in`/`nin`/`contains` element-wise, `between` is
 * inclusive, `period` is taken in `timeZone` at `now`.
 */

export interface MatchContext {
  now: Date;
  timeZone: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T/;

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/** A comparable scalar: numbers as numbers, date-times as epoch ms, dates and text as text. */
function scalar(v: unknown): number | string | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (DATETIME_RE.test(v)) {
      const t = Date.parse(v);
      if (Number.isFinite(t)) return t;
    }
    return v;
  }
  if (typeof v === 'object' && v !== null && 'id' in v) return String((v as { id: unknown }).id);
  return JSON.stringify(v);
}

function compare(a: unknown, b: unknown): number | null {
  const x = scalar(a);
  const y = scalar(b);
  if (x === null || y === null) return null;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'number' && typeof y === 'string' && y.trim() !== '' && Number.isFinite(Number(y)))
    return x - Number(y);
  if (typeof x === 'string' && typeof y === 'number' && x.trim() !== '' && Number.isFinite(Number(x)))
    return Number(x) - y;
  if (typeof x === 'boolean' || typeof y === 'boolean') return x === y ? 0 : null;
  const s = String(x);
  const t = String(y);
  return s < t ? -1 : s > t ? 1 : 0;
}

function equal(a: unknown, b: unknown): boolean {
  const c = compare(a, b);
  return c === 0;
}

function elements(v: unknown): unknown[] {
  if (Array.isArray(v))
    return v.map((x) => (typeof x === 'object' && x !== null && 'id' in x ? (x as { id: unknown }).id : x));
  return [v];
}

function leafMatches(leaf: FilterLeaf, record: Record<string, unknown>, ctx: MatchContext): boolean {
  const v = Object.hasOwn(record, leaf.field) ? record[leaf.field] : undefined;
  const operand = leaf.value;
  const multi = Array.isArray(v);
  switch (leaf.op) {
    case 'isEmpty':
      return isEmpty(v);
    case 'isNotEmpty':
      return !isEmpty(v);
    case 'eq':
      if (isEmpty(v)) return false;
      return multi ? elements(v).some((x) => equal(x, operand)) : equal(v, operand);
    case 'ne':
      if (isEmpty(v)) return true;
      return multi ? !elements(v).some((x) => equal(x, operand)) : !equal(v, operand);
    case 'in':
    case 'nin': {
      const list = Array.isArray(operand) ? operand : [operand];
      const hit = !isEmpty(v) && elements(v).some((x) => list.some((y) => equal(x, y)));
      return leaf.op === 'in' ? hit : !hit;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (isEmpty(v) || multi) return false;
      const c = compare(v, operand);
      if (c === null) return false;
      return leaf.op === 'gt' ? c > 0 : leaf.op === 'gte' ? c >= 0 : leaf.op === 'lt' ? c < 0 : c <= 0;
    }
    case 'between': {
      if (isEmpty(v) || multi || !Array.isArray(operand)) return false;
      const lo = compare(v, operand[0]);
      const hi = compare(v, operand[1]);
      return lo !== null && hi !== null && lo >= 0 && hi <= 0;
    }
    case 'contains': {
      if (isEmpty(v)) return false;
      if (multi) return elements(v).some((x) => equal(x, operand));
      return foldText(String(v)).includes(foldText(String(operand)));
    }
    case 'startsWith':
      if (isEmpty(v) || multi) return false;
      return foldText(String(v)).startsWith(foldText(String(operand)));
    case 'period': {
      if (isEmpty(v) || typeof v !== 'string') return false;
      const r = resolvePeriod(String(operand), ctx.now, ctx.timeZone);
      if (DATE_RE.test(v)) return v >= r.startDate && v < r.endDate;
      const t = Date.parse(v);
      return Number.isFinite(t) && t >= Date.parse(r.start) && t < Date.parse(r.end);
    }
  }
  return false;
}

/** True when `record` satisfies `filter`. An empty `and` is true, an empty `or` is false. */
export function matchFilter(filter: FilterNode, record: Record<string, unknown>, ctx: MatchContext): boolean {
  if ('and' in filter) return filter.and.every((n) => matchFilter(n, record, ctx));
  if ('or' in filter) return filter.or.some((n) => matchFilter(n, record, ctx));
  if ('not' in filter) return !matchFilter(filter.not, record, ctx);
  return leafMatches(filter, record, ctx);
}
