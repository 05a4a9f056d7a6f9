/**
 * How a field is read in SQL: the expression over the entity table's row, derived from the field-type
 * registry's storage kind. Shared by the DDL (expression indexes) and the query compiler, so a filter
 * or sort writes exactly the indexed expression and the planner can use the index. Pure.
 */
import {
  type EntityDefinition,
  type FieldDefinition,
  fieldStorage,
  getFieldType,
  isSystemFieldKey,
  type StorageKind,
  systemFields,
} from '@formwork/metadata';
import { entityTable, fieldLiteral, quoteIdent } from '../ident.js';

/** The table alias used in every record query. */
export const T = 't';

export type SqlKind =
  | 'text'
  | 'numeric'
  | 'boolean'
  | 'date'
  | 'timestamptz'
  | 'uuid'
  | 'int'
  | 'jsonArray'
  | 'json';

export interface FieldSql {
  /** The expression of the value, typed by `kind`. */
  expr: string;
  kind: SqlKind;
  /** The jsonb expression (isEmpty checks on data fields); undefined for columns. */
  json?: string;
  /** A system column (NULL = empty). */
  column?: boolean;
}

/** The SQL type a comparison value is cast to. */
export function castOf(kind: SqlKind): string {
  switch (kind) {
    case 'text':
    case 'date':
    case 'timestamptz': // data datetimes are canonical ISO UTC text: text order = time order
      return 'text';
    case 'numeric':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'uuid':
      return 'uuid';
    case 'int':
      return 'numeric';
    case 'jsonArray':
    case 'json':
      return 'jsonb';
  }
}

/** `((t.data->>'amount')::numeric)` etc.; `alias` '' gives the bare expression used in index DDL. */
export function dataExpr(field: FieldDefinition, alias: string = T): FieldSql {
  const col = alias ? `${alias}.data` : 'data';
  const k = fieldLiteral(field.key);
  const json = `(${col}->${k})`;
  const text = `(${col}->>${k})`;
  const storage: StorageKind = fieldStorage(field);
  switch (storage) {
    case 'text':
      return { expr: text, kind: 'text', json };
    case 'date':
      return { expr: text, kind: 'date', json };
    case 'timestamptz':
      return { expr: text, kind: 'timestamptz', json };
    // Guarded casts: a value of another JSON type reads as NULL instead of failing the statement
    // (CREATE INDEX also evaluates old row versions still visible to other transactions, e.g. the
    // text before a text → number conversion in the same transaction).
    case 'numeric':
      return {
        expr: `(CASE WHEN jsonb_typeof(${json}) = 'number' THEN ${text}::numeric END)`,
        kind: 'numeric',
        json,
      };
    case 'boolean':
      return {
        expr: `(CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN ${text}::boolean END)`,
        kind: 'boolean',
        json,
      };
    case 'textArray':
      return { expr: json, kind: 'jsonArray', json };
    case 'json':
      return { expr: json, kind: 'json', json };
  }
}

const SYSTEM_KIND: Record<string, SqlKind> = {
  id: 'uuid',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
  createdBy: 'uuid',
  ownerId: 'uuid',
  version: 'int',
};

/** A system field's column. `createdAt`/`updatedAt` are real timestamptz columns (params cast as such). */
export function systemExpr(key: string, alias: string = T): FieldSql | undefined {
  if (!isSystemFieldKey(key)) return undefined;
  const col = quoteIdent(systemFields[key].column);
  return { expr: alias ? `${alias}.${col}` : col, kind: SYSTEM_KIND[key] ?? 'text', column: true };
}

/**
 * The jsonb value of a lookup field: a correlated subquery on the related entity's table (live
 * records only). null when the relation or the target field is not usable.
 */
export function lookupExpr(
  ws: string,
  entity: EntityDefinition,
  field: FieldDefinition,
  resolveTarget: (key: string) => EntityDefinition | undefined,
  alias: string = T,
): string | null {
  const rel = entity.fields.find((f) => f.key === field.relation && f.type === 'relation');
  if (!rel?.target || !field.targetField) return null;
  const target = resolveTarget(rel.target);
  if (!target) return null;
  const tf = target.fields.find((f) => f.key === field.targetField);
  if (!tf || tf.type === 'lookup') return null;
  const table = entityTable(ws, target.key);
  const value = `r.data->${fieldLiteral(tf.key)}`;
  const relJson = `${alias}.data->${fieldLiteral(rel.key)}`;
  if (rel.multiple) {
    return `(SELECT jsonb_agg(${value} ORDER BY x.ord) FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(${relJson}) = 'array' THEN ${relJson} ELSE '[]'::jsonb END) WITH ORDINALITY AS x(rid, ord) JOIN ${table} r ON r.id = ${safeUuid('x.rid')} AND r.deleted_at IS NULL)`;
  }
  return `(SELECT ${value} FROM ${table} r WHERE r.id = ${safeUuid(`(${alias}.data->>${fieldLiteral(rel.key)})`)} AND r.deleted_at IS NULL)`;
}

/** `text::uuid`, or NULL for text that is not a UUID (PostgreSQL 15 has no pg_input_is_valid). */
export function safeUuid(textExpr: string): string {
  return `(CASE WHEN ${textExpr} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${textExpr})::uuid END)`;
}

export function isComputed(field: FieldDefinition): boolean {
  return getFieldType(field.type)?.computed ?? false;
}
