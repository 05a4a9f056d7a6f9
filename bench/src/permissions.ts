/**
 * Permissions benchmark (issue 3): list and get as a member whose role reads deals with the scope
 * "own department and below", over the same deals spread across 50 departments, next to the
 * administrator's figures for the same requests. Target: the member within 20% of the administrator.
 *
 * `preparePermissionBench(db)` runs with the database closed to the server (after the bulk load):
 * 50 departments (5 regions × 9 teams, plus the regions), every deal given one of them, a member in
 * one region (so their subtree is 10 of the 50 departments), a role with `departmentTree` read on
 * deals. `benchPermissions(baseUrl)` then measures with the server running.
 */

import { hashPassword } from '@formwork/server';
import type { Db } from '@formwork/store';
import { type LoadResult, load } from './load.js';
import { ADMIN } from './server-process.js';

export const MEMBER = { email: 'bench-member@formwork.local', password: 'bench-member-123' };
const DEPARTMENTS = 50;

type Figures = Record<string, number>;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Departments, department ids on every deal, the member and their role (idempotent). */
export async function preparePermissionBench(db: Db): Promise<void> {
  log('permissions: 50 departments, deals spread across them, a department-and-below member');
  await db.transaction(async (tx) => {
    const have = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM ws_default._departments');
    if ((have[0]?.n ?? 0) < DEPARTMENTS) {
      const regions = await tx.query<{ id: string }>(
        `INSERT INTO ws_default._departments (name, sort) SELECT 'Region ' || i, i FROM generate_series(1, 5) AS i RETURNING id`,
      );
      for (const [r, region] of regions.entries()) {
        await tx.query(
          `INSERT INTO ws_default._departments (name, parent_id, sort) SELECT 'Team ' || $2::int || '-' || i, $1::uuid, i FROM generate_series(1, 9) AS i`,
          [region.id, r + 1],
        );
      }
    }
    const password = await hashPassword(MEMBER.password);
    const [user] = await tx.query<{ id: string }>(
      `INSERT INTO formwork.users (email, name, password_hash, status) VALUES ($1, 'Bench member', $2, 'active')
       ON CONFLICT (lower(email)) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
      [MEMBER.email, password],
    );
    const userId = (user as { id: string }).id;
    const [role] = await tx.query<{ id: string }>(
      `INSERT INTO ws_default._roles (key, name, permissions) VALUES ('bench_region', '{"zh-CN":"区域经理","en":"Region manager"}',
         '{"entities":{"deal":{"actions":["read"],"scope":{"type":"departmentTree"}}}}'::jsonb)
       ON CONFLICT (key) DO UPDATE SET permissions = EXCLUDED.permissions RETURNING id`,
    );
    await tx.query(
      `INSERT INTO ws_default._members (user_id, status, activated_at) VALUES ($1, 'active', now()) ON CONFLICT (user_id) DO NOTHING`,
      [userId],
    );
    await tx.query(
      `INSERT INTO ws_default._member_roles (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [userId, (role as { id: string }).id],
    );
    await tx.query(
      `INSERT INTO ws_default._member_departments (user_id, department_id, is_primary)
       SELECT $1, id, true FROM ws_default._departments WHERE parent_id IS NULL ORDER BY sort LIMIT 1
       ON CONFLICT DO NOTHING`,
      [userId],
    );
  });
  // Every deal in one of the 50 departments (by a hash of its id: an even spread).
  await db.exec(`UPDATE ws_default.e_deal t SET department_id = d.id
    FROM (SELECT id, row_number() OVER (ORDER BY sort, name) - 1 AS n FROM ws_default._departments) d
    WHERE d.n = abs(hashtext(t.id::text)) % ${DEPARTMENTS} AND t.department_id IS DISTINCT FROM d.id`);
  await db.exec('ANALYZE ws_default.e_deal');
}

async function login(baseUrl: string, who: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) throw new Error(`login ${who.email} → ${res.status}`);
  return body.token;
}

const FILTER = encodeURIComponent(JSON.stringify({ field: 'status', op: 'eq', value: 'won' }));
const PATHS = {
  list: '/api/entities/deal/records?limit=20',
  filtered: `/api/entities/deal/records?filter=${FILTER}&sort=-amount&limit=20`,
};

/** Member vs administrator: list (newest first and filtered + sorted) and get, same requests for both. */
export async function benchPermissions(
  baseUrl: string,
  seconds: number,
  connections: number,
): Promise<Figures> {
  const f: Figures = {};
  const tokens = { admin: await login(baseUrl, ADMIN), member: await login(baseUrl, MEMBER) };
  // Records the member can see, so both get the same ids.
  const res = await fetch(`${baseUrl}/api/entities/deal/records?limit=100`, {
    headers: { authorization: `Bearer ${tokens.member}` },
  });
  const page = (await res.json()) as { items: { id: string }[]; total: number };
  if (!res.ok || page.items.length === 0) throw new Error(`member list → ${res.status}`);
  f['perm.member.visible'] = page.total;
  const ids = page.items.map((r) => r.id);
  const run = async (
    who: 'admin' | 'member',
    path: (i: number) => string,
    conns: number,
  ): Promise<LoadResult> =>
    load({
      url: baseUrl,
      method: 'GET',
      connections: conns,
      seconds,
      headers: { authorization: `Bearer ${tokens[who]}` },
      path,
    });
  for (const who of ['admin', 'member'] as const) {
    for (const [name, path] of Object.entries(PATHS)) {
      log(`permissions: ${who} ${name} list, 1 and ${connections} connections, ${seconds} s each`);
      const one = await run(who, () => path, 1);
      const many = await run(who, () => path, connections);
      f[`perm.${who}.${name}.p50_ms`] = one.p50;
      f[`perm.${who}.${name}.p99_ms`] = one.p99;
      f[`perm.${who}.${name}.rps`] = round(many.rps);
      f[`perm.${who}.${name}.errors`] = one.errors + one.non2xx + many.errors + many.non2xx;
    }
    log(`permissions: ${who} get by id, ${connections} connections, ${seconds} s`);
    const get = await run(who, (i) => `/api/entities/deal/records/${ids[i % ids.length]}`, connections);
    f[`perm.${who}.get.rps`] = round(get.rps);
    f[`perm.${who}.get.p50_ms`] = get.p50;
    f[`perm.${who}.get.p99_ms`] = get.p99;
    f[`perm.${who}.get.errors`] = get.errors + get.non2xx;
  }
  for (const k of ['list', 'filtered', 'get'] as const) {
    const a = f[`perm.admin.${k}.rps`] ?? 0;
    f[`perm.member_vs_admin.${k}.rps_ratio`] = a > 0 ? round((f[`perm.member.${k}.rps`] ?? 0) / a, 2) : 0;
  }
  return f;
}
