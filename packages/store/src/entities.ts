/**
 * Entities: definitions stored per workspace (`_entities`, every version in `_entity_versions`), each
 * with its table `ws_<key>."e_<entity>"`. A definition change goes through `diffEntity`: destructive
 * changes are refused unless confirmed; otherwise ONE transaction saves the new version, rewrites the
 * values of converted fields, recomputes formulas / normalised keys / search columns, and creates or
 * drops indexes. Data of removed fields is never deleted: it stays in each record's jsonb, hidden and
 * not queryable, and comes back if a field with the same key and a compatible type is added again.
 */
import {
  type ChangeAnalysis,
  computeRecord,
  convertValue,
  DomainError,
  diffEntity,
  type EntityDefinition,
  type FieldDefinition,
  getFieldType,
  type Issue,
  parseEntityDefinition,
  type SchemaChange,
} from '@formwork/metadata';
import { type LoadedEntity, m, mapMissingWorkspace, type StoreContext } from './context.js';
import type { Db } from './db.js';
import { createEntityTableSql, indexChanges } from './ddl.js';
import { entityTable, fieldLiteral, isEntityKey, isWorkspaceKey, workspaceSchema } from './ident.js';
import { type CompileContext, filterSql } from './query/compile.js';
import { T } from './query/fields.js';
import { SqlParams } from './query/params.js';
import { normOf, sameJson, searchOf } from './record-data.js';
import type { Principal } from './types.js';

export type StoredEntity = EntityDefinition & { version: number; createdAt: string; updatedAt: string };

export type AnalysedChange = SchemaChange & { affectedCount: number | null };
export interface EntityAnalysis {
  changes: AnalysedChange[];
  destructive: boolean;
}

type EntityRow = {
  key: string;
  version: number;
  definition: EntityDefinition;
  created_at: Date;
  updated_at: Date;
};

const META_KEYS = ['version', 'createdAt', 'updatedAt'];
/** Changes that touch neither stored values nor derived columns. */
const METADATA_ONLY = new Set([
  'renameLabel',
  'changeDisplay',
  'reorderFields',
  'changeEntity',
  'changeRules',
  'changeIndex',
]);
const REWRITE_BATCH = 500;

function toStored(r: EntityRow): StoredEntity {
  return {
    ...r.definition,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function parse(input: unknown): EntityDefinition {
  let value = input;
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    for (const k of META_KEYS) delete copy[k];
    value = copy;
  }
  const r = parseEntityDefinition(value);
  if (!r.ok) throw new DomainError('VALIDATION_FAILED', {}, r.issues);
  return r.value;
}

function checkWs(ws: string) {
  if (!isWorkspaceKey(ws)) throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
}

function searchableKeys(def: EntityDefinition): string {
  return def.fields
    .filter((f) => getFieldType(f.type)?.searchable)
    .map((f) => f.key)
    .join(',');
}
function normKeys(def: EntityDefinition): string {
  return def.fields
    .filter((f) => f.unique || f.dedupe)
    .map((f) => `${f.key}:${f.type}`)
    .join(',');
}

export function entitiesApi(ctx: StoreContext) {
  async function lockCurrent(tx: Db, ws: string, key: string): Promise<EntityRow> {
    if (!isEntityKey(key)) throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
    const rows = await tx.query<EntityRow>(
      `SELECT key, version, definition, created_at, updated_at FROM ${workspaceSchema(ws)}._entities
        WHERE key = $1 AND deleted_at IS NULL FOR UPDATE`,
      [key],
    );
    if (!rows[0]) throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
    return rows[0];
  }

  /** Counts, in one scan, the live records each change affects. */
  async function countAffected(
    q: Db,
    ws: string,
    cur: EntityDefinition,
    next: EntityDefinition,
    analysis: ChangeAnalysis,
  ): Promise<AnalysedChange[]> {
    const p = new SqlParams();
    const aggs: string[] = [];
    const slot: (number | null)[] = [];
    const tz = ctx.timeZone;
    for (const c of analysis.changes) {
      if (!c.affected) {
        slot.push(null);
        continue;
      }
      const def = c.affectedOn === 'next' ? next : cur;
      const cc: CompileContext = { ws, entity: def, now: ctx.now(), timeZone: tz };
      try {
        const pred = filterSql(cc, c.affected, p);
        slot.push(aggs.length);
        aggs.push(`count(*) FILTER (WHERE ${pred}) AS c${aggs.length}`);
      } catch {
        slot.push(null);
      }
    }
    let counts: Record<string, number> = {};
    if (aggs.length) {
      const rows = await q.query<Record<string, number>>(
        `SELECT ${aggs.join(', ')} FROM ${entityTable(ws, cur.key)} ${T} WHERE ${T}.deleted_at IS NULL`,
        p.values,
      );
      counts = rows[0] ?? {};
    }
    const out: AnalysedChange[] = [];
    for (const [i, c] of analysis.changes.entries()) {
      const s = slot[i];
      let affectedCount = s === null || s === undefined ? null : Number(counts[`c${s}`] ?? 0);
      if (c.check === 'duplicates' && c.field) {
        const f = next.fields.find((x) => x.key === c.field);
        if (f) affectedCount = await countDuplicates(q, ws, cur.key, f);
      }
      out.push({ ...c, affectedCount });
    }
    return out;
  }

  /** Live records whose value of `field` shares its normalised key with another live record. */
  async function countDuplicates(q: Db, ws: string, entity: string, field: FieldDefinition): Promise<number> {
    const type = getFieldType(field.type);
    if (!type) return 0;
    const rows = await q.query<{ v: unknown }>(
      `SELECT data->${fieldLiteral(field.key)} AS v FROM ${entityTable(ws, entity)} WHERE deleted_at IS NULL AND data ? $1`,
      [field.key],
    );
    const seen = new Map<string, number>();
    for (const r of rows) {
      const k = type.dedupeKey(r.v, field);
      if (k !== null) seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    let n = 0;
    for (const c of seen.values()) if (c > 1) n += c;
    return n;
  }

  /** Rewrites stored values for a definition change: conversions, formulas, norm and search columns. */
  async function rewrite(
    tx: Db,
    ws: string,
    cur: EntityDefinition,
    next: EntityDefinition,
    analysis: ChangeAnalysis,
    tz: string,
  ) {
    const curFields = new Map(cur.fields.map((f) => [f.key, f]));
    const converting = new Set<string>();
    for (const c of analysis.changes) {
      if (c.convert && c.field) converting.add(c.field.split('.')[0] as string);
    }
    const recompute = next.fields.some((f) => f.type === 'formula' || f.type === 'subform');
    const table = entityTable(ws, cur.key);
    const now = ctx.now();
    let after: string | null = null;
    for (;;) {
      const rows: { id: string; data: Record<string, unknown>; norm: unknown; search_text: string }[] =
        await tx.query(
          `SELECT id, data, norm, search_text FROM ${table} ${after ? 'WHERE id > $2::uuid' : 'WHERE $2::uuid IS NULL'} ORDER BY id LIMIT $1`,
          [REWRITE_BATCH, after],
        );
      if (rows.length === 0) break;
      const updates: {
        id: string;
        data: Record<string, unknown>;
        norm: unknown;
        text: string;
        tokens: string[];
      }[] = [];
      for (const r of rows) {
        const data: Record<string, unknown> = { ...r.data };
        for (const f of next.fields) {
          if (!Object.hasOwn(data, f.key)) continue;
          const from = curFields.get(f.key);
          if (from && !converting.has(f.key)) continue;
          // converted field, or a re-added key whose old values must fit the new type
          const res = convertValue(data[f.key], from ?? f, f);
          if (res.ok && res.value !== null) data[f.key] = res.value;
          else delete data[f.key];
        }
        let full = data;
        if (recompute) {
          const computed = computeRecord(next, data, { now, timeZone: tz }).data;
          full = { ...data };
          for (const f of next.fields) {
            if (f.type !== 'formula' && f.type !== 'subform') continue;
            const v = computed[f.key];
            if (v === null || v === undefined) delete full[f.key];
            else full[f.key] = v;
          }
        }
        const norm = normOf(next, full);
        const search = searchOf(next, full);
        if (!sameJson(full, r.data) || !sameJson(norm, r.norm) || search.text !== r.search_text) {
          updates.push({ id: r.id, data: full, norm, text: search.text, tokens: search.tokens });
        }
      }
      if (updates.length) {
        await tx.query(
          `UPDATE ${table} ${T} SET data = x.data, norm = x.norm, search_text = x.text,
                  search_tokens = ARRAY(SELECT jsonb_array_elements_text(x.tokens))
             FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, data jsonb, norm jsonb, text text, tokens jsonb)
            WHERE ${T}.id = x.id`,
          [updates],
        );
      }
      after = rows[rows.length - 1]?.id ?? null;
      if (rows.length < REWRITE_BATCH) break;
    }
  }

  async function syncIndexes(tx: Db, ws: string, def: EntityDefinition) {
    const existing = await tx.query<{ indexname: string }>(
      'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
      [`ws_${ws}`, `e_${def.key}`],
    );
    const { drop, create } = indexChanges(
      ws,
      def,
      existing.map((r) => r.indexname),
    );
    for (const sql of drop) await tx.query(sql);
    for (const idx of create) {
      try {
        await tx.query(idx.sql);
      } catch (e) {
        const f = idx.field ? def.fields.find((x) => x.key === idx.field) : undefined;
        if (idx.kind === 'unique' && f && (e as { code?: string }).code === '23505') {
          throw new DomainError('UNIQUE_VIOLATION', { field: f.key }, [
            {
              field: f.key,
              code: 'unique',
              message: m(
                `${f.key} 已有重复的值，无法设为唯一`,
                `${f.key} has duplicate values and cannot be made unique`,
              ),
            },
          ]);
        }
        throw e;
      }
    }
  }

  const api = {
    async list(ws: string): Promise<StoredEntity[]> {
      checkWs(ws);
      try {
        const rows = await ctx.db.query<EntityRow>(
          `SELECT key, version, definition, created_at, updated_at FROM ${workspaceSchema(ws)}._entities
            WHERE deleted_at IS NULL ORDER BY key`,
        );
        return rows.map(toStored);
      } catch (e) {
        mapMissingWorkspace(e, ws);
      }
    },

    async get(ws: string, key: string): Promise<StoredEntity> {
      checkWs(ws);
      if (!isEntityKey(key)) throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
      let rows: EntityRow[];
      try {
        rows = await ctx.db.query<EntityRow>(
          `SELECT key, version, definition, created_at, updated_at FROM ${workspaceSchema(ws)}._entities
            WHERE key = $1 AND deleted_at IS NULL`,
          [key],
        );
      } catch (e) {
        mapMissingWorkspace(e, ws);
      }
      if (!rows[0]) throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
      return toStored(rows[0]);
    },

    async create(ws: string, principal: Principal, input: unknown): Promise<StoredEntity> {
      checkWs(ws);
      const def = parse(input);
      try {
        return await ctx.db.transaction(async (tx) => {
          const now = ctx.now().toISOString();
          const ins = await tx.query<EntityRow>(
            `INSERT INTO ${workspaceSchema(ws)}._entities (key, version, definition, created_at, updated_at)
             VALUES ($1, 1, $2::jsonb, $3::timestamptz, $3::timestamptz) ON CONFLICT (key) DO NOTHING
             RETURNING key, version, definition, created_at, updated_at`,
            [def.key, def, now],
          );
          if (!ins[0]) throw new DomainError('ENTITY_EXISTS', { entity: def.key });
          await tx.query(
            `INSERT INTO ${workspaceSchema(ws)}._entity_versions (key, version, definition, created_at, created_by)
             VALUES ($1, 1, $2::jsonb, $3::timestamptz, $4::uuid)`,
            [def.key, def, now, principalId(principal)],
          );
          for (const sql of createEntityTableSql(ws, def)) await tx.query(sql);
          ctx.forget(ws, def.key);
          return toStored(ins[0]);
        });
      } catch (e) {
        mapMissingWorkspace(e, ws);
      }
    },

    /** What changing `key` to `input` would do, with the number of live records each change affects. */
    async analyse(ws: string, key: string, input: unknown): Promise<EntityAnalysis> {
      const cur = await api.get(ws, key);
      const next = parse(input);
      sameKey(key, next);
      const { version: _v, createdAt: _c, updatedAt: _u, ...curDef } = cur;
      const analysis = diffEntity(curDef, next);
      return {
        changes: await countAffected(ctx.db, ws, curDef, next, analysis),
        destructive: analysis.destructive,
      };
    },

    async update(
      ws: string,
      principal: Principal,
      key: string,
      input: unknown,
      opts: { confirm?: boolean } = {},
    ): Promise<StoredEntity & { analysis: EntityAnalysis }> {
      checkWs(ws);
      const next = parse(input);
      sameKey(key, next);
      try {
        const result = await ctx.db.transaction(async (tx) => {
          const row = await lockCurrent(tx, ws, key);
          const cur = row.definition;
          const diff = diffEntity(cur, next);
          const changes = await countAffected(tx, ws, cur, next, diff);
          const analysis: EntityAnalysis = { changes, destructive: diff.destructive };
          if (diff.destructive && !opts.confirm) throw new DomainError('DESTRUCTIVE_CHANGE', { analysis });
          if (diff.changes.length === 0 && sameJson(cur, next)) return { ...toStored(row), analysis };
          for (const c of changes) {
            if (c.check === 'duplicates' && c.field && (c.affectedCount ?? 0) > 0) {
              const issue: Issue = {
                field: c.field,
                code: 'unique',
                message: m(
                  `${c.field} 已有 ${c.affectedCount} 条记录的值重复，无法设为唯一`,
                  `${c.field}: ${c.affectedCount} records share a value, so it cannot be made unique`,
                ),
              };
              throw new DomainError('UNIQUE_VIOLATION', { field: c.field, duplicates: c.affectedCount }, [
                issue,
              ]);
            }
          }
          const now = ctx.now().toISOString();
          const version = row.version + 1;
          const [saved] = await tx.query<EntityRow>(
            `UPDATE ${workspaceSchema(ws)}._entities SET version = $2, definition = $3::jsonb, updated_at = $4::timestamptz
              WHERE key = $1 RETURNING key, version, definition, created_at, updated_at`,
            [key, version, next, now],
          );
          await tx.query(
            `INSERT INTO ${workspaceSchema(ws)}._entity_versions (key, version, definition, created_at, created_by)
             VALUES ($1, $2, $3::jsonb, $4::timestamptz, $5::uuid)`,
            [key, version, next, now, principalId(principal)],
          );
          const needsRewrite =
            diff.changes.some((c) => !METADATA_ONLY.has(c.kind) || c.convert || c.recompute) ||
            searchableKeys(cur) !== searchableKeys(next) ||
            normKeys(cur) !== normKeys(next);
          if (needsRewrite) {
            const tz = (await loadTz(tx, ws)) ?? ctx.timeZone;
            await rewrite(tx, ws, cur, next, diff, tz);
          }
          await syncIndexes(tx, ws, next);
          return { ...toStored(saved as EntityRow), analysis };
        });
        ctx.forget(ws, key);
        return result;
      } catch (e) {
        mapMissingWorkspace(e, ws);
      }
    },

    /** Soft delete: the definition is hidden; the table and its records stay. */
    async remove(ws: string, principal: Principal, key: string): Promise<{ key: string; deleted: true }> {
      checkWs(ws);
      void principal;
      if (!isEntityKey(key)) throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
      let rows: { key: string }[];
      try {
        rows = await ctx.db.query(
          `UPDATE ${workspaceSchema(ws)}._entities SET deleted_at = $2::timestamptz WHERE key = $1 AND deleted_at IS NULL RETURNING key`,
          [key, ctx.now().toISOString()],
        );
      } catch (e) {
        mapMissingWorkspace(e, ws);
      }
      if (!rows[0]) throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
      ctx.forget(ws, key);
      return { key, deleted: true };
    },

    /** Every saved version of a definition, newest first. */
    async versions(
      ws: string,
      key: string,
    ): Promise<
      { version: number; definition: EntityDefinition; createdAt: string; createdBy: string | null }[]
    > {
      await api.get(ws, key);
      const rows = await ctx.db.query<{
        version: number;
        definition: EntityDefinition;
        created_at: Date;
        created_by: string | null;
      }>(
        `SELECT version, definition, created_at, created_by FROM ${workspaceSchema(ws)}._entity_versions WHERE key = $1 ORDER BY version DESC`,
        [key],
      );
      return rows.map((r) => ({
        version: r.version,
        definition: r.definition,
        createdAt: r.created_at.toISOString(),
        createdBy: r.created_by,
      }));
    },
  };
  return api;
}

async function loadTz(q: Db, ws: string): Promise<string | undefined> {
  const rows = await q.query<{ tz: string | null }>(
    `SELECT settings->>'timeZone' AS tz FROM formwork.workspaces WHERE key = $1`,
    [ws],
  );
  return rows[0]?.tz ?? undefined;
}

function sameKey(key: string, next: EntityDefinition) {
  if (next.key !== key) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      {
        field: 'key',
        code: 'keyChanged',
        message: m('表单标识不能修改', 'The entity key cannot be changed'),
      },
    ]);
  }
}

function principalId(p: Principal): string | null {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(p.userId) ? p.userId : null;
}

export type { LoadedEntity };
