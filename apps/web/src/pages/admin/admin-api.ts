import type { FilterNode, Message } from '@formwork/metadata';
import type { Api } from '../../api.js';

/**
 * The administration routes of the server (people, departments, roles, presets, audit, hand-over) as the
 * admin screens use them. Shapes follow `GET /api/openapi.json` (components Member, Department, Role,
 * AuditEvent) and docs/permissions.md.
 */

export type MemberStatus = 'invited' | 'active' | 'deactivated';

export interface Member {
  userId: string;
  email: string;
  name: string;
  status: MemberStatus;
  departmentIds: string[];
  primaryDepartmentId: string | null;
  roleIds: string[];
  invitedAt?: string | null;
  activatedAt?: string | null;
  deactivatedAt?: string | null;
  successorId?: string | null;
}

export interface Department {
  id: string;
  name: string;
  parentId: string | null;
  headId: string | null;
  sort: number;
  memberCount: number;
}

export const ENTITY_ACTIONS = ['create', 'read', 'update', 'delete', 'export', 'import', 'manage'] as const;
export type EntityAction = (typeof ENTITY_ACTIONS)[number];

export const SCOPE_TYPES = ['own', 'team', 'department', 'departmentTree', 'all', 'custom', 'none'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

export type DataScope = { type: Exclude<ScopeType, 'custom'> } | { type: 'custom'; filter: FilterNode };

export type PresetKey = 'submitOnly' | 'submitManageOwn' | 'submitViewAll' | 'viewAll' | 'manageAll';

export interface ActionLimit {
  field: string;
  min?: number;
  max?: number;
}

/** One role's rule for one entity, as the server stores it. */
export interface EntityRule {
  preset?: PresetKey;
  actions?: EntityAction[];
  scope?: DataScope;
  fields?: Record<string, 'hidden' | 'readonly'>;
  limits?: ActionLimit[];
}

export interface RolePermissions {
  entities: Record<string, EntityRule>;
}

export interface Role {
  id: string;
  key: string;
  name: Message;
  builtin: boolean;
  isAdmin: boolean;
  permissions: RolePermissions;
  version: number;
  memberCount: number;
}

export interface Preset {
  key: PresetKey;
  label: string;
  actions: EntityAction[];
  scope: DataScope;
}

export interface AuditEvent {
  id: number;
  at: string;
  workspace: string | null;
  actor: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ok: boolean;
  ip: string | null;
  userAgent: string | null;
  tokenId: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  entity?: string;
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  ok?: boolean;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface HandoverPreview {
  records: Array<{ entity: string; count: number }>;
  openTasks: number;
}

export interface DeactivateBody {
  successorId?: string;
  transfers?: Array<{ entity: string; filter?: FilterNode }>;
}

export interface HandoverResult {
  member: Member;
  transferred: Array<{ entity: string; count: number }>;
  moved: Array<{ kind: string; count: number }>;
  revokedSessions: number;
  revokedTokens: number;
}

const seg = encodeURIComponent;

function queryString(q: object): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function adminApi(api: Api) {
  const r = api.request;
  return {
    members: {
      list: () => r<{ items: Member[] }>('GET', '/api/members').then((x) => x.items),
      invite: (body: {
        email: string;
        name?: string;
        departmentIds?: string[];
        primaryDepartmentId?: string;
        roleIds?: string[];
      }) =>
        r<{ member: Member; invitation?: { token: string; expiresAt: string } }>(
          'POST',
          '/api/members',
          body,
        ),
      update: (id: string, body: { departmentIds?: string[]; primaryDepartmentId?: string }) =>
        r<Member>('PATCH', `/api/members/${seg(id)}`, body),
      setRoles: (id: string, roleIds: string[]) =>
        r<Member>('PUT', `/api/members/${seg(id)}/roles`, { roleIds }),
      handoverPreview: (id: string) => r<HandoverPreview>('GET', `/api/members/${seg(id)}/handover`),
      deactivate: (id: string, body: DeactivateBody) =>
        r<HandoverResult>('POST', `/api/members/${seg(id)}/deactivate`, body),
      reactivate: (id: string) => r<Member>('POST', `/api/members/${seg(id)}/reactivate`),
    },
    departments: {
      list: () => r<{ items: Department[] }>('GET', '/api/departments').then((x) => x.items),
      create: (body: { name: string; parentId?: string | null; headId?: string | null }) =>
        r<Department>('POST', '/api/departments', body),
      update: (id: string, body: { name?: string; parentId?: string | null; headId?: string | null }) =>
        r<Department>('PATCH', `/api/departments/${seg(id)}`, body),
      remove: (id: string) => r<void>('DELETE', `/api/departments/${seg(id)}`),
    },
    roles: {
      list: () => r<{ items: Role[] }>('GET', '/api/roles').then((x) => x.items),
      create: (body: { key: string; name: Message; permissions: RolePermissions }) =>
        r<Role>('POST', '/api/roles', body),
      update: (id: string, body: { name?: Message; permissions?: RolePermissions }) =>
        r<Role>('PATCH', `/api/roles/${seg(id)}`, body),
      remove: (id: string) => r<void>('DELETE', `/api/roles/${seg(id)}`),
    },
    presets: () => r<{ items: Preset[] }>('GET', '/api/permissions/presets').then((x) => x.items),
    audit: (q: AuditQuery) =>
      r<{ items: AuditEvent[]; nextCursor: string | null }>('GET', `/api/audit${queryString(q)}`),
    /** How many live records of `entity` match `filter` (exact count, no rows). */
    async countRecords(entity: string, filter: FilterNode): Promise<number> {
      const page = await api.client.records.list(entity, { filter, limit: 1, total: 'exact' });
      return page.total;
    },
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
