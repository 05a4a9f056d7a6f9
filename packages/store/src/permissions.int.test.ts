/**
 * The permission matrix, generated from the scope definitions: for every data scope (and every
 * Jiandaoyun preset) × every member, each record route of the store returns exactly the records the
 * scope's oracle says, and writes succeed exactly where they should. Then field permissions, action
 * limits and the escalation attempts of issue 3.
 */
import type { EntityDefinition } from '@formwork/metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { orgApi } from './org.js';
import { type DataScope, type EntityRule, PRESET_RULES, PRESETS } from './permissions/model.js';
import { domainError, useStore } from './test-support.js';
import { testPrincipal } from './testing.js';
import type { Principal } from './types.js';

const deal: EntityDefinition = {
  key: 'deal',
  label: { 'zh-CN': '商机', en: 'Deal' },
  fields: [
    { key: 'name', type: 'text', required: true },
    { key: 'grade', type: 'select', options: [{ value: 'A' }, { value: 'B' }], indexed: true },
    { key: 'amount', type: 'number' },
    { key: 'discount', type: 'percent' },
    { key: 'secret', type: 'text' },
    { key: 'code', type: 'text', dedupe: true },
    { key: 'note', type: 'text' },
  ],
};

interface Rec {
  id: string;
  owner: string;
  createdBy: string;
  dept: string | null;
  grade: 'A' | 'B' | null;
  name: string;
}

const NAMES = ['alice', 'bob', 'carol', 'dave'] as const;
type Name = (typeof NAMES)[number];

describe('permission matrix (store)', () => {
  const env = useStore();
  let ws = '';
  let org: ReturnType<typeof orgApi>;
  const admin = testPrincipal();
  const users = {} as Record<Name | 'eve', string>;
  const depts = {} as Record<'hq' | 'sales' | 'east' | 'west' | 'service', string>;
  const memberDepts = {} as Record<Name, string[]>;
  const recs: Rec[] = [];
  const as = (n: Name): Principal => ({ userId: users[n], isAdmin: false, roles: [], departmentIds: [] });
  let setupRole = '';

  const subtree = (ids: string[]): Set<string> => {
    const parent: Record<string, string | null> = {
      [depts.hq]: null,
      [depts.sales]: depts.hq,
      [depts.east]: depts.sales,
      [depts.west]: depts.sales,
      [depts.service]: depts.hq,
    };
    const out = new Set<string>();
    for (const d of Object.keys(parent)) {
      for (let cur: string | null = d; cur; cur = parent[cur] ?? null) if (ids.includes(cur)) out.add(d);
    }
    return out;
  };

  /** Heads: carol leads Sales (and so East and West below it), dave leads Service. */
  const heads = (): Record<string, Name> => ({ [depts.sales]: 'carol', [depts.service]: 'dave' });
  /** The members of the departments `n` heads and every department below them. */
  const subordinates = (n: Name): Set<string> => {
    const led = subtree(
      Object.entries(heads())
        .filter(([, h]) => h === n)
        .map(([d]) => d),
    );
    return new Set(NAMES.filter((x) => memberDepts[x].some((d) => led.has(d))).map((x) => users[x]));
  };

  /** The oracle: is `r` within `scope` for member `n`? */
  const inScope = (scope: DataScope, n: Name, r: Rec): boolean => {
    const me = users[n];
    switch (scope.type) {
      case 'all':
        return true;
      case 'none':
        return false;
      case 'own':
        return r.owner === me || r.createdBy === me;
      case 'team':
        return r.owner === me || r.createdBy === me || subordinates(n).has(r.owner);
      case 'department':
        return r.dept !== null && memberDepts[n].includes(r.dept);
      case 'departmentTree':
        return r.dept !== null && subtree(memberDepts[n]).has(r.dept);
      case 'custom': {
        const leaf = scope.filter as { field: string; value: unknown };
        if (leaf.field === 'grade') return r.grade === leaf.value;
        if (leaf.field === 'ownerId' && leaf.value === '$subordinates') return subordinates(n).has(r.owner);
        if (leaf.field === 'ownerId') return r.owner === me;
        throw new Error('oracle does not know this filter');
      }
    }
  };

  async function setRoles(n: Name, roleIds: string[]) {
    await org.members.update(ws, users[n], { roleIds }, { actor: admin.userId });
  }

  beforeAll(async () => {
    ws = await env.ws();
    org = orgApi(env.db);
    await env.store.entities.create(ws, admin, deal);
    const mk = async (name: string, parentId?: string) =>
      (await org.departments.create(ws, { name, ...(parentId ? { parentId } : {}) }, { actor: null })).id;
    depts.hq = await mk('HQ');
    depts.sales = await mk('Sales', depts.hq);
    depts.east = await mk('East', depts.sales);
    depts.west = await mk('West', depts.sales);
    depts.service = await mk('Service', depts.hq);
    memberDepts.alice = [depts.east];
    memberDepts.bob = [depts.west, depts.service];
    memberDepts.carol = [depts.sales];
    memberDepts.dave = [depts.service];
    setupRole = (
      await org.roles.create(
        ws,
        { key: 'setup', name: 'Setup', permissions: { entities: { '*': { preset: 'manageAll' } } } },
        { actor: null },
      )
    ).id;
    for (const n of [...NAMES, 'eve'] as const) {
      const { member } = await org.members.add(
        ws,
        {
          email: `${n}@matrix.test`,
          status: 'active',
          departmentIds: n === 'eve' ? [] : memberDepts[n],
          roleIds: [setupRole],
        },
        { actor: null },
      );
      users[n] = member.userId;
    }
    for (const [dept, head] of Object.entries(heads()))
      await org.departments.update(ws, dept, { headId: users[head] }, { actor: null });
    // One record per owner × department (created by the admin) …
    let i = 0;
    for (const owner of [...NAMES, 'eve'] as const) {
      for (const dept of [...Object.values(depts), null]) {
        const grade = i % 2 ? 'B' : 'A';
        const r = await env.store.records.create(ws, admin, 'deal', {
          name: `deal ${i}`,
          grade,
          amount: i,
          secret: `s3cret-${i}`,
          code: `C${i}`,
          ownerId: users[owner],
          ...(dept ? { departmentId: dept } : {}),
        });
        recs.push({
          id: r.id as string,
          owner: users[owner],
          createdBy: admin.userId,
          dept,
          grade,
          name: `deal ${i}`,
        });
        i++;
      }
    }
    // … and one created by each member but owned by eve (the "creator" half of `own`).
    for (const n of NAMES) {
      const r = await env.store.records.create(ws, as(n), 'deal', {
        name: `by ${n}`,
        grade: 'B',
        secret: 'x',
        ownerId: users.eve,
      });
      recs.push({
        id: r.id as string,
        owner: users.eve,
        createdBy: users[n],
        dept: memberDepts[n][0] ?? null,
        grade: 'B',
        name: `by ${n}`,
      });
    }
  });

  /** `input` is what the admin sends (a preset or actions + scope); `rule` is what the oracle applies. */
  const rules: { name: string; rule: EntityRule; input?: unknown }[] = [
    ...(['none', 'own', 'team', 'department', 'departmentTree', 'all'] as const).map((t) => ({
      name: `scope ${t}`,
      rule: { actions: ['read', 'update', 'delete'], scope: { type: t } } as EntityRule,
    })),
    {
      name: 'custom grade = A',
      rule: {
        actions: ['read', 'update'],
        scope: { type: 'custom', filter: { field: 'grade', op: 'eq', value: 'A' } },
      },
    },
    {
      name: 'custom owner in $subordinates',
      rule: {
        actions: ['read'],
        scope: { type: 'custom', filter: { field: 'ownerId', op: 'eq', value: '$subordinates' } },
      },
    },
    {
      name: 'custom owner = $user',
      rule: {
        actions: ['read'],
        scope: { type: 'custom', filter: { field: 'ownerId', op: 'eq', value: '$user' } },
      },
    },
    ...PRESETS.map((p) => ({
      name: `preset ${p}`,
      rule: { actions: PRESET_RULES[p].actions, scope: PRESET_RULES[p].scope },
      input: { preset: p },
    })),
  ];

  for (const { name, rule, input } of rules) {
    for (const n of NAMES) {
      it(`${name} × ${n}: list, search, aggregate, export, get, history, duplicates, update and delete reach exactly the scope`, async () => {
        const role = await org.roles.create(
          ws,
          {
            key: `r_${Math.random().toString(36).slice(2, 10)}`,
            name,
            permissions: { entities: { deal: input ?? rule } },
          },
          { actor: null },
        );
        await setRoles(n, [role.id]);
        const p = as(n);
        const can = (a: 'read' | 'update' | 'delete') => rule.actions.includes(a);
        const expected = recs.filter((r) => can('read') && inScope(rule.scope, n, r)).map((r) => r.id);
        // list (every page)
        if (!can('read')) {
          expect((await domainError(env.store.records.list(ws, p, 'deal'))).code).toBe('FORBIDDEN');
        } else {
          const seen: string[] = [];
          let cursor: string | undefined;
          let total = -1;
          do {
            const page = await env.store.records.list(ws, p, 'deal', {
              limit: 7,
              ...(cursor ? { cursor } : {}),
            });
            total = page.total;
            seen.push(...page.items.map((x) => x.id as string));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          expect(seen.sort()).toEqual([...expected].sort());
          expect(total).toBe(expected.length);
        }
        // search, aggregate and export see the same records as the list
        if (can('read')) {
          const named = recs
            .filter((r) => expected.includes(r.id) && r.name.startsWith('deal'))
            .map((r) => r.id);
          const hits = await env.store.records.list(ws, p, 'deal', { q: 'deal', limit: 200 });
          expect(hits.items.map((x) => x.id as string).sort()).toEqual([...named].sort());
          const agg = await env.store.records.aggregate(ws, p, 'deal', {
            groupBy: ['grade'],
            measures: [{ op: 'count' }, { op: 'countDistinct', field: 'id', as: 'ids' }],
          });
          const byGrade = (g: 'A' | 'B' | null) =>
            recs.filter((r) => expected.includes(r.id) && r.grade === g).length;
          expect(Object.fromEntries(agg.items.map((x) => [String(x.grade), x.count]))).toEqual(
            Object.fromEntries(
              (['A', 'B', null] as const).filter((g) => byGrade(g) > 0).map((g) => [String(g), byGrade(g)]),
            ),
          );
          const exp = env.store.records.exportRows(ws, p, 'deal');
          if (rule.actions.includes('export'))
            expect((await exp).items.map((x) => x.id as string).sort()).toEqual([...expected].sort());
          else expect((await domainError(exp)).code).toBe('FORBIDDEN');
        } else {
          expect((await domainError(env.store.records.aggregate(ws, p, 'deal'))).code).toBe('FORBIDDEN');
        }
        for (const r of recs) {
          const visible = expected.includes(r.id);
          // get + history
          if (visible) {
            expect((await env.store.records.get(ws, p, 'deal', r.id)).id).toBe(r.id);
            expect((await env.store.records.history(ws, p, 'deal', r.id)).length).toBeGreaterThan(0);
          } else {
            const e = await domainError(env.store.records.get(ws, p, 'deal', r.id));
            expect(e.code).toBe(can('read') ? 'RECORD_NOT_FOUND' : 'FORBIDDEN');
          }
          // update
          const mayUpdate = can('update') && inScope(rule.scope, n, r);
          const up = env.store.records.update(ws, p, 'deal', r.id, { note: `by ${n} ${name}` });
          if (mayUpdate) await up;
          else expect(['RECORD_NOT_FOUND', 'FORBIDDEN']).toContain((await domainError(up)).code);
          // delete + restore
          const mayDelete = can('delete') && inScope(rule.scope, n, r);
          const del = env.store.records.remove(ws, p, 'deal', r.id);
          if (mayDelete) {
            await del;
            await env.store.records.restore(ws, p, 'deal', r.id);
          } else expect(['RECORD_NOT_FOUND', 'FORBIDDEN']).toContain((await domainError(del)).code);
        }
        // duplicates: only matches within the read scope
        if (can('read') || rule.actions.includes('create')) {
          const target = recs[0] as Rec;
          const d = await env.store.records.duplicates(ws, p, 'deal', { code: 'C0' });
          expect(d.items.map((x) => x.id)).toEqual(expected.includes(target.id) ? [target.id] : []);
        }
        // create: only with the create action, and only inside the create scope
        const created = env.store.records.create(ws, p, 'deal', { name: 'new' });
        if (rule.actions.includes('create')) {
          const r = await created;
          expect(r.name).toBe('new');
          recs.push({
            id: r.id as string,
            owner: users[n],
            createdBy: users[n],
            dept: memberDepts[n][0] ?? null,
            grade: null, // unset: the custom grade filter must not reach it
            name: 'new',
          });
        } else expect((await domainError(created)).code).toBe('FORBIDDEN');
        await setRoles(n, []);
      });
    }
  }

  describe('field permissions, limits and escalation', () => {
    let roleId = '';
    beforeAll(async () => {
      roleId = (
        await org.roles.create(
          ws,
          {
            key: 'sales_rep',
            name: { 'zh-CN': '销售', en: 'Sales rep' },
            permissions: {
              entities: {
                deal: {
                  preset: 'submitManageOwn',
                  fields: { secret: 'hidden', amount: 'readonly' },
                  limits: [{ field: 'discount', max: 10 }],
                },
              },
            },
          },
          { actor: null },
        )
      ).id;
      await setRoles('alice', [roleId]);
    });

    const alice = () => as('alice');
    const aliceRec = () => recs.find((r) => r.owner === users.alice) as Rec;

    it('never returns a hidden field: list, get, history, duplicates, create', async () => {
      const list = await env.store.records.list(ws, alice(), 'deal');
      expect(list.items.length).toBeGreaterThan(0);
      for (const it of list.items) expect(it).not.toHaveProperty('secret');
      const got = await env.store.records.get(ws, alice(), 'deal', aliceRec().id);
      expect(got).not.toHaveProperty('secret');
      expect(got).toHaveProperty('amount');
      await env.store.records.update(ws, admin, 'deal', aliceRec().id, { secret: 'changed secret' });
      const h = await env.store.records.history(ws, alice(), 'deal', aliceRec().id);
      expect(JSON.stringify(h)).not.toContain('secret');
      const c = await env.store.records.create(ws, alice(), 'deal', { name: 'mine' });
      expect(c).not.toHaveProperty('secret');
    });

    it('refuses aggregating on a hidden field, naming it', async () => {
      for (const [input, field] of [
        [{ groupBy: ['secret'] }, 'groupBy.0.field'],
        [{ measures: [{ op: 'countDistinct', field: 'secret' }] }, 'measures.0.field'],
        [{ filter: { field: 'secret', op: 'isEmpty' } }, 'filter.secret'],
      ] as const) {
        const e = await domainError(env.store.records.aggregate(ws, alice(), 'deal', input));
        expect(e.code).toBe('FORBIDDEN');
        expect(e.issues[0]).toMatchObject({ field, code: 'hidden' });
      }
      const own = await env.store.records.aggregate(ws, alice(), 'deal', {
        measures: [{ op: 'sum', field: 'amount' }],
      });
      expect(own.items).toHaveLength(1);
    });

    it('a text search does not match on hidden fields', async () => {
      const admins = await env.store.records.list(ws, admin, 'deal', { q: 's3cret' });
      expect(admins.total).toBeGreaterThan(0);
      const hers = await env.store.records.list(ws, alice(), 'deal', { q: 's3cret' });
      expect(hers.total).toBe(0);
      const byName = await env.store.records.list(ws, alice(), 'deal', { q: 'deal' });
      expect(byName.total).toBeGreaterThan(0);
    });

    it('refuses filtering or sorting on a hidden field, naming it', async () => {
      const f = await domainError(
        env.store.records.list(ws, alice(), 'deal', {
          filter: { field: 'secret', op: 'startsWith', value: 's3' },
        }),
      );
      expect(f.code).toBe('FORBIDDEN');
      expect(f.issues[0]?.field).toBe('filter.secret');
      const s = await domainError(env.store.records.list(ws, alice(), 'deal', { sort: 'secret' }));
      expect(s.code).toBe('FORBIDDEN');
      expect(s.issues[0]?.field).toBe('sort.secret');
      expect(JSON.stringify(s.toBody('en'))).not.toContain('s3cret');
    });

    it('refuses writing a hidden or read-only field with a 403 naming the field', async () => {
      const id = aliceRec().id;
      const h = await domainError(env.store.records.update(ws, alice(), 'deal', id, { secret: 'guess' }));
      expect(h.code).toBe('FORBIDDEN');
      expect(h.issues[0]).toMatchObject({ field: 'secret', code: 'hidden' });
      const r = await domainError(env.store.records.update(ws, alice(), 'deal', id, { amount: 999 }));
      expect(r.issues[0]).toMatchObject({ field: 'amount', code: 'readonly' });
      expect(r.issues[0]?.message['zh-CN']).toContain('只读');
      const c = await domainError(env.store.records.create(ws, alice(), 'deal', { name: 'x', amount: 5 }));
      expect(c.issues[0]).toMatchObject({ field: 'amount', code: 'readonly' });
      // sending the unchanged value of a read-only field back is fine (forms send whole records)
      const cur = await env.store.records.get(ws, alice(), 'deal', id);
      await env.store.records.update(ws, alice(), 'deal', id, { amount: cur.amount, note: 'ok' });
    });

    it('applies the action limit on a numeric field (discount at most 10)', async () => {
      const id = aliceRec().id;
      await env.store.records.update(ws, alice(), 'deal', id, { discount: 10 });
      const e = await domainError(env.store.records.update(ws, alice(), 'deal', id, { discount: 15 }));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.issues[0]).toMatchObject({ field: 'discount', code: 'limit' });
      const b = await domainError(
        env.store.records.bulkCreate(ws, alice(), 'deal', [{ name: 'a' }, { name: 'b', discount: 50 }]),
      );
      expect(b.issues[0]?.field).toBe('1.discount');
      // the administrator is not limited
      await env.store.records.update(ws, admin, 'deal', id, { discount: 15 });
    });

    it('refuses moving a record out of scope through ownerId or departmentId', async () => {
      const id = aliceRec().id;
      const o = await domainError(env.store.records.update(ws, alice(), 'deal', id, { ownerId: users.bob }));
      expect(o.code).toBe('FORBIDDEN');
      expect(o.issues[0]).toMatchObject({ field: 'ownerId', code: 'scope' });
      expect((await env.store.records.get(ws, admin, 'deal', id)).ownerId).toBe(users.alice);
      const c = await domainError(env.store.records.create(ws, as('dave'), 'deal', { name: 'x' }));
      expect(c.code).toBe('FORBIDDEN');
      // a department-scoped editor cannot push a record into another department
      const deptRole = await org.roles.create(
        ws,
        {
          key: 'dept_editor',
          name: 'Dept',
          permissions: {
            entities: { deal: { actions: ['create', 'read', 'update'], scope: { type: 'department' } } },
          },
        },
        { actor: null },
      );
      await setRoles('dave', [deptRole.id]);
      const mine = await env.store.records.create(ws, as('dave'), 'deal', { name: 'service deal' });
      const d = await domainError(
        env.store.records.update(ws, as('dave'), 'deal', mine.id as string, { departmentId: depts.east }),
      );
      expect(d.issues[0]).toMatchObject({ field: 'departmentId', code: 'scope' });
      const d2 = await domainError(
        env.store.records.create(ws, as('dave'), 'deal', { name: 'elsewhere', departmentId: depts.east }),
      );
      expect(d2.issues[0]).toMatchObject({ field: 'departmentId', code: 'scope' });
    });

    it('a deactivated member has no access at all', async () => {
      const { member } = await org.members.add(
        ws,
        { email: 'temp@matrix.test', status: 'active', roleIds: [setupRole] },
        { actor: null },
      );
      const p: Principal = { userId: member.userId, isAdmin: false, roles: [], departmentIds: [] };
      await env.store.records.list(ws, p, 'deal');
      await org.members.deactivate(ws, member.userId, {}, { actor: admin.userId });
      expect((await domainError(env.store.records.list(ws, p, 'deal'))).code).toBe('FORBIDDEN');
    });

    it('a user who is not a member has no access', async () => {
      const stranger = testPrincipal({ isAdmin: false });
      expect((await domainError(env.store.records.list(ws, stranger, 'deal'))).code).toBe('FORBIDDEN');
      expect((await domainError(env.store.records.create(ws, stranger, 'deal', { name: 'x' }))).code).toBe(
        'FORBIDDEN',
      );
    });

    it('API token scopes narrow the member: a read-only token cannot write', async () => {
      await env.db.query(
        `INSERT INTO formwork.api_tokens (id, user_id, name, token_hash, scopes) VALUES ($1, $2, 't', $3, $4::jsonb)`,
        ['0190f5d2-0000-7000-8000-000000000001', users.alice, `hash-${Math.random()}`, { actions: ['read'] }],
      );
      const p: Principal = { ...alice(), tokenId: '0190f5d2-0000-7000-8000-000000000001' };
      expect((await env.store.records.list(ws, p, 'deal')).total).toBeGreaterThan(0);
      expect((await domainError(env.store.records.create(ws, p, 'deal', { name: 'x' }))).code).toBe(
        'FORBIDDEN',
      );
    });
  });
});
