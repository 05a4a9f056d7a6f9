/**
 * The query compiler: a validated filter AST, sort, keyset cursor and text query → parameterised SQL.
 * Pure: no I/O, time and time zone are passed in. Every value is a parameter; identifiers come from
 * the (validated) definition and are quoted.
 *
 * Null order: ascending sorts put empty values last, descending sorts put them first — PostgreSQL's
 * default, so one B-tree index serves both directions.
 */
import {
  DomainError,
  type EntityDefinition,
  type FieldDefinition,
  type FilterLeaf,
  type FilterNode,
  getFieldType,
  type Issue,
  isSystemFieldKey,
  resolvePeriod,
  type SortItem,
} from '@formwork/metadata';
import { entityTable } from '../ident.js';
import { escapeLike, foldSearchText, queryTokens } from '../search.js';
import { isUuid } from '../uuid.js';
import { castOf, dataExpr, type FieldSql, lookupExpr, systemExpr, T } from './fields.js';
import { SqlParams } from './params.js';

export interface CompileContext {
  ws: string;
  entity: EntityDefinition;
  now: Date;
  timeZone: string;
  /** Definitions of other entities (lookups). */
  resolveTarget?: (key: string) => EntityDefinition | undefined;
}

const JSON_EMPTY = `('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb)`;

function badRequest(field: string, en: string, zh: string): DomainError {
  const issue: Issue = { field, code: 'invalid', message: { 'zh-CN': zh, en } };
  return new DomainError('BAD_REQUEST', {}, [issue]);
}

/** The SQL of a field by key (system column, data field or lookup). */
export function fieldSql(
  ctx: CompileContext,
  key: string,
): { def: FieldDefinition; sql: FieldSql } | undefined {
  if (isSystemFieldKey(key)) {
    const sql = systemExpr(key);
    return sql ? { def: { key, type: 'text' }, sql } : undefined;
  }
  const def = ctx.entity.fields.find((f) => f.key === key);
  if (!def) return undefined;
  if (def.type === 'lookup') {
    const e = lookupExpr(ctx.ws, ctx.entity, def, ctx.resolveTarget ?? (() => undefined)) ?? 'NULL::jsonb';
    return { def, sql: { expr: e, kind: 'json', json: e } };
  }
  return { def, sql: dataExpr(def) };
}

function isEmptySql(s: FieldSql): string {
  if (s.column || !s.json) return `${s.expr} IS NULL`;
  return `COALESCE(${s.json}, 'null'::jsonb) IN ${JSON_EMPTY}`;
}

/** A comparable scalar: the SQL expression (JSON null folded to SQL NULL for json kinds). */
function scalarExpr(s: FieldSql): string {
  return s.kind === 'json' ? `NULLIF(${s.expr}, 'null'::jsonb)` : s.expr;
}

function compareValue(s: FieldSql, v: unknown, p: SqlParams): string | null {
  if (s.kind === 'uuid') return isUuid(v) ? p.add(v.toLowerCase(), 'uuid') : null;
  if (s.kind === 'json') return p.add(v, 'jsonb');
  if (s.kind === 'timestamptz' && s.column) {
    const ms = typeof v === 'string' || typeof v === 'number' ? new Date(v).getTime() : Number.NaN;
    return Number.isFinite(ms) ? p.add(new Date(ms).toISOString(), 'timestamptz') : null;
  }
  return p.add(v, castOf(s.kind));
}

function leafSql(ctx: CompileContext, leaf: FilterLeaf, p: SqlParams): string {
  const f = fieldSql(ctx, leaf.field);
  if (!f) throw badRequest('filter', `Unknown field ${leaf.field}`, `未知字段 ${leaf.field}`);
  const s = f.sql;
  const e = scalarExpr(s);
  const v = leaf.value;
  const multi = s.kind === 'jsonArray';
  const typed = s.kind === 'json' ? (x: string) => `jsonb_typeof(${e}) = jsonb_typeof(${x}) AND ` : () => '';
  switch (leaf.op) {
    case 'isEmpty':
      return isEmptySql(s);
    case 'isNotEmpty':
      return `NOT (${isEmptySql(s)})`;
    case 'eq': {
      const x = compareValue(s, v, p);
      return x === null ? 'FALSE' : `${e} = ${x}`;
    }
    case 'ne': {
      const x = compareValue(s, v, p);
      return x === null ? 'TRUE' : `(${e} IS NULL OR ${e} <> ${x})`;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const x = compareValue(s, v, p);
      if (x === null) return 'FALSE';
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[leaf.op];
      return `(${typed(x)}${e} ${op} ${x})`;
    }
    case 'between': {
      const [lo, hi] = Array.isArray(v) ? v : [];
      const a = compareValue(s, lo, p);
      const b = compareValue(s, hi, p);
      if (a === null || b === null) return 'FALSE';
      return `(${typed(a)}${typed(b)}${e} BETWEEN ${a} AND ${b})`;
    }
    case 'in':
    case 'nin': {
      const list = Array.isArray(v) ? v : [v];
      let cond: string;
      if (multi) {
        cond = `COALESCE(${s.expr} ?| ${p.add(list.map(String), 'text[]')}, FALSE)`;
      } else if (s.kind === 'json') {
        cond = `(${list.map((x) => `${e} = ${p.add(x, 'jsonb')}`).join(' OR ')})`;
      } else {
        const items = s.kind === 'uuid' ? list.filter(isUuid).map((x) => x.toLowerCase()) : list;
        if (s.kind === 'timestamptz' && s.column) {
          const iso = items.map((x) => new Date(x as string).getTime()).filter(Number.isFinite);
          cond = `${e} = ANY(${p.add(
            iso.map((ms) => new Date(ms).toISOString()),
            'timestamptz[]',
          )})`;
        } else {
          cond = items.length === 0 ? 'FALSE' : `${e} = ANY(${p.add(items, `${castOf(s.kind)}[]`)})`;
        }
      }
      if (leaf.op === 'in') return cond;
      return multi ? `NOT ${cond}` : `(${e} IS NULL OR NOT (${cond}))`;
    }
    case 'contains': {
      if (multi) return `COALESCE(${s.expr} @> ${p.add([v], 'jsonb')}, FALSE)`;
      return `${e} ILIKE ${p.add(`%${escapeLike(String(v))}%`, 'text')}`;
    }
    case 'startsWith':
      return `${e} ILIKE ${p.add(`${escapeLike(String(v))}%`, 'text')}`;
    case 'period': {
      const r = resolvePeriod(String(v), ctx.now, ctx.timeZone);
      if (s.kind === 'date')
        return `(${e} >= ${p.add(r.startDate, 'text')} AND ${e} < ${p.add(r.endDate, 'text')})`;
      const start = new Date(r.start).toISOString();
      const end = new Date(r.end).toISOString();
      const cast = s.column ? 'timestamptz' : 'text';
      return `(${e} >= ${p.add(start, cast)} AND ${e} < ${p.add(end, cast)})`;
    }
  }
  throw badRequest('filter', `Unsupported operator ${String(leaf.op)}`, `不支持的运算符 ${String(leaf.op)}`);
}

/** A validated filter AST → an SQL predicate. */
export function filterSql(ctx: CompileContext, node: FilterNode, p: SqlParams): string {
  if ('and' in node)
    return node.and.length ? `(${node.and.map((n) => filterSql(ctx, n, p)).join(' AND ')})` : 'TRUE';
  if ('or' in node)
    return node.or.length ? `(${node.or.map((n) => filterSql(ctx, n, p)).join(' OR ')})` : 'FALSE';
  if ('not' in node) return `(NOT COALESCE(${filterSql(ctx, node.not, p)}, FALSE))`;
  return leafSql(ctx, node, p);
}

/** The text search predicate of `q` (null when q is empty after folding). */
export function searchSql(q: string, p: SqlParams): string | null {
  const folded = foldSearchText(q);
  if (!folded) return null;
  const tokens = queryTokens(folded);
  const like = `${T}.search_text LIKE ${p.add(`%${escapeLike(folded)}%`, 'text')}`;
  return tokens.length ? `${T}.search_tokens @> ${p.add(tokens, 'text[]')} AND ${like}` : like;
}

// ---------------------------------------------------------------------------------------------
// Sort and keyset pagination

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
  expr: string;
  kind: FieldSql['kind'];
  column: boolean;
}

export const DEFAULT_SORT: SortItem[] = [{ field: 'createdAt', direction: 'desc' }];

/** Sort items → keys, with `id` appended as the tie-breaker (in the direction of the last key). */
export function sortKeys(ctx: CompileContext, sort: readonly SortItem[]): SortKey[] {
  const items = sort.length ? sort : DEFAULT_SORT;
  const keys: SortKey[] = [];
  for (const s of items) {
    if (s.field === 'id') continue;
    const f = fieldSql(ctx, s.field);
    const type = f && !isSystemFieldKey(s.field) ? getFieldType(f.def.type) : undefined;
    if (!f || (type && !type.sortable) || f.sql.kind === 'jsonArray') {
      throw badRequest('sort', `Cannot sort on ${s.field}`, `不能按 ${s.field} 排序`);
    }
    keys.push({
      field: s.field,
      direction: s.direction,
      expr: scalarExpr(f.sql),
      kind: f.sql.kind,
      column: f.sql.column ?? false,
    });
  }
  const last = items[items.length - 1]?.direction ?? 'desc';
  keys.push({ field: 'id', direction: last, expr: `${T}.id`, kind: 'uuid', column: true });
  return keys;
}

export function orderBySql(keys: readonly SortKey[]): string {
  return keys.map((k) => `${k.expr} ${k.direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
}

/** A signature of the sort, stored in cursors so a cursor cannot be replayed on another sort. */
function sortSignature(keys: readonly SortKey[]): string {
  return keys.map((k) => `${k.direction === 'desc' ? '-' : ''}${k.field}`).join(',');
}

interface CursorPayload {
  s: string;
  v: unknown[];
}

function toCursorValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** The opaque cursor after `row` (its `_s0…` sort columns). */
export function encodeCursor(keys: readonly SortKey[], row: Record<string, unknown>): string {
  const payload: CursorPayload = {
    s: sortSignature(keys),
    v: keys.map((_k, i) => toCursorValue(row[`_s${i}`])),
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

const NUMERIC_RE = /^-?\d{1,100}(\.\d{1,100})?([eE][-+]?\d{1,4})?$/;

function validCursorValue(k: SortKey, v: unknown): boolean {
  if (v === null) return !k.column || k.field === 'ownerId' || k.field === 'createdBy';
  switch (k.kind) {
    case 'uuid':
      return isUuid(v);
    case 'numeric':
      return (typeof v === 'string' && NUMERIC_RE.test(v)) || (typeof v === 'number' && Number.isFinite(v));
    case 'int':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'timestamptz':
      return typeof v === 'string' && v.length <= 40 && (!k.column || Number.isFinite(Date.parse(v)));
    case 'text':
    case 'date':
      return typeof v === 'string' && v.length <= 10_000;
    case 'json':
      return JSON.stringify(v).length <= 10_000;
    case 'jsonArray':
      return false;
  }
}

/** Decodes and checks a cursor against the sort; a forged or stale one is a 400 on `cursor`. */
export function decodeCursor(keys: readonly SortKey[], cursor: string): unknown[] {
  const bad = () => badRequest('cursor', 'Invalid cursor', '分页游标无效');
  if (typeof cursor !== 'string' || cursor.length > 20_000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw bad();
  const { s, v } = payload as Record<string, unknown>;
  if (s !== sortSignature(keys) || !Array.isArray(v) || v.length !== keys.length) throw bad();
  for (let i = 0; i < keys.length; i++) if (!validCursorValue(keys[i]!, v[i])) throw bad();
  return v;
}

function keyCast(k: SortKey): string {
  if (k.kind === 'timestamptz') return k.column ? 'timestamptz' : 'text';
  return castOf(k.kind);
}

/** Rows strictly after the cursor values in the sort order (nulls last ascending, first descending). */
export function keysetSql(keys: readonly SortKey[], values: readonly unknown[], p: SqlParams): string {
  const allColumns = keys.every(
    (k) => k.column && (k.field === 'id' || k.kind === 'timestamptz' || k.kind === 'int'),
  );
  const sameDir = keys.every((k) => k.direction === keys[0]?.direction);
  if (allColumns && sameDir && values.every((v) => v !== null)) {
    const op = keys[0]?.direction === 'asc' ? '>' : '<';
    const lhs = keys.map((k) => k.expr).join(', ');
    const rhs = keys.map((k, i) => p.add(values[i], keyCast(k))).join(', ');
    return `(${lhs}) ${op} (${rhs})`;
  }
  const eqs: string[] = [];
  const ors: string[] = [];
  keys.forEach((k, i) => {
    const v = values[i];
    const param = v === null ? null : p.add(v, keyCast(k));
    let after: string;
    const nullable = !k.column || k.field === 'ownerId' || k.field === 'createdBy';
    if (k.direction === 'asc') {
      after =
        param === null
          ? 'FALSE'
          : nullable
            ? `(${k.expr} > ${param} OR ${k.expr} IS NULL)`
            : `${k.expr} > ${param}`;
    } else after = param === null ? `${k.expr} IS NOT NULL` : `${k.expr} < ${param}`;
    if (after !== 'FALSE') ors.push(eqs.length ? `(${eqs.join(' AND ')} AND ${after})` : after);
    eqs.push(param === null ? `${k.expr} IS NULL` : `${k.expr} = ${param}`);
  });
  return ors.length ? `(${ors.join(' OR ')})` : 'FALSE';
}

// ---------------------------------------------------------------------------------------------
// Whole statements

/** The columns of a record row (lookups as one jsonb object). */
export function recordColumnsSql(ctx: CompileContext): string {
  const cols = [
    `${T}.id`,
    `${T}.created_at`,
    `${T}.updated_at`,
    `${T}.created_by`,
    `${T}.owner_id`,
    `${T}.version`,
    `${T}.deleted_at`,
    `${T}.data`,
  ];
  const lookups = ctx.entity.fields.filter((f) => f.type === 'lookup');
  if (lookups.length) {
    const parts = lookups.map((f) => `'${f.key}', ${fieldSql(ctx, f.key)?.sql.expr ?? 'NULL::jsonb'}`);
    cols.push(`jsonb_build_object(${parts.join(', ')}) AS lookups`);
  }
  return cols.join(', ');
}

export interface ListSpec {
  filter?: FilterNode | undefined;
  sort: readonly SortItem[];
  cursor?: string | undefined;
  q?: string | undefined;
  limit: number;
  /** false: live records; true: the recycle bin; 'any': both. */
  deleted: boolean | 'any';
  /** The permission predicate (the scope hook); 'TRUE' for everyone today. */
  scope: (p: SqlParams) => string;
}

/** The base predicate of every record read: live/deleted, scope, filter, search. */
export function baseWhere(
  ctx: CompileContext,
  spec: Pick<ListSpec, 'filter' | 'q' | 'deleted' | 'scope'>,
  p: SqlParams,
): string {
  const parts: string[] = [];
  if (spec.deleted !== 'any')
    parts.push(spec.deleted ? `${T}.deleted_at IS NOT NULL` : `${T}.deleted_at IS NULL`);
  const scope = spec.scope(p);
  if (scope !== 'TRUE') parts.push(`(${scope})`);
  if (spec.filter) parts.push(filterSql(ctx, spec.filter, p));
  if (spec.q) {
    const s = searchSql(spec.q, p);
    if (s) parts.push(s);
  }
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

export interface CompiledList {
  /** Up to `limit + 1` rows after the cursor (the extra row tells whether there is a next page). */
  sql: string;
  params: unknown[];
  keys: SortKey[];
  /** The matching records, with their own parameters: `count` counts them; `rows` selects one per record. */
  matches: { count: string; rows: string; params: unknown[] };
}

/**
 * A list page, and the statements that count what matches. The page is cheap at any table size (it
 * follows an index in sort order); an exact count is not — it visits every matching row — so the
 * store decides when to count and when to estimate (see records.list).
 */
export function compileList(ctx: CompileContext, spec: ListSpec): CompiledList {
  const p = new SqlParams();
  const keys = sortKeys(ctx, spec.sort);
  const where = baseWhere(ctx, spec, p);
  const keyset = spec.cursor ? keysetSql(keys, decodeCursor(keys, spec.cursor), p) : null;
  const table = entityTable(ctx.ws, ctx.entity.key);
  const sortCols = keys.map((k, i) => `${k.expr} AS _s${i}`).join(', ');
  const limit = p.add(spec.limit + 1, 'int');
  const sql = `SELECT ${recordColumnsSql(ctx)}, ${sortCols} FROM ${table} ${T}
  WHERE ${where}${keyset ? ` AND ${keyset}` : ''} ORDER BY ${orderBySql(keys)} LIMIT ${limit}`;
  const cp = new SqlParams();
  const countWhere = baseWhere(ctx, spec, cp);
  return {
    sql,
    params: p.values,
    keys,
    matches: {
      count: `SELECT count(*) AS total FROM ${table} ${T} WHERE ${countWhere}`,
      rows: `SELECT 1 FROM ${table} ${T} WHERE ${countWhere}`,
      params: cp.values,
    },
  };
}
