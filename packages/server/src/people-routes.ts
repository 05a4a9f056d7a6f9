/**
 * People and permissions routes: members (invite, change, assign roles, deactivate with hand-over,
 * reactivate), departments, roles with their permission matrix, the audit log, invitations and
 * password changes. Permissions themselves are enforced in the store; these routes only administer
 * them (workspace or system administrators), and every change is audited by the store's org API.
 */
import { DomainError } from '@formwork/metadata';
import {
  type Access,
  type Db,
  describeEntityAccess,
  entityAccess,
  orgApi,
  PRESET_RULES,
  PRESETS,
  withAccess,
  workspaceSchema,
} from '@formwork/store';
import { buildExportRoutes } from './export-routes.js';
import { type AnyRoute, defineRoute, type JsonSchema } from './route.js';
import type { RouteDeps } from './routes.js';
import { idParams, noQuery, ref, WORKSPACE_KEY } from './schemas.js';
import type { Principal, StoredEntity } from './types.js';

const json = (description: string, schema: JsonSchema) => ({ description, schema });
const noContent = { description: 'Done (no body)' };
const list = (item: string): JsonSchema => ({
  type: 'object',
  properties: { items: { type: 'array', items: ref(item) } },
  required: ['items'],
});
const uuid = { type: 'string', format: 'uuid' };
const uuidList = { type: 'array', items: uuid, maxItems: 100, uniqueItems: true };

/** The principal's effective access to `ws` as `/api/auth/me` answers it (null: no such workspace). */
export async function effectiveAccess(
  deps: Pick<RouteDeps, 'db' | 'store'>,
  principal: Principal,
  ws: string,
): Promise<{ roles: string[]; body: Record<string, unknown> } | null> {
  if (!WORKSPACE_KEY.test(ws)) return null;
  let p: Principal;
  try {
    p = principal.access?.workspace === ws ? principal : await withAccess(deps.db, ws, principal);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'WORKSPACE_NOT_FOUND') return null;
    throw e;
  }
  const access = p.access as Access;
  const entities: StoredEntity[] = await deps.store.entities.list(ws);
  return {
    roles: p.roles,
    body: {
      workspace: ws,
      isAdmin: p.isAdmin,
      member: {
        status: access.status,
        departmentIds: access.departmentIds,
        primaryDepartmentId: access.departmentIds[0] ?? null,
      },
      tokenScopes: access.token ?? null,
      permissions: Object.fromEntries(
        entities.map((e) => [e.key, describeEntityAccess(entityAccess(access, e.key))]),
      ),
    },
  };
}

export function buildPeopleRoutes(deps: RouteDeps): AnyRoute[] {
  const { db, auth, security } = deps;
  // Hand-over hooks (createApp's `handoverHooks`): the workflow runtime moves open tasks and automations.
  const org = orgApi(db as unknown as Db, deps.handoverHooks ? { handoverHooks: deps.handoverHooks } : {});
  const routes: AnyRoute[] = [];
  const add = (r: AnyRoute) => routes.push(r);
  const base = { auth: 'user' as const, workspace: true, query: noQuery };

  // --- members -----------------------------------------------------------------------------------------
  add(
    defineRoute<unknown, { status?: 'invited' | 'active' | 'deactivated'; departmentId?: string }>({
      ...base,
      method: 'GET',
      path: '/api/members',
      operationId: 'listMembers',
      summary: { en: 'Members of the workspace', 'zh-CN': '成员列表' },
      description:
        'Every member may list members (to pick them in member fields); role ids only for administrators.',
      tags: ['people'],
      query: {
        type: 'object',
        properties: { status: { enum: ['invited', 'active', 'deactivated'] }, departmentId: uuid },
        additionalProperties: false,
      },
      responses: { '200': json('Members', list('Member')) },
      async handler({ ws, query, principal }) {
        if (!principal.isAdmin && principal.access?.status !== 'active') throw new DomainError('FORBIDDEN');
        const items = await org.members.list(ws, query);
        return { body: { items: principal.isAdmin ? items : items.map((m) => ({ ...m, roleIds: [] })) } };
      },
    }),
  );

  add(
    defineRoute<
      unknown,
      unknown,
      {
        email: string;
        name?: string;
        departmentIds?: string[];
        primaryDepartmentId?: string;
        roleIds?: string[];
      }
    >({
      ...base,
      admin: true,
      method: 'POST',
      path: '/api/members',
      operationId: 'inviteMember',
      summary: { en: 'Invite a member', 'zh-CN': '邀请成员' },
      description:
        'An existing user becomes an active member at once; a new e-mail gets a user without a password and an ' +
        'invitation token (shown once) to accept with `POST /api/auth/invitations/accept`.',
      tags: ['people'],
      body: {
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email', maxLength: 320 },
          name: { type: 'string', minLength: 1, maxLength: 200 },
          departmentIds: uuidList,
          primaryDepartmentId: uuid,
          roleIds: uuidList,
        },
        required: ['email'],
        additionalProperties: false,
      },
      responses: {
        '201': json('The member (and the invitation when the user must set a password)', {
          type: 'object',
          properties: {
            member: ref('Member'),
            invitation: {
              type: 'object',
              properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
            },
          },
          required: ['member'],
        }),
      },
      async handler({ c, ws, principal, body }) {
        const [existing] = await db.query<{ id: string; has_password: boolean; status: string }>(
          'select id, password_hash is not null as has_password, status from formwork.users where lower(email) = $1',
          [body.email.trim().toLowerCase()],
        );
        const needsInvite = !existing?.has_password || existing.status === 'invited';
        const { member } = await org.members.add(
          ws,
          { ...body, status: needsInvite ? 'invited' : 'active' },
          security.meta(c, principal),
        );
        const invitation = needsInvite ? await auth.createInvite(member.userId, ws) : undefined;
        return { status: 201, body: { member, ...(invitation ? { invitation } : {}) } };
      },
    }),
  );

  add(
    defineRoute<{ id: string }>({
      ...base,
      method: 'GET',
      path: '/api/members/{id}',
      operationId: 'getMember',
      summary: { en: 'A member', 'zh-CN': '成员详情' },
      tags: ['people'],
      admin: true,
      params: idParams,
      responses: { '200': json('The member', ref('Member')) },
      async handler({ ws, params }) {
        return { body: await org.members.get(ws, params.id) };
      },
    }),
  );

  add(
    defineRoute<{ id: string }, unknown, { departmentIds?: string[]; primaryDepartmentId?: string }>({
      ...base,
      admin: true,
      method: 'PATCH',
      path: '/api/members/{id}',
      operationId: 'updateMember',
      summary: { en: 'Change a member’s departments', 'zh-CN': '修改成员部门' },
      tags: ['people'],
      params: idParams,
      body: {
        type: 'object',
        properties: { departmentIds: uuidList, primaryDepartmentId: uuid },
        minProperties: 1,
        additionalProperties: false,
      },
      responses: { '200': json('The member', ref('Member')) },
      async handler({ c, ws, principal, params, body }) {
        return { body: await org.members.update(ws, params.id, body, security.meta(c, principal)) };
      },
    }),
  );

  add(
    defineRoute<{ id: string }, unknown, { roleIds: string[] }>({
      ...base,
      admin: true,
      method: 'PUT',
      path: '/api/members/{id}/roles',
      operationId: 'assignRoles',
      summary: { en: 'Set a member’s roles', 'zh-CN': '分配角色' },
      description:
        'Effective permissions are the union of the roles; the change applies to the next request.',
      tags: ['people'],
      params: idParams,
      body: {
        type: 'object',
        properties: { roleIds: uuidList },
        required: ['roleIds'],
        additionalProperties: false,
      },
      responses: { '200': json('The member', ref('Member')) },
      async handler({ c, ws, principal, params, body }) {
        return {
          body: await org.members.update(
            ws,
            params.id,
            { roleIds: body.roleIds },
            security.meta(c, principal),
          ),
        };
      },
    }),
  );

  add(
    defineRoute<
      { id: string },
      unknown,
      { successorId?: string; transfers?: { entity: string; filter?: unknown }[] }
    >({
      ...base,
      admin: true,
      method: 'POST',
      path: '/api/members/{id}/deactivate',
      operationId: 'deactivateMember',
      summary: {
        en: 'Deactivate a member and hand their records over (离职交接)',
        'zh-CN': '停用成员并交接（离职交接）',
      },
      description:
        'In one transaction: the member is deactivated, the records they own in the listed entities (`*` = all; ' +
        'optionally only those matching a filter) pass to `successorId`, hand-over hooks move their open tasks and ' +
        'automations, and their sessions and API tokens are revoked. Everything is audited.',
      tags: ['people'],
      params: idParams,
      body: {
        type: 'object',
        properties: {
          successorId: uuid,
          transfers: {
            type: 'array',
            maxItems: 200,
            items: {
              type: 'object',
              properties: { entity: { type: 'string', maxLength: 48 }, filter: { type: 'object' } },
              required: ['entity'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      responses: {
        '200': json('What was handed over', {
          type: 'object',
          properties: {
            member: ref('Member'),
            transferred: { type: 'array', items: { type: 'object' } },
            moved: { type: 'array', items: { type: 'object' } },
            revokedSessions: { type: 'integer' },
            revokedTokens: { type: 'integer' },
          },
          required: ['member', 'transferred', 'moved', 'revokedSessions', 'revokedTokens'],
        }),
      },
      async handler({ c, ws, principal, params, body }) {
        if (params.id === principal.userId)
          throw new DomainError('BAD_REQUEST', {}, [
            {
              field: 'id',
              code: 'self',
              message: { 'zh-CN': '不能停用自己', en: 'You cannot deactivate yourself' },
            },
          ]);
        return { body: await org.members.deactivate(ws, params.id, body, security.meta(c, principal)) };
      },
    }),
  );

  add(
    defineRoute<{ id: string }>({
      ...base,
      admin: true,
      method: 'GET',
      path: '/api/members/{id}/handover',
      operationId: 'handoverPreview',
      summary: {
        en: 'What a hand-over would move: owned records per entity and open tasks',
        'zh-CN': '离职交接预览：各表单名下记录数与待办数',
      },
      description:
        'Counts, before `POST /api/members/{id}/deactivate`, the live records the member owns in every entity ' +
        'and their open workflow tasks (moved to the successor by the hand-over). Changes nothing.',
      tags: ['people'],
      params: idParams,
      responses: {
        '200': json('The counts', {
          type: 'object',
          properties: {
            records: {
              type: 'array',
              items: {
                type: 'object',
                properties: { entity: { type: 'string' }, count: { type: 'integer' } },
                required: ['entity', 'count'],
              },
            },
            openTasks: { type: 'integer' },
          },
          required: ['records', 'openTasks'],
        }),
      },
      async handler({ ws, principal, params }) {
        await org.members.get(ws, params.id); // 404 for someone who is not a member
        const entities: StoredEntity[] = await deps.store.entities.list(ws);
        // Counted through the store's permission-checked path, like every record read.
        const records = await Promise.all(
          entities.map(async (e) => {
            const r = await deps.store.records.aggregate(ws, principal, e.key, {
              filter: { field: 'ownerId', op: 'eq', value: params.id },
            });
            return { entity: e.key, count: Number(r.items[0]?.count ?? 0) };
          }),
        );
        const [tasks] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${workspaceSchema(ws)}._wf_tasks WHERE assignee = $1::uuid AND status = 'open'`,
          [params.id],
        );
        return { body: { records, openTasks: Number(tasks?.n ?? 0) } };
      },
    }),
  );

  add(
    defineRoute<{ id: string }>({
      ...base,
      admin: true,
      method: 'POST',
      path: '/api/members/{id}/reactivate',
      operationId: 'reactivateMember',
      summary: { en: 'Reactivate a deactivated member', 'zh-CN': '重新启用成员' },
      tags: ['people'],
      params: idParams,
      responses: { '200': json('The member', ref('Member')) },
      async handler({ c, ws, principal, params }) {
        return { body: await org.members.reactivate(ws, params.id, security.meta(c, principal)) };
      },
    }),
  );

  // --- departments -------------------------------------------------------------------------------------
  add(
    defineRoute({
      ...base,
      method: 'GET',
      path: '/api/departments',
      operationId: 'listDepartments',
      summary: { en: 'Departments (a tree: parentId)', 'zh-CN': '部门列表（树形）' },
      tags: ['people'],
      responses: { '200': json('Departments', list('Department')) },
      async handler({ ws, principal }) {
        if (!principal.isAdmin && principal.access?.status !== 'active') throw new DomainError('FORBIDDEN');
        return { body: { items: await org.departments.list(ws) } };
      },
    }),
  );

  const deptBody = (required: string[]): JsonSchema => ({
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      parentId: { type: ['string', 'null'], format: 'uuid' },
      headId: { type: ['string', 'null'], format: 'uuid' },
      sort: { type: 'integer', minimum: -1000000, maximum: 1000000 },
    },
    required,
    minProperties: 1,
    additionalProperties: false,
  });

  add(
    defineRoute<
      unknown,
      unknown,
      { name: string; parentId?: string | null; headId?: string | null; sort?: number }
    >({
      ...base,
      admin: true,
      method: 'POST',
      path: '/api/departments',
      operationId: 'createDepartment',
      summary: { en: 'Create a department', 'zh-CN': '新建部门' },
      tags: ['people'],
      body: deptBody(['name']),
      responses: { '201': json('The department', ref('Department')) },
      async handler({ c, ws, principal, body }) {
        return { status: 201, body: await org.departments.create(ws, body, security.meta(c, principal)) };
      },
    }),
  );

  add(
    defineRoute<
      { id: string },
      unknown,
      { name?: string; parentId?: string | null; headId?: string | null; sort?: number }
    >({
      ...base,
      admin: true,
      method: 'PATCH',
      path: '/api/departments/{id}',
      operationId: 'updateDepartment',
      summary: { en: 'Rename, move or change the head of a department', 'zh-CN': '修改部门' },
      tags: ['people'],
      params: idParams,
      body: deptBody([]),
      responses: { '200': json('The department', ref('Department')) },
      async handler({ c, ws, principal, params, body }) {
        return { body: await org.departments.update(ws, params.id, body, security.meta(c, principal)) };
      },
    }),
  );

  add(
    defineRoute<{ id: string }>({
      ...base,
      admin: true,
      method: 'DELETE',
      path: '/api/departments/{id}',
      operationId: 'deleteDepartment',
      summary: { en: 'Delete an empty department', 'zh-CN': '删除部门（须为空）' },
      tags: ['people'],
      params: idParams,
      responses: { '204': noContent },
      async handler({ c, ws, principal, params }) {
        await org.departments.remove(ws, params.id, security.meta(c, principal));
        return { status: 204 };
      },
    }),
  );

  // --- roles -------------------------------------------------------------------------------------------
  add(
    defineRoute({
      ...base,
      admin: true,
      method: 'GET',
      path: '/api/roles',
      operationId: 'listRoles',
      summary: { en: 'Roles with their permission matrix', 'zh-CN': '角色及权限矩阵' },
      tags: ['permissions'],
      responses: { '200': json('Roles', list('Role')) },
      async handler({ ws }) {
        return { body: { items: await org.roles.list(ws) } };
      },
    }),
  );

  add(
    defineRoute({
      ...base,
      method: 'GET',
      path: '/api/permissions/presets',
      operationId: 'permissionPresets',
      summary: { en: 'The one-click permission presets', 'zh-CN': '权限预设（一键设置）' },
      description:
        '仅新增, 新增并管理本人, 新增并查看全部, 查看全部, 管理全部 with the actions and scope each grants.',
      tags: ['permissions'],
      workspace: false,
      responses: {
        '200': json('Presets', {
          type: 'object',
          properties: { items: { type: 'array', items: { type: 'object' } } },
          required: ['items'],
        }),
      },
      async handler({ locale }) {
        return {
          body: {
            items: PRESETS.map((key) => ({
              key,
              label: PRESET_RULES[key].label[locale],
              actions: PRESET_RULES[key].actions,
              scope: PRESET_RULES[key].scope,
            })),
          },
        };
      },
    }),
  );

  add(
    defineRoute<{ id: string }>({
      ...base,
      admin: true,
      method: 'GET',
      path: '/api/roles/{id}',
      operationId: 'getRole',
      summary: { en: 'A role', 'zh-CN': '角色详情' },
      tags: ['permissions'],
      params: idParams,
      responses: { '200': json('The role', ref('Role')) },
      async handler({ ws, params }) {
        return { body: await org.roles.get(ws, params.id) };
      },
    }),
  );

  const roleName = {
    oneOf: [
      { type: 'string', minLength: 1, maxLength: 100 },
      {
        type: 'object',
        properties: {
          'zh-CN': { type: 'string', minLength: 1, maxLength: 100 },
          en: { type: 'string', minLength: 1, maxLength: 100 },
        },
        required: ['zh-CN', 'en'],
        additionalProperties: false,
      },
    ],
  };

  add(
    defineRoute<unknown, unknown, { key: string; name: unknown; permissions?: unknown }>({
      ...base,
      admin: true,
      method: 'POST',
      path: '/api/roles',
      operationId: 'createRole',
      summary: { en: 'Create a role', 'zh-CN': '新建角色' },
      tags: ['permissions'],
      body: {
        type: 'object',
        properties: {
          key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
          name: roleName,
          permissions: { type: 'object' },
        },
        required: ['key', 'name'],
        additionalProperties: false,
      },
      responses: { '201': json('The role', ref('Role')) },
      async handler({ c, ws, principal, body }) {
        return { status: 201, body: await org.roles.create(ws, body, security.meta(c, principal)) };
      },
    }),
  );

  add(
    defineRoute<{ id: string }, unknown, { name?: unknown; permissions?: unknown }>({
      ...base,
      admin: true,
      method: 'PATCH',
      path: '/api/roles/{id}',
      operationId: 'updateRole',
      summary: { en: 'Change a role’s name or permission matrix', 'zh-CN': '修改角色权限' },
      tags: ['permissions'],
      params: idParams,
      body: {
        type: 'object',
        properties: { name: roleName, permissions: { type: 'object' } },
        minProperties: 1,
        additionalProperties: false,
      },
      responses: { '200': json('The role', ref('Role')) },
      async handler({ c, ws, principal, params, body }) {
        return { body: await org.roles.update(ws, params.id, body, security.meta(c, principal)) };
      },
    }),
  );

  add(
    defineRoute<{ id: string }>({
      ...base,
      admin: true,
      method: 'DELETE',
      path: '/api/roles/{id}',
      operationId: 'deleteRole',
      summary: { en: 'Delete a custom role', 'zh-CN': '删除角色' },
      tags: ['permissions'],
      params: idParams,
      responses: { '204': noContent },
      async handler({ c, ws, principal, params }) {
        await org.roles.remove(ws, params.id, security.meta(c, principal));
        return { status: 204 };
      },
    }),
  );

  // --- audit -------------------------------------------------------------------------------------------
  add(
    defineRoute<
      unknown,
      {
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
    >({
      ...base,
      admin: true,
      method: 'GET',
      path: '/api/audit',
      operationId: 'listAuditEvents',
      summary: { en: 'The audit log, newest first', 'zh-CN': '审计日志' },
      description:
        'Logins of the workspace’s members, refused credentials and actions, member, department, permission and ' +
        'schema changes, hand-overs. With `entity`: the record changes of that entity (`record.create`, ' +
        '`record.update`…; `targetId` = a record id), with IP, user agent and API token. Read-only: no route ' +
        'changes or deletes entries (the database refuses it too).',
      tags: ['audit'],
      query: {
        type: 'object',
        properties: {
          entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
          actor: uuid,
          action: {
            type: 'string',
            maxLength: 100,
            description: 'An action, or a prefix such as `member` or `auth`',
          },
          targetType: { type: 'string', maxLength: 50 },
          targetId: { type: 'string', maxLength: 100 },
          ok: { type: 'boolean' },
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          cursor: { type: 'string', pattern: '^[0-9]{1,18}$' },
          limit: { type: 'integer', minimum: 1, maximum: 500 },
        },
        additionalProperties: false,
      },
      responses: {
        '200': json('A page of events', {
          type: 'object',
          properties: {
            items: { type: 'array', items: ref('AuditEvent') },
            nextCursor: { type: ['string', 'null'] },
          },
          required: ['items', 'nextCursor'],
        }),
      },
      async handler({ ws, query, principal }) {
        const { cursor, entity, ...rest } = query;
        if (entity) {
          if (rest.targetId !== undefined && !/^[0-9a-f-]{36}$/i.test(rest.targetId))
            throw new DomainError('BAD_REQUEST', {}, [
              {
                field: 'targetId',
                code: 'format',
                message: { 'zh-CN': 'targetId 须为记录 ID', en: 'targetId must be a record id' },
              },
            ]);
          return {
            body: await org.audit.records(ws, {
              entity,
              ...(rest.targetId ? { recordId: rest.targetId } : {}),
              ...(rest.actor ? { actor: rest.actor } : {}),
              ...(rest.from ? { from: rest.from } : {}),
              ...(rest.to ? { to: rest.to } : {}),
              ...(rest.limit ? { limit: rest.limit } : {}),
              ...(cursor ? { before: Number(cursor) } : {}),
            }),
          };
        }
        const sysAdmin = principal.access?.systemAdmin === true && !principal.access.token;
        return {
          body: await org.audit.list(ws, {
            ...rest,
            ...(cursor ? { before: Number(cursor) } : {}),
            includeGlobal: sysAdmin,
          }),
        };
      },
    }),
  );

  // --- invitations and passwords -----------------------------------------------------------------------
  add(
    defineRoute<unknown, unknown, { token: string; password: string; name?: string }>({
      method: 'POST',
      path: '/api/auth/invitations/accept',
      operationId: 'acceptInvitation',
      summary: { en: 'Accept an invitation: set a password', 'zh-CN': '接受邀请并设置密码' },
      description:
        'The password must follow the policy (8+ characters; below 12, letters and digits; not the e-mail name).',
      tags: ['auth'],
      auth: 'none',
      query: noQuery,
      body: {
        type: 'object',
        properties: {
          token: { type: 'string', minLength: 20, maxLength: 200 },
          password: { type: 'string', minLength: 1, maxLength: 1024 },
          name: { type: 'string', minLength: 1, maxLength: 200 },
        },
        required: ['token', 'password'],
        additionalProperties: false,
      },
      responses: { '200': json('The user (log in next)', ref('User')) },
      async handler({ c, body, requestId }) {
        const ua = c.req.header('user-agent');
        return {
          body: await auth.acceptInvite(body, {
            ip: deps.clientIp(c),
            requestId,
            ...(ua ? { userAgent: ua } : {}),
          }),
        };
      },
    }),
  );

  add(
    defineRoute<unknown, unknown, { currentPassword: string; newPassword: string }>({
      method: 'POST',
      path: '/api/auth/password',
      operationId: 'changePassword',
      summary: { en: 'Change my password (ends my other sessions)', 'zh-CN': '修改密码（其他会话下线）' },
      tags: ['auth'],
      auth: 'user',
      query: noQuery,
      body: {
        type: 'object',
        properties: {
          currentPassword: { type: 'string', minLength: 1, maxLength: 1024 },
          newPassword: { type: 'string', minLength: 1, maxLength: 1024 },
        },
        required: ['currentPassword', 'newPassword'],
        additionalProperties: false,
      },
      responses: { '204': noContent },
      async handler({ c, principal, body, requestId }) {
        const ua = c.req.header('user-agent');
        await auth.changePassword(principal, c.get('sessionId'), body, {
          ip: deps.clientIp(c),
          requestId,
          ...(ua ? { userAgent: ua } : {}),
        });
        return { status: 204 };
      },
    }),
  );

  routes.push(...buildExportRoutes(deps));
  return routes;
}
