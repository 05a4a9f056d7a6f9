import type { EntityDefinition, FilterNode } from '@formwork/metadata';
import { validateFilter } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import {
  addChild,
  changeLeaf,
  countConditions,
  type DraftGroup,
  type DraftLeaf,
  emptyGroup,
  filterableFields,
  fromDraft,
  isComplete,
  isScopeVariable,
  newLeaf,
  removeNode,
  scopeVariablesFor,
  toDraft,
  valueKind,
} from './filter-model.js';

const entity: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text' },
    { key: 'amount', type: 'amount' },
    { key: 'stage', type: 'select', options: [{ value: 'new' }, { value: 'won' }] },
    { key: 'closeOn', type: 'date' },
    { key: 'tags', type: 'tags' },
    { key: 'vip', type: 'boolean' },
    { key: 'owner', type: 'member' },
    { key: 'items', type: 'subform', fields: [{ key: 'qty', type: 'number' }] },
  ],
};
const field = (key: string) => filterableFields(entity).find((f) => f.key === key)!;

describe('filter model', () => {
  it('round-trips a nested AST with and, or and not', () => {
    const ast: FilterNode = {
      and: [
        { field: 'stage', op: 'in', value: ['new', 'won'] },
        {
          not: {
            or: [
              { field: 'amount', op: 'gt', value: 1000 },
              { field: 'name', op: 'isEmpty' },
            ],
          },
        },
        { field: 'closeOn', op: 'period', value: 'lastNDays:30' },
      ],
    };
    expect(fromDraft(entity, toDraft(ast))).toEqual(ast);
  });

  it('produces ASTs the server-side validator accepts', () => {
    let root = emptyGroup('or');
    root = addChild(root, root.id, { ...newLeaf(field('amount')), op: 'between', value: [1, 5] });
    root = addChild(root, root.id, { ...newLeaf(field('createdAt')), op: 'period', value: 'thisMonth' });
    const ast = fromDraft(entity, root);
    expect(validateFilter(entity, ast).ok).toBe(true);
  });

  it('leaves incomplete conditions out instead of sending them', () => {
    let root = emptyGroup();
    root = addChild(root, root.id, newLeaf(field('name')));
    expect(fromDraft(entity, root)).toBeUndefined();
    root = addChild(root, root.id, { ...newLeaf(field('vip')), value: false });
    expect(fromDraft(entity, root)).toEqual({ field: 'vip', op: 'eq', value: false });
    expect(countConditions(entity, root)).toBe(1);
  });

  it('keeps negation of a single condition', () => {
    const root: DraftGroup = {
      ...emptyGroup(),
      negate: true,
      children: [{ ...newLeaf(field('tags')), value: 'x' }],
    };
    expect(fromDraft(entity, root)).toEqual({ not: { field: 'tags', op: 'contains', value: 'x' } });
  });

  it('removes a condition and a group by id', () => {
    const leaf = { ...newLeaf(field('name')), value: 'a' };
    const inner: DraftGroup = { ...emptyGroup('or'), children: [{ ...newLeaf(field('name')), value: 'b' }] };
    const root: DraftGroup = { ...emptyGroup(), children: [leaf, inner] };
    expect(fromDraft(entity, removeNode(root, inner.id))).toEqual({
      field: 'name',
      op: 'eq',
      value: 'a',
    });
    expect(fromDraft(entity, removeNode(root, leaf.id))).toEqual({
      field: 'name',
      op: 'eq',
      value: 'b',
    });
  });

  it('picks the editor by field type and operator', () => {
    expect(valueKind(field('amount'), 'between')).toBe('numberRange');
    expect(valueKind(field('closeOn'), 'between')).toBe('dateRange');
    expect(valueKind(field('createdAt'), 'between')).toBe('datetimeRange');
    expect(valueKind(field('stage'), 'in')).toBe('options');
    expect(valueKind(field('stage'), 'eq')).toBe('option');
    expect(valueKind(field('owner'), 'in')).toBe('members');
    expect(valueKind(field('name'), 'in')).toBe('list');
    expect(valueKind(field('vip'), 'eq')).toBe('boolean');
    expect(valueKind(field('closeOn'), 'period')).toBe('period');
    expect(valueKind(field('name'), 'isEmpty')).toBe('none');
  });

  it('offers the system fields after the entity fields, but not the record id', () => {
    const keys = filterableFields(entity).map((f) => f.key);
    expect(keys.slice(0, 3)).toEqual(['name', 'amount', 'stage']);
    expect(keys).not.toContain('id');
    expect(keys).toEqual(expect.arrayContaining(['createdAt', 'updatedAt', 'ownerId']));
  });

  it('keeps the value when the operator keeps its editor, clears it otherwise', () => {
    const leaf: DraftLeaf = { ...newLeaf(field('amount')), op: 'gt', value: 5 };
    expect(changeLeaf(entity, leaf, { op: 'lte' }).value).toBe(5);
    expect(changeLeaf(entity, leaf, { op: 'between' }).value).toBeUndefined();
    const moved = changeLeaf(entity, leaf, { field: 'stage' });
    expect(moved).toMatchObject({ id: leaf.id, field: 'stage', op: 'eq' });
    expect(moved.value).toBeUndefined();
  });

  it('judges completeness per operator', () => {
    const f = field('closeOn');
    expect(isComplete({ ...newLeaf(f), op: 'period', value: 'lastNDays:0' }, f)).toBe(false);
    expect(isComplete({ ...newLeaf(f), op: 'period', value: 'thisQuarter' }, f)).toBe(true);
    expect(isComplete({ ...newLeaf(f), op: 'between', value: ['2026-01-01', ''] }, f)).toBe(false);
    expect(isComplete({ ...newLeaf(f), op: 'isNotEmpty' }, f)).toBe(true);
  });

  it('offers $user / $subordinates for member conditions and $department / $departmentTree for department ones', () => {
    const withDept: EntityDefinition = {
      ...entity,
      fields: [...entity.fields, { key: 'team', type: 'department' }],
    };
    const f = (key: string) => filterableFields(withDept).find((x) => x.key === key)!;
    expect(scopeVariablesFor(f('ownerId'), 'eq')).toEqual(['$user', '$subordinates']);
    expect(scopeVariablesFor(f('owner'), 'in')).toEqual(['$user', '$subordinates']);
    expect(scopeVariablesFor(f('createdBy'), 'ne')).toEqual(['$user', '$subordinates']);
    expect(scopeVariablesFor(f('team'), 'eq')).toEqual(['$department', '$departmentTree']);
    expect(scopeVariablesFor(f('team'), 'isEmpty')).toEqual([]);
    expect(scopeVariablesFor(f('name'), 'eq')).toEqual([]);
    expect(scopeVariablesFor(f('amount'), 'gt')).toEqual([]);
    expect(isScopeVariable('$user')).toBe(true);
    expect(isScopeVariable('$users')).toBe(false);
  });

  it('round-trips a scope filter with variables: complete conditions, valid once the server substitutes them', () => {
    const withDept: EntityDefinition = {
      ...entity,
      fields: [...entity.fields, { key: 'team', type: 'department' }],
    };
    const ast: FilterNode = {
      or: [
        { field: 'ownerId', op: 'eq', value: '$user' },
        { field: 'team', op: 'in', value: ['$departmentTree'] },
      ],
    };
    const draft = toDraft(ast);
    expect(countConditions(withDept, draft)).toBe(2);
    expect(fromDraft(withDept, draft)).toEqual(ast);
    const uuid = '00000000-0000-4000-8000-000000000001';
    const substituted: FilterNode = {
      or: [
        { field: 'ownerId', op: 'eq', value: uuid },
        { field: 'team', op: 'in', value: [uuid] },
      ],
    };
    expect(validateFilter(withDept, substituted).ok).toBe(true);
  });
});
