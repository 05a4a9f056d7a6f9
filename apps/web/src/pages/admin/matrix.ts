import type { EntityDefinition, FieldDefinition, FilterNode } from '@formwork/metadata';
import {
  type DataScope,
  ENTITY_ACTIONS,
  type EntityAction,
  type EntityRule,
  type Preset,
  type PresetKey,
  type RolePermissions,
  type ScopeType,
} from './admin-api.js';

/**
 * The permission matrix editor's state, pure: a role's permissions as rows (`*` = every entity without
 * a rule of its own, then one row per entity) of actions, a data scope, field permissions and numeric
 * limits; conversion to and from the server's `RolePermissions`; presets; client-side checks; and the
 * server's field errors mapped back onto rows.
 */

export const ALL = '*';

export interface LimitDraft {
  id: string;
  field: string;
  min?: number;
  max?: number;
}

export interface RuleDraft {
  actions: EntityAction[];
  scope: ScopeType;
  /** The custom scope's filter (`$user`, `$department`, `$departmentTree` allowed). */
  filter?: FilterNode;
  fields: Record<string, 'hidden' | 'readonly'>;
  limits: LimitDraft[];
}

/** Per row key (`*` or an entity key), the role's own rule; a missing row inherits `*`. */
export interface MatrixDraft {
  rules: Record<string, RuleDraft>;
}

const EMPTY: RuleDraft = { actions: [], scope: 'none', fields: {}, limits: [] };

let seq = 0;
const limitId = () => {
  seq += 1;
  return `l${seq}`;
};

const ordered = (actions: Iterable<EntityAction>): EntityAction[] => {
  const set = new Set(actions);
  return ENTITY_ACTIONS.filter((a) => set.has(a));
};

/** The numeric field types a limit can bound (as the server checks). */
export const LIMIT_TYPES = new Set(['number', 'amount', 'percent', 'rating']);

export function limitFields(entity: EntityDefinition): FieldDefinition[] {
  return entity.fields.filter((f) => LIMIT_TYPES.has(f.type));
}

/** One server rule → a row draft (a preset-only rule takes the preset's actions and scope). */
export function ruleFromServer(rule: EntityRule, presets: readonly Preset[]): RuleDraft {
  const preset = rule.preset ? presets.find((p) => p.key === rule.preset) : undefined;
  const actions = rule.actions ?? preset?.actions ?? [];
  const scope: DataScope = rule.scope ?? preset?.scope ?? { type: 'none' };
  return {
    actions: ordered(actions),
    scope: scope.type,
    ...(scope.type === 'custom' ? { filter: scope.filter } : {}),
    fields: { ...(rule.fields ?? {}) },
    limits: (rule.limits ?? []).map((l) => ({ id: limitId(), ...l })),
  };
}

export function fromPermissions(perms: RolePermissions | undefined, presets: readonly Preset[]): MatrixDraft {
  const rules: Record<string, RuleDraft> = {};
  for (const [key, rule] of Object.entries(perms?.entities ?? {})) rules[key] = ruleFromServer(rule, presets);
  return { rules };
}

/** The preset whose actions and scope the rule has exactly, if any (shown in the preset column). */
export function matchingPreset(rule: RuleDraft, presets: readonly Preset[]): PresetKey | undefined {
  const key = ordered(rule.actions).join(',');
  return presets.find((p) => p.scope.type === rule.scope && ordered(p.actions).join(',') === key)?.key;
}

/** A row draft → the server's rule (actions + scope, the matching preset noted, fields and limits). */
export function ruleToServer(rule: RuleDraft, presets: readonly Preset[]): EntityRule {
  const preset = matchingPreset(rule, presets);
  const scope: DataScope =
    rule.scope === 'custom' ? { type: 'custom', filter: rule.filter ?? { and: [] } } : { type: rule.scope };
  const fields = Object.fromEntries(Object.entries(rule.fields).sort(([a], [b]) => a.localeCompare(b)));
  const limits = rule.limits.map(({ id: _id, ...l }) => ({
    field: l.field,
    ...(l.min !== undefined ? { min: l.min } : {}),
    ...(l.max !== undefined ? { max: l.max } : {}),
  }));
  return {
    ...(preset ? { preset } : {}),
    actions: ordered(rule.actions),
    scope,
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(limits.length ? { limits } : {}),
  };
}

export function toPermissions(draft: MatrixDraft, presets: readonly Preset[]): RolePermissions {
  const keys = Object.keys(draft.rules).sort((a, b) => (a === ALL ? -1 : b === ALL ? 1 : a.localeCompare(b)));
  return {
    entities: Object.fromEntries(keys.map((k) => [k, ruleToServer(draft.rules[k] as RuleDraft, presets)])),
  };
}

/** The rule that applies to a row: its own, else `*`'s (inherited), else nothing. */
export function effectiveRule(draft: MatrixDraft, key: string): { rule: RuleDraft; inherited: boolean } {
  const own = draft.rules[key];
  if (own) return { rule: own, inherited: false };
  if (key === ALL) return { rule: EMPTY, inherited: false };
  const all = draft.rules[ALL];
  return { rule: all ? { ...all, fields: {}, limits: [] } : EMPTY, inherited: true };
}

function withRule(draft: MatrixDraft, key: string, fn: (r: RuleDraft) => RuleDraft): MatrixDraft {
  const base = effectiveRule(draft, key).rule;
  return { rules: { ...draft.rules, [key]: fn(base) } };
}

/**
 * Turns an action on or off for a row (the row gets a rule of its own). Export needs read, so turning
 * export on turns read on, and turning read off turns export off.
 */
export function toggleAction(
  draft: MatrixDraft,
  key: string,
  action: EntityAction,
  on: boolean,
): MatrixDraft {
  return withRule(draft, key, (r) => {
    const set = new Set(r.actions);
    if (on) {
      set.add(action);
      if (action === 'export') set.add('read');
    } else {
      set.delete(action);
      if (action === 'read') set.delete('export');
    }
    const actions = ordered(set);
    // A first action on a row that reaches nothing starts with the member's own records.
    const scope = r.actions.length === 0 && actions.length > 0 && r.scope === 'none' ? 'own' : r.scope;
    return { ...r, actions, scope };
  });
}

export function setScope(draft: MatrixDraft, key: string, scope: ScopeType): MatrixDraft {
  return withRule(draft, key, (r) => {
    const { filter, ...rest } = r;
    return scope === 'custom' ? { ...rest, scope, filter: filter ?? { and: [] } } : { ...rest, scope };
  });
}

export function setFilter(draft: MatrixDraft, key: string, filter: FilterNode | undefined): MatrixDraft {
  return withRule(draft, key, (r) => ({ ...r, scope: 'custom', filter: filter ?? { and: [] } }));
}

/** One click: the preset's actions and scope (field permissions and limits stay). */
export function applyPreset(draft: MatrixDraft, key: string, preset: Preset): MatrixDraft {
  return withRule(draft, key, (r) => {
    const { filter: _f, ...rest } = r;
    return {
      ...rest,
      actions: ordered(preset.actions),
      scope: preset.scope.type,
      ...(preset.scope.type === 'custom' ? { filter: preset.scope.filter } : {}),
    };
  });
}

export function setFieldAccess(
  draft: MatrixDraft,
  key: string,
  field: string,
  access: 'visible' | 'hidden' | 'readonly',
): MatrixDraft {
  return withRule(draft, key, (r) => {
    const fields = { ...r.fields };
    if (access === 'visible') delete fields[field];
    else fields[field] = access;
    return { ...r, fields };
  });
}

export function addLimit(draft: MatrixDraft, key: string, field = ''): MatrixDraft {
  return withRule(draft, key, (r) => ({ ...r, limits: [...r.limits, { id: limitId(), field }] }));
}

export function updateLimit(
  draft: MatrixDraft,
  key: string,
  id: string,
  patch: { field?: string; min?: number | null; max?: number | null },
): MatrixDraft {
  return withRule(draft, key, (r) => ({
    ...r,
    limits: r.limits.map((l) => {
      if (l.id !== id) return l;
      const next: LimitDraft = { ...l };
      if (patch.field !== undefined) next.field = patch.field;
      for (const k of ['min', 'max'] as const) {
        if (!(k in patch)) continue;
        const v = patch[k];
        if (typeof v === 'number' && Number.isFinite(v)) next[k] = v;
        else delete next[k];
      }
      return next;
    }),
  }));
}

export function removeLimit(draft: MatrixDraft, key: string, id: string): MatrixDraft {
  return withRule(draft, key, (r) => ({ ...r, limits: r.limits.filter((l) => l.id !== id) }));
}

/** Drops a row's own rule: it follows `*` again (for `*` itself: no rule at all). */
export function resetRow(draft: MatrixDraft, key: string): MatrixDraft {
  const { [key]: _drop, ...rules } = draft.rules;
  return { rules };
}

export interface RowIssue {
  /** `*` or an entity key. */
  row: string;
  /** What part of the row: `scope`, `fields`, `limits`, `actions`, or '' for the row itself. */
  part: string;
  /** The field the issue names (a field permission or limit), when there is one. */
  field?: string;
  message: string;
}

/** Checks before saving (the server checks again; its answer is mapped with `issuesFromServer`). */
export function draftIssues(
  draft: MatrixDraft,
  entities: readonly EntityDefinition[],
  msg: { filterRequired: string; limitField: string; limitBound: string; limitOrder: string },
): RowIssue[] {
  const out: RowIssue[] = [];
  for (const [row, rule] of Object.entries(draft.rules)) {
    if (rule.scope === 'custom') {
      const f = rule.filter;
      const empty = !f || ('and' in f && f.and.length === 0) || ('or' in f && f.or.length === 0);
      if (empty) out.push({ row, part: 'scope', message: msg.filterRequired });
    }
    const entity = entities.find((e) => e.key === row);
    rule.limits.forEach((l) => {
      const numeric = entity ? limitFields(entity).some((f) => f.key === l.field) : false;
      if (!numeric) out.push({ row, part: 'limits', field: l.field, message: msg.limitField });
      else if (l.min === undefined && l.max === undefined)
        out.push({ row, part: 'limits', field: l.field, message: msg.limitBound });
      else if (l.min !== undefined && l.max !== undefined && l.min > l.max)
        out.push({ row, part: 'limits', field: l.field, message: msg.limitOrder });
    });
  }
  return out;
}

/**
 * The server's field errors (`permissions.entities.deal.scope.filter.amount`, `…limits.0.field`,
 * `…fields.cost`) → row issues; anything else (the role's key or name) stays with its own field.
 */
export function issuesFromServer(
  fields: ReadonlyArray<{ field: string; message: string }>,
  draft: MatrixDraft,
): { rows: RowIssue[]; other: Array<{ field: string; message: string }> } {
  const rows: RowIssue[] = [];
  const other: Array<{ field: string; message: string }> = [];
  for (const f of fields) {
    const m = /^permissions\.entities\.([^.]+)(?:\.([a-zA-Z]+))?(?:\.(.+))?$/.exec(f.field);
    if (!m) {
      other.push(f);
      continue;
    }
    const row = m[1] as string;
    const part = m[2] ?? '';
    const rest = m[3];
    let field: string | undefined;
    if (part === 'fields' && rest) field = rest;
    if (part === 'limits' && rest) {
      const i = Number(rest.split('.')[0]);
      field = draft.rules[row]?.limits[i]?.field;
    }
    rows.push({ row, part, ...(field ? { field } : {}), message: f.message });
  }
  return { rows, other };
}
