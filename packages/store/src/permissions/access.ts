/**
 * Loading a principal's access to one workspace: membership status, departments (and the subtree
 * below them), roles with their permissions, and the API token's scopes — in ONE query. Nothing is
 * cached across requests: a role change, a deactivation or a revoked token takes effect on the next
 * request in every process.
 */
import { DomainError } from '@formwork/metadata';
import { pgErrorInfo } from '../db.js';
import { isWorkspaceKey, workspaceSchema } from '../ident.js';
import type { Principal } from '../types.js';
import { isUuid } from '../uuid.js';
import { type Access, ENTITY_ACTIONS, type EntityAction, type RoleGrant, type TokenScopes } from './model.js';

/** The part of `Db` these functions use (the server's DbPort satisfies it too). */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export function parseTokenScopes(v: unknown): TokenScopes | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const actions = Array.isArray(o.actions)
    ? (o.actions.filter((a) => (ENTITY_ACTIONS as readonly unknown[]).includes(a)) as EntityAction[])
    : [];
  const entities = Array.isArray(o.entities)
    ? o.entities.filter((e): e is string => typeof e === 'string')
    : undefined;
  return { actions, ...(entities ? { entities } : {}) };
}

export function accessSql(ws: string): string {
  const s = workspaceSchema(ws);
  return `SELECT m.status,
  COALESCE((SELECT array_agg(md.department_id ORDER BY md.is_primary DESC, md.department_id)
              FROM ${s}._member_departments md WHERE md.user_id = m.user_id), '{}'::uuid[]) AS departments,
  COALESCE((WITH RECURSIVE tree(id) AS (
              SELECT md.department_id FROM ${s}._member_departments md WHERE md.user_id = m.user_id
              UNION SELECT d.id FROM ${s}._departments d JOIN tree ON d.parent_id = tree.id)
            SELECT array_agg(id ORDER BY id) FROM tree), '{}'::uuid[]) AS tree,
  COALESCE((WITH RECURSIVE led(id) AS (
              SELECT d.id FROM ${s}._departments d WHERE d.head_id = m.user_id
              UNION SELECT d.id FROM ${s}._departments d JOIN led ON d.parent_id = led.id)
            SELECT array_agg(DISTINCT md.user_id) FROM ${s}._member_departments md
             WHERE md.department_id IN (SELECT id FROM led)), '{}'::uuid[]) AS subordinates,
  COALESCE((SELECT jsonb_agg(jsonb_build_object('key', r.key, 'isAdmin', r.is_admin, 'permissions', r.permissions) ORDER BY r.key)
              FROM ${s}._member_roles mr JOIN ${s}._roles r ON r.id = mr.role_id WHERE mr.user_id = m.user_id), '[]'::jsonb) AS roles,
  (SELECT t.scopes FROM formwork.api_tokens t WHERE t.id = $2::uuid) AS token_scopes,
  (SELECT u.is_admin FROM formwork.users u WHERE u.id = $1::uuid AND u.status = 'active') AS system_admin
FROM (SELECT $1::uuid AS uid) q LEFT JOIN ${s}._members m ON m.user_id = q.uid`;
}

/** Loads the principal's access to `ws` (one query). */
export async function loadAccess(db: Queryable, ws: string, principal: Principal): Promise<Access> {
  if (!isWorkspaceKey(ws)) throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
  if (!isUuid(principal.userId)) {
    return {
      workspace: ws,
      admin: false,
      status: 'none',
      departmentIds: [],
      departmentTreeIds: [],
      subordinateIds: [],
      roles: [],
    };
  }
  let rows: {
    status: string | null;
    departments: string[];
    tree: string[];
    subordinates: string[];
    roles: RoleGrant[];
    token_scopes: unknown;
    system_admin: boolean | null;
  }[];
  try {
    rows = await db.query(accessSql(ws), [
      principal.userId,
      isUuid(principal.tokenId) ? principal.tokenId : null,
    ]);
  } catch (e) {
    const info = pgErrorInfo(e);
    if (info && (info.code === '3F000' || info.code === '42P01'))
      throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
    throw e;
  }
  const r = rows[0];
  const token = principal.tokenId ? parseTokenScopes(r?.token_scopes) : null;
  const status = (r?.status ?? 'none') as Access['status'];
  const roles = r?.roles ?? [];
  const memberAdmin = status === 'active' && roles.some((x) => x.isAdmin);
  const systemAdmin = principal.isAdmin && r?.system_admin === true;
  return {
    workspace: ws,
    admin: systemAdmin || memberAdmin,
    systemAdmin,
    status: systemAdmin && status === 'none' ? 'active' : status,
    departmentIds: r?.departments ?? [],
    departmentTreeIds: r?.tree ?? [],
    subordinateIds: r?.subordinates ?? [],
    roles,
    ...(token ? { token } : {}),
  };
}

/**
 * The principal with its access to `ws` attached (what the server does once per request): roles and
 * departments filled in, `isAdmin` true only for a full (token-unrestricted) administrator.
 */
export async function withAccess(db: Queryable, ws: string, principal: Principal): Promise<Principal> {
  const access = await loadAccess(db, ws, principal);
  return {
    ...principal,
    // An administrator's token is an administrator only when its scopes include `manage`.
    isAdmin: access.admin && (!access.token || access.token.actions.includes('manage')),
    roles: access.roles.map((r) => r.key),
    departmentIds: access.departmentIds,
    access,
  };
}

/** The access the store applies: the attached one for this workspace, or loaded now. */
export async function resolveAccess(db: Queryable, ws: string, principal: Principal): Promise<Access> {
  if (principal.access && principal.access.workspace === ws) return principal.access;
  if (principal.isAdmin && !principal.tokenId) {
    return {
      workspace: ws,
      admin: true,
      status: 'active',
      departmentIds: principal.departmentIds,
      departmentTreeIds: principal.departmentIds,
      subordinateIds: [],
      roles: [],
    };
  }
  return loadAccess(db, ws, principal);
}
