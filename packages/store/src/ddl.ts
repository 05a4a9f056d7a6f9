/**
 * DDL derived from an entity definition, by pure functions. Identifiers are validated and quoted;
 * index names carry a hash of their definition, so a changed index gets a new name and updating an
 * entity is "drop the names that are no longer wanted, create the missing ones".
 */
import { createHash } from 'node:crypto';
import { type EntityDefinition, type FieldDefinition, getFieldType } from '@formwork/metadata';
import { entityTable, fieldLiteral, quoteIdent } from './ident.js';
import { dataExpr } from './query/fields.js';

export interface IndexDef {
  name: string;
  /** The field it serves (unique/dedupe/indexed), if any. */
  field?: string;
  kind: 'created' | 'search' | 'owner' | 'department' | 'indexed' | 'unique' | 'dedupe';
  sql: string;
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

function indexName(kind: string, entity: string, field: string | undefined, body: string): string {
  const base = `${kind}_${entity}${field ? `_${field}` : ''}`.toLowerCase().slice(0, 48);
  return `${base}_${hash(`${kind}|${entity}|${field ?? ''}|${body}`)}`;
}

function make(
  ws: string,
  entity: string,
  kind: IndexDef['kind'],
  field: string | undefined,
  body: string,
  unique = false,
): IndexDef {
  const name = indexName(kind, entity, field, body);
  return {
    name,
    kind,
    ...(field ? { field } : {}),
    sql: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(name)} ON ${entityTable(ws, entity)} ${body}`,
  };
}

const LIVE = 'WHERE deleted_at IS NULL';

/** Every index the entity's table should have. */
export function entityIndexes(ws: string, entity: EntityDefinition): IndexDef[] {
  const out: IndexDef[] = [
    make(ws, entity.key, 'created', undefined, '(created_at, id)'),
    make(ws, entity.key, 'search', undefined, 'USING gin (search_tokens)'),
    // Data scopes (own / department / department and below) filter on these columns.
    make(ws, entity.key, 'owner', undefined, '(owner_id)'),
    make(ws, entity.key, 'department', undefined, '(department_id)'),
  ];
  for (const f of entity.fields) {
    const type = getFieldType(f.type);
    if (!type) continue;
    if (f.unique) {
      out.push(make(ws, entity.key, 'unique', f.key, `((norm->>${fieldLiteral(f.key)})) ${LIVE}`, true));
    } else if (f.dedupe) {
      out.push(make(ws, entity.key, 'dedupe', f.key, `((norm->>${fieldLiteral(f.key)})) ${LIVE}`));
    }
    if (f.indexed && type.indexable) {
      const e = dataExpr(f, '');
      // Not partial: PostgreSQL keeps statistics of index expressions but ignores those of partial
      // indexes, and without them the planner misjudges filters on these fields.
      const body = e.kind === 'jsonArray' ? `USING gin (${e.expr})` : `((${e.expr}))`;
      out.push(make(ws, entity.key, 'indexed', f.key, body));
    }
  }
  return out;
}

/** CREATE TABLE + its indexes for a new entity. */
export function createEntityTableSql(ws: string, entity: EntityDefinition): string[] {
  const table = entityTable(ws, entity.key);
  return [
    `CREATE TABLE ${table} (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  department_id uuid,
  version int NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  data jsonb NOT NULL,
  norm jsonb NOT NULL DEFAULT '{}'::jsonb,
  search_text text NOT NULL DEFAULT '',
  search_tokens text[] NOT NULL DEFAULT '{}'
)`,
    ...entityIndexes(ws, entity).map((i) => i.sql),
  ];
}

/** The statements that bring the indexes from `existing` names to what `entity` wants. */
export function indexChanges(
  ws: string,
  entity: EntityDefinition,
  existing: readonly string[],
): { drop: string[]; create: IndexDef[] } {
  const wanted = entityIndexes(ws, entity);
  const wantedNames = new Set(wanted.map((i) => i.name));
  const have = new Set(existing);
  const schema = `"ws_${ws}"`;
  return {
    drop: existing
      .filter((n) => !wantedNames.has(n) && !n.endsWith('_pkey'))
      .map((n) => `DROP INDEX IF EXISTS ${schema}.${quoteIdent(n)}`),
    create: wanted.filter((i) => !have.has(i.name)),
  };
}

/** The unique field an index name belongs to (maps a 23505 violation to its field). */
export function uniqueFieldOfIndex(
  ws: string,
  entity: EntityDefinition,
  name: string | undefined,
): FieldDefinition | undefined {
  if (!name) return undefined;
  const idx = entityIndexes(ws, entity).find((i) => i.name === name && i.kind === 'unique');
  return idx ? entity.fields.find((f) => f.key === idx.field) : undefined;
}
