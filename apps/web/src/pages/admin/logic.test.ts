import { describe, expect, it } from 'vitest';
import type { Department, HandoverPreview, Member } from './admin-api.js';
import { auditQuery, diffValues, eventChanges, otherDetails, recordIdProblem, showValue } from './audit.js';
import {
  buildTree,
  departmentPath,
  filterMembers,
  moveTargets,
  normaliseMembership,
  subtreeIds,
} from './departments.js';
import {
  back,
  canAdvance,
  deactivateBody,
  defaultTransfers,
  type HandoverState,
  initialState,
  next,
  plannedCounts,
  successorCandidates,
} from './handover.js';
import { adminResources } from './strings.js';

const dept = (id: string, name: string, parentId: string | null, sort = 0): Department => ({
  id,
  name,
  parentId,
  headId: null,
  sort,
  memberCount: 0,
});
const departments = [
  dept('sales', '销售部', null, 1),
  dept('east', '华东组', 'sales'),
  dept('sh', '上海', 'east'),
  dept('west', '华西组', 'sales'),
  dept('hr', '人事部', null, 0),
];
const member = (
  userId: string,
  name: string,
  departmentIds: string[],
  status: Member['status'] = 'active',
): Member => ({
  userId,
  email: `${userId}@x.test`,
  name,
  status,
  departmentIds,
  primaryDepartmentId: departmentIds[0] ?? null,
  roleIds: [],
});
const members = [
  member('a', '张三', ['sh']),
  member('b', 'Bob', ['west']),
  member('c', 'Carol', ['hr'], 'deactivated'),
  member('d', 'Dan', []),
];

describe('department tree', () => {
  it('nests by parent, siblings by sort then name', () => {
    const tree = buildTree(departments);
    expect(tree.map((n) => n.title)).toEqual(['人事部', '销售部']);
    expect(tree[1]?.children.map((n) => n.title)).toEqual(['华东组', '华西组']);
    expect(tree[1]?.children[0]?.children.map((n) => n.key)).toEqual(['sh']);
  });

  it('keeps a department with a missing parent as a root instead of losing it', () => {
    expect(buildTree([dept('x', 'X', 'gone')]).map((n) => n.key)).toEqual(['x']);
  });

  it('computes subtrees, paths and where a department may move', () => {
    expect([...subtreeIds(departments, 'sales')].sort()).toEqual(['east', 'sales', 'sh', 'west']);
    expect(departmentPath(departments, 'sh')).toBe('销售部 / 华东组 / 上海');
    expect(
      moveTargets(departments, 'east')
        .map((d) => d.id)
        .sort(),
    ).toEqual(['hr', 'sales', 'west']);
  });

  it('filters members by department (with or without sub-departments), search and status', () => {
    const f = { departmentId: 'sales', includeSubDepartments: true, search: '', status: 'all' as const };
    expect(filterMembers(members, departments, f).map((m) => m.userId)).toEqual(['a', 'b']);
    expect(filterMembers(members, departments, { ...f, includeSubDepartments: false })).toEqual([]);
    expect(
      filterMembers(members, departments, { ...f, departmentId: null, search: 'BOB' }).map((m) => m.userId),
    ).toEqual(['b']);
    expect(
      filterMembers(members, departments, { ...f, departmentId: null, status: 'deactivated' }).map(
        (m) => m.userId,
      ),
    ).toEqual(['c']);
    expect(filterMembers(members, departments, { ...f, departmentId: null, search: 'x.test' })).toHaveLength(
      4,
    );
  });

  it('keeps the primary department among the member’s departments', () => {
    expect(normaliseMembership(['east', 'west', 'east'], 'west')).toEqual({
      departmentIds: ['east', 'west'],
      primaryDepartmentId: 'west',
    });
    expect(normaliseMembership(['east'], 'west')).toEqual({
      departmentIds: ['east'],
      primaryDepartmentId: 'east',
    });
    expect(normaliseMembership([], 'west')).toEqual({ departmentIds: [] });
  });
});

describe('hand-over wizard steps', () => {
  const preview: HandoverPreview = {
    records: [
      { entity: 'customer', count: 12 },
      { entity: 'deal', count: 3 },
      { entity: 'visit', count: 0 },
    ],
    openTasks: 2,
  };
  const start = (): HandoverState => ({ ...initialState(), transfers: defaultTransfers(preview) });

  it('needs a successor (or "no hand-over") before going on', () => {
    const s = start();
    expect(canAdvance(s)).toBe(false);
    expect(next(s)).toBe(s);
    expect(canAdvance({ ...s, successorId: 'b' })).toBe(true);
    expect(next({ ...s, successorId: 'b' }).step).toBe(1);
  });

  it('offers only other active members as successors', () => {
    expect(successorCandidates(members, 'a').map((m) => m.userId)).toEqual(['b', 'd']);
  });

  it('hands over every entity with records by default, with filters where set', () => {
    let s: HandoverState = { ...start(), successorId: 'b' };
    expect(deactivateBody(s)).toEqual({
      successorId: 'b',
      transfers: [{ entity: 'customer' }, { entity: 'deal' }],
    });
    const filter = { field: 'stage', op: 'nin' as const, value: ['won', 'lost'] };
    s = { ...s, transfers: { ...s.transfers, customer: { on: false }, deal: { on: true, filter } } };
    expect(deactivateBody(s)).toEqual({ successorId: 'b', transfers: [{ entity: 'deal', filter }] });
    expect(plannedCounts(s, preview, {})).toEqual([{ entity: 'deal', count: undefined, filtered: true }]);
    expect(plannedCounts(s, preview, { deal: 1 })).toEqual([{ entity: 'deal', count: 1, filtered: true }]);
    // An empty filter group is no filter.
    s = { ...s, transfers: { ...s.transfers, deal: { on: true, filter: { and: [] } } } };
    expect(deactivateBody(s).transfers).toEqual([{ entity: 'deal' }]);
  });

  it('without a successor skips the transfer step and sends nothing to transfer', () => {
    let s: HandoverState = { ...start(), noSuccessor: true };
    s = next(s);
    expect(s.step).toBe(2);
    expect(deactivateBody(s)).toEqual({});
    expect(plannedCounts(s, preview, {})).toEqual([]);
    expect(back(s).step).toBe(0);
    expect(back({ ...s, step: 3 }).step).toBe(3);
  });
});

describe('audit viewer', () => {
  it('turns filters into the API query per mode', () => {
    expect(auditQuery({ mode: 'system', action: 'auth.login', ok: false, actor: 'u1' })).toEqual({
      action: 'auth.login',
      ok: false,
      actor: 'u1',
      limit: 50,
    });
    expect(auditQuery({ mode: 'records' })).toBeNull();
    expect(
      auditQuery(
        {
          mode: 'records',
          entity: 'deal',
          action: 'auth',
          targetId: ' r1 ',
          from: '2026-01-01T00:00:00.000Z',
        },
        '99',
      ),
    ).toEqual({ entity: 'deal', targetId: 'r1', from: '2026-01-01T00:00:00.000Z', cursor: '99', limit: 50 });
    expect(recordIdProblem({ mode: 'records', entity: 'deal', targetId: 'abc' })).toBe(true);
    expect(
      recordIdProblem({ mode: 'records', entity: 'deal', targetId: '0190f0b4-7c6e-7a3b-9c1d-2e3f4a5b6c7d' }),
    ).toBe(false);
    expect(recordIdProblem({ mode: 'system', targetId: 'abc' })).toBe(false);
  });

  it('shows a record change’s field-by-field changes as recorded', () => {
    const e = {
      details: {
        source: 'form',
        changes: [
          { field: 'amount', before: 100, after: 120 },
          { field: 'stage', before: 'new', after: 'won' },
        ],
      },
    };
    expect(eventChanges(e)).toEqual([
      { field: 'amount', before: 100, after: 120 },
      { field: 'stage', before: 'new', after: 'won' },
    ]);
    expect(otherDetails(e)).toEqual({ source: 'form' });
  });

  it('compares a role update’s before and after path by path', () => {
    const before = { entities: { deal: { actions: ['read'], scope: { type: 'own' } } } };
    const after = {
      entities: { deal: { actions: ['read', 'create'], scope: { type: 'own' }, fields: { cost: 'hidden' } } },
    };
    expect(eventChanges({ details: { key: 'sales', before, after } })).toEqual([
      { field: 'entities.deal.actions', before: ['read'], after: ['read', 'create'] },
      { field: 'entities.deal.fields.cost', before: undefined, after: 'hidden' },
    ]);
    expect(diffValues({ a: 1 }, { a: 1 })).toEqual([]);
    expect(eventChanges({ details: { reason: 'password' } })).toEqual([]);
    expect(showValue(null)).toBe('—');
    expect(showValue(['a'])).toBe('["a"]');
  });
});

describe('admin strings', () => {
  it('has every string in both languages', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(adminResources.en.admin).sort()).toEqual(keys(adminResources['zh-CN'].admin).sort());
    for (const v of keys(adminResources.en.admin)) expect(v).not.toBe('');
  });
});
