import type { Directory } from '@formwork/workflow';
import type { Db } from '../db.js';
import { workspaceSchema } from '../ident.js';

/**
 * The organisation as plain data for the pure workflow engine: roles (by key) → members, departments
 * with their heads, each member's departments (main first) and the active members. A workspace without
 * member rows yet gives no `members` list, so assignees are not filtered.
 */
export async function loadDirectory(q: Db, ws: string): Promise<Directory> {
  const s = workspaceSchema(ws);
  const [row] = await q.query<{
    roles: Record<string, string[]> | null;
    depts: Array<[string, string | null, string | null]> | null;
    md: Array<[string, string]> | null;
    members: Array<[string, string]> | null;
  }>(
    `SELECT
       (SELECT jsonb_object_agg(x.key, x.members) FROM (
          SELECT r.key, coalesce(jsonb_agg(mr.user_id::text) FILTER (WHERE mr.user_id IS NOT NULL), '[]'::jsonb) AS members
            FROM ${s}._roles r LEFT JOIN ${s}._member_roles mr ON mr.role_id = r.id GROUP BY r.key) x) AS roles,
       (SELECT jsonb_agg(jsonb_build_array(d.id::text, d.parent_id::text, d.head_id::text)) FROM ${s}._departments d) AS depts,
       (SELECT jsonb_agg(jsonb_build_array(md.user_id::text, md.department_id::text) ORDER BY md.user_id, md.is_primary DESC)
          FROM ${s}._member_departments md) AS md,
       (SELECT jsonb_agg(jsonb_build_array(m.user_id::text, m.status)) FROM ${s}._members m) AS members`,
  );
  const dir: Directory = { roles: row?.roles ?? {}, departments: {}, memberDepartments: {} };
  for (const [id, parent, head] of row?.depts ?? [])
    dir.departments[id] = { parent, heads: head ? [head] : [] };
  for (const [user, dept] of row?.md ?? []) {
    const list = dir.memberDepartments[user] ?? [];
    list.push(dept);
    dir.memberDepartments[user] = list;
  }
  const members = row?.members ?? [];
  if (members.length > 0) dir.members = members.filter(([, status]) => status === 'active').map(([id]) => id);
  return dir;
}

/** Member ids → e-mail addresses (active users only); plain addresses pass through. */
export async function emailsOf(q: Db, to: readonly string[]): Promise<string[]> {
  const ids = to.filter((x) => /^[0-9a-f-]{36}$/i.test(x));
  const plain = to.filter((x) => x.includes('@'));
  const rows = ids.length
    ? await q.query<{ email: string }>(
        `SELECT email FROM formwork.users WHERE id = ANY($1::uuid[]) AND status = 'active'`,
        [ids],
      )
    : [];
  return [...new Set([...rows.map((r) => r.email), ...plain])];
}
