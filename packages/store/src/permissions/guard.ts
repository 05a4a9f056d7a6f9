/**
 * The permission guard of one principal on one entity, used by every record function of the store:
 * action checks, the scope predicate of each action, field permissions on what is read and written,
 * action limits, and the "would the written row still be in scope" check.
 */
import {
  DomainError,
  type EntityDefinition,
  type FilterNode,
  getFieldType,
  type SortItem,
} from '@formwork/metadata';
import type { StoreContext } from '../context.js';
import { fieldLiteral } from '../ident.js';
import type { CompileContext } from '../query/compile.js';
import { T } from '../query/fields.js';
import { SqlParams } from '../query/params.js';
import { sameJson } from '../record-data.js';
import { escapeLike } from '../search.js';
import type { Principal } from '../types.js';
import { type Queryable, resolveAccess } from './access.js';
import {
  type Access,
  actionForbidden,
  actionSql,
  type EntityAccess,
  type EntityAction,
  entityAccess,
  fieldForbidden,
  filterFields,
  type ScopeVars,
} from './model.js';

export interface Guard {
  access: Access;
  ea: EntityAccess;
  vars: ScopeVars;
  /** Throws 403 unless the principal has `action` on the entity. */
  require(action: EntityAction): void;
  /** The scope predicate of `action` AND the store's extra scope hook. */
  where(action: EntityAction, cc: CompileContext, p: SqlParams): string;
  /** Keys removed from every record that leaves the store (hidden fields and lookups exposing them). */
  hiddenOut: Set<string>;
  project<R extends Record<string, unknown>>(rec: R): R;
  /** Refuses filters and sorts that read a hidden field (they would reveal its values). */
  checkQuery(
    filter: FilterNode | undefined,
    sort: readonly SortItem[],
    /** Other uses of fields in the query (an aggregate's groups and measures). */
    used?: readonly { at: string; key: string }[],
  ): void;
  /** An extra predicate so that `q` matches only visible fields (null: no hidden searchable field). */
  searchVisibleSql(q: string, p: SqlParams): string | null;
  /** Refuses writing hidden or read-only fields: on create any value, on update a changed value. */
  checkWrite(input: Record<string, unknown>, before?: Record<string, unknown>): void;
  /** Refuses values outside the role's action limits (only fields being written). */
  checkLimits(data: Record<string, unknown>, changed: (key: string) => boolean): void;
  /**
   * The indexes of `rows` that would fall outside the scope of `action` once written (owner,
   * department or data moved out of reach). Empty when the scope is everything.
   */
  outOfScope(
    q: Queryable,
    action: EntityAction,
    cc: CompileContext,
    rows: {
      id: string;
      createdBy: string | null;
      owner: string | null;
      dept: string | null;
      data: unknown;
    }[],
  ): Promise<number[]>;
}

export async function guardFor(
  ctx: StoreContext,
  q: Queryable,
  ws: string,
  principal: Principal,
  def: EntityDefinition,
): Promise<Guard> {
  const access = await resolveAccess(q, ws, principal);
  const ea = entityAccess(access, def.key);
  const vars: ScopeVars = {
    userId: principal.userId,
    departmentIds: access.departmentIds,
    departmentTreeIds: access.departmentTreeIds,
    subordinateIds: access.subordinateIds,
  };
  const hiddenOut = new Set(ea.hidden);
  for (const f of def.fields) {
    if (f.type !== 'lookup') continue;
    const rel = def.fields.find((x) => x.key === f.relation);
    if (!rel?.target) continue;
    if (ea.hidden.has(rel.key)) hiddenOut.add(f.key);
    else if (f.targetField && entityAccess(access, rel.target).hidden.has(f.targetField))
      hiddenOut.add(f.key);
  }
  const blocked = (k: string) => hiddenOut.has(k);
  const g: Guard = {
    access,
    ea,
    vars,
    hiddenOut,
    require(action) {
      if (!ea.admin && !ea.actions.has(action)) throw actionForbidden(def.key, action);
    },
    where(action, cc, p) {
      const a = actionSql(ea, action, vars, cc, p);
      const extra = ctx.scope(principal, def, p);
      if (extra === 'TRUE') return a;
      if (a === 'TRUE') return extra;
      return `(${a}) AND (${extra})`;
    },
    project(rec) {
      if (hiddenOut.size === 0) return rec;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rec)) if (!hiddenOut.has(k)) out[k] = v;
      return out as typeof rec;
    },
    checkQuery(filter, sort, used = []) {
      if (hiddenOut.size === 0) return;
      for (const u of used) {
        if (blocked(u.key))
          throw fieldForbidden(
            u.at,
            'hidden',
            `不能按隐藏字段 ${u.key} 统计`,
            `You cannot aggregate on the hidden field ${u.key}`,
          );
      }
      if (filter) {
        for (const k of filterFields(filter)) {
          if (blocked(k))
            throw fieldForbidden(
              `filter.${k}`,
              'hidden',
              `不能按隐藏字段 ${k} 筛选`,
              `You cannot filter on the hidden field ${k}`,
            );
        }
      }
      for (const s of sort) {
        if (blocked(s.field))
          throw fieldForbidden(
            `sort.${s.field}`,
            'hidden',
            `不能按隐藏字段 ${s.field} 排序`,
            `You cannot sort on the hidden field ${s.field}`,
          );
      }
    },
    searchVisibleSql(qText, p) {
      const searchable = def.fields.filter((f) => getFieldType(f.type)?.searchable);
      if (!searchable.some((f) => hiddenOut.has(f.key))) return null;
      const visible = searchable.filter((f) => !hiddenOut.has(f.key));
      if (visible.length === 0) return 'FALSE';
      const pat = p.add(`%${escapeLike(qText.trim())}%`, 'text');
      return `(${visible.map((f) => `(${T}.data->>${fieldLiteral(f.key)}) ILIKE ${pat}`).join(' OR ')})`;
    },
    checkWrite(input, before) {
      if (ea.admin) return;
      for (const [k, v] of Object.entries(input)) {
        if (ea.hidden.has(k) || hiddenOut.has(k)) {
          if (!before && (v === null || v === undefined)) continue;
          throw fieldForbidden(
            k,
            'hidden',
            `无权写入隐藏字段 ${k}`,
            `You may not write the hidden field ${k}`,
          );
        }
        if (ea.readonly.has(k)) {
          if (before ? sameJson(before[k] ?? null, v ?? null) : v === null || v === undefined) continue;
          throw fieldForbidden(k, 'readonly', `字段 ${k} 为只读`, `The field ${k} is read-only for you`);
        }
      }
    },
    checkLimits(data, changed) {
      for (const [field, l] of ea.limits) {
        if (!changed(field)) continue;
        const v = data[field];
        if (typeof v !== 'number') continue;
        if ((l.max !== undefined && v > l.max) || (l.min !== undefined && v < l.min)) {
          const range =
            l.min !== undefined && l.max !== undefined
              ? `${l.min} – ${l.max}`
              : l.max !== undefined
                ? `≤ ${l.max}`
                : `≥ ${l.min}`;
          throw new DomainError('FORBIDDEN', { field, ...l }, [
            {
              field,
              code: 'limit',
              message: {
                'zh-CN': `字段 ${field} 超出您的权限额度（${range}），请走审批`,
                en: `${field} is beyond your limit (${range}); it needs approval`,
              },
              params: { ...l },
            },
          ]);
        }
      }
    },
    async outOfScope(db, action, cc, rows) {
      if (rows.length === 0) return [];
      const p = new SqlParams();
      const pred = g.where(action, cc, p);
      if (pred === 'TRUE') return [];
      const src = p.add(
        rows.map((r, i) => ({ ...r, ord: i })),
        'jsonb',
      );
      const out = await db.query<{ ord: number }>(
        `SELECT x.ord FROM jsonb_to_recordset(${src}) AS x(ord int, id uuid, "createdBy" uuid, owner uuid, dept uuid, data jsonb)
           CROSS JOIN LATERAL (SELECT x.id AS id, x."createdBy" AS created_by, x.owner AS owner_id, x.dept AS department_id,
                                      x.data AS data, now() AS created_at, now() AS updated_at, 1 AS version,
                                      NULL::timestamptz AS deleted_at, '{}'::jsonb AS norm) ${T}
          WHERE NOT COALESCE(${pred}, FALSE) ORDER BY x.ord`,
        p.values,
      );
      return out.map((r) => Number(r.ord));
    },
  };
  return g;
}

export function scopeEscape(field: string): DomainError {
  return new DomainError('FORBIDDEN', { field }, [
    {
      field,
      code: 'scope',
      message: {
        'zh-CN': '修改后的记录将超出您的数据范围',
        en: 'After this change the record would be outside your data scope',
      },
    },
  ]);
}
