import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import {
  type Access,
  entityAccess,
  parseRolePermissions,
  type RolePermissions,
  substituteVariables,
} from './model.js';

const deal: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text' },
    { key: 'discount', type: 'percent' },
    { key: 'cost', type: 'amount' },
    { key: 'rep', type: 'member' },
    { key: 'dept', type: 'department' },
    { key: 'customer', type: 'relation', target: 'deal' },
    { key: 'customerName', type: 'lookup', relation: 'customer', targetField: 'name' },
  ],
};
const defs = new Map([['deal', deal]]);

const access = (...roles: RolePermissions[]): Access => ({
  workspace: 'w',
  admin: false,
  status: 'active',
  departmentIds: ['d1'],
  departmentTreeIds: ['d1', 'd2'],
  subordinateIds: [],
  roles: roles.map((permissions, i) => ({ key: `r${i}`, isAdmin: false, permissions })),
});

describe('role permissions', () => {
  it('expands a preset and keeps field rules and limits', () => {
    const r = parseRolePermissions(
      {
        entities: {
          deal: {
            preset: 'submitManageOwn',
            fields: { cost: 'hidden' },
            limits: [{ field: 'discount', max: 10 }],
          },
        },
      },
      defs,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        entities: {
          deal: {
            preset: 'submitManageOwn',
            actions: ['create', 'read', 'update', 'delete'],
            scope: { type: 'own' },
            fields: { cost: 'hidden' },
            limits: [{ field: 'discount', max: 10 }],
          },
        },
      },
    });
  });

  it('names every bad part of the matrix with bilingual messages', () => {
    const r = parseRolePermissions(
      {
        entities: {
          nosuch: { preset: 'viewAll' },
          deal: {
            actions: ['read', 'fly'],
            scope: { type: 'all' },
          },
        },
      },
      defs,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field)).toEqual([
      'permissions.entities.nosuch',
      'permissions.entities.deal.actions',
    ]);
    expect(r.issues[0]?.message['zh-CN']).toContain('不存在');
    const bad = parseRolePermissions(
      {
        entities: {
          deal: {
            preset: 'viewAll',
            fields: { nope: 'hidden', name: 'secret' },
            limits: [
              { field: 'name', max: 1 },
              { field: 'discount', min: 5, max: 1 },
            ],
          },
        },
      },
      defs,
    );
    expect(bad.ok ? [] : bad.issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      'permissions.entities.deal.fields.nope:field',
      'permissions.entities.deal.fields.name:enum',
      'permissions.entities.deal.limits.0.field:field',
      'permissions.entities.deal.limits.1:limit',
    ]);
  });

  it('checks a custom scope filter against the entity, variables included', () => {
    const ok = parseRolePermissions(
      {
        entities: {
          deal: {
            actions: ['read'],
            scope: {
              type: 'custom',
              filter: {
                or: [
                  { field: 'rep', op: 'eq', value: '$user' },
                  { field: 'dept', op: 'in', value: ['$departmentTree'] },
                ],
              },
            },
          },
        },
      },
      defs,
    );
    expect(ok.ok).toBe(true);
    const bad = parseRolePermissions(
      {
        entities: {
          deal: {
            actions: ['read'],
            scope: { type: 'custom', filter: { field: 'nope', op: 'eq', value: 1 } },
          },
        },
      },
      defs,
    );
    expect(bad.ok ? '' : bad.issues[0]?.field).toMatch(/^permissions\.entities\.deal\.scope\.filter/);
    const lookup = parseRolePermissions(
      {
        entities: {
          deal: {
            actions: ['read'],
            scope: { type: 'custom', filter: { field: 'customerName', op: 'eq', value: 'x' } },
          },
        },
      },
      defs,
    );
    expect(lookup.ok).toBe(false);
  });
});

describe('effective access: the union of roles', () => {
  it('allows an action any role allows, with the scopes of all those roles', () => {
    const ea = entityAccess(
      access(
        { entities: { deal: { actions: ['read'], scope: { type: 'all' } } } },
        { entities: { '*': { actions: ['read', 'update'], scope: { type: 'own' } } } },
      ),
      'deal',
    );
    expect([...ea.actions].sort()).toEqual(['read', 'update']);
    expect(ea.scopes.get('read')).toEqual([{ type: 'all' }, { type: 'own' }]);
    expect(ea.scopes.get('update')).toEqual([{ type: 'own' }]);
  });

  it('hides a field only when every reading role hides it, and widens limits', () => {
    const a = access(
      {
        entities: {
          deal: {
            actions: ['read', 'update'],
            scope: { type: 'own' },
            fields: { cost: 'hidden', name: 'readonly' },
            limits: [{ field: 'discount', max: 10 }],
          },
        },
      },
      {
        entities: {
          deal: {
            actions: ['read', 'update'],
            scope: { type: 'own' },
            fields: { cost: 'hidden' },
            limits: [{ field: 'discount', max: 20 }],
          },
        },
      },
    );
    const ea = entityAccess(a, 'deal');
    expect([...ea.hidden]).toEqual(['cost']);
    expect([...ea.readonly]).toEqual(['cost']);
    expect(ea.limits.get('discount')).toEqual({ max: 20 });
    const lifted = entityAccess(
      access(
        {
          entities: {
            deal: { actions: ['update'], scope: { type: 'all' }, limits: [{ field: 'discount', max: 10 }] },
          },
        },
        { entities: { deal: { actions: ['update'], scope: { type: 'all' } } } },
      ),
      'deal',
    );
    expect(lifted.limits.size).toBe(0);
  });

  it('gives nothing to an inactive member and narrows by token scopes', () => {
    const rules: RolePermissions = {
      entities: { '*': { actions: ['read', 'create'], scope: { type: 'all' } } },
    };
    expect(entityAccess({ ...access(rules), status: 'deactivated' }, 'deal').actions.size).toBe(0);
    const ea = entityAccess({ ...access(rules), token: { actions: ['read'], entities: ['deal'] } }, 'deal');
    expect([...ea.actions]).toEqual(['read']);
    expect(
      entityAccess({ ...access(rules), token: { actions: ['read'], entities: ['deal'] } }, 'other').actions
        .size,
    ).toBe(0);
    const admin = entityAccess({ ...access(), admin: true, token: { actions: ['read'] } }, 'deal');
    expect(admin.admin).toBe(false);
    expect([...admin.actions]).toEqual(['read']);
  });
});

describe('scope variables', () => {
  const vars = {
    userId: 'u1',
    departmentIds: ['d1'],
    departmentTreeIds: ['d1', 'd2'],
    subordinateIds: ['u2', 'u3'],
  };
  it('replaces $user, $department, $departmentTree and $subordinates', () => {
    expect(substituteVariables({ field: 'ownerId', op: 'eq', value: '$subordinates' }, vars)).toEqual({
      field: 'ownerId',
      op: 'in',
      value: ['u2', 'u3'],
    });
    expect(substituteVariables({ field: 'rep', op: 'eq', value: '$user' }, vars)).toEqual({
      field: 'rep',
      op: 'eq',
      value: 'u1',
    });
    expect(substituteVariables({ field: 'dept', op: 'eq', value: '$departmentTree' }, vars)).toEqual({
      field: 'dept',
      op: 'in',
      value: ['d1', 'd2'],
    });
    expect(substituteVariables({ field: 'dept', op: 'in', value: ['$department', 'x'] }, vars)).toEqual({
      field: 'dept',
      op: 'in',
      value: ['d1', 'x'],
    });
  });
  it('a member without departments matches nothing by department', () => {
    expect(
      substituteVariables({ field: 'dept', op: 'eq', value: '$department' }, { ...vars, departmentIds: [] }),
    ).toEqual({
      or: [],
    });
    expect(
      substituteVariables({ field: 'dept', op: 'ne', value: '$department' }, { ...vars, departmentIds: [] }),
    ).toEqual({
      and: [],
    });
  });
});
