/**
 * Aggregates over an entity's records (the figures behind dashboards and list footers): group by up
 * to two fields — dates bucketed by day, week, month, quarter or year in the workspace time zone — and
 * measure count, count distinct, sum, average, minimum and maximum. Parsing checks the request against
 * the definition and names the offending field; compiling puts the records' base predicate (live,
 * permission scope, filter, search) under the aggregate, so an aggregate sees exactly what a list sees.
 */
import { type FieldDefinition, type Issue, isSystemFieldKey } from '@formwork/metadata';
import { entityTable } from '../ident.js';
import { type CompileContext, fieldSql } from './compile.js';
import type { FieldSql } from './fields.js';
import type { SqlParams } from './params.js';

export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const MEASURE_OPS = ['count', 'countDistinct', 'sum', 'avg', 'min', 'max'] as const;
export type MeasureOp = (typeof MEASURE_OPS)[number];

export interface GroupBy {
  field: string;
  bucket?: Bucket;
}
export interface Measure {
  op: MeasureOp;
  /** Required except for `count`. */
  field?: string;
  /** The name of the figure in each result row (default `count`, `sum_amount`…). */
  as?: string;
}
export interface AggregateSpec {
  groupBy: GroupBy[];
  measures: Measure[];
  limit: number;
}

export const MAX_GROUPS = 10_000;
const DEFAULT_GROUPS = 1000;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const BUCKET_FORMAT: Record<Bucket, string> = {
  day: 'YYYY-MM-DD',
  week: 'IYYY-"W"IW',
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
};

function issue(field: string, code: string, zh: string, en: string): Issue {
  return { field, code, message: { 'zh-CN': zh, en } };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field (data or system) an aggregate may use, with its SQL; undefined when unknown. */
function usable(cc: CompileContext, key: unknown): { def: FieldDefinition; sql: FieldSql } | undefined {
  if (typeof key !== 'string') return undefined;
  if (!isSystemFieldKey(key) && !cc.entity.fields.some((f) => f.key === key)) return undefined;
  return fieldSql(cc, key);
}

const isTime = (s: FieldSql) => s.kind === 'date' || s.kind === 'timestamptz';

/** Checks an aggregate request (`groupBy`, `measures`, `limit`) against the entity; issues name the field. */
export function parseAggregate(
  cc: CompileContext,
  input: Record<string, unknown>,
): { ok: true; value: AggregateSpec } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const groupBy: GroupBy[] = [];
  const measures: Measure[] = [];
  const rawGroups = input.groupBy ?? [];
  if (!Array.isArray(rawGroups) || rawGroups.length > 2) {
    issues.push(
      issue('groupBy', 'type', '分组须为最多 2 个字段的数组', 'groupBy must be an array of at most 2 fields'),
    );
  } else {
    rawGroups.forEach((g, i) => {
      const at = `groupBy.${i}`;
      const spec = typeof g === 'string' ? { field: g } : g;
      if (!isObject(spec)) {
        issues.push(
          issue(
            at,
            'type',
            '分组须为字段名或 {field, bucket}',
            'A group must be a field key or {field, bucket}',
          ),
        );
        return;
      }
      const f = usable(cc, spec.field);
      if (!f) {
        issues.push(
          issue(
            `${at}.field`,
            'unknownField',
            `未知字段 ${String(spec.field)}`,
            `Unknown field ${String(spec.field)}`,
          ),
        );
        return;
      }
      if (f.sql.kind === 'json' || f.sql.kind === 'jsonArray') {
        issues.push(
          issue(
            `${at}.field`,
            'notGroupable',
            `不能按字段 ${f.def.key} 分组`,
            `The field ${f.def.key} cannot be grouped by`,
          ),
        );
        return;
      }
      const bucket = spec.bucket;
      if (bucket !== undefined && (!isTime(f.sql) || !(BUCKETS as readonly unknown[]).includes(bucket))) {
        issues.push(
          issue(
            `${at}.bucket`,
            'enum',
            `只有日期字段可按 ${BUCKETS.join('/')} 分段`,
            `Only date fields can be bucketed, by one of ${BUCKETS.join(', ')}`,
          ),
        );
        return;
      }
      groupBy.push({ field: f.def.key, ...(bucket ? { bucket: bucket as Bucket } : {}) });
    });
  }
  const rawMeasures = input.measures ?? [{ op: 'count' }];
  if (!Array.isArray(rawMeasures) || rawMeasures.length === 0 || rawMeasures.length > 10) {
    issues.push(issue('measures', 'type', '统计项须为 1 到 10 个', 'measures must hold 1 to 10 items'));
  } else {
    rawMeasures.forEach((x, i) => {
      const at = `measures.${i}`;
      if (!isObject(x) || !(MEASURE_OPS as readonly unknown[]).includes(x.op)) {
        issues.push(
          issue(
            `${at}.op`,
            'enum',
            `统计方式须为 ${MEASURE_OPS.join('/')} 之一`,
            `op must be one of ${MEASURE_OPS.join(', ')}`,
          ),
        );
        return;
      }
      const op = x.op as MeasureOp;
      let field: string | undefined;
      if (op !== 'count') {
        const f = usable(cc, x.field);
        if (!f) {
          issues.push(
            issue(
              `${at}.field`,
              'unknownField',
              `未知字段 ${String(x.field)}`,
              `Unknown field ${String(x.field)}`,
            ),
          );
          return;
        }
        const numeric = f.sql.kind === 'numeric' || f.sql.kind === 'int';
        const ok =
          op === 'countDistinct'
            ? f.sql.kind !== 'json' && f.sql.kind !== 'jsonArray'
            : op === 'sum' || op === 'avg'
              ? numeric
              : numeric || isTime(f.sql);
        if (!ok) {
          issues.push(
            issue(
              `${at}.field`,
              'notMeasurable',
              `不能对字段 ${f.def.key} 做 ${op}`,
              `${op} does not apply to the field ${f.def.key}`,
            ),
          );
          return;
        }
        field = f.def.key;
      }
      const as = x.as ?? (field ? `${op}_${field}` : op);
      if (typeof as !== 'string' || !NAME.test(as)) {
        issues.push(
          issue(
            `${at}.as`,
            'pattern',
            '名称须为字母、数字或下划线',
            'as must be letters, digits or underscores',
          ),
        );
        return;
      }
      measures.push({ op, ...(field ? { field } : {}), as });
    });
  }
  const names = [...groupBy.map((g) => g.field), ...measures.map((m) => m.as as string)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup)
    issues.push(issue('measures', 'unique', `结果列 ${dup} 重复`, `The result column ${dup} appears twice`));
  let limit = DEFAULT_GROUPS;
  if (input.limit !== undefined) {
    const n = Number(input.limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_GROUPS)
      issues.push(
        issue(
          'limit',
          'range',
          `分组数须在 1 到 ${MAX_GROUPS} 之间`,
          `limit must be between 1 and ${MAX_GROUPS}`,
        ),
      );
    else limit = n;
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: { groupBy, measures, limit } };
}

/** The SQL of a group: the field, or its bucket label in the workspace time zone. */
function groupExpr(cc: CompileContext, g: GroupBy, p: SqlParams): string {
  const s = (fieldSql(cc, g.field) as { sql: FieldSql }).sql;
  const e = s.kind === 'json' ? `NULLIF(${s.expr}, 'null'::jsonb)` : s.expr;
  if (!g.bucket) return e;
  const fmt = p.add(BUCKET_FORMAT[g.bucket], 'text');
  if (s.kind === 'date') return `to_char(date_trunc('${g.bucket}', (${e})::date), ${fmt})`;
  const local = `((${e})::timestamptz AT TIME ZONE ${p.add(cc.timeZone, 'text')})`;
  return `to_char(date_trunc('${g.bucket}', ${local}), ${fmt})`;
}

function measureExpr(cc: CompileContext, m: Measure): string {
  if (m.op === 'count') return 'count(*)';
  const s = (fieldSql(cc, m.field as string) as { sql: FieldSql }).sql;
  const e = s.kind === 'timestamptz' && !s.column ? `(${s.expr})::timestamptz` : s.expr;
  if (m.op === 'countDistinct') return `count(DISTINCT ${e})`;
  return `${m.op}(${e})`;
}

/** A column of an aggregate's answer: its name in the result and whether it holds a number. */
export interface AggregateColumn {
  name: string;
  numeric: boolean;
}

/**
 * One statement: the groups (largest count first, then by key) with their measures, `limit + 1` rows
 * so the caller can tell a truncated answer. `where` is the records' base predicate.
 */
export function compileAggregate(
  cc: CompileContext,
  spec: AggregateSpec,
  where: string,
  p: SqlParams,
): { sql: string; columns: AggregateColumn[] } {
  const kind = (key: string) => (fieldSql(cc, key) as { sql: FieldSql }).sql.kind;
  const isNum = (key: string) => kind(key) === 'numeric' || kind(key) === 'int';
  const groups = spec.groupBy.map((g, i) => `${groupExpr(cc, g, p)} AS _c${i}`);
  const measures = spec.measures.map((m, i) => `${measureExpr(cc, m)} AS _c${spec.groupBy.length + i}`);
  const columns: AggregateColumn[] = [
    ...spec.groupBy.map((g) => ({ name: g.field, numeric: !g.bucket && isNum(g.field) })),
    ...spec.measures.map((m) => ({
      name: m.as as string,
      numeric: m.op === 'count' || m.op === 'countDistinct' || (m.field !== undefined && isNum(m.field)),
    })),
  ];
  const by = spec.groupBy.map((_, i) => `_c${i}`);
  const order = by.length ? ` ORDER BY count(*) DESC, ${by.map((b) => `${b} NULLS LAST`).join(', ')}` : '';
  const group = by.length ? ` GROUP BY ${by.join(', ')}` : '';
  const limit = by.length ? ` LIMIT ${spec.limit + 1}` : '';
  return {
    sql: `SELECT ${[...groups, ...measures].join(', ')} FROM ${entityTable(cc.ws, cc.entity.key)} t WHERE ${where}${group}${order}${limit}`,
    columns,
  };
}
