import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import type { Preset } from './admin-api.js';
import {
  ALL,
  addLimit,
  applyPreset,
  draftIssues,
  effectiveRule,
  fromPermissions,
  issuesFromServer,
  type MatrixDraft,
  matchingPreset,
  removeLimit,
  resetRow,
  setFieldAccess,
  setFilter,
  setScope,
  toggleAction,
  toPermissions,
  updateLimit,
} from './matrix.js';

/** The server's five presets, as `GET /api/permissions/presets` answers them. */
const presets: Preset[] = [
  { key: 'submitOnly', label: '仅新增', actions: ['create'], scope: { type: 'own' } },
  {
    key: 'submitManageOwn',
    label: '新增并管理本人',
    actions: ['create', 'read', 'update', 'delete'],
    scope: { type: 'own' },
  },
  { key: 'submitViewAll', label: '新增并查看全部', actions: ['create', 'read'], scope: { type: 'all' } },
  { key: 'viewAll', label: '查看全部', actions: ['read'], scope: { type: 'all' } },
  {
    key: 'manageAll',
    label: '管理全部',
    actions: ['create', 'read', 'update', 'delete', 'export', 'import'],
    scope: { type: 'all' },
  },
];

const deal: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text' },
    { key: 'discount', type: 'percent' },
    { key: 'cost', type: 'amount' },
    { key: 'note', type: 'longText' },
  ],
};
const msgs = { filterRequired: 'F', limitField: 'LF', limitBound: 'LB', limitOrder: 'LO' };
const empty: MatrixDraft = { rules: {} };

describe('permission matrix state', () => {
  it('reads preset-only rules with the preset’s actions and scope, and writes them back with the preset named', () => {
    const draft = fromPermissions(
      {
        entities: {
          '*': { preset: 'viewAll' },
          deal: {
            preset: 'submitManageOwn',
            fields: { cost: 'hidden' },
            limits: [{ field: 'discount', max: 10 }],
          },
        },
      },
      presets,
    );
    expect(draft.rules.deal).toMatchObject({ actions: ['create', 'read', 'update', 'delete'], scope: 'own' });
    expect(toPermissions(draft, presets)).toEqual({
      entities: {
        '*': { preset: 'viewAll', actions: ['read'], scope: { type: 'all' } },
        deal: {
          preset: 'submitManageOwn',
          actions: ['create', 'read', 'update', 'delete'],
          scope: { type: 'own' },
          fields: { cost: 'hidden' },
          limits: [{ field: 'discount', max: 10 }],
        },
      },
    });
  });

  it('a row without a rule of its own follows `*`, and gets its own rule when changed', () => {
    let d = applyPreset(empty, ALL, presets[3] as Preset); // viewAll
    expect(effectiveRule(d, 'deal')).toMatchObject({
      inherited: true,
      rule: { actions: ['read'], scope: 'all' },
    });
    d = toggleAction(d, 'deal', 'create', true);
    expect(effectiveRule(d, 'deal')).toMatchObject({
      inherited: false,
      rule: { actions: ['create', 'read'], scope: 'all' },
    });
    expect(matchingPreset(effectiveRule(d, 'deal').rule, presets)).toBe('submitViewAll');
    // `*` is untouched, and resetting the row inherits again.
    expect(d.rules[ALL]?.actions).toEqual(['read']);
    d = resetRow(d, 'deal');
    expect(effectiveRule(d, 'deal').inherited).toBe(true);
    expect(toPermissions(d, presets).entities).not.toHaveProperty('deal');
  });

  it('grants read + create on own records with a hidden field — what a salesperson role looks like', () => {
    let d = toggleAction(empty, 'deal', 'read', true);
    expect(d.rules.deal?.scope).toBe('own'); // a first action starts with own records, not "none"
    d = toggleAction(d, 'deal', 'create', true);
    d = setFieldAccess(d, 'deal', 'cost', 'hidden');
    d = setFieldAccess(d, 'deal', 'discount', 'readonly');
    d = setFieldAccess(d, 'deal', 'discount', 'visible');
    expect(toPermissions(d, presets).entities.deal).toEqual({
      actions: ['create', 'read'],
      scope: { type: 'own' },
      fields: { cost: 'hidden' },
    });
  });

  it('keeps export with read: export turns read on, dropping read drops export', () => {
    let d = toggleAction(empty, 'deal', 'export', true);
    expect(d.rules.deal?.actions).toEqual(['read', 'export']);
    d = toggleAction(d, 'deal', 'read', false);
    expect(d.rules.deal?.actions).toEqual([]);
  });

  it('a preset replaces actions and scope but keeps field permissions and limits', () => {
    let d = setFieldAccess(empty, 'deal', 'cost', 'hidden');
    d = addLimit(d, 'deal', 'discount');
    const id = d.rules.deal?.limits[0]?.id as string;
    d = updateLimit(d, 'deal', id, { max: 10 });
    d = applyPreset(d, 'deal', presets[4] as Preset); // manageAll
    expect(toPermissions(d, presets).entities.deal).toEqual({
      preset: 'manageAll',
      actions: ['create', 'read', 'update', 'delete', 'export', 'import'],
      scope: { type: 'all' },
      fields: { cost: 'hidden' },
      limits: [{ field: 'discount', max: 10 }],
    });
  });

  it('a custom scope carries its filter with variables; leaving custom drops it', () => {
    let d = toggleAction(empty, 'deal', 'read', true);
    d = setScope(d, 'deal', 'custom');
    expect(draftIssues(d, [deal], msgs)).toEqual([{ row: 'deal', part: 'scope', message: 'F' }]);
    d = setFilter(d, 'deal', { field: 'ownerId', op: 'eq', value: '$user' });
    expect(draftIssues(d, [deal], msgs)).toEqual([]);
    expect(toPermissions(d, presets).entities.deal?.scope).toEqual({
      type: 'custom',
      filter: { field: 'ownerId', op: 'eq', value: '$user' },
    });
    d = setScope(d, 'deal', 'department');
    expect(d.rules.deal?.filter).toBeUndefined();
    expect(toPermissions(d, presets).entities.deal?.scope).toEqual({ type: 'department' });
    // 本人及下属: a department head's own records and their members'.
    d = setScope(d, 'deal', 'team');
    expect(toPermissions(d, presets).entities.deal?.scope).toEqual({ type: 'team' });
  });

  it('checks limits before saving: a numeric field, a bound, min ≤ max', () => {
    let d = addLimit(empty, 'deal', 'name');
    const a = d.rules.deal?.limits[0]?.id as string;
    expect(draftIssues(d, [deal], msgs)).toEqual([
      { row: 'deal', part: 'limits', field: 'name', message: 'LF' },
    ]);
    d = updateLimit(d, 'deal', a, { field: 'discount' });
    expect(draftIssues(d, [deal], msgs)[0]?.message).toBe('LB');
    d = updateLimit(d, 'deal', a, { min: 20, max: 10 });
    expect(draftIssues(d, [deal], msgs)[0]?.message).toBe('LO');
    d = updateLimit(d, 'deal', a, { min: null });
    expect(draftIssues(d, [deal], msgs)).toEqual([]);
    expect(toPermissions(d, presets).entities.deal?.limits).toEqual([{ field: 'discount', max: 10 }]);
    d = removeLimit(d, 'deal', a);
    expect(toPermissions(d, presets).entities.deal).not.toHaveProperty('limits');
  });

  it('maps the server’s field errors onto rows, fields and limits', () => {
    let d = addLimit(empty, 'deal', 'discount');
    d = addLimit(d, 'deal', 'cost');
    const { rows, other } = issuesFromServer(
      [
        { field: 'permissions.entities.deal.scope.filter.region', message: 'no such field' },
        { field: 'permissions.entities.deal.limits.1.field', message: 'not numeric' },
        { field: 'permissions.entities.deal.fields.ghost', message: 'does not exist' },
        { field: 'permissions.entities.nosuch', message: 'unknown entity' },
        { field: 'key', message: 'taken' },
      ],
      d,
    );
    expect(rows).toEqual([
      { row: 'deal', part: 'scope', message: 'no such field' },
      { row: 'deal', part: 'limits', field: 'cost', message: 'not numeric' },
      { row: 'deal', part: 'fields', field: 'ghost', message: 'does not exist' },
      { row: 'nosuch', part: '', message: 'unknown entity' },
    ]);
    expect(other).toEqual([{ field: 'key', message: 'taken' }]);
  });
});
