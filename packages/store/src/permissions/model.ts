/**
 * The permission model, pure: role permissions (entity actions, data scope, field permissions, action
 * limits) → a principal's effective access to one entity (the union of their roles) → SQL predicates.
 * No I/O and no clock; the store loads roles and calls these functions.
 */
import {
  DomainError,
  type EntityDefinition,
  type FilterLeaf,
  type FilterNode,
  getFieldType,
  type Issue,
  isSystemFieldKey,
  type Message,
  validateFilter,
} from '@formwork/metadata';
import { isEntityKey, isFieldKey } from '../ident.js';
import { type CompileContext, filterSql } from '../query/compile.js';
import { T } from '../query/fields.js';
import type { SqlParams } from '../query/params.js';

export const ENTITY_ACTIONS = ['create', 'read', 'update', 'delete', 'export', 'import', 'manage'] as const;
export type EntityAction = (typeof ENTITY_ACTIONS)[number];

export const SCOPE_TYPES = ['none', 'own', 'team', 'department', 'departmentTree', 'all', 'custom'] as const;
/**
 * Which records a role reaches: none; own (owner or creator); team (本人及下属: own, plus those owned by
 * the members of the departments the member heads and every department below them); the member's
 * departments; those departments and every department below; all; or a filter (`$user`,
 * `$department`, `$departmentTree`, `$subordinates` stand for the member's id, department ids and the
 * ids of the members they lead).
 */
export type DataScope =
  | { type: 'none' | 'own' | 'team' | 'department' | 'departmentTree' | 'all' }
  | { type: 'custom'; filter: FilterNode };

export type FieldAccess = 'hidden' | 'readonly';

/** A limit on the value a role may write into a numeric field (e.g. discount at most 10). */
export interface ActionLimit {
  field: string;
  min?: number;
  max?: number;
}

export const PRESETS = ['submitOnly', 'submitManageOwn', 'submitViewAll', 'viewAll', 'manageAll'] as const;
export type Preset = (typeof PRESETS)[number];

/** The five Jiandaoyun presets: 仅新增, 新增并管理本人, 新增并查看全部, 查看全部, 管理全部. */
export const PRESET_RULES: Record<Preset, { actions: EntityAction[]; scope: DataScope; label: Message }> = {
  submitOnly: {
    actions: ['create'],
    scope: { type: 'own' },
    label: { 'zh-CN': '仅新增', en: 'Submit only' },
  },
  submitManageOwn: {
    actions: ['create', 'read', 'update', 'delete'],
    scope: { type: 'own' },
    label: { 'zh-CN': '新增并管理本人', en: 'Submit and manage own' },
  },
  submitViewAll: {
    actions: ['create', 'read'],
    scope: { type: 'all' },
    label: { 'zh-CN': '新增并查看全部', en: 'Submit and view all' },
  },
  viewAll: { actions: ['read'], scope: { type: 'all' }, label: { 'zh-CN': '查看全部', en: 'View all' } },
  manageAll: {
    actions: ['create', 'read', 'update', 'delete', 'export', 'import'],
    scope: { type: 'all' },
    label: { 'zh-CN': '管理全部', en: 'Manage all' },
  },
};

/** One role's permissions on one entity. */
export interface EntityRule {
  /** The preset it was made from (the admin screen shows it); informational. */
  preset?: Preset;
  actions: EntityAction[];
  scope: DataScope;
  fields?: Record<string, FieldAccess>;
  limits?: ActionLimit[];
}

/** A role's permissions: per entity key, `*` = every entity without a rule of its own. */
export interface RolePermissions {
  entities: Record<string, EntityRule>;
}

export interface RoleGrant {
  key: string;
  isAdmin: boolean;
  permissions: RolePermissions;
}

/** Narrower permissions of an API token: only these actions (and these entities, when listed). */
export interface TokenScopes {
  actions: EntityAction[];
  entities?: string[];
}

/** What the store knows about the acting principal in one workspace. */
export interface Access {
  workspace: string;
  /** System administrator or workspace administrator (and not narrowed by a token): no limits. */
  admin: boolean;
  /** A system administrator (`users.is_admin`): also sees events of no workspace in the audit log. */
  systemAdmin?: boolean;
  /** 'active' when a member in good standing; anything else has no access. */
  status: 'active' | 'invited' | 'deactivated' | 'none';
  /** The member's departments, primary first. */
  departmentIds: string[];
  /** The member's departments and every department below them. */
  departmentTreeIds: string[];
  /** The members of the departments this member heads, and of every department below those. */
  subordinateIds: string[];
  roles: RoleGrant[];
  token?: TokenScopes | null;
}

/** The effective permissions of a principal on one entity. */
export interface EntityAccess {
  admin: boolean;
  actions: Set<EntityAction>;
  /** Per action, the scopes of the roles granting it (OR-ed). */
  scopes: Map<EntityAction, DataScope[]>;
  /** Fields hidden from every role that may read. */
  hidden: Set<string>;
  /** Fields no role that may write can change (hidden ones included). */
  readonly: Set<string>;
  /** Per field, the widest limit (absent = unlimited). */
  limits: Map<string, { min?: number; max?: number }>;
}

const FULL: EntityAccess = {
  admin: true,
  actions: new Set(ENTITY_ACTIONS),
  scopes: new Map(ENTITY_ACTIONS.map((a) => [a, [{ type: 'all' }]])),
  hidden: new Set(),
  readonly: new Set(),
  limits: new Map(),
};

export const NO_ACCESS: Access = {
  workspace: '',
  admin: false,
  status: 'none',
  departmentIds: [],
  departmentTreeIds: [],
  subordinateIds: [],
  roles: [],
};

function ruleFor(p: RolePermissions, entity: string): EntityRule | undefined {
  return p.entities[entity] ?? p.entities['*'];
}

/** The union of the principal's roles on `entity`, narrowed by an API token's scopes. */
export function entityAccess(access: Access, entity: string): EntityAccess {
  const token = access.token;
  const tokenAllows = (a: EntityAction) =>
    !token || (token.actions.includes(a) && (!token.entities || token.entities.includes(entity)));
  if (access.admin) {
    if (!token) return FULL;
    const actions = new Set(ENTITY_ACTIONS.filter(tokenAllows));
    return { ...FULL, admin: false, actions };
  }
  const out: EntityAccess = {
    admin: false,
    actions: new Set(),
    scopes: new Map(),
    hidden: new Set(),
    readonly: new Set(),
    limits: new Map(),
  };
  if (access.status !== 'active') return out;
  const readers: EntityRule[] = [];
  const writers: EntityRule[] = [];
  for (const role of access.roles) {
    const rule = ruleFor(role.permissions, entity);
    if (!rule) continue;
    for (const a of rule.actions) {
      if (!tokenAllows(a)) continue;
      out.actions.add(a);
      const list = out.scopes.get(a) ?? [];
      list.push(rule.scope);
      out.scopes.set(a, list);
    }
    if (rule.actions.includes('read') && tokenAllows('read')) readers.push(rule);
    if (rule.actions.some((a) => (a === 'create' || a === 'update') && tokenAllows(a))) writers.push(rule);
  }
  // A field is hidden only when every role that may read hides it (the union is the most permissive).
  const hiddenIn = (r: EntityRule) =>
    new Set(Object.entries(r.fields ?? {}).flatMap(([k, v]) => (v === 'hidden' ? [k] : [])));
  if (readers.length) {
    const sets = readers.map(hiddenIn);
    for (const k of sets[0] ?? []) if (sets.every((s) => s.has(k))) out.hidden.add(k);
  } else {
    // Without read (submit only) every field stays writable; hidden rules of writers still hide values
    const sets = writers.map(hiddenIn);
    for (const k of sets[0] ?? []) if (sets.every((s) => s.has(k))) out.hidden.add(k);
  }
  if (writers.length) {
    const sets = writers.map((r) => new Set(Object.keys(r.fields ?? {})));
    for (const k of sets[0] ?? []) if (sets.every((s) => s.has(k))) out.readonly.add(k);
    // Limits: a field is limited only when every writing role limits it; the widest bound wins.
    const limitSets = writers.map((r) => new Map((r.limits ?? []).map((l) => [l.field, l])));
    for (const [field] of limitSets[0] ?? []) {
      if (!limitSets.every((m) => m.has(field))) continue;
      const ls = limitSets.map((m) => m.get(field) as ActionLimit);
      const min = ls.every((l) => l.min !== undefined)
        ? Math.min(...ls.map((l) => l.min as number))
        : undefined;
      const max = ls.every((l) => l.max !== undefined)
        ? Math.max(...ls.map((l) => l.max as number))
        : undefined;
      if (min !== undefined || max !== undefined)
        out.limits.set(field, {
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        });
    }
  }
  return out;
}

/** Every action the principal has on `entity` (for `/api/auth/me`). */
export function describeEntityAccess(ea: EntityAccess): {
  actions: EntityAction[];
  scopes: Partial<Record<EntityAction, DataScope[]>>;
  hiddenFields: string[];
  readonlyFields: string[];
  limits: ActionLimit[];
} {
  return {
    actions: ENTITY_ACTIONS.filter((a) => ea.actions.has(a)),
    scopes: Object.fromEntries([...ea.scopes.entries()].filter(([a]) => ea.actions.has(a))),
    hiddenFields: [...ea.hidden].sort(),
    readonlyFields: [...ea.readonly].sort(),
    limits: [...ea.limits.entries()].map(([field, l]) => ({ field, ...l })),
  };
}

// ---------------------------------------------------------------------------------------------
// Data scope → SQL

export interface ScopeVars {
  userId: string;
  departmentIds: readonly string[];
  departmentTreeIds: readonly string[];
  subordinateIds: readonly string[];
}

const VARS = ['$user', '$department', '$departmentTree', '$subordinates'] as const;

/** Replaces `$user` / `$department` / `$departmentTree` / `$subordinates` in a scope filter with the member's values. */
export function substituteVariables(node: FilterNode, v: ScopeVars): FilterNode {
  if ('and' in node) return { and: node.and.map((n) => substituteVariables(n, v)) };
  if ('or' in node) return { or: node.or.map((n) => substituteVariables(n, v)) };
  if ('not' in node) return { not: substituteVariables(node.not, v) };
  const leaf = node as FilterLeaf;
  const expand = (x: unknown): unknown[] =>
    x === '$user'
      ? [v.userId]
      : x === '$department'
        ? [...v.departmentIds]
        : x === '$departmentTree'
          ? [...v.departmentTreeIds]
          : x === '$subordinates'
            ? [...v.subordinateIds]
            : [x];
  const hasVar = (x: unknown) => typeof x === 'string' && (VARS as readonly string[]).includes(x);
  if (Array.isArray(leaf.value) && leaf.value.some(hasVar)) {
    const list = [...new Set(leaf.value.flatMap(expand))];
    if (list.length === 0) return leaf.op === 'nin' ? { and: [] } : { or: [] };
    return { ...leaf, value: list };
  }
  if (!hasVar(leaf.value)) return leaf;
  const list = expand(leaf.value);
  if (leaf.value === '$user') return { ...leaf, value: v.userId };
  if (leaf.op === 'eq' || leaf.op === 'in' || leaf.op === 'contains') {
    if (list.length === 0) return { or: [] };
    if (leaf.op === 'contains') return { or: list.map((x) => ({ ...leaf, value: x })) };
    return { field: leaf.field, op: 'in', value: list };
  }
  if (leaf.op === 'ne' || leaf.op === 'nin') {
    if (list.length === 0) return { and: [] };
    return { field: leaf.field, op: 'nin', value: list };
  }
  return { or: [] };
}

/** One data scope → an SQL predicate over the record alias `t`. */
export function scopeSql(scope: DataScope, v: ScopeVars, cc: CompileContext, p: SqlParams): string {
  switch (scope.type) {
    case 'all':
      return 'TRUE';
    case 'none':
      return 'FALSE';
    case 'own': {
      const u = p.add(v.userId, 'uuid');
      return `(${T}.owner_id = ${u} OR ${T}.created_by = ${u})`;
    }
    case 'team': {
      const u = p.add(v.userId, 'uuid');
      const team = v.subordinateIds.length
        ? ` OR ${T}.owner_id = ANY(${p.add([...v.subordinateIds], 'uuid[]')})`
        : '';
      return `(${T}.owner_id = ${u} OR ${T}.created_by = ${u}${team})`;
    }
    case 'department':
      return v.departmentIds.length
        ? `${T}.department_id = ANY(${p.add([...v.departmentIds], 'uuid[]')})`
        : 'FALSE';
    case 'departmentTree':
      return v.departmentTreeIds.length
        ? `${T}.department_id = ANY(${p.add([...v.departmentTreeIds], 'uuid[]')})`
        : 'FALSE';
    case 'custom': {
      const r = validateFilter(cc.entity, substituteVariables(scope.filter, v));
      // A filter the definition no longer supports (a field removed…) grants nothing: fail closed.
      if (!r.ok) return 'FALSE';
      return `COALESCE(${filterSql(cc, r.value, p)}, FALSE)`;
    }
  }
}

/** The predicate of an action: the OR of the scopes of every role granting it; FALSE without one. */
export function actionSql(
  ea: EntityAccess,
  action: EntityAction,
  v: ScopeVars,
  cc: CompileContext,
  p: SqlParams,
): string {
  if (ea.admin) return 'TRUE';
  const scopes = ea.actions.has(action) ? (ea.scopes.get(action) ?? []) : [];
  if (scopes.length === 0) return 'FALSE';
  if (scopes.some((s) => s.type === 'all')) return 'TRUE';
  const parts = [...new Set(scopes.map((s) => scopeSql(s, v, cc, p)))].filter((s) => s !== 'FALSE');
  if (parts.length === 0) return 'FALSE';
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

// ---------------------------------------------------------------------------------------------
// Parsing role permissions (the admin's input, checked at the boundary)

function m(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

/**
 * Checks and normalises role permissions. `entities` maps an entity key (or `*`) to either a preset
 * (`{ preset: 'viewAll' }`, optionally with `fields` and `limits`) or explicit `actions` + `scope`.
 * Field keys, limits and custom filters are checked against the definitions given.
 */
export function parseRolePermissions(
  input: unknown,
  defs: ReadonlyMap<string, EntityDefinition>,
): { ok: true; value: RolePermissions } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const bad = (field: string, code: string, zh: string, en: string) =>
    issues.push({ field, code, message: m(zh, en) });
  if (!isPlain(input) || !isPlain(input.entities)) {
    bad(
      'permissions.entities',
      'type',
      '权限须包含 entities 对象',
      'permissions must contain an entities object',
    );
    return { ok: false, issues };
  }
  for (const k of Object.keys(input)) {
    if (k !== 'entities') bad(`permissions.${k}`, 'unknownField', `未知属性 ${k}`, `Unknown property ${k}`);
  }
  const out: RolePermissions = { entities: {} };
  for (const [key, raw] of Object.entries(input.entities)) {
    const at = `permissions.entities.${key}`;
    const def = defs.get(key);
    if (key !== '*' && (!isEntityKey(key) || !def)) {
      bad(at, 'entity', `表单 ${key} 不存在`, `Entity ${key} does not exist`);
      continue;
    }
    if (!isPlain(raw)) {
      bad(at, 'type', '须为对象', 'Must be an object');
      continue;
    }
    for (const k of Object.keys(raw)) {
      if (!['preset', 'actions', 'scope', 'fields', 'limits'].includes(k))
        bad(`${at}.${k}`, 'unknownField', `未知属性 ${k}`, `Unknown property ${k}`);
    }
    let actions: EntityAction[] = [];
    let scope: DataScope = { type: 'none' };
    let preset: Preset | undefined;
    if (raw.preset !== undefined) {
      if (!(PRESETS as readonly unknown[]).includes(raw.preset)) {
        bad(
          `${at}.preset`,
          'enum',
          `预设须为 ${PRESETS.join(', ')} 之一`,
          `preset must be one of ${PRESETS.join(', ')}`,
        );
        continue;
      }
      preset = raw.preset as Preset;
      actions = [...PRESET_RULES[preset].actions];
      scope = PRESET_RULES[preset].scope;
    }
    if (raw.actions !== undefined) {
      if (
        !Array.isArray(raw.actions) ||
        raw.actions.some((a) => !(ENTITY_ACTIONS as readonly unknown[]).includes(a))
      ) {
        bad(
          `${at}.actions`,
          'enum',
          `操作须为 ${ENTITY_ACTIONS.join(', ')} 中的值`,
          `actions must be values of ${ENTITY_ACTIONS.join(', ')}`,
        );
        continue;
      }
      actions = [...new Set(raw.actions as EntityAction[])];
    }
    if (raw.scope !== undefined) {
      const s = raw.scope;
      if (!isPlain(s) || !(SCOPE_TYPES as readonly unknown[]).includes(s.type)) {
        bad(
          `${at}.scope.type`,
          'enum',
          `数据范围须为 ${SCOPE_TYPES.join(', ')} 之一`,
          `scope.type must be one of ${SCOPE_TYPES.join(', ')}`,
        );
        continue;
      }
      if (s.type === 'custom') {
        if (key === '*' || !def) {
          bad(
            `${at}.scope`,
            'custom',
            '自定义筛选只能用于具体表单',
            'A custom filter needs a specific entity',
          );
          continue;
        }
        const probe = substituteVariables(s.filter as FilterNode, {
          userId: PLACEHOLDER,
          departmentIds: [PLACEHOLDER],
          departmentTreeIds: [PLACEHOLDER],
          subordinateIds: [PLACEHOLDER],
        });
        const r = isPlain(s.filter) ? validateFilter(def, probe) : null;
        if (!r?.ok) {
          for (const i of r?.issues ?? [
            { field: '', code: 'type', message: m('须为筛选条件', 'Must be a filter') },
          ])
            issues.push({ ...i, field: `${at}.scope.filter${i.field ? `.${i.field}` : ''}` });
          continue;
        }
        if (usesLookup(def, s.filter as FilterNode)) {
          bad(
            `${at}.scope.filter`,
            'lookup',
            '数据范围不能按引用字段筛选',
            'A data scope cannot filter on lookup fields',
          );
          continue;
        }
        scope = { type: 'custom', filter: s.filter as FilterNode };
      } else scope = { type: s.type as Exclude<DataScope['type'], 'custom'> };
    }
    if (raw.preset === undefined && (raw.actions === undefined || raw.scope === undefined)) {
      bad(
        at,
        'required',
        '须给出 preset，或同时给出 actions 与 scope',
        'Give a preset, or both actions and scope',
      );
      continue;
    }
    const rule: EntityRule = { actions, scope, ...(preset ? { preset } : {}) };
    if (raw.fields !== undefined) {
      if (!isPlain(raw.fields)) {
        bad(`${at}.fields`, 'type', '须为对象', 'Must be an object');
        continue;
      }
      const fields: Record<string, FieldAccess> = {};
      for (const [fk, fv] of Object.entries(raw.fields)) {
        if (!isFieldKey(fk) || isSystemFieldKey(fk) || (def && !def.fields.some((f) => f.key === fk))) {
          bad(`${at}.fields.${fk}`, 'field', `字段 ${fk} 不存在`, `Field ${fk} does not exist`);
        } else if (fv !== 'hidden' && fv !== 'readonly') {
          bad(`${at}.fields.${fk}`, 'enum', '须为 hidden 或 readonly', 'Must be hidden or readonly');
        } else fields[fk] = fv;
      }
      rule.fields = fields;
    }
    if (raw.limits !== undefined) {
      if (!Array.isArray(raw.limits)) {
        bad(`${at}.limits`, 'type', '须为数组', 'Must be an array');
        continue;
      }
      const limits: ActionLimit[] = [];
      raw.limits.forEach((l, i) => {
        const li = `${at}.limits.${i}`;
        const f = isPlain(l) && def ? def.fields.find((x) => x.key === l.field) : undefined;
        const numeric =
          f && getFieldType(f.type) && ['number', 'amount', 'percent', 'rating'].includes(f.type);
        if (!isPlain(l) || !numeric) {
          bad(
            `${li}.field`,
            'field',
            '限额须作用于本表单的数字字段',
            'A limit needs a numeric field of this entity',
          );
          return;
        }
        const num = (x: unknown) => x === undefined || (typeof x === 'number' && Number.isFinite(x));
        if (!num(l.min) || !num(l.max) || (l.min === undefined && l.max === undefined)) {
          bad(li, 'limit', '限额须给出数字 min 或 max', 'A limit needs a numeric min or max');
          return;
        }
        if (typeof l.min === 'number' && typeof l.max === 'number' && l.min > l.max) {
          bad(li, 'limit', 'min 不能大于 max', 'min must not exceed max');
          return;
        }
        limits.push({
          field: l.field as string,
          ...(l.min !== undefined ? { min: l.min as number } : {}),
          ...(l.max !== undefined ? { max: l.max as number } : {}),
        });
      });
      rule.limits = limits;
    }
    out.entities[key] = rule;
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: out };
}

function usesLookup(def: EntityDefinition, node: FilterNode): boolean {
  if ('and' in node) return node.and.some((n) => usesLookup(def, n));
  if ('or' in node) return node.or.some((n) => usesLookup(def, n));
  if ('not' in node) return usesLookup(def, node.not);
  return def.fields.find((f) => f.key === (node as FilterLeaf).field)?.type === 'lookup';
}

/** The field keys a filter reads. */
export function filterFields(node: FilterNode, out: Set<string> = new Set()): Set<string> {
  if ('and' in node) for (const n of node.and) filterFields(n, out);
  else if ('or' in node) for (const n of node.or) filterFields(n, out);
  else if ('not' in node) filterFields(node.not, out);
  else out.add((node as FilterLeaf).field);
  return out;
}

/** 403 naming the field (the message never contains a value). */
export function fieldForbidden(field: string, code: string, zh: string, en: string): DomainError {
  return new DomainError('FORBIDDEN', { field }, [{ field, code, message: m(zh, en) }]);
}

export function actionForbidden(entity: string, action: EntityAction): DomainError {
  return new DomainError(
    'FORBIDDEN',
    { entity, action },
    [],
    m(`没有对表单 ${entity} 执行 ${action} 的权限`, `You may not ${action} records of ${entity}`),
  );
}
