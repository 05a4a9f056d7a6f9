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
  hiddenFields,
  type Issue,
  parseSort,
  validateFilter,
} from '@formwork/metadata';
import { type LoadedEntity, m, type StoreContext } from './context.js';
import { type Db, pgErrorInfo } from './db.js';
import { uniqueFieldOfIndex } from './ddl.js';
import { entityTable, fieldLiteral, workspaceSchema } from './ident.js';
import { type Guard, guardFor, scopeEscape } from './permissions/guard.js';
import type { EntityAction } from './permissions/model.js';
import { compileAggregate, parseAggregate } from './query/aggregate.js';
import {
  baseWhere,
  type CompileContext,
  type CompiledList,
  compileList,
  encodeCursor,
  recordColumnsSql,
} from './query/compile.js';
import { T } from './query/fields.js';
import { SqlParams } from './query/params.js';
import {
  changesBetween,
  labelOf,
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
  /** The write is a blueprint's stage move (which has checked the blueprint's rules). */
  stageMove?: boolean;
}

const SYSTEM_DEPT = 'departmentId';

export interface ListOptions {
  filter?: unknown;
  sort?: unknown;
  limit?: unknown;
  cursor?: unknown;
  q?: unknown;
  deleted?: boolean;
  /** 'exact' counts every match; by default large counts are the planner's estimate. */
  total?: 'auto' | 'exact';
}

export interface AggregateOptions {
  filter?: unknown;
  q?: unknown;
  /** Up to two field keys or `{ field, bucket }` (dates: day, week, month, quarter, year). */
  groupBy?: unknown;
  /** `{ op, field?, as? }`: count, countDistinct, sum, avg, min, max (default: count). */
  measures?: unknown;
  /** At most this many groups (default 1000, at most 10,000). */
  limit?: unknown;
}

export interface AggregateResult {
  /** One row per group (largest first): the group keys by field key and the measures by name. */
  items: Record<string, unknown>[];
  /** More groups than `limit` matched. */
  truncated: boolean;
}

export interface ListResult {
  items: Record<string, unknown>[];
  nextCursor: string | null;
  total: number;
  /** false when `total` is an estimate (many matches and no `total: 'exact'`). */
  totalExact: boolean;
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

/** Lists whose match count the planner estimates below this are counted exactly. */
export const EXACT_COUNT_BELOW = 1000;

/**
 * The fields a show/hide rule hides for this data (not required, value not checked), or undefined when
 * the entity has no rules — the browser form uses the same `hiddenFields`.
 */
function hiddenByRules(l: LoadedEntity, data: Record<string, unknown>, now: Date): string[] | undefined {
  if (!l.def.fields.some((f) => f.visibleWhen)) return undefined;
  const ctx = { now, timeZone: l.timeZone };
  return hiddenFields(l.def, computeRecord(l.def, data, ctx).data, ctx);
}

/** Writes made by people (through the API, a form or an import), as opposed to flows and automations. */
const byPerson = (source: WriteSource): boolean =>
  source === 'api' || source === 'form' || source === 'import';

function stageIssue(
  f: FieldDefinition | undefined,
  field: string,
  zh: string,
  en: string,
  params: Record<string, unknown>,
): Issue {
  const label = f ? labelOf(f) : { 'zh-CN': field, en: field };
  return { field, code: 'stageMove', message: m(`${label['zh-CN']} ${zh}`, `${label.en} ${en}`), params };
}

/**
 * A stage field governed by a published blueprint changes only through the blueprint's move (which
 * checks who may move, which transitions exist and which fields are required). People's writes that
 * change it otherwise are refused (sending the unchanged value is fine); flows and automations
 * (server-side logic) may set it.
 */
function blueprintStageIssues(
  l: LoadedEntity,
  data: Record<string, unknown>,
  current: Record<string, unknown>,
  prefix = '',
): Issue[] {
  const issues: Issue[] = [];
  for (const bp of l.blueprints) {
    if (!Object.hasOwn(data, bp.field) || data[bp.field] === (current[bp.field] ?? null)) continue;
    issues.push(
      stageIssue(
        l.def.fields.find((f) => f.key === bp.field),
        `${prefix}${bp.field}`,
        `由蓝图 ${bp.key} 管理，请通过"移动阶段"修改`,
        `is governed by blueprint ${bp.key}: change it with a stage move`,
        { blueprint: bp.key },
      ),
    );
  }
  return issues;
}

/**
 * A new record of an entity with a blueprint starts in the blueprint's initial stage: through the API or
 * a form people may leave the stage field out or send the initial stage, nothing else; imports (moving
 * existing data in), flows and automations may create a record in any stage. Returns the data with the
 * stage filled in.
 */
function enterInitialStages(
  l: LoadedEntity,
  data: Record<string, unknown>,
  source: WriteSource,
  prefix: string,
): { data: Record<string, unknown>; issues: Issue[] } {
  if (l.blueprints.length === 0) return { data, issues: [] };
  const out = { ...data };
  const issues: Issue[] = [];
  for (const bp of l.blueprints) {
    const given = data[bp.field];
    if (given === undefined || given === null || given === '') {
      if (bp.initial !== null) out[bp.field] = bp.initial;
    } else if ((source === 'api' || source === 'form') && given !== bp.initial) {
      issues.push(
        stageIssue(
          l.def.fields.find((f) => f.key === bp.field),
          `${prefix}${bp.field}`,
          `的新记录从阶段 ${bp.initial} 开始（蓝图 ${bp.key}）`,
          `of a new record starts at stage ${bp.initial} (blueprint ${bp.key})`,
          { blueprint: bp.key, initial: bp.initial },
        ),
      );
    }
  }
  return { data: out, issues };
}

/** The read scope of a list or aggregate; with a search, `q` may match visible fields only. */
function readScope(g: Guard, cc: CompileContext, q: string | undefined): (p: SqlParams) => string {
  return (p) => {
    const scope = g.where('read', cc, p);
    const visible = q ? g.searchVisibleSql(q, p) : null;
    if (visible === null) return scope;
    return scope === 'TRUE' ? visible : `${scope} AND ${visible}`;
  };
}

/** The row estimate of the top plan node of an `EXPLAIN (FORMAT JSON)` answer. */
function estimatedRows(plan: unknown): number | null {
  const doc = typeof plan === 'string' ? (JSON.parse(plan) as unknown) : plan;
  const rows = (doc as { Plan?: { 'Plan Rows'?: unknown } }[] | undefined)?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' ? Math.round(rows) : null;
}
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
): { data: Record<string, unknown>; owner?: unknown; dept?: unknown; issues: Issue[] } {
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
  let dept: unknown;
  let hasDept = false;
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
    } else if (k === SYSTEM_DEPT) {
      dept = v;
      hasDept = true;
    } else if (!SYSTEM_INPUT_KEYS.has(k)) data[k] = v;
  }
  if (hasOwner && owner !== null && !isUuid(owner)) {
    issues.push({
      field: `${prefix}ownerId`,
      code: 'type',
      message: m('负责人 ID 无效', 'Owner id is not a valid id'),
    });
  }
  if (hasDept && dept !== null && !isUuid(dept)) {
    issues.push({
      field: `${prefix}${SYSTEM_DEPT}`,
      code: 'type',
      message: m('部门 ID 无效', 'Department id is not a valid id'),
    });
  }
  return { data, issues, ...(hasOwner ? { owner } : {}), ...(hasDept ? { dept } : {}) };
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

const AUDIT_COLUMNS =
  '(entity, record_id, action, actor, source, request_id, at, changes, ip, user_agent, token_id)';

/** Where a change came from, for the audit row: the principal's IP, user agent and API token. */
function originOf(principal: Principal): [string | null, string | null, string | null] {
  return [
    principal.origin?.ip?.slice(0, 64) ?? null,
    principal.origin?.userAgent?.slice(0, 500) ?? null,
    isUuid(principal.tokenId) ? principal.tokenId : null,
  ];
}

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

  /** The principal's guard on the entity (access loaded once per request, or attached by the server). */
  const guard = (q: Db, ws: string, principal: Principal, l: LoadedEntity): Promise<Guard> =>
    guardFor(ctx, q, ws, principal, l.def);

  /**
   * Lookups show a related record's value only when the principal may read that record: values of
   * related records outside the target's read scope become null (one query per restricted relation).
   */
  async function maskLookups<R extends Record<string, unknown>>(
    q: Db,
    ws: string,
    principal: Principal,
    l: LoadedEntity,
    g: Guard,
    recs: R[],
  ): Promise<R[]> {
    if (g.ea.admin || recs.length === 0) return recs;
    const lookups = l.def.fields.filter((f) => f.type === 'lookup' && !g.hiddenOut.has(f.key));
    const rels = [...new Set(lookups.map((f) => f.relation))]
      .map((k) => l.def.fields.find((f) => f.key === k && f.type === 'relation'))
      .filter((f): f is FieldDefinition => !!f?.target);
    for (const rel of rels) {
      let target: LoadedEntity;
      try {
        target = rel.target === l.def.key ? l : await ctx.loadEntity(q, ws, rel.target as string);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'ENTITY_NOT_FOUND') continue;
        throw e;
      }
      const tg = rel.target === l.def.key ? g : await guard(q, ws, principal, target);
      const p = new SqlParams();
      const pred = tg.where('read', await compileCtx(q, ws, target), p);
      if (pred === 'TRUE') continue;
      const ids = [...new Set(recs.flatMap((r) => idsOf(r[rel.key]).filter((id) => isUuid(id))))];
      let allowed = new Set<string>();
      if (ids.length && pred !== 'FALSE') {
        const rows = await q.query<{ id: string }>(
          `SELECT ${T}.id FROM ${entityTable(ws, target.def.key)} ${T} WHERE ${T}.id = ANY(${p.add(ids, 'uuid[]')}) AND (${pred})`,
          p.values,
        );
        allowed = new Set(rows.map((r) => r.id));
      }
      const mine = lookups.filter((f) => f.relation === rel.key);
      for (const r of recs) {
        if (idsOf(r[rel.key]).every((id) => allowed.has(id))) continue;
        for (const f of mine) (r as Record<string, unknown>)[f.key] = null;
      }
    }
    return recs;
  }
  const one = async <R extends Record<string, unknown>>(
    q: Db,
    ws: string,
    principal: Principal,
    l: LoadedEntity,
    g: Guard,
    rec: R,
  ): Promise<R> => (await maskLookups(q, ws, principal, l, g, [rec]))[0] as R;

  /** THE read path: records of `entity` matching `where`, within the principal's scope of `action`. */
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
      /** Whose scope applies (default read). */
      action?: EntityAction;
      guard?: Guard;
    },
  ): Promise<(RecordRow & Record<string, unknown>)[]> {
    const cc = await compileCtx(q, ws, l);
    const g = opts.guard ?? (await guard(q, ws, principal, l));
    const action = opts.action ?? 'read';
    const p = new SqlParams();
    let where = baseWhere(cc, { deleted: opts.deleted, scope: (pp) => g.where(action, cc, pp) }, p);
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
    action: EntityAction = 'read',
    g?: Guard,
  ) {
    if (!isUuid(id)) return undefined;
    const rows = await readRecords(q, ws, principal, l, {
      where: (p) => `${T}.id = ${p.add(id.toLowerCase(), 'uuid')}`,
      deleted,
      action,
      ...(g ? { guard: g } : {}),
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
          const tg = await guard(q, ws, principal, target);
          const tcc = await compileCtx(q, ws, target);
          const scope = tg.where('read', tcc, p);
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
    source: WriteSource,
    prefix = '',
  ):
    | {
        ok: true;
        data: Record<string, unknown>;
        owner: string | null | undefined;
        dept: string | null | undefined;
        /** The field values as given (permission checks look at what the caller tried to write). */
        given: Record<string, unknown>;
      }
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
    const staged = enterInitialStages(l, split.data, source, prefix);
    issues.push(...staged.issues);
    const hidden = hiddenByRules(l, staged.data, now);
    const v = compileEntityCached(cacheKey(ws, l), l.def).validate(staged.data, {
      mode: 'create',
      ...(hidden ? { hidden } : {}),
    });
    if (!v.ok) issues.push(...v.issues.map((i) => ({ ...i, field: `${prefix}${i.field}` })));
    if (issues.length || !v.ok) return { ok: false, issues };
    const computed = computeRecord(l.def, v.value, { now, timeZone: l.timeZone }).data;
    const ruleIssues = checkRules(l.def, computed, { now, timeZone: l.timeZone });
    if (ruleIssues.length)
      return { ok: false, issues: ruleIssues.map((i) => ({ ...i, field: `${prefix}${i.field}` })) };
    const owner = split.owner === undefined ? undefined : uuidOrNull(split.owner);
    const dept = split.dept === undefined ? undefined : uuidOrNull(split.dept);
    return { ok: true, data: withoutNulls(computed), owner, dept, given: split.data };
  }

  function hasRelations(def: EntityDefinition, data: Record<string, unknown>): boolean {
    return def.fields.some((f) => f.type === 'relation' && idsOf(data[f.key]).length > 0);
  }

  /**
   * How many records match: exactly when asked, or when the planner expects few (counting visits every
   * matching row, which over hundreds of thousands of rows costs far more than the page itself);
   * otherwise the planner's estimate, flagged `totalExact: false`.
   */
  async function countMatches(
    m: CompiledList['matches'],
    exact: boolean,
  ): Promise<{ total: number; totalExact: boolean }> {
    if (!exact) {
      const [plan] = await ctx.db.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (FORMAT JSON) ${m.rows}`,
        m.params,
      );
      const estimate = estimatedRows(plan?.['QUERY PLAN']);
      if (estimate !== null && estimate >= EXACT_COUNT_BELOW) return { total: estimate, totalExact: false };
    }
    const [row] = await ctx.db.query<{ total: number }>(m.count, m.params);
    return { total: Number(row?.total ?? 0), totalExact: true };
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
      const g = await guard(ctx.db, ws, principal, l);
      g.require('create');
      const now = ctx.now();
      const prepared = prepareCreate(ws, l, input, now, source);
      if (!prepared.ok) throw validationFailed(prepared.issues);
      g.checkWrite(prepared.given);
      const data = prepared.data;
      g.checkLimits(data, () => true);
      const autos = l.def.fields.some((f) => f.type === 'autoNumber' && f.pattern);
      const relations = hasRelations(l.def, data);
      const actor = uuidOrNull(principal.userId);
      const id = uuidv7();
      const owner = prepared.owner === undefined ? actor : prepared.owner;
      const dept =
        prepared.dept === undefined
          ? uuidOrNull(g.access.departmentIds[0] ?? principal.departmentIds[0])
          : prepared.dept;
      if (prepared.dept) await checkDepartments(ctx.db, ws, [prepared.dept]);
      const out = await g.outOfScope(ctx.db, 'create', await compileCtx(ctx.db, ws, l), [
        { id, createdBy: actor, owner, dept, data },
      ]);
      if (out.length) throw scopeEscape(prepared.dept !== undefined ? SYSTEM_DEPT : 'ownerId');
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
             SELECT $10::text, ins.id, 'create', $3::uuid, $11::text, $12::text, $2::timestamptz, $13::jsonb,
                    $14::text, $15::text, $16::uuid FROM ins
           )
           SELECT ${recordColumnsSql(cc)} FROM ins ${T}`,
          [
            id,
            now.toISOString(),
            actor,
            owner,
            dept,
            data,
            normOf(l.def, data),
            search.text,
            search.tokens,
            l.def.key,
            source,
            requestIdOf(opts),
            changesBetween(l.def, {}, data),
            ...originOf(principal),
          ],
        );
        return rows[0] as RecordRow;
      };
      try {
        const row = autos || relations ? await ctx.db.transaction(run) : await run(ctx.db);
        return await one(ctx.db, ws, principal, l, g, g.project(toRecord(l.def, row)));
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
      const g = await guard(ctx.db, ws, principal, l);
      g.require('read');
      const row = await readOne(ctx.db, ws, principal, l, id, opts.includeDeleted ? 'any' : false, 'read', g);
      if (!row) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
      return one(ctx.db, ws, principal, l, g, g.project(toRecord(l.def, row)));
    },

    async list(
      ws: string,
      principal: Principal,
      entity: string,
      opts: ListOptions = {},
    ): Promise<ListResult> {
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const g = await guard(ctx.db, ws, principal, l);
      g.require('read');
      const filter = parseFilterInput(l.def, opts.filter);
      const sort = parseSort(l.def, opts.sort ?? '');
      if (!sort.ok) throw new DomainError('BAD_REQUEST', {}, sort.issues);
      g.checkQuery(filter, sort.value);
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
      const cursor = typeof opts.cursor === 'string' && opts.cursor !== '' ? opts.cursor : undefined;
      const { sql, params, keys, matches } = compileList(cc, {
        filter,
        sort: sort.value,
        cursor,
        q,
        limit,
        deleted: opts.deleted === true,
        scope: readScope(g, cc, q),
      });
      const found = await ctx.db.query<RecordRow & Record<string, unknown>>(sql, params);
      const page = found.slice(0, limit);
      const last = page[page.length - 1];
      const total =
        !cursor && found.length <= limit
          ? { total: found.length, totalExact: true } // the first page holds every match
          : await countMatches(matches, opts.total === 'exact');
      return {
        items: await maskLookups(
          ctx.db,
          ws,
          principal,
          l,
          g,
          page.map((r) => g.project(toRecord(l.def, r))),
        ),
        nextCursor: found.length > limit && last ? encodeCursor(keys, last) : null,
        ...total,
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
      const g = await guard(ctx.db, ws, principal, l);
      g.require('update');
      const cur = isUuid(id)
        ? (
            await readRecords(ctx.db, ws, principal, l, {
              where: (p) => `${T}.id = ${p.add(id.toLowerCase(), 'uuid')}`,
              deleted: false,
              action: 'update',
              guard: g,
              extraColumns: () => `${T}.department_id AS _dept`,
            })
          )[0]
        : undefined;
      if (!cur) {
        if (await readOne(ctx.db, ws, principal, l, id, false, 'read', g))
          throw new DomainError('FORBIDDEN', { entity, id, action: 'update' });
        throw new DomainError('RECORD_NOT_FOUND', { entity, id });
      }
      const conflict = (row: RecordRow & Record<string, unknown>) =>
        new DomainError('VERSION_CONFLICT', {
          currentVersion: row.version,
          updatedAt: row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at,
          updatedBy: row.updated_by ?? null,
        });
      if (opts.version !== undefined && opts.version !== cur.version) throw conflict(cur);
      const split = splitInput(patch);
      if (!opts.stageMove && byPerson(source)) {
        const stageIssues = blueprintStageIssues(l, split.data, cur.data ?? {});
        if (stageIssues.length) throw validationFailed(stageIssues);
      }
      const compiled = compileEntityCached(cacheKey(ws, l), l.def);
      const v = compiled.validate(split.data, { mode: 'update' });
      const issues = [...split.issues, ...(v.ok ? [] : v.issues)];
      if (issues.length || !v.ok) throw validationFailed(issues);
      g.checkWrite(v.value, cur.data ?? {});
      const now = ctx.now();
      const before = cur.data ?? {};
      const current: Record<string, unknown> = {};
      for (const f of l.def.fields) {
        if (f.type !== 'lookup' && Object.hasOwn(before, f.key)) current[f.key] = before[f.key];
      }
      const merged = { ...current, ...v.value };
      const hidden = hiddenByRules(l, merged, now);
      const full = compiled.validate(merged, {
        mode: 'create',
        allowComputed: true,
        ...(hidden ? { hidden } : {}),
      });
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
      g.checkLimits(next, (k) => changes.some((c) => c.field === k));
      const owner = split.owner === undefined ? cur.owner_id : uuidOrNull(split.owner);
      if (owner !== cur.owner_id) changes.push({ field: 'ownerId', before: cur.owner_id, after: owner });
      const curDept = (cur._dept as string | null | undefined) ?? null;
      const dept = split.dept === undefined ? curDept : uuidOrNull(split.dept);
      if (dept !== curDept) {
        if (dept) await checkDepartments(ctx.db, ws, [dept]);
        changes.push({ field: SYSTEM_DEPT, before: curDept, after: dept });
      }
      if (changes.length === 0) return one(ctx.db, ws, principal, l, g, g.project(toRecord(l.def, cur)));
      // The changed record must stay within the principal's update scope (no moving it out of reach).
      if (!g.ea.admin) {
        const escaped = await g.outOfScope(ctx.db, 'update', await compileCtx(ctx.db, ws, l), [
          { id: cur.id, createdBy: cur.created_by, owner, dept, data: next },
        ]);
        if (escaped.length)
          throw scopeEscape(dept !== curDept ? SYSTEM_DEPT : owner !== cur.owner_id ? 'ownerId' : '');
      }
      // Audit entries of hidden fields are kept, but never shown to this principal (history filters them).
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
      const scope = g.where('update', cc, p);
      const sql = `WITH up AS (
          UPDATE ${entityTable(ws, l.def.key)} ${T}
             SET data = ${p.add(next, 'jsonb')}, norm = ${p.add(normOf(l.def, next), 'jsonb')},
                 search_text = ${p.add(search.text, 'text')}, search_tokens = ${p.add(search.tokens, 'text[]')},
                 owner_id = ${p.add(owner, 'uuid')}, department_id = ${p.add(dept, 'uuid')}, version = ${T}.version + 1,
                 updated_at = ${p.add(now.toISOString(), 'timestamptz')}, updated_by = ${p.add(actor, 'uuid')}
           WHERE ${T}.id = ${p.add(cur.id, 'uuid')} AND ${T}.version = ${p.add(cur.version, 'int')}
             AND ${T}.deleted_at IS NULL${scope === 'TRUE' ? '' : ` AND (${scope})`}
          RETURNING ${T}.*
        ), aud AS (
          INSERT INTO ${workspaceSchema(ws)}._audit ${AUDIT_COLUMNS}
          SELECT ${p.add(l.def.key, 'text')}, up.id, 'update', ${p.add(actor, 'uuid')}, ${p.add(source, 'text')},
                 ${p.add(requestIdOf(opts), 'text')}, ${p.add(now.toISOString(), 'timestamptz')}, ${p.add(changes, 'jsonb')},
                 ${originOf(principal)
                   .map((v, i) => p.add(v, i === 2 ? 'uuid' : 'text'))
                   .join(', ')} FROM up
        )
        SELECT ${recordColumnsSql(cc)} FROM up ${T}`;
      let rows: RecordRow[];
      try {
        rows = await ctx.db.query<RecordRow>(sql, p.values);
      } catch (e) {
        mapWriteError(e, ws, l.def);
      }
      if (rows[0]) return one(ctx.db, ws, principal, l, g, g.project(toRecord(l.def, rows[0])));
      const now2 = await readOne(ctx.db, ws, principal, l, id, false, 'update', g);
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
      const g = await guard(ctx.db, ws, principal, l);
      g.require('read');
      const row = await readOne(ctx.db, ws, principal, l, id, 'any', 'read', g);
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
        changes: g.hiddenOut.size ? r.changes.filter((c) => !g.hiddenOut.has(c.field)) : r.changes,
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
      const g = await guard(ctx.db, ws, principal, l);
      g.require('create');
      const now = ctx.now();
      const perRow = new Map<number, Issue[]>();
      const add = (i: number, issues: Issue[]) => {
        if (issues.length) perRow.set(i, [...(perRow.get(i) ?? []), ...issues]);
      };
      const prepared: {
        data: Record<string, unknown>;
        owner: string | null | undefined;
        dept: string | null | undefined;
      }[] = [];
      rows.forEach((input, i) => {
        const r = prepareCreate(ws, l, input, now, source);
        if (!r.ok) {
          add(i, r.issues);
          return;
        }
        try {
          g.checkWrite(r.given);
          g.checkLimits(r.data, () => true);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          throw new DomainError(
            e.code,
            { ...e.details, index: i },
            e.issues.map((x) => ({ ...x, field: `${i}.${x.field}` })),
          );
        }
        prepared[i] = { data: r.data, owner: r.owner, dept: r.dept };
      });
      const actorId = uuidOrNull(principal.userId);
      const defaultDept = uuidOrNull(g.access.departmentIds[0] ?? principal.departmentIds[0]);
      const depts = [...new Set(prepared.flatMap((x) => (x?.dept ? [x.dept] : [])))];
      if (depts.length) await checkDepartments(ctx.db, ws, depts);
      if (!g.ea.admin && prepared.length) {
        const cc0 = await compileCtx(ctx.db, ws, l);
        const candidates = prepared.map((x, i) => ({ x, i })).filter((y) => y.x);
        const escaped = await g.outOfScope(
          ctx.db,
          'create',
          cc0,
          candidates.map(({ x }) => ({
            id: uuidv7(),
            createdBy: actorId,
            owner: x.owner === undefined ? actorId : x.owner,
            dept: x.dept === undefined ? defaultDept : x.dept,
            data: x.data,
          })),
        );
        for (const k of escaped) {
          const c = candidates[k];
          if (c) add(c.i, scopeEscape(c.x.dept !== undefined ? SYSTEM_DEPT : 'ownerId').issues);
        }
      }
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
      const dept = defaultDept;
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
              dept: p.dept === undefined ? dept : p.dept,
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
                 AS x(id uuid, owner uuid, dept uuid, data jsonb, norm jsonb, text text, tokens jsonb, changes jsonb, ord int)),
               ins AS (
                 INSERT INTO ${entityTable(ws, l.def.key)}
                   (id, created_at, updated_at, created_by, updated_by, owner_id, department_id, version, data, norm, search_text, search_tokens)
                 SELECT src.id, $2::timestamptz, $2::timestamptz, $3::uuid, $3::uuid, src.owner, src.dept, 1, src.data, src.norm, src.text,
                        ARRAY(SELECT jsonb_array_elements_text(src.tokens))
                   FROM src ORDER BY src.ord
                 RETURNING *
               ), aud AS (
                 INSERT INTO ${workspaceSchema(ws)}._audit ${AUDIT_COLUMNS}
                 SELECT $4::text, src.id, 'create', $3::uuid, $5::text, $6::text, $2::timestamptz, src.changes,
                        $7::text, $8::text, $9::uuid FROM src ORDER BY src.ord
               )
               SELECT ${recordColumnsSql(cc)}, src.ord FROM ins ${T} JOIN src ON src.id = ${T}.id ORDER BY src.ord`,
            [docs, now.toISOString(), actor, l.def.key, source, requestIdOf(opts), ...originOf(principal)],
          );
        });
        const items = await maskLookups(
          ctx.db,
          ws,
          principal,
          l,
          g,
          out.map((r) => g.project(toRecord(l.def, r))),
        );
        return { items, count: out.length };
      } catch (e) {
        mapWriteError(e, ws, l.def);
      }
    },

    /** Live records whose normalised value matches the candidate's on any dedupe or unique field. */
    /**
     * Every record matching `opts` (filter, sort, q) for an export: needs the `export` action as well as
     * `read`; scope, hidden fields and lookup masking apply exactly as in `list`. At most `max` records
     * (default 100,000); `fields` are the columns the principal may see, in definition order.
     */
    async exportRows(
      ws: string,
      principal: Principal,
      entity: string,
      opts: Pick<ListOptions, 'filter' | 'sort' | 'q'> & { max?: number } = {},
    ): Promise<{ fields: FieldDefinition[]; items: Record<string, unknown>[]; truncated: boolean }> {
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const g = await guard(ctx.db, ws, principal, l);
      g.require('export');
      g.require('read');
      const max = Math.min(Math.max(opts.max ?? 100_000, 1), 100_000);
      const items: Record<string, unknown>[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.list(ws, principal, entity, {
          ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
          ...(opts.sort !== undefined ? { sort: opts.sort } : {}),
          ...(opts.q !== undefined ? { q: opts.q } : {}),
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && items.length < max);
      return {
        fields: l.def.fields.filter((f) => !g.hiddenOut.has(f.key)),
        items: items.slice(0, max),
        truncated: items.length > max || cursor !== undefined,
      };
    },

    /**
     * Counts, sums, averages… of the records the caller may read, grouped by up to two fields (dates
     * bucketed in the workspace time zone). Filter, search and scope are those of a list.
     */
    async aggregate(
      ws: string,
      principal: Principal,
      entity: string,
      opts: AggregateOptions = {},
    ): Promise<AggregateResult> {
      const l = await ctx.loadEntity(ctx.db, ws, entity);
      const g = await guard(ctx.db, ws, principal, l);
      g.require('read');
      const filter = parseFilterInput(l.def, opts.filter);
      const q = parseQ(opts.q);
      const cc = await compileCtx(ctx.db, ws, l);
      const parsed = parseAggregate(cc, opts as Record<string, unknown>);
      if (!parsed.ok) throw new DomainError('BAD_REQUEST', {}, parsed.issues);
      const spec = parsed.value;
      g.checkQuery(
        filter,
        [],
        [
          ...spec.groupBy.map((x, i) => ({ at: `groupBy.${i}.field`, key: x.field })),
          ...spec.measures.flatMap((x, i) => (x.field ? [{ at: `measures.${i}.field`, key: x.field }] : [])),
        ],
      );
      const p = new SqlParams();
      const where = baseWhere(
        cc,
        {
          filter,
          q,
          deleted: false,
          scope: readScope(g, cc, q),
        },
        p,
      );
      const { sql, columns } = compileAggregate(cc, spec, where, p);
      const rows = await ctx.db.query<Record<string, unknown>>(sql, p.values);
      const counts = new Set(
        spec.measures.filter((x) => x.op === 'count' || x.op === 'countDistinct').map((x) => x.as),
      );
      const items = rows.slice(0, spec.groupBy.length ? spec.limit : 1).map((r) => {
        const out: Record<string, unknown> = {};
        columns.forEach((c, i) => {
          const v = r[`_c${i}`];
          out[c.name] =
            v === null || v === undefined
              ? counts.has(c.name)
                ? 0
                : null
              : v instanceof Date
                ? v.toISOString()
                : c.numeric
                  ? Number(v)
                  : v;
        });
        return out;
      });
      return { items, truncated: spec.groupBy.length > 0 && rows.length > spec.limit };
    },

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
      const g = await guard(ctx.db, ws, principal, l);
      if (!g.ea.admin && !g.ea.actions.has('create')) g.require('read');
      const c = candidate as Record<string, unknown>;
      const keys: { field: FieldDefinition; key: string }[] = [];
      for (const f of l.def.fields) {
        if (!f.unique && !f.dedupe) continue;
        // Matching on a hidden field would reveal its values.
        if (g.hiddenOut.has(f.key)) continue;
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
        guard: g,
      });
      return {
        items: await maskLookups(
          ctx.db,
          ws,
          principal,
          l,
          g,
          rows.map((r) => ({
            ...g.project(toRecord(l.def, r)),
            matchedOn: (r.matched_on as string[]) ?? [],
          })),
        ),
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
    const g = await guard(ctx.db, ws, principal, l);
    g.require('delete');
    if (!isUuid(id)) throw new DomainError('RECORD_NOT_FOUND', { entity, id });
    const cc = await compileCtx(ctx.db, ws, l);
    const p = new SqlParams();
    const now = p.add(ctx.now().toISOString(), 'timestamptz');
    const actor = p.add(uuidOrNull(principal.userId), 'uuid');
    const scope = g.where('delete', cc, p);
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
               ${p.add(requestIdOf(opts), 'text')}, ${now}, '[]'::jsonb,
               ${originOf(principal)
                 .map((v, i) => p.add(v, i === 2 ? 'uuid' : 'text'))
                 .join(', ')} FROM up
      )
      SELECT ${recordColumnsSql(cc)} FROM up ${T}`;
    let rows: RecordRow[];
    try {
      rows = await ctx.db.query<RecordRow>(sql, p.values);
    } catch (e) {
      mapWriteError(e, ws, l.def);
    }
    if (rows[0]) return g.project(toRecord(l.def, rows[0]));
    const row = await readOne(ctx.db, ws, principal, l, id, 'any', 'delete', g);
    if (!row) {
      if (await readOne(ctx.db, ws, principal, l, id, 'any', 'read', g))
        throw new DomainError('FORBIDDEN', { entity, id, action: 'delete' });
      throw new DomainError('RECORD_NOT_FOUND', { entity, id });
    }
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

/** Department ids given for records must name departments of the workspace. */
async function checkDepartments(q: Db, ws: string, ids: string[]): Promise<void> {
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM ${workspaceSchema(ws)}._departments WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  if (rows.length !== new Set(ids).size) {
    throw validationFailed([
      { field: SYSTEM_DEPT, code: 'department', message: m('部门不存在', 'The department does not exist') },
    ]);
  }
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
