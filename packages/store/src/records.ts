/**
 * Records: create, read, list, update, delete, restore, history, bulk create, duplicates. Every read
 * and write goes through `readRecords` / the compiled list query or an UPDATE that carries the
 * scope predicate, so permissions apply in one place. Writes and their audit rows are one statement
 * (a data-modifying CTE) or one transaction.
 */
import {
  autoNumberPeriod,
  checkRules,
  compileEntityCached,
  computeRecord,
  DomainError,
  type EntityDefinition,
  type FieldDefinition,
  type FilterNode,
  formatAutoNumber,
  getFieldType,
  type Issue,
  parseSort,
  validateFilter,
} from '@formwork/metadata';
import { type LoadedEntity, m, type StoreContext } from './context.js';
import { type Db, pgErrorInfo } from './db.js';
import { uniqueFieldOfIndex } from './ddl.js';
import { entityTable, fieldLiteral, workspaceSchema } from './ident.js';
import {
  baseWhere,
  type CompileContext,
  compileList,
  encodeCursor,
  recordColumnsSql,
} from './query/compile.js';
import { T } from './query/fields.js';
import { SqlParams } from './query/params.js';
import {
  changesBetween,
  normOf,
  type RecordRow,
  relationIssue,
  searchOf,
  toRecord,
  uniqueIssue,
} from './record-data.js';
import type { Principal } from './types.js';
import { isUuid, uuidv7 } from './uuid.js';

export type WriteSource = 'api' | 'form' | 'import' | 'workflow' | 'automation';
const SOURCES: readonly string[] = ['api', 'form', 'import', 'workflow', 'automation'];

export interface WriteOptions {
  source?: WriteSource;
  requestId?: string;
}

export interface ListOptions {
  filter?: unknown;
  sort?: unknown;
  limit?: unknown;
  cursor?: unknown;
  q?: unknown;
  deleted?: boolean;
}

export interface ListResult {
  items: Record<string, unknown>[];
  nextCursor: string | null;
  total: number;
}

export interface HistoryEntry {
  id: number;
  action: 'create' | 'update' | 'delete' | 'restore';
  actor: string | null;
  source: string;
  requestId: string | null;
  at: string;
  changes: { field: string; before: unknown; after: unknown }[];
}

export const MAX_BULK = 1000;
const SYSTEM_INPUT_KEYS = new Set(['id', 'createdAt', 'updatedAt', 'createdBy', 'version', 'deletedAt']);

function bad(field: string, zh: string, en: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('BAD_REQUEST', details, [{ field, code: 'invalid', message: m(zh, en) }]);
}

function sourceOf(opts: WriteOptions | undefined): WriteSource {
  const s = opts?.source ?? 'api';
  if (!SOURCES.includes(s)) throw bad('source', '来源无效', 'Invalid source');
  return s;
}

function requestIdOf(opts: WriteOptions | undefined): string | null {
  const r = opts?.requestId;
  return typeof r === 'string' && r.length > 0 ? r.slice(0, 200) : null;
}

const uuidOrNull = (v: unknown) => (isUuid(v) ? v.toLowerCase() : null);

/** Splits API input into field data and the writable system field `ownerId`. */
function splitInput(
  input: unknown,
  prefix = '',
): { data: Record<string, unknown>; owner?: unknown; issues: Issue[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      data: {},
      issues: [
        {
          field: prefix.replace(/\.$/, ''),
          code: 'type',
          message: m('记录必须是 JSON 对象', 'A record must be a JSON object'),
        },
      ],
    };
  }
  const data: Record<string, unknown> = {};
  let owner: unknown;
  let hasOwner = false;
  const issues: Issue[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') {
      issues.push({
        field: `${prefix}${k}`,
        code: 'unknownField',
        message: m(`未知字段 ${k}`, `Unknown field ${k}`),
      });
    } else if (k === 'ownerId') {
      owner = v;
      hasOwner = true;
    } else if (!SYSTEM_INPUT_KEYS.has(k)) data[k] = v;
  }
  if (hasOwner && owner !== null && !isUuid(owner)) {
    issues.push({
      field: `${prefix}ownerId`,
      code: 'type',
      message: m('负责人 ID 无效', 'Owner id is not a valid id'),
    });
  }
  return hasOwner ? { data, owner, issues } : { data, issues };
}

function withoutNulls(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function validationFailed(issues: Issue[], details: Record<string, unknown> = {}): DomainError {
  return new DomainError('VALIDATION_FAILED', details, issues);
}

function mapWriteError(e: unknown, ws: string, def: EntityDefinition): never {
  const info = pgErrorInfo(e);
  if (info?.code === '23505') {
    const f = uniqueFieldOfIndex(ws, def, info.constraint);
    if (f) throw new DomainError('UNIQUE_VIOLATION', { field: f.key }, [uniqueIssue(f)]);
  }
  throw e;
}

const AUDIT_COLUMNS = '(entity, record_id, action, actor, source, request_id, at, changes)';

export function recordsApi(ctx: StoreContext) {
  const cacheKey = (ws: string, l: LoadedEntity) => `${ws}:${l.def.key}:${l.version}`;

  /** The compile context, with the definitions of lookup targets loaded. */
  async function compileCtx(q: Db, ws: string, l: LoadedEntity): Promise<CompileContext> {
    const targets = new Map<string, EntityDefinition>();
    const lookups = l.def.fields.filter((f) => f.type === 'lookup');
    for (const lf of lookups) {
      const rel = l.def.fields.find((f) => f.key === lf.relation && f.type === 'relation');
      if (!rel?.target || targets.has(rel.target)) continue;
      if (rel.target === l.def.key) {
        targets.set(rel.target, l.def);
        continue;
      }
      try {
        targets.set(rel.target, (await ctx.loadEntity(q, ws, rel.target)).def);
      } catch (e) {
        if (!(e instanceof DomainError && e.code === 'ENTITY_NOT_FOUND')) throw e;
      }
    }
    return { ws, entity: l.def, now: ctx.now(), timeZone: l.timeZone, resolveTarget: (k) => targets.get(k) };
  }

  /** THE read path: records of `entity` matching `where`, within the principal's scope. */
  async function readRecords(
    q: Db,
    ws: string,
    principal: Principal,
    l: LoadedEntity,
    opts: {
      where?: (p: SqlParams) => string;
      deleted: boolean | 'any';
      limit?: number;
      extraColumns?: (p: SqlParams) => string;
      order?: string;
      forUpdate?: boolean;
    },
  ): Promise<(RecordRow & Record<string, unknown>)[]> {
    const cc = await compileCtx(q, ws, l);
    const p = new SqlParams();
    let where = baseWhere(cc, { deleted: opts.deleted, scope: (pp) => ctx.scope(principal, l.def, pp) }, p);
    if (opts.where) where += ` AND ${opts.where(p)}`;
    const extra = opts.extraColumns ? `, ${opts.extraColumns(p)}` : '';
    const sql = `SELECT ${recordColumnsSql(cc)}, ${T}.updated_by${extra} FROM ${entityTable(ws, l.def.key)} ${T} WHERE ${where}${
      opts.order ? ` ORDER BY ${opts.order}` : ''
    }${opts.limit ? ` LIMIT ${Math.floor(opts.limit)}` : ''}${opts.forUpdate ? ' FOR UPDATE' : ''}`;
    return q.query(sql, p.values);
  }

  async function readOne(
    q: Db,
    ws: string,
    principal: Principal,
    l: LoadedEntity,
    id: string,
    deleted: boolean | 'any',
  ) {
    if (!isUuid(id)) return undefined;
    const rows = await readRecords(q, ws, principal, l, {
      where: (p) => `${T}.id = ${p.add(id.toLowerCase(), 'uuid')}`,
      deleted,
    });
    return rows[0];
  }

  /** Relation values must name live (and visible) records of the target entity. */
  async function relationIssues(
    q: Db,
    ws: string,
    principal: Principal,
    def: EntityDefinition,
    rows: { data: Record<string, unknown>; prefix: string }[],
  ): Promise<Issue[]> {
    const issues: Issue[] = [];
    for (const f of def.fields) {
      if (f.type !== 'relation' || !f.target) continue;
      const wanted = new Set<string>();
      for (const r of rows) for (const id of idsOf(r.data[f.key])) wanted.add(id);
      if (wanted.size === 0) continue;
      let found = new Set<string>();
      try {
        const target =
          f.target === def.key ? await ctx.loadEntity(q, ws, def.key) : await ctx.loadEntity(q, ws, f.target);
        const valid = [...wanted].filter((id) => isUuid(id));
        if (valid.length) {
          const p = new SqlParams();
          const scope = ctx.scope(principal, target.def, p);
          const rs = await q.query<{ id: string }>(
            `SELECT ${T}.id FROM ${entityTable(ws, target.def.key)} ${T}
              WHERE ${T}.id = ANY(${p.add(valid, 'uuid[]')}) AND ${T}.deleted_at IS NULL${scope === 'TRUE' ? '' : ` AND (${scope})`}`,
            p.values,
          );
          found = new Set(rs.map((r) => r.id));
        }
      } catch (e) {
        if (!(e instanceof DomainError && e.code === 'ENTITY_NOT_FOUND')) throw e;
      }
      for (const r of rows) {
        if (idsOf(r.data[f.key]).some((id) => !found.has(id))) issues.push(relationIssue(f, r.prefix));
      }
    }
    return issues;
  }

  /** Reserves `count` consecutive numbers of every auto-number field, in the caller's transaction. */
  async function autoNumbers(
    q: Db,
    ws: string,
    l: LoadedEntity,
    now: Date,
    count: number,
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const f of l.def.fields) {
      if (f.type !== 'autoNumber' || !f.pattern) continue;
      const period = autoNumberPeriod(f.pattern, now, l.timeZone);
      const [row] = await q.query<{ value: number }>(
        `INSERT INTO ${workspaceSchema(ws)}._autonumber AS a (entity, field, period, value) VALUES ($1, $2, $3, $4)
         ON CONFLICT (entity, field, period) DO UPDATE SET value = a.value + EXCLUDED.value RETURNING value`,
        [l.def.key, f.key, period, count],
      );
      const last = Number(row?.value ?? count);
      out.set(
        f.key,
        Array.from({ length: count }, (_, i) =>
          formatAutoNumber(f.pattern as string, last - count + 1 + i, now, l.timeZone),
        ),
      );
    }
    return out;
  }

  /** Validate + compute + rules for one input row (create). Returns data or issues. */
  function prepareCreate(
    ws: string,
    l: LoadedEntity,
    input: unknown,
    now: Date,
    prefix = '',
  ):
    | { ok: true; data: Record<string, unknown>; owner: string | null | undefined }
    | { ok: false; issues: Issue[] } {
    const split = splitInput(input, prefix);
    const issues = [...split.issues];
    if (
      issues.length &&
      Object.keys(split.data).length === 0 &&
      split.owner === undefined &&
      issues[0]?.code === 'type' &&
      issues[0].field === prefix.replace(/\.$/, '')
    ) {
      return { ok: false, issues };
    }
    const v = compileEntityCached(cacheKey(ws, l), l.def).validate(split.data, { mode: 'create' });
    if (!v.ok) issues.push(...v.issues.map((i) => ({ ...i, field: `${prefix}${i.field}` })));
    if (issues.length || !v.ok) return { ok: false, issues };
    const computed = computeRecord(l.def, v.value, { now, timeZone: l.timeZone }).data;
    const ruleIssues = checkRules(l.def, computed, { now, timeZone: l.timeZone });
    if (ruleIssues.length)
      return { ok: false, issues: ruleIssues.map((i) => ({ ...i, field: `${prefix}${i.field}` })) };
    const owner = split.owner === undefined ? undefined : uuidOrNull(split.owner);
    return { ok: true, data: withoutNulls(computed), owner };
  }

  function hasRelations(def: EntityDefinition, data: Record<string, unknown>): boolean {
    return def.fields.some((f) => f.type === 'relation' && idsOf(data[f.key]).length > 0);
  }

  const api = {
    async create(
      ws: string,
      principal: Principal,
      entity: string,
      input: unknown,
      opts: WriteOptions = {},
    ): Promise<Record<string, unknown>> {
      const source = sourceOf(opts);
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const now = ctx.now();
      const prepared = prepareCreate(ws, l, input, now);
      if (!prepared.ok) throw validationFailed(prepared.issues);
      const data = prepared.data;
      const autos = l.def.fields.some((f) => f.type === 'autoNumber' && f.pattern);
      const relations = hasRelations(l.def, data);
      const actor = uuidOrNull(principal.userId);
      const run = async (q: Db): Promise<RecordRow> => {
        if (relations) {
          const issues = await relationIssues(q, ws, principal, l.def, [{ data, prefix: '' }]);
          if (issues.length) throw validationFailed(issues);
        }
        if (autos)
          for (const [k, [v]] of await autoNumbers(q, ws, l, now, 1)) if (v !== undefined) data[k] = v;
        const cc = await compileCtx(q, ws, l);
        const search = searchOf(l.def, data);
        const rows = await q.query<RecordRow>(
          `WITH ins AS (
             INSERT INTO ${entityTable(ws, l.def.key)}
               (id, created_at, updated_at, created_by, updated_by, owner_id, department_id, version, data, norm, search_text, search_tokens)
             VALUES ($1::uuid, $2::timestamptz, $2::timestamptz, $3::uuid, $3::uuid, $4::uuid, $5::uuid, 1, $6::jsonb, $7::jsonb, $8::text, $9::text[])
             RETURNING *
           ), aud AS (
             INSERT INTO ${workspaceSchema(ws)}._audit ${AUDIT_COLUMNS}
             SELECT $10::text, ins.id, 'create', $3::uuid, $11::text, $12::text, $2::timestamptz, $13::jsonb FROM ins
           )
           SELECT ${recordColumnsSql(cc)} FROM ins ${T}`,
          [
            uuidv7(),
            now.toISOString(),
            actor,
            prepared.owner === undefined ? actor : prepared.owner,
            uuidOrNull(principal.departmentIds[0]),
            data,
            normOf(l.def, data),
            search.text,
            search.tokens,
            l.def.key,
            source,
            requestIdOf(opts),
            changesBetween(l.def, {}, data),
          ],
        );
        return rows[0] as RecordRow;
      };
      try {
        const row = autos || relations ? await ctx.db.transaction(run) : await run(ctx.db);
        return toRecord(l.def, row);
      } catch (e) {
        mapWriteError(e, ws, l.def);
      }
    },

    async get(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      opts: { includeDeleted?: boolean } = {},
    ): Promise<Record<string, unknown>> {
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const row = await readOne(ctx.db, ws, principal, l, id, opts.includeDeleted ? 'any' : false);
      if (!row) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
      return toRecord(l.def, row);
    },

    async list(
      ws: string,
      principal: Principal,
      entity: string,
      opts: ListOptions = {},
    ): Promise<ListResult> {
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const filter = parseFilterInput(l.def, opts.filter);
      const sort = parseSort(l.def, opts.sort ?? '');
      if (!sort.ok) throw new DomainError('BAD_REQUEST', {}, sort.issues);
      const limit = parseLimit(opts.limit);
      if (
        opts.cursor !== undefined &&
        opts.cursor !== null &&
        opts.cursor !== '' &&
        typeof opts.cursor !== 'string'
      ) {
        throw bad('cursor', '分页游标无效', 'Invalid cursor');
      }
      const q = parseQ(opts.q);
      const cc = await compileCtx(ctx.db, ws, l);
      const { sql, params, keys } = compileList(cc, {
        filter,
        sort: sort.value,
        cursor: typeof opts.cursor === 'string' && opts.cursor !== '' ? opts.cursor : undefined,
        q,
        limit,
        deleted: opts.deleted === true,
        scope: (p) => ctx.scope(principal, l.def, p),
      });
      const rows = await ctx.db.query<RecordRow & { total: number } & Record<string, unknown>>(sql, params);
      const found = rows.filter((r) => r.id !== null);
      const page = found.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => toRecord(l.def, r)),
        nextCursor: found.length > limit && last ? encodeCursor(keys, last) : null,
        total: Number(rows[0]?.total ?? 0),
      };
    },

    async update(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      patch: unknown,
      opts: WriteOptions & { version?: number } = {},
    ): Promise<Record<string, unknown>> {
      const source = sourceOf(opts);
      if (opts.version !== undefined && (!Number.isSafeInteger(opts.version) || opts.version < 1)) {
        throw bad('version', '版本号无效', 'Invalid version');
      }
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const cur = await readOne(ctx.db, ws, principal, l, id, false);
      if (!cur) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
      const conflict = (row: RecordRow & Record<string, unknown>) =>
        new DomainError('VERSION_CONFLICT', {
          currentVersion: row.version,
          updatedAt: row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at,
          updatedBy: row.updated_by ?? null,
        });
      if (opts.version !== undefined && opts.version !== cur.version) throw conflict(cur);
      const split = splitInput(patch);
      const compiled = compileEntityCached(cacheKey(ws, l), l.def);
      const v = compiled.validate(split.data, { mode: 'update' });
      const issues = [...split.issues, ...(v.ok ? [] : v.issues)];
      if (issues.length || !v.ok) throw validationFailed(issues);
      const now = ctx.now();
      const before = cur.data ?? {};
      const current: Record<string, unknown> = {};
      for (const f of l.def.fields) {
        if (f.type !== 'lookup' && Object.hasOwn(before, f.key)) current[f.key] = before[f.key];
      }
      const merged = { ...current, ...v.value };
      const full = compiled.validate(merged, { mode: 'create', allowComputed: true });
      if (!full.ok) throw validationFailed(full.issues);
      const withAutos = { ...full.value };
      for (const f of l.def.fields)
        if (f.type === 'autoNumber' && before[f.key] !== undefined) withAutos[f.key] = before[f.key];
      const computed = computeRecord(l.def, withAutos, { now, timeZone: l.timeZone }).data;
      const ruleIssues = checkRules(l.def, computed, { now, timeZone: l.timeZone });
      if (ruleIssues.length) throw validationFailed(ruleIssues);
      // Values of fields no longer in the definition stay in the jsonb, untouched.
      const next: Record<string, unknown> = { ...before };
      for (const f of l.def.fields) {
        if (f.type === 'lookup') continue;
        const nv = computed[f.key];
        if (nv === null || nv === undefined) delete next[f.key];
        else next[f.key] = nv;
      }
      const changes = changesBetween(l.def, before, next);
      const owner = split.owner === undefined ? cur.owner_id : uuidOrNull(split.owner);
      if (owner !== cur.owner_id) changes.push({ field: 'ownerId', before: cur.owner_id, after: owner });
      if (changes.length === 0) return toRecord(l.def, cur);
      const changedRelations = l.def.fields.some(
        (f) =>
          f.type === 'relation' && changes.some((c) => c.field === f.key) && idsOf(next[f.key]).length > 0,
      );
      if (changedRelations) {
        const onlyChanged: Record<string, unknown> = {};
        for (const c of changes) onlyChanged[c.field] = next[c.field];
        const ri = await relationIssues(ctx.db, ws, principal, l.def, [{ data: onlyChanged, prefix: '' }]);
        if (ri.length) throw validationFailed(ri);
      }
      const cc = await compileCtx(ctx.db, ws, l);
      const p = new SqlParams();
      const search = searchOf(l.def, next);
      const actor = uuidOrNull(principal.userId);
      const scope = ctx.scope(principal, l.def, p);
      const sql = `WITH up AS (
          UPDATE ${entityTable(ws, l.def.key)} ${T}
             SET data = ${p.add(next, 'jsonb')}, norm = ${p.add(normOf(l.def, next), 'jsonb')},
                 search_text = ${p.add(search.text, 'text')}, search_tokens = ${p.add(search.tokens, 'text[]')},
                 owner_id = ${p.add(owner, 'uuid')}, version = ${T}.version + 1,
                 updated_at = ${p.add(now.toISOString(), 'timestamptz')}, updated_by = ${p.add(actor, 'uuid')}
           WHERE ${T}.id = ${p.add(cur.id, 'uuid')} AND ${T}.version = ${p.add(cur.version, 'int')}
             AND ${T}.deleted_at IS NULL${scope === 'TRUE' ? '' : ` AND (${scope})`}
          RETURNING ${T}.*
        ), aud AS (
          INSERT INTO ${workspaceSchema(ws)}._audit ${AUDIT_COLUMNS}
          SELECT ${p.add(l.def.key, 'text')}, up.id, 'update', ${p.add(actor, 'uuid')}, ${p.add(source, 'text')},
                 ${p.add(requestIdOf(opts), 'text')}, ${p.add(now.toISOString(), 'timestamptz')}, ${p.add(changes, 'jsonb')} FROM up
        )
        SELECT ${recordColumnsSql(cc)} FROM up ${T}`;
      let rows: RecordRow[];
      try {
        rows = await ctx.db.query<RecordRow>(sql, p.values);
      } catch (e) {
        mapWriteError(e, ws, l.def);
      }
      if (rows[0]) return toRecord(l.def, rows[0]);
      const now2 = await readOne(ctx.db, ws, principal, l, id, false);
      if (!now2) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
      throw conflict(now2);
    },

    async remove(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      opts: WriteOptions & { version?: number } = {},
    ): Promise<Record<string, unknown>> {
      return softDelete(ws, principal, entity, id, opts, 'delete');
    },

    async restore(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      opts: WriteOptions & { version?: number } = {},
    ): Promise<Record<string, unknown>> {
      return softDelete(ws, principal, entity, id, opts, 'restore');
    },

    async history(ws: string, principal: Principal, entity: string, id: string): Promise<HistoryEntry[]> {
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const row = await readOne(ctx.db, ws, principal, l, id, 'any');
      if (!row) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
      const rows = await ctx.db.query<{
        id: number;
        action: HistoryEntry['action'];
        actor: string | null;
        source: string;
        request_id: string | null;
        at: Date;
        changes: HistoryEntry['changes'];
      }>(
        `SELECT id, action, actor, source, request_id, at, changes FROM ${workspaceSchema(ws)}._audit
          WHERE entity = $1 AND record_id = $2::uuid ORDER BY id DESC LIMIT 1000`,
        [l.def.key, row.id],
      );
      return rows.map((r) => ({
        id: Number(r.id),
        action: r.action,
        actor: r.actor,
        source: r.source,
        requestId: r.request_id,
        at: r.at.toISOString(),
        changes: r.changes,
      }));
    },

    /** Up to 1,000 records, all or nothing; every row's problems are reported at once. */
    async bulkCreate(
      ws: string,
      principal: Principal,
      entity: string,
      rows: unknown,
      opts: WriteOptions = {},
    ): Promise<{ items: Record<string, unknown>[]; count: number }> {
      const source = sourceOf(opts);
      if (!Array.isArray(rows)) throw bad('', '须为记录数组', 'Expected an array of records');
      if (rows.length === 0) return { items: [], count: 0 };
      if (rows.length > MAX_BULK) {
        throw bad('', `一次最多 ${MAX_BULK} 条记录`, `At most ${MAX_BULK} records at once`, {
          max: MAX_BULK,
          count: rows.length,
        });
      }
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const now = ctx.now();
      const perRow = new Map<number, Issue[]>();
      const add = (i: number, issues: Issue[]) => {
        if (issues.length) perRow.set(i, [...(perRow.get(i) ?? []), ...issues]);
      };
      const prepared: { data: Record<string, unknown>; owner: string | null | undefined }[] = [];
      rows.forEach((input, i) => {
        const r = prepareCreate(ws, l, input, now);
        if (r.ok) prepared[i] = { data: r.data, owner: r.owner };
        else add(i, r.issues);
      });
      // unique fields: within the batch, then against live records
      const uniques = l.def.fields.filter((f) => f.unique);
      const norms = prepared.map((p) => (p ? normOf(l.def, p.data) : undefined));
      for (const f of uniques) {
        const seen = new Map<string, number>();
        norms.forEach((n, i) => {
          const k = n?.[f.key];
          if (k === undefined) return;
          if (seen.has(k)) add(i, [uniqueIssue(f)]);
          else seen.set(k, i);
        });
        if (seen.size) {
          const p = new SqlParams();
          const existing = await ctx.db.query<{ k: string }>(
            `SELECT ${T}.norm->>${fieldLiteral(f.key)} AS k FROM ${entityTable(ws, l.def.key)} ${T}
              WHERE ${T}.deleted_at IS NULL AND ${T}.norm->>${fieldLiteral(f.key)} = ANY(${p.add([...seen.keys()], 'text[]')})`,
            p.values,
          );
          for (const r of existing) {
            const i = seen.get(r.k);
            if (i !== undefined) add(i, [uniqueIssue(f)]);
          }
        }
      }
      const valid = prepared.map((p, i) => ({ p, i })).filter((x) => x.p && !perRow.has(x.i));
      if (valid.some((x) => hasRelations(l.def, x.p.data))) {
        const rel = await relationIssues(
          ctx.db,
          ws,
          principal,
          l.def,
          valid.map((x) => ({ data: x.p.data, prefix: `${x.i}.` })),
        );
        for (const issue of rel) {
          const [idx, ...rest] = issue.field.split('.');
          add(Number(idx), [{ ...issue, field: rest.join('.') }]);
        }
      }
      if (perRow.size) {
        const report = [...perRow.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([index, issues]) => ({
            index,
            fields: issues.map((x) => ({ field: x.field, code: x.code, message: x.message })),
          }));
        throw validationFailed(
          report.flatMap((r) =>
            (perRow.get(r.index) ?? []).map((x) => ({
              ...x,
              field: `${r.index}${x.field ? `.${x.field}` : ''}`,
            })),
          ),
          { rows: report },
        );
      }
      const actor = uuidOrNull(principal.userId);
      const dept = uuidOrNull(principal.departmentIds[0]);
      try {
        const out = await ctx.db.transaction(async (tx) => {
          const autos = await autoNumbers(tx, ws, l, now, prepared.length);
          const docs = prepared.map((p, i) => {
            const data = { ...p.data };
            for (const [k, list] of autos) if (list[i] !== undefined) data[k] = list[i];
            const search = searchOf(l.def, data);
            return {
              id: uuidv7(),
              owner: p.owner === undefined ? actor : p.owner,
              data,
              norm: normOf(l.def, data),
              text: search.text,
              tokens: search.tokens,
              changes: changesBetween(l.def, {}, data),
              ord: i,
            };
          });
          const cc = await compileCtx(tx, ws, l);
          return tx.query<RecordRow & { ord: number }>(
            `WITH src AS (SELECT * FROM jsonb_to_recordset($1::jsonb)
                 AS x(id uuid, owner uuid, data jsonb, norm jsonb, text text, tokens jsonb, changes jsonb, ord int)),
               ins AS (
                 INSERT INTO ${entityTable(ws, l.def.key)}
                   (id, created_at, updated_at, created_by, updated_by, owner_id, department_id, version, data, norm, search_text, search_tokens)
                 SELECT src.id, $2::timestamptz, $2::timestamptz, $3::uuid, $3::uuid, src.owner, $4::uuid, 1, src.data, src.norm, src.text,
                        ARRAY(SELECT jsonb_array_elements_text(src.tokens))
                   FROM src ORDER BY src.ord
                 RETURNING *
               ), aud AS (
                 INSERT INTO ${workspaceSchema(ws)}._audit ${AUDIT_COLUMNS}
                 SELECT $5::text, src.id, 'create', $3::uuid, $6::text, $7::text, $2::timestamptz, src.changes FROM src ORDER BY src.ord
               )
               SELECT ${recordColumnsSql(cc)}, src.ord FROM ins ${T} JOIN src ON src.id = ${T}.id ORDER BY src.ord`,
            [docs, now.toISOString(), actor, dept, l.def.key, source, requestIdOf(opts)],
          );
        });
        return { items: out.map((r) => toRecord(l.def, r)), count: out.length };
      } catch (e) {
        mapWriteError(e, ws, l.def);
      }
    },

    /** Live records whose normalised value matches the candidate's on any dedupe or unique field. */
    async duplicates(
      ws: string,
      principal: Principal,
      entity: string,
      candidate: unknown,
    ): Promise<{ items: (Record<string, unknown> & { matchedOn: string[] })[] }> {
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
        throw validationFailed([
          {
            field: '',
            code: 'type',
            message: m('候选记录必须是 JSON 对象', 'The candidate must be a JSON object'),
          },
        ]);
      }
      const c = candidate as Record<string, unknown>;
      const keys: { field: FieldDefinition; key: string }[] = [];
      for (const f of l.def.fields) {
        if (!f.unique && !f.dedupe) continue;
        if (!Object.hasOwn(c, f.key)) continue;
        const k = getFieldType(f.type)?.dedupeKey(c[f.key], f) ?? null;
        if (k !== null) keys.push({ field: f, key: k });
      }
      if (keys.length === 0) return { items: [] };
      const rows = await readRecords(ctx.db, ws, principal, l, {
        deleted: false,
        where: (p) =>
          `(${keys.map((k) => `${T}.norm->>${fieldLiteral(k.field.key)} = ${p.add(k.key, 'text')}`).join(' OR ')})`,
        extraColumns: (p) =>
          `array_remove(ARRAY[${keys
            .map(
              (k) =>
                `CASE WHEN ${T}.norm->>${fieldLiteral(k.field.key)} = ${p.add(k.key, 'text')} THEN ${p.add(k.field.key, 'text')} END`,
            )
            .join(', ')}]::text[], NULL) AS matched_on`,
        order: `${T}.created_at DESC, ${T}.id DESC`,
        limit: 20,
      });
      return {
        items: rows.map((r) => ({ ...toRecord(l.def, r), matchedOn: (r.matched_on as string[]) ?? [] })),
      };
    },
  };

  async function softDelete(
    ws: string,
    principal: Principal,
    entity: string,
    id: string,
    opts: WriteOptions & { version?: number },
    action: 'delete' | 'restore',
  ): Promise<Record<string, unknown>> {
    const source = sourceOf(opts);
    const l = await ctx.loadEntity(ctx.db, ws, entity);
    if (!isUuid(id)) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
    const cc = await compileCtx(ctx.db, ws, l);
    const p = new SqlParams();
    const now = p.add(ctx.now().toISOString(), 'timestamptz');
    const actor = p.add(uuidOrNull(principal.userId), 'uuid');
    const scope = ctx.scope(principal, l.def, p);
    const versionCheck =
      opts.version !== undefined ? ` AND ${T}.version = ${p.add(opts.version, 'int')}` : '';
    const sql = `WITH up AS (
        UPDATE ${entityTable(ws, l.def.key)} ${T}
           SET deleted_at = ${action === 'delete' ? now : 'NULL'}, updated_at = ${now}, updated_by = ${actor},
               version = ${T}.version + 1
         WHERE ${T}.id = ${p.add(id.toLowerCase(), 'uuid')}
           AND ${T}.deleted_at IS ${action === 'delete' ? 'NULL' : 'NOT NULL'}${versionCheck}${scope === 'TRUE' ? '' : ` AND (${scope})`}
        RETURNING ${T}.*
      ), aud AS (
        INSERT INTO ${workspaceSchema(ws)}._audit ${AUDIT_COLUMNS}
        SELECT ${p.add(l.def.key, 'text')}, up.id, ${p.add(action, 'text')}, ${actor}, ${p.add(source, 'text')},
               ${p.add(requestIdOf(opts), 'text')}, ${now}, '[]'::jsonb FROM up
      )
      SELECT ${recordColumnsSql(cc)} FROM up ${T}`;
    let rows: RecordRow[];
    try {
      rows = await ctx.db.query<RecordRow>(sql, p.values);
    } catch (e) {
      mapWriteError(e, ws, l.def);
    }
    if (rows[0]) return toRecord(l.def, rows[0]);
    const row = await readOne(ctx.db, ws, principal, l, id, 'any');
    if (!row) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
    if (opts.version !== undefined && row.version !== opts.version) {
      throw new DomainError('VERSION_CONFLICT', {
        currentVersion: row.version,
        updatedAt: row.updated_at.toISOString(),
        updatedBy: (row as Record<string, unknown>).updated_by ?? null,
      });
    }
    if (action === 'restore' && !row.deleted_at) throw new DomainError('RECORD_NOT_DELETED', { entity, id });
    throw new DomainError('RECORD_NOT_FOUND', { entity, id });
  }

  return { ...api, readRecords };
}

function idsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function parseFilterInput(def: EntityDefinition, raw: unknown): FilterNode | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.length > 50_000) throw bad('filter', '筛选条件过长', 'The filter is too long');
    try {
      value = JSON.parse(raw);
    } catch {
      throw bad('filter', '筛选条件不是合法的 JSON', 'The filter is not valid JSON');
    }
  }
  const r = validateFilter(def, value);
  if (!r.ok)
    throw new DomainError(
      'BAD_REQUEST',
      {},
      r.issues.map((i) => ({ ...i, field: i.field ? `filter.${i.field}` : 'filter' })),
    );
  return r.value;
}

function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return 20;
  const n = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 500) {
    throw bad('limit', 'limit 须为 1 到 500 的整数', 'limit must be an integer from 1 to 500');
  }
  return n;
}

function parseQ(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > 200)
    throw bad('q', '搜索词须为最多 200 个字符的文本', 'q must be text of at most 200 characters');
  return raw;
}
