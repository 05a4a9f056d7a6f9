import {
  type EntityDefinition,
  type FieldDefinition,
  type FilterNode,
  type FilterOp,
  fieldOperators,
  getFieldType,
  isPeriodValue,
  resolveFilterField,
  systemFields,
} from '@formwork/metadata';

/**
 * The FilterBuilder's editable model: a tree of groups and conditions with ids, converted to and from
 * the filter AST. Pure functions, tested without React. A group is `and`/`or`, optionally negated
 * (`not`); incomplete conditions (no value yet) are left out of the AST instead of failing the query.
 */

export interface DraftLeaf {
  kind: 'leaf';
  id: string;
  field: string;
  op: FilterOp;
  value?: unknown;
}

export interface DraftGroup {
  kind: 'group';
  id: string;
  join: 'and' | 'or';
  negate: boolean;
  children: DraftNode[];
}

export type DraftNode = DraftLeaf | DraftGroup;

/** How the value of a condition is edited. */
export type ValueKind =
  | 'none'
  | 'text'
  | 'number'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'option'
  | 'options'
  | 'member'
  | 'members'
  | 'list'
  | 'numberRange'
  | 'dateRange'
  | 'datetimeRange'
  | 'period';

export const PERIODS = ['today', 'thisWeek', 'thisMonth', 'thisQuarter', 'thisYear'] as const;

let seq = 0;
/** A fresh id for a draft node (unique within the page). */
export function newId(): string {
  seq += 1;
  return `n${seq}`;
}

export function emptyGroup(join: 'and' | 'or' = 'and'): DraftGroup {
  return { kind: 'group', id: newId(), join, negate: false, children: [] };
}

/** Fields a filter can use: the entity's fields whose type has operators, then the system fields. */
export function filterableFields(entity: EntityDefinition): FieldDefinition[] {
  const own = entity.fields.filter((f) => fieldOperators(f).length > 0);
  return [...own, ...Object.values(systemFields).filter((f) => f.key !== 'id')];
}

/** The natural first operator of a field. */
export function defaultOp(field: FieldDefinition): FilterOp {
  const ops = fieldOperators(field);
  const multi = getFieldType(field.type)?.multiValued(field) ?? false;
  const prefer: FilterOp[] = multi ? ['contains', 'in'] : ['eq', 'contains', 'period', 'isNotEmpty'];
  return prefer.find((o) => ops.includes(o)) ?? ops[0] ?? 'isNotEmpty';
}

export function newLeaf(field: FieldDefinition): DraftLeaf {
  return { kind: 'leaf', id: newId(), field: field.key, op: defaultOp(field) };
}

/** How to edit the value of `op` on `field`. */
export function valueKind(field: FieldDefinition, op: FilterOp): ValueKind {
  if (op === 'isEmpty' || op === 'isNotEmpty') return 'none';
  if (op === 'period') return 'period';
  const type = getFieldType(field.type);
  const storage = type?.storageFor(field) ?? 'json';
  const isMember = field.type === 'member' || field.type === 'department';
  const hasOptions = (field.options?.length ?? 0) > 0;
  if (op === 'between') {
    if (storage === 'date') return 'dateRange';
    if (storage === 'timestamptz') return 'datetimeRange';
    return 'numberRange';
  }
  if (op === 'in' || op === 'nin') {
    if (hasOptions) return 'options';
    if (isMember && field.key !== 'id') return 'members';
    return 'list';
  }
  if (hasOptions) return 'option';
  if (isMember && field.key !== 'id') return 'member';
  if (storage === 'numeric') return 'number';
  if (storage === 'date') return 'date';
  if (storage === 'timestamptz') return 'datetime';
  if (storage === 'boolean') return 'boolean';
  return 'text';
}

/**
 * Variables a data-scope filter may use in place of a value (docs/permissions.md): the server replaces
 * `$user` with the member, `$subordinates` with the members they lead as a department head, and
 * `$department` / `$departmentTree` with their departments (and those below).
 */
export const SCOPE_VARIABLES = ['$user', '$subordinates', '$department', '$departmentTree'] as const;
export type ScopeVariable = (typeof SCOPE_VARIABLES)[number];

export function isScopeVariable(v: unknown): v is ScopeVariable {
  return typeof v === 'string' && (SCOPE_VARIABLES as readonly string[]).includes(v);
}

/**
 * The variables that fit a condition: `$user` / `$subordinates` where a member is picked (owner, creator,
 * member fields), `$department` / `$departmentTree` where a department is picked; none for other values.
 */
export function scopeVariablesFor(field: FieldDefinition, op: FilterOp): ScopeVariable[] {
  const kind = valueKind(field, op);
  if (kind !== 'member' && kind !== 'members') return [];
  if (field.type === 'department') return ['$department', '$departmentTree'];
  return field.type === 'member' && field.key !== 'id' ? ['$user', '$subordinates'] : [];
}

/** Whether a condition has what its operator needs. */
export function isComplete(leaf: DraftLeaf, field: FieldDefinition | undefined): boolean {
  if (!field) return false;
  const kind = valueKind(field, leaf.op);
  const v = leaf.value;
  switch (kind) {
    case 'none':
      return true;
    case 'period':
      return isPeriodValue(v);
    case 'numberRange':
    case 'dateRange':
    case 'datetimeRange':
      return Array.isArray(v) && v.length === 2 && v.every((x) => x !== null && x !== undefined && x !== '');
    case 'options':
    case 'members':
    case 'list':
      return Array.isArray(v) && v.length > 0;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return typeof v === 'string' && v.trim() !== '';
  }
}

/** The filter AST of a draft; undefined when no condition is complete. */
export function fromDraft(entity: EntityDefinition, group: DraftGroup): FilterNode | undefined {
  const children = group.children
    .map((c): FilterNode | undefined => {
      if (c.kind === 'group') return fromDraft(entity, c);
      const field = resolveFilterField(entity, c.field);
      if (!isComplete(c, field)) return undefined;
      return valueKind(field as FieldDefinition, c.op) === 'none'
        ? { field: c.field, op: c.op }
        : { field: c.field, op: c.op, value: c.value };
    })
    .filter((n): n is FilterNode => n !== undefined);
  if (children.length === 0) return undefined;
  const inner: FilterNode =
    children.length === 1
      ? (children[0] as FilterNode)
      : group.join === 'and'
        ? { and: children }
        : { or: children };
  return group.negate ? { not: inner } : inner;
}

/** A draft of a filter AST (the root is always a group). */
export function toDraft(node: FilterNode | undefined): DraftGroup {
  if (!node) return emptyGroup();
  const asGroup = (n: FilterNode, negate: boolean): DraftGroup => {
    if ('and' in n) return { ...emptyGroup('and'), negate, children: n.and.map(child) };
    if ('or' in n) return { ...emptyGroup('or'), negate, children: n.or.map(child) };
    if ('not' in n) {
      const inner = asGroup(n.not, false);
      return { ...inner, negate: !negate };
    }
    return { ...emptyGroup('and'), negate, children: [child(n)] };
  };
  const child = (n: FilterNode): DraftNode => {
    if ('and' in n || 'or' in n || 'not' in n) return asGroup(n, false);
    return {
      kind: 'leaf',
      id: newId(),
      field: n.field,
      op: n.op,
      ...(n.value !== undefined ? { value: n.value } : {}),
    };
  };
  return asGroup(node, false);
}

/** Applies `fn` to the node with `id` (returning null removes it). Immutable. */
export function updateNode(root: DraftGroup, id: string, fn: (n: DraftNode) => DraftNode | null): DraftGroup {
  const walk = (g: DraftGroup): DraftGroup => ({
    ...g,
    children: g.children.flatMap((c) => {
      if (c.id === id) {
        const out = fn(c);
        return out ? [out] : [];
      }
      return c.kind === 'group' ? [walk(c)] : [c];
    }),
  });
  if (root.id === id) {
    const out = fn(root);
    return out && out.kind === 'group' ? out : emptyGroup(root.join);
  }
  return walk(root);
}

/** Appends `child` to the group with `groupId`. */
export function addChild(root: DraftGroup, groupId: string, child: DraftNode): DraftGroup {
  return updateNode(root, groupId, (g) =>
    g.kind === 'group' ? { ...g, children: [...g.children, child] } : g,
  );
}

export function removeNode(root: DraftGroup, id: string): DraftGroup {
  return updateNode(root, id, () => null);
}

/**
 * Changes a condition's field or operator, keeping the value when it still fits and clearing it
 * otherwise (a list stays a list, a single value stays single).
 */
export function changeLeaf(
  entity: EntityDefinition,
  leaf: DraftLeaf,
  patch: { field?: string; op?: FilterOp; value?: unknown },
): DraftLeaf {
  if (patch.field !== undefined && patch.field !== leaf.field) {
    const field = resolveFilterField(entity, patch.field);
    return field ? { ...newLeaf(field), id: leaf.id } : leaf;
  }
  if (patch.op !== undefined && patch.op !== leaf.op) {
    const field = resolveFilterField(entity, leaf.field);
    if (!field) return leaf;
    const before = valueKind(field, leaf.op);
    const after = valueKind(field, patch.op);
    const { value: _drop, ...rest } = leaf;
    return before === after && leaf.value !== undefined
      ? { ...leaf, op: patch.op }
      : { ...rest, op: patch.op };
  }
  if ('value' in patch) return { ...leaf, value: patch.value };
  return leaf;
}

/** Number of complete conditions (shown on the filter button). */
export function countConditions(entity: EntityDefinition, group: DraftGroup): number {
  return group.children.reduce(
    (n, c) =>
      n +
      (c.kind === 'group'
        ? countConditions(entity, c)
        : isComplete(c, resolveFilterField(entity, c.field))
          ? 1
          : 0),
    0,
  );
}
