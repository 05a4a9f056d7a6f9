/**
 * People and permissions over HTTP: organisation administration, the record-route × data-scope matrix
 * (generated from the scope definitions), field permissions on every read path, escalation attempts
 * (all refused and audited), hand-over, sessions (cookie + CSRF, lockout, no enumeration) and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_COOKIE, SESSION_COOKIE } from './security.js';
import { startTestApp, type TestApp } from './test-app.js';

const R = '/api/entities/deal/records';

const dealEntity = {
  key: 'deal',
  label: { 'zh-CN': '商机', en: 'Deal' },
  fields: [
    { key: 'name', type: 'text', required: true },
    { key: 'code', type: 'text', dedupe: true },
    { key: 'amount', type: 'number' },
    { key: 'discount', type: 'percent' },
    { key: 'cost', type: 'text' },
  ],
};
const visitEntity = {
  key: 'visit',
  fields: [
    { key: 'title', type: 'text', required: true },
    { key: 'deal', type: 'relation', target: 'deal' },
    { key: 'dealCost', type: 'lookup', relation: 'deal', targetField: 'cost' },
    { key: 'dealName', type: 'lookup', relation: 'deal', targetField: 'name' },
  ],
};

type Scope = 'none' | 'own' | 'department' | 'departmentTree' | 'all';
const SCOPES: Scope[] = ['none', 'own', 'department', 'departmentTree', 'all'];

describe('people and permissions over HTTP', () => {
  let t: TestApp;
  const dept = {} as Record<'sales' | 'east' | 'west', string>;
  const member = {} as Record<'alice' | 'bob', { id: string; token: string; email: string }>;
  /** record id → owner name and department */
  const recs: { id: string; owner: 'alice' | 'bob'; dept: string }[] = [];
  const roleOf = {} as Record<Scope, string>;

  /** Invites a member through the API, accepts the invitation and logs in. */
  async function join(name: 'alice' | 'bob', departmentIds: string[]) {
    const email = `${name}@perm.test`;
    const inv = await t.api('POST', '/api/members', { body: { email, name, departmentIds } });
    expect(inv.status).toBe(201);
    expect(inv.body.member.status).toBe('invited');
    const weak = await t.request('POST', '/api/auth/invitations/accept', {
      body: { token: inv.body.invitation.token, password: 'onlyletters' },
    });
    expect(weak.status).toBe(422);
    expect(weak.body.error.details.fields[0].field).toBe('password');
    const ok = await t.request('POST', '/api/auth/invitations/accept', {
      body: { token: inv.body.invitation.token, password: `${name}-Secret-42` },
    });
    expect(ok.status).toBe(200);
    const again = await t.request('POST', '/api/auth/invitations/accept', {
      body: { token: inv.body.invitation.token, password: `${name}-Secret-42` },
    });
    expect(again.status).toBe(400);
    member[name] = {
      id: inv.body.member.userId,
      email,
      token: await t.login({ email, password: `${name}-Secret-42` }),
    };
  }

  const as = (name: 'alice' | 'bob') => ({ token: member[name].token });
  const setRole = async (name: 'alice' | 'bob', roleIds: string[]) => {
    const r = await t.api('PUT', `/api/members/${member[name].id}/roles`, { body: { roleIds } });
    expect(r.status).toBe(200);
  };
  const audit = async (query: string) =>
    (await t.api('GET', `/api/audit?${query}`)).body.items as Record<string, unknown>[];

  beforeAll(async () => {
    t = await startTestApp();
    expect((await t.api('POST', '/api/entities', { body: dealEntity })).status).toBe(201);
    expect((await t.api('POST', '/api/entities', { body: visitEntity })).status).toBe(201);
    const d = async (name: string, parentId?: string) =>
      (await t.api('POST', '/api/departments', { body: { name, ...(parentId ? { parentId } : {}) } })).body
        .id as string;
    dept.sales = await d('Sales');
    dept.east = await d('East', dept.sales);
    dept.west = await d('West', dept.sales);
    await join('alice', [dept.sales]);
    await join('bob', [dept.west]);
    for (const s of SCOPES) {
      const r = await t.api('POST', '/api/roles', {
        body: {
          key: `scope_${s.toLowerCase()}`,
          name: { 'zh-CN': `范围 ${s}`, en: `Scope ${s}` },
          permissions: {
            entities: {
              deal: { actions: ['read', 'update', 'delete'], scope: { type: s }, fields: { cost: 'hidden' } },
              visit: { preset: 'viewAll' },
            },
          },
        },
      });
      expect(r.status).toBe(201);
      roleOf[s] = r.body.id;
    }
    let i = 0;
    for (const owner of ['alice', 'bob'] as const) {
      for (const d of [dept.sales, dept.east, dept.west]) {
        const r = await t.api('POST', R, {
          body: {
            name: `deal ${i}`,
            code: `K${i}`,
            cost: `cost-${i}-zz`,
            ownerId: member[owner].id,
            departmentId: d,
          },
        });
        expect(r.status).toBe(201);
        recs.push({ id: r.body.id, owner, dept: d });
        i++;
      }
    }
    const v = await t.api('POST', '/api/entities/visit/records', {
      body: { title: 'visit', deal: recs[0]?.id },
    });
    expect(v.status).toBe(201);
  });
  afterAll(() => t?.close());

  const subtree = (ids: string[]) =>
    new Set(ids.flatMap((d) => (d === dept.sales ? [dept.sales, dept.east, dept.west] : [d])));
  const oracle = (s: Scope, who: 'alice' | 'bob', r: (typeof recs)[number]) => {
    const mine = who === 'alice' ? [dept.sales] : [dept.west];
    switch (s) {
      case 'none':
        return false;
      case 'own':
        return r.owner === who;
      case 'department':
        return mine.includes(r.dept);
      case 'departmentTree':
        return subtree(mine).has(r.dept);
      case 'all':
        return true;
    }
  };

  for (const s of SCOPES) {
    for (const who of ['alice', 'bob'] as const) {
      it(`scope ${s} × ${who}: list, search, aggregate, get, history, duplicates, update, delete and lookups`, async () => {
        await setRole(who, [roleOf[s]]);
        const expected = recs.filter((r) => oracle(s, who, r)).map((r) => r.id);
        const list = await t.request('GET', `${R}?limit=100`, as(who));
        expect(list.status).toBe(200);
        expect(list.body.items.map((x: { id: string }) => x.id).sort()).toEqual([...expected].sort());
        expect(list.body.total).toBe(expected.length);
        for (const item of list.body.items) expect(item).not.toHaveProperty('cost');
        const search = await t.request('GET', `${R}?q=deal`, as(who));
        expect(search.body.total).toBe(expected.length);
        expect((await t.request('GET', `${R}?q=zz`, as(who))).body.total).toBe(0);
        const agg = await t.request('POST', '/api/entities/deal/aggregate', {
          ...as(who),
          body: { measures: [{ op: 'count' }, { op: 'sum', field: 'amount' }] },
        });
        expect(agg.status).toBe(200);
        expect(agg.body.items[0].count).toBe(expected.length);
        const hiddenAgg = await t.request('POST', '/api/entities/deal/aggregate', {
          ...as(who),
          body: { groupBy: ['cost'] },
        });
        expect(hiddenAgg.status).toBe(403);
        expect(hiddenAgg.text).not.toContain('cost-');
        for (const r of recs) {
          const visible = expected.includes(r.id);
          const get = await t.request('GET', `${R}/${r.id}`, as(who));
          expect(get.status).toBe(visible ? 200 : 404);
          if (visible) expect(get.body).not.toHaveProperty('cost');
          const hist = await t.request('GET', `${R}/${r.id}/history`, as(who));
          expect(hist.status).toBe(visible ? 200 : 404);
          if (visible) expect(hist.text).not.toContain('cost-');
          const up = await t.request('PATCH', `${R}/${r.id}`, { ...as(who), body: { amount: 7 } });
          expect(up.status).toBe(visible ? 200 : 404);
        }
        const dup = await t.request('POST', '/api/entities/deal/duplicates', {
          ...as(who),
          body: { code: 'K0' },
        });
        expect(dup.body.items.map((x: { id: string }) => x.id)).toEqual(
          expected.includes(recs[0]?.id as string) ? [recs[0]?.id] : [],
        );
        // relation lookup: the hidden field never travels through a lookup of another entity
        const visits = await t.request('GET', '/api/entities/visit/records', as(who));
        expect(visits.status).toBe(200);
        expect(visits.body.items[0]).not.toHaveProperty('dealCost');
        // … and a lookup shows a related record's value only when that record is within the read scope
        expect(visits.body.items[0].dealName).toBe(
          expected.includes(recs[0]?.id as string) ? 'deal 0' : null,
        );
        // the web app learns the same from /api/auth/me
        const me = await t.request('GET', '/api/auth/me', as(who));
        expect(me.body.permissions.deal).toMatchObject({
          actions: ['read', 'update', 'delete'],
          hiddenFields: ['cost'],
        });
        expect(me.body.permissions.deal.scopes.read).toEqual([{ type: s }]);
      });
    }
  }

  describe('escalation attempts are refused and audited', () => {
    beforeAll(async () => {
      const rep = await t.api('POST', '/api/roles', {
        body: {
          key: 'rep',
          name: 'Rep',
          permissions: {
            entities: {
              deal: {
                preset: 'submitManageOwn',
                fields: { cost: 'hidden', amount: 'readonly' },
                limits: [{ field: 'discount', max: 10 }],
              },
            },
          },
        },
      });
      expect(rep.status).toBe(201);
      await setRole('alice', [rep.body.id]);
    });
    const aliceDeal = () => recs.find((r) => r.owner === 'alice')?.id as string;

    it('changing ownerId or departmentId to escape the scope → 403, audited', async () => {
      const r = await t.request('PATCH', `${R}/${aliceDeal()}`, {
        ...as('alice'),
        body: { ownerId: member.bob.id },
      });
      expect(r.status).toBe(403);
      expect(r.body.error.details.fields[0]).toMatchObject({ field: 'ownerId', code: 'scope' });
      const events = await audit(`action=access.denied&actor=${member.alice.id}`);
      expect(events[0]).toMatchObject({ ok: false, targetId: aliceDeal() });
      expect(events[0]?.ip).toBeTruthy();
    });

    it('writing a hidden or read-only field → 403 naming it (zh-CN and en), audited', async () => {
      const h = await t.request('PATCH', `${R}/${aliceDeal()}`, { ...as('alice'), body: { cost: 'guess' } });
      expect(h.status).toBe(403);
      expect(h.body.error.details.fields[0]).toMatchObject({ field: 'cost', code: 'hidden' });
      const ro = await t.request('POST', R, {
        ...as('alice'),
        body: { name: 'x', amount: 1 },
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(ro.status).toBe(403);
      expect(ro.body.error.details.fields[0].message).toContain('只读');
      const events = await audit(`action=access.denied&actor=${member.alice.id}`);
      expect(events.some((e) => JSON.stringify(e.details).includes('"cost"'))).toBe(true);
    });

    it('filtering or sorting on a hidden field → 403, and the value never appears in the answer', async () => {
      const f = JSON.stringify({ field: 'cost', op: 'startsWith', value: 'cost-0' });
      const r = await t.request('GET', `${R}?filter=${encodeURIComponent(f)}`, as('alice'));
      expect(r.status).toBe(403);
      expect(r.body.error.details.fields[0].field).toBe('filter.cost');
      const s = await t.request('GET', `${R}?sort=-cost`, as('alice'));
      expect(s.status).toBe(403);
      expect(s.text).not.toContain('cost-');
    });

    it('an amount beyond the role limit → 403 with the limit (the rest goes to approval)', async () => {
      const r = await t.request('PATCH', `${R}/${aliceDeal()}`, { ...as('alice'), body: { discount: 30 } });
      expect(r.status).toBe(403);
      expect(r.body.error.details).toMatchObject({ field: 'discount', max: 10 });
      expect(
        (await t.request('PATCH', `${R}/${aliceDeal()}`, { ...as('alice'), body: { discount: 8 } })).status,
      ).toBe(200);
    });

    it('a read-only API token cannot write, and an administrator’s scoped token is no administrator', async () => {
      const tok = await t.request('POST', '/api/auth/tokens', {
        ...as('alice'),
        body: { name: 'reader', scopes: { actions: ['read'] } },
      });
      expect(tok.status).toBe(201);
      expect((await t.request('GET', R, { token: tok.body.token })).status).toBe(200);
      expect((await t.request('POST', R, { token: tok.body.token, body: { name: 'nope' } })).status).toBe(
        403,
      );
      // … nor mint a wider token
      const wider = await t.request('POST', '/api/auth/tokens', {
        token: tok.body.token,
        body: { name: 'wider' },
      });
      expect(wider.status).toBe(201);
      expect(wider.body.scopes).toEqual({ actions: ['read'] });
      expect((await t.request('POST', R, { token: wider.body.token, body: { name: 'nope' } })).status).toBe(
        403,
      );
      const adminTok = await t.api('POST', '/api/auth/tokens', {
        body: { name: 'ro', scopes: { actions: ['read'] } },
      });
      const e = await t.request('POST', '/api/entities', {
        token: adminTok.body.token,
        body: { key: 'nope', fields: [] },
      });
      expect(e.status).toBe(403);
      expect(
        (
          await t.request('POST', '/api/users', {
            token: adminTok.body.token,
            body: { email: 'z@z.z', name: 'z', password: 'abc-12345' },
          })
        ).status,
      ).toBe(403);
    });

    it('replaying a revoked session → 401, audited as auth.rejected', async () => {
      const token = await t.login({ email: member.alice.email, password: 'alice-Secret-42' });
      expect((await t.request('POST', '/api/auth/logout', { token })).status).toBe(204);
      const r = await t.request('GET', R, { token });
      expect(r.status).toBe(401);
      const events = await audit('action=auth.rejected');
      expect(events.some((e) => (e.details as { userId?: string }).userId === member.alice.id)).toBe(true);
    });
  });

  describe('hand-over (离职交接)', () => {
    it('previews what a hand-over would move (owned live records per entity, open tasks) for administrators only', async () => {
      const r = await t.api('GET', `/api/members/${member.bob.id}/handover`);
      expect(r.status).toBe(200);
      const owned = recs.filter((x) => x.owner === 'bob').length;
      expect(r.body).toEqual({
        records: expect.arrayContaining([
          { entity: 'deal', count: owned },
          { entity: 'visit', count: 0 },
        ]),
        openTasks: 0,
      });
      expect(r.body.records).toHaveLength(2);
      // A deleted record is not handed over, so it is not counted.
      const bobDeal = recs.find((x) => x.owner === 'bob')?.id as string;
      expect((await t.api('DELETE', `${R}/${bobDeal}`)).status).toBe(204);
      const after = await t.api('GET', `/api/members/${member.bob.id}/handover`);
      expect(after.body.records).toContainEqual({ entity: 'deal', count: owned - 1 });
      expect((await t.api('POST', `${R}/${bobDeal}/restore`)).status).toBe(200);
      expect((await t.request('GET', `/api/members/${member.bob.id}/handover`, as('alice'))).status).toBe(
        403,
      );
      expect((await t.api('GET', '/api/members/00000000-0000-4000-8000-000000000000/handover')).status).toBe(
        404,
      );
    });

    it('deactivates bob, gives his deals to alice in one transaction, stops his token at once, audits it', async () => {
      const bobToken = member.bob.token;
      expect((await t.request('GET', '/api/auth/me', { token: bobToken })).status).toBe(200);
      const bad = await t.api('POST', `/api/members/${member.bob.id}/deactivate`, {
        body: { successorId: member.alice.id, transfers: [{ entity: 'deal' }, { entity: 'nosuch' }] },
      });
      expect(bad.status).toBe(422);
      expect(
        (
          await t.api(
            'GET',
            `${R}?filter=${encodeURIComponent(JSON.stringify({ field: 'ownerId', op: 'eq', value: member.bob.id }))}`,
          )
        ).body.total,
      ).toBe(3);
      const r = await t.api('POST', `/api/members/${member.bob.id}/deactivate`, {
        body: { successorId: member.alice.id, transfers: [{ entity: 'deal' }] },
      });
      expect(r.status).toBe(200);
      expect(r.body.transferred).toEqual([{ entity: 'deal', count: 3 }]);
      expect(r.body.member.status).toBe('deactivated');
      expect(r.body.revokedSessions).toBeGreaterThan(0);
      const left = await t.api(
        'GET',
        `${R}?filter=${encodeURIComponent(JSON.stringify({ field: 'ownerId', op: 'eq', value: member.bob.id }))}`,
      );
      expect(left.body.total).toBe(0);
      const bobDeal = recs.find((x) => x.owner === 'bob')?.id as string;
      const hist = await t.api('GET', `${R}/${bobDeal}/history`);
      expect(hist.body.items[0]).toMatchObject({
        source: 'handover',
        changes: [{ field: 'ownerId', after: member.alice.id }],
      });
      expect((await t.request('GET', '/api/auth/me', { token: bobToken })).status).toBe(401);
      const events = await audit('action=member.deactivate');
      expect(events[0]).toMatchObject({ targetId: member.bob.id, details: { successorId: member.alice.id } });
    });

    it('a deactivated member who logs in again still reaches nothing in the workspace', async () => {
      const token = await t.login({ email: member.bob.email, password: 'bob-Secret-42' });
      expect((await t.request('GET', R, { token })).status).toBe(403);
    });
  });

  describe('sessions and login hardening', () => {
    it('sets an HTTP-only SameSite=Lax session cookie and requires the CSRF token on unsafe cookie requests', async () => {
      const login = await t.request('POST', '/api/auth/login', {
        body: { email: member.alice.email, password: 'alice-Secret-42', cookieOnly: true },
      });
      expect(login.status).toBe(200);
      expect(login.body).not.toHaveProperty('token'); // the web app never holds the session token
      const cookies = login.headers.getSetCookie();
      const session = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`)) as string;
      expect(session).toMatch(/HttpOnly/i);
      expect(session).toMatch(/SameSite=Lax/i);
      expect(cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`))).not.toMatch(/HttpOnly/i);
      const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
      expect((await t.request('GET', R, { headers: { cookie } })).status).toBe(200);
      const noCsrf = await t.request('POST', R, { headers: { cookie }, body: { name: 'via cookie' } });
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.body.error.details.fields[0].code).toBe('csrf');
      const withCsrf = await t.request('POST', R, {
        headers: { cookie, 'x-csrf-token': login.body.csrfToken },
        body: { name: 'via cookie' },
      });
      expect(withCsrf.status).toBe(201);
      const foreign = await t.request('POST', R, {
        headers: {
          cookie,
          'x-csrf-token': login.body.csrfToken,
          origin: 'https://evil.example',
          host: 'localhost',
        },
        body: { name: 'via cookie' },
      });
      expect(foreign.status).toBe(403);
      // bearer tokens (an API client's login answers the token) need no CSRF token
      const apiLogin = await t.request('POST', '/api/auth/login', {
        body: { email: member.alice.email, password: 'alice-Secret-42' },
      });
      expect(
        (await t.request('POST', R, { token: apiLogin.body.token, body: { name: 'bearer' } })).status,
      ).toBe(201);
      const out = await t.request('POST', '/api/auth/logout', {
        headers: { cookie, 'x-csrf-token': login.body.csrfToken },
      });
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie().join(';')).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    });

    it('locks an account after 5 failures and answers exactly like an unknown e-mail (no enumeration)', async () => {
      const email = 'lock@perm.test';
      await t.api('POST', '/api/users', { body: { email, name: 'Lock', password: 'lock-pass-123' } });
      const wrong = async () =>
        t.request('POST', '/api/auth/login', { body: { email, password: 'wrong-pass-1' } });
      for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
      const locked = await t.request('POST', '/api/auth/login', {
        body: { email, password: 'lock-pass-123' },
      });
      const unknown = await t.request('POST', '/api/auth/login', {
        body: { email: 'nobody@perm.test', password: 'lock-pass-123' },
      });
      expect(locked.status).toBe(401);
      expect(locked.body).toEqual(unknown.body);
      const rows = await t.db.query<{ details: { reason: string } }>(
        `select details from formwork.audit_events where action = 'auth.login' and details->>'email' = $1 order by id`,
        [email],
      );
      expect(rows.map((r) => r.details.reason)).toEqual([
        'password',
        'password',
        'password',
        'password',
        'lockedNow',
        'locked',
      ]);
    });

    it('enforces the password policy on new users and password changes', async () => {
      const r = await t.api('POST', '/api/users', {
        body: { email: 'weak@perm.test', name: 'W', password: '123456789' },
      });
      expect(r.status).toBe(422);
      expect(r.body.error.details.fields[0]).toMatchObject({ field: 'password', code: 'passwordPolicy' });
      const token = await t.login({ email: member.alice.email, password: 'alice-Secret-42' });
      const wrong = await t.request('POST', '/api/auth/password', {
        token,
        body: { currentPassword: 'nope', newPassword: 'alice-Better-43' },
      });
      expect(wrong.status).toBe(422);
      const ok = await t.request('POST', '/api/auth/password', {
        token,
        body: { currentPassword: 'alice-Secret-42', newPassword: 'alice-Better-43' },
      });
      expect(ok.status).toBe(204);
      expect((await t.request('GET', '/api/auth/me', as('alice'))).status).toBe(401);
      member.alice.token = await t.login({ email: member.alice.email, password: 'alice-Better-43' });
    });
  });

  describe('workspace administrators', () => {
    it('the built-in role administers the workspace, but not the system', async () => {
      const roles = await t.api('GET', '/api/roles');
      const admin = roles.body.items.find((r: { key: string }) => r.key === 'admin');
      expect(admin).toMatchObject({ builtin: true, isAdmin: true });
      const denied = await t.request('POST', '/api/departments', { ...as('alice'), body: { name: 'Ops' } });
      expect(denied.status).toBe(403);
      await setRole('alice', [admin.id]);
      const ok = await t.request('POST', '/api/departments', { ...as('alice'), body: { name: 'Ops' } });
      expect(ok.status).toBe(201);
      expect((await t.request('GET', `${R}?limit=1`, as('alice'))).body.items[0]).toHaveProperty('cost');
      const me = await t.request('GET', '/api/auth/me', as('alice'));
      expect(me.body.isAdmin).toBe(true);
      const sys = await t.request('POST', '/api/users', {
        ...as('alice'),
        body: { email: 'x@perm.test', name: 'X', password: 'x-pass-1234' },
      });
      expect(sys.status).toBe(403);
      // the built-in role cannot be narrowed or deleted
      expect(
        (await t.api('PATCH', `/api/roles/${admin.id}`, { body: { permissions: { entities: {} } } })).status,
      ).toBe(400);
      expect((await t.api('DELETE', `/api/roles/${admin.id}`)).status).toBe(400);
      await setRole('alice', []);
      expect(
        (await t.request('POST', '/api/departments', { ...as('alice'), body: { name: 'Ops 2' } })).status,
      ).toBe(403);
    });

    it('refuses invalid organisation input with field-level 4xx', async () => {
      const cycle = await t.api('PATCH', `/api/departments/${dept.sales}`, { body: { parentId: dept.east } });
      expect(cycle.status).toBe(422);
      expect(cycle.body.error.details.fields[0]).toMatchObject({ field: 'parentId', code: 'cycle' });
      const notEmpty = await t.api('DELETE', `/api/departments/${dept.sales}`);
      expect(notEmpty.status).toBe(400);
      const badRole = await t.api('POST', '/api/roles', {
        body: {
          key: 'bad',
          name: 'Bad',
          permissions: { entities: { deal: { preset: 'viewAll', fields: { nope: 'hidden' } } } },
        },
      });
      expect(badRole.status).toBe(422);
      expect(badRole.body.error.details.fields[0].field).toBe('permissions.entities.deal.fields.nope');
      const badMember = await t.api('PUT', `/api/members/${member.alice.id}/roles`, {
        body: { roleIds: ['00000000-0000-4000-8000-000000000000'] },
      });
      expect(badMember.status).toBe(422);
      expect(badMember.body.error.details.fields[0].field).toBe('roleIds');
      const dupe = await t.api('POST', '/api/members', { body: { email: member.alice.email } });
      expect(dupe.status).toBe(409);
    });
  });

  describe('export', () => {
    it('needs the export permission, leaves hidden fields out, defuses formulas, and is audited', async () => {
      expect((await t.request('GET', '/api/entities/deal/export', as('alice'))).status).toBe(403);
      const role = await t.api('POST', '/api/roles', {
        body: {
          key: 'exporter',
          name: 'Exporter',
          permissions: { entities: { deal: { preset: 'manageAll', fields: { cost: 'hidden' } } } },
        },
      });
      await setRole('alice', [role.body.id]);
      await t.api('POST', R, { body: { name: '=HYPERLINK("x")', cost: 'secret-cost' } });
      const csv = await t.request('GET', '/api/entities/deal/export?q=HYPERLINK', {
        ...as('alice'),
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const [header, row] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(header).toContain('记录 ID');
      expect(header).not.toContain('cost');
      expect(row).toContain(`"'=HYPERLINK(""x"")"`);
      expect(csv.text).not.toContain('secret-cost');
      const admin = await t.api('GET', '/api/entities/deal/export?format=json&q=HYPERLINK');
      expect(admin.body.items[0].cost).toBe('secret-cost');
      const events = await audit(`action=export&actor=${member.alice.id}`);
      expect(events[0]).toMatchObject({
        action: 'export.records',
        targetId: 'deal',
        details: { count: 1, truncated: false },
      });
      await setRole('alice', []);
    });
  });

  describe('audit log', () => {
    it('records permission and schema changes with who and from where', async () => {
      const put = await t.api('PUT', '/api/entities/deal', {
        body: { ...dealEntity, fields: [...dealEntity.fields, { key: 'stage', type: 'text' }] },
        headers: { 'user-agent': 'perm-test-agent' },
      });
      expect(put.status).toBe(200);
      const schema = await audit('action=schema');
      expect(schema[0]).toMatchObject({
        action: 'schema.entity.update',
        targetId: 'deal',
        userAgent: 'perm-test-agent',
        actor: t.admin.id,
      });
      const perm = await audit('action=permission');
      expect(perm.map((e) => e.action)).toContain('permission.role.create');
      expect(perm.map((e) => e.action)).toContain('permission.assign');
      const logins = await audit(`action=auth.login&actor=${member.alice.id}&ok=true`);
      expect(logins.length).toBeGreaterThan(0);
      // record changes with where they came from (IP, user agent, API token)
      const tok = await t.api('POST', '/api/auth/tokens', { body: { name: 'sync' } });
      const rec = await t.request('POST', R, {
        token: tok.body.token,
        body: { name: 'from the ERP' },
        headers: { 'user-agent': 'erp-sync/1.0' },
      });
      const changes = await audit(`entity=deal&targetId=${rec.body.id}`);
      expect(changes[0]).toMatchObject({
        action: 'record.create',
        targetId: rec.body.id,
        userAgent: 'erp-sync/1.0',
        tokenId: tok.body.id,
        details: { source: 'api' },
      });
    });

    it('pages with a cursor, and refuses non-administrators', async () => {
      const p1 = await t.api('GET', '/api/audit?limit=2');
      expect(p1.body.items).toHaveLength(2);
      const p2 = await t.api('GET', `/api/audit?limit=2&cursor=${p1.body.nextCursor}`);
      expect(p2.body.items[0].id).toBeLessThan(p1.body.items[1].id);
      expect((await t.request('GET', '/api/audit', as('alice'))).status).toBe(403);
    });

    it('entries cannot be changed or deleted: no route does it and the database refuses it', async () => {
      expect(t.routes.filter((r) => r.path.startsWith('/api/audit') && r.method !== 'GET')).toEqual([]);
      await expect(t.db.query('update formwork.audit_events set action = $1', ['x'])).rejects.toThrow(
        /cannot be changed/,
      );
      await expect(t.db.query('delete from formwork.audit_events')).rejects.toThrow(/cannot be changed/);
      await expect(t.db.query('delete from ws_default._audit')).rejects.toThrow(/cannot be changed/);
    });
  });
});
