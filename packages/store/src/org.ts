/**
 * The organisation of a workspace: members (invited → active → deactivated), departments (a tree with
 * heads), roles (the built-in workspace administrator and custom ones) and role assignment; the
 * hand-over of a leaving member's records; the append-only audit log of events. Users stay global
 * (`formwork.users`); membership is per workspace.
 */
import {
  DomainError,
  type EntityDefinition,
  type Issue,
  type Message,
  toMessage,
  validateFilter,
} from '@formwork/metadata';
import { m } from './context.js';
import type { Db } from './db.js';
import { pgErrorInfo } from './db.js';
import { entityTable, isEntityKey, isWorkspaceKey, workspaceSchema } from './ident.js';
import { parseRolePermissions, type RolePermissions } from './permissions/model.js';
import { filterSql } from './query/compile.js';
import { T } from './query/fields.js';
import { SqlParams } from './query/params.js';
import { isUuid } from './uuid.js';

export type MemberStatus = 'invited' | 'active' | 'deactivated';

export interface Member {
  userId: string;
  email: string;
  name: string;
  status: MemberStatus;
  departmentIds: string[];
  primaryDepartmentId: string | null;
  roleIds: string[];
  invitedAt: string | null;
  activatedAt: string | null;
  deactivatedAt: string | null;
  successorId: string | null;
}

export interface Department {
  id: string;
  name: string;
  parentId: string | null;
  headId: string | null;
  sort: number;
  memberCount: number;
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

/** Who did it and from where: stamped on every audit event. */
export interface AuditContext {
  actor: string | null;
  ip?: string | null;
  userAgent?: string | null;
  tokenId?: string | null;
  requestId?: string | null;
}

export interface AuditEventInput extends AuditContext {
  workspace: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  ok?: boolean;
  details?: Record<string, unknown>;
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
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  ok?: boolean;
  from?: string;
  to?: string;
  /** Events with a smaller id (the `nextCursor` of the previous page). */
  before?: number;
  limit?: number;
  /** System administrators also see events of no workspace (failed logins of unknown e-mails). */
  includeGlobal?: boolean;
}

/**
 * A hand-over hook: moves what else the leaving member owns (open workflow tasks, automations…) to
 * the successor inside the hand-over's transaction, and reports how many items it moved.
 */
export type HandoverHook = (
  tx: Db,
  input: { workspace: string; from: string; to: string; actor: string | null; at: Date },
) => Promise<{ kind: string; count: number }[]>;

export interface HandoverTransfer {
  /** An entity key, or `*` for every entity. */
  entity: string;
  /** Only records matching this filter (not with `*`). */
  filter?: unknown;
}

export interface DeactivateInput {
  successorId?: string;
  transfers?: HandoverTransfer[];
}

export interface HandoverResult {
  member: Member;
  transferred: { entity: string; count: number }[];
  moved: { kind: string; count: number }[];
  revokedSessions: number;
  revokedTokens: number;
}

const iso = (v: unknown) =>
  v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v);

function invalid(field: string, code: string, zh: string, en: string): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, [{ field, code, message: m(zh, en) }]);
}

function notFound(what: 'member' | 'department' | 'role', id: string): DomainError {
  const label = { member: m('成员', 'Member'), department: m('部门', 'Department'), role: m('角色', 'Role') }[
    what
  ];
  return new DomainError(
    'NOT_FOUND',
    { [what]: id },
    [],
    m(`${label['zh-CN']}不存在`, `${label.en} not found`),
  );
}

type MemberRow = {
  user_id: string;
  email: string;
  name: string;
  status: MemberStatus;
  departments: { id: string; primary: boolean }[] | null;
  roles: string[] | null;
  invited_at: unknown;
  activated_at: unknown;
  deactivated_at: unknown;
  successor_id: string | null;
};

function toMember(r: MemberRow): Member {
  const depts = r.departments ?? [];
  return {
    userId: r.user_id,
    email: r.email,
    name: r.name,
    status: r.status,
    departmentIds: depts.map((d) => d.id),
    primaryDepartmentId: depts.find((d) => d.primary)?.id ?? null,
    roleIds: r.roles ?? [],
    invitedAt: iso(r.invited_at),
    activatedAt: iso(r.activated_at),
    deactivatedAt: iso(r.deactivated_at),
    successorId: r.successor_id,
  };
}

function memberSql(s: string, where: string): string {
  return `SELECT m.user_id, u.email, u.name, m.status, m.invited_at, m.activated_at, m.deactivated_at, m.successor_id,
    (SELECT jsonb_agg(jsonb_build_object('id', md.department_id, 'primary', md.is_primary) ORDER BY md.is_primary DESC, md.department_id)
       FROM ${s}._member_departments md WHERE md.user_id = m.user_id) AS departments,
    (SELECT array_agg(mr.role_id ORDER BY mr.role_id) FROM ${s}._member_roles mr WHERE mr.user_id = m.user_id) AS roles
  FROM ${s}._members m JOIN formwork.users u ON u.id = m.user_id WHERE ${where}`;
}

/** Appends one audit event (inside the caller's transaction when given one). */
export async function recordAuditEvent(q: Pick<Db, 'query'>, e: AuditEventInput, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO formwork.audit_events (at, workspace, actor, action, target_type, target_id, ok, ip, user_agent, token_id, request_id, details)
     VALUES ($1, $2, $3::uuid, $4, $5, $6, $7, $8, $9, $10::uuid, $11, $12::jsonb)`,
    [
      at,
      e.workspace,
      isUuid(e.actor) ? e.actor : null,
      e.action,
      e.targetType ?? null,
      e.targetId ?? null,
      e.ok ?? true,
      e.ip?.slice(0, 64) ?? null,
      e.userAgent?.slice(0, 500) ?? null,
      isUuid(e.tokenId) ? e.tokenId : null,
      e.requestId ?? null,
      e.details ?? {},
    ],
  );
}

export function orgApi(db: Db, opts: { now?: () => Date; handoverHooks?: HandoverHook[] } = {}) {
  const now = opts.now ?? (() => new Date());
  const hooks = opts.handoverHooks ?? [];
  const schema = (ws: string) => {
    if (!isWorkspaceKey(ws)) throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
    return workspaceSchema(ws);
  };

  async function run<T>(ws: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const info = pgErrorInfo(e);
      if (info && (info.code === '3F000' || info.code === '42P01'))
        throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
      throw e;
    }
  }

  async function getMember(q: Pick<Db, 'query'>, ws: string, userId: string): Promise<Member> {
    if (!isUuid(userId)) throw notFound('member', String(userId));
    const [r] = await q.query<MemberRow>(memberSql(schema(ws), 'm.user_id = $1::uuid'), [userId]);
    if (!r) throw notFound('member', userId);
    return toMember(r);
  }

  async function entityDefs(q: Pick<Db, 'query'>, ws: string): Promise<Map<string, EntityDefinition>> {
    const rows = await q.query<{ key: string; definition: EntityDefinition }>(
      `SELECT key, definition FROM ${schema(ws)}._entities WHERE deleted_at IS NULL`,
    );
    return new Map(rows.map((r) => [r.key, r.definition]));
  }

  /** Sets a member's departments (primary first or as named) and roles, checking that they exist. */
  async function setAssignments(
    tx: Db,
    ws: string,
    userId: string,
    input: { departmentIds?: unknown; primaryDepartmentId?: unknown; roleIds?: unknown },
  ): Promise<void> {
    const s = schema(ws);
    if (input.departmentIds !== undefined) {
      const ids = input.departmentIds;
      if (!Array.isArray(ids) || ids.length > 100 || !ids.every(isUuid))
        throw invalid(
          'departmentIds',
          'type',
          '部门须为部门 ID 数组',
          'departmentIds must be an array of department ids',
        );
      const unique = [...new Set(ids.map((x) => x.toLowerCase()))];
      const primary =
        input.primaryDepartmentId === undefined || input.primaryDepartmentId === null
          ? unique[0]
          : String(input.primaryDepartmentId).toLowerCase();
      if (primary !== undefined && !unique.includes(primary))
        throw invalid(
          'primaryDepartmentId',
          'department',
          '主部门须是成员所在的部门之一',
          'The primary department must be one of the member’s departments',
        );
      if (unique.length) {
        const found = await tx.query<{ id: string }>(
          `SELECT id FROM ${s}._departments WHERE id = ANY($1::uuid[])`,
          [unique],
        );
        if (found.length !== unique.length)
          throw invalid('departmentIds', 'department', '部门不存在', 'A department does not exist');
      }
      await tx.query(`DELETE FROM ${s}._member_departments WHERE user_id = $1::uuid`, [userId]);
      if (unique.length) {
        await tx.query(
          `INSERT INTO ${s}._member_departments (user_id, department_id, is_primary)
           SELECT $1::uuid, d, d = $3::uuid FROM unnest($2::uuid[]) AS d`,
          [userId, unique, primary ?? null],
        );
      }
    } else if (input.primaryDepartmentId !== undefined) {
      if (!isUuid(input.primaryDepartmentId))
        throw invalid('primaryDepartmentId', 'type', '主部门 ID 无效', 'Invalid primary department id');
      const rows = await tx.query(
        `UPDATE ${s}._member_departments SET is_primary = (department_id = $2::uuid) WHERE user_id = $1::uuid RETURNING department_id`,
        [userId, input.primaryDepartmentId],
      );
      if (!rows.length)
        throw invalid(
          'primaryDepartmentId',
          'department',
          '主部门须是成员所在的部门之一',
          'The primary department must be one of the member’s departments',
        );
    }
    if (input.roleIds !== undefined) {
      const ids = input.roleIds;
      if (!Array.isArray(ids) || ids.length > 100 || !ids.every(isUuid))
        throw invalid('roleIds', 'type', '角色须为角色 ID 数组', 'roleIds must be an array of role ids');
      const unique = [...new Set(ids.map((x) => x.toLowerCase()))];
      if (unique.length) {
        const found = await tx.query<{ id: string }>(
          `SELECT id FROM ${s}._roles WHERE id = ANY($1::uuid[])`,
          [unique],
        );
        if (found.length !== unique.length)
          throw invalid('roleIds', 'role', '角色不存在', 'A role does not exist');
      }
      await tx.query(`DELETE FROM ${s}._member_roles WHERE user_id = $1::uuid`, [userId]);
      if (unique.length)
        await tx.query(
          `INSERT INTO ${s}._member_roles (user_id, role_id) SELECT $1::uuid, r FROM unnest($2::uuid[]) AS r`,
          [userId, unique],
        );
    }
  }

  const members = {
    async list(ws: string, filter: { status?: MemberStatus; departmentId?: string } = {}): Promise<Member[]> {
      return run(ws, async () => {
        const s = schema(ws);
        const p = new SqlParams();
        const where = ['TRUE'];
        if (filter.status) where.push(`m.status = ${p.add(filter.status, 'text')}`);
        if (filter.departmentId)
          where.push(
            `EXISTS (SELECT 1 FROM ${s}._member_departments md WHERE md.user_id = m.user_id AND md.department_id = ${p.add(filter.departmentId, 'uuid')})`,
          );
        const rows = await db.query<MemberRow>(
          `${memberSql(s, where.join(' AND '))} ORDER BY lower(u.email)`,
          p.values,
        );
        return rows.map(toMember);
      });
    },

    get: (ws: string, userId: string) => run(ws, () => getMember(db, ws, userId)),

    /**
     * Adds a user to the workspace. An unknown e-mail creates the user (no password, status invited);
     * the caller (the server) issues the invitation token. `status` active adds an existing user directly.
     */
    async add(
      ws: string,
      input: {
        email: string;
        name?: string;
        status: 'invited' | 'active';
        departmentIds?: unknown;
        primaryDepartmentId?: unknown;
        roleIds?: unknown;
      },
      audit: AuditContext,
    ): Promise<{ member: Member; createdUser: boolean }> {
      return run(ws, () =>
        db.transaction(async (tx) => {
          const s = schema(ws);
          const t = now();
          const email = input.email.trim().toLowerCase();
          let [user] = await tx.query<{ id: string }>(
            'SELECT id FROM formwork.users WHERE lower(email) = $1',
            [email],
          );
          let createdUser = false;
          if (!user) {
            [user] = await tx.query<{ id: string }>(
              `INSERT INTO formwork.users (email, name, status, created_at, updated_at) VALUES ($1, $2, 'invited', $3, $3)
               RETURNING id`,
              [email, input.name ?? email.split('@')[0] ?? email, t],
            );
            createdUser = true;
          }
          const userId = (user as { id: string }).id;
          const status = input.status;
          const ins = await tx.query(
            `INSERT INTO ${s}._members (user_id, status, invited_at, activated_at, created_at, updated_at)
             VALUES ($1::uuid, $2, $3, CASE WHEN $2 = 'active' THEN $3::timestamptz END, $3, $3)
             ON CONFLICT (user_id) DO NOTHING RETURNING user_id`,
            [userId, status, t],
          );
          if (!ins.length)
            throw new DomainError('UNIQUE_VIOLATION', { userId }, [
              {
                field: 'email',
                code: 'unique',
                message: m('该用户已是成员', 'This user is already a member'),
              },
            ]);
          await setAssignments(tx, ws, userId, input);
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'member.add',
              targetType: 'member',
              targetId: userId,
              details: { email, status },
            },
            t,
          );
          return { member: await getMember(tx, ws, userId), createdUser };
        }),
      );
    },

    /** Turns an invited member active (the invitation was accepted). */
    async activate(ws: string, userId: string, audit: AuditContext): Promise<Member> {
      return run(ws, () =>
        db.transaction(async (tx) => {
          const t = now();
          const rows = await tx.query(
            `UPDATE ${schema(ws)}._members SET status = 'active', activated_at = $2, updated_at = $2
              WHERE user_id = $1::uuid AND status = 'invited' RETURNING user_id`,
            [userId, t],
          );
          if (!rows.length) throw notFound('member', userId);
          await recordAuditEvent(
            tx,
            { ...audit, workspace: ws, action: 'member.activate', targetType: 'member', targetId: userId },
            t,
          );
          return getMember(tx, ws, userId);
        }),
      );
    },

    async update(
      ws: string,
      userId: string,
      input: { departmentIds?: unknown; primaryDepartmentId?: unknown; roleIds?: unknown },
      audit: AuditContext,
    ): Promise<Member> {
      return run(ws, () =>
        db.transaction(async (tx) => {
          const before = await getMember(tx, ws, userId);
          await setAssignments(tx, ws, userId, input);
          await tx.query(`UPDATE ${schema(ws)}._members SET updated_at = $2 WHERE user_id = $1::uuid`, [
            userId,
            now(),
          ]);
          const after = await getMember(tx, ws, userId);
          const action = input.roleIds !== undefined ? 'permission.assign' : 'member.update';
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action,
              targetType: 'member',
              targetId: userId,
              details: {
                before: {
                  departmentIds: before.departmentIds,
                  primaryDepartmentId: before.primaryDepartmentId,
                  roleIds: before.roleIds,
                },
                after: {
                  departmentIds: after.departmentIds,
                  primaryDepartmentId: after.primaryDepartmentId,
                  roleIds: after.roleIds,
                },
              },
            },
            now(),
          );
          return after;
        }),
      );
    },

    /**
     * Deactivates a member (离职) and, in the same transaction, hands their records over to a successor:
     * owner of the records of the listed entities (all, or those matching a filter) becomes the
     * successor; every hand-over hook moves the rest (tasks, automations). Their sessions and API
     * tokens are revoked at once. Everything is audited.
     */
    async deactivate(
      ws: string,
      userId: string,
      input: DeactivateInput,
      audit: AuditContext,
    ): Promise<HandoverResult> {
      return run(ws, async () => {
        const s = schema(ws);
        const transfers = input.transfers ?? [];
        if (transfers.length && !input.successorId)
          throw invalid(
            'successorId',
            'required',
            '交接记录须指定接收人',
            'A successor is needed to transfer records',
          );
        if (input.successorId !== undefined && (!isUuid(input.successorId) || input.successorId === userId))
          throw invalid(
            'successorId',
            'successor',
            '接收人须是另一位成员',
            'The successor must be another member',
          );
        const defs = await entityDefs(db, ws);
        const tzRows = await db.query<{ tz: string | null }>(
          `SELECT settings->>'timeZone' AS tz FROM formwork.workspaces WHERE key = $1`,
          [ws],
        );
        const timeZone = tzRows[0]?.tz ?? 'Asia/Shanghai';
        const t = now();
        // Check every transfer before writing anything.
        const plan: { def: EntityDefinition; filter?: unknown }[] = [];
        transfers.forEach((tr, i) => {
          if (tr.entity === '*') {
            if (tr.filter !== undefined)
              throw invalid(
                `transfers.${i}.filter`,
                'filter',
                '“全部表单”不能带筛选条件',
                'A filter needs a specific entity',
              );
            for (const def of defs.values()) plan.push({ def });
            return;
          }
          const def = isEntityKey(tr.entity) ? defs.get(tr.entity) : undefined;
          if (!def)
            throw invalid(
              `transfers.${i}.entity`,
              'entity',
              `表单 ${tr.entity} 不存在`,
              `Entity ${tr.entity} does not exist`,
            );
          if (tr.filter !== undefined) {
            const r = validateFilter(def, tr.filter);
            if (!r.ok)
              throw new DomainError(
                'VALIDATION_FAILED',
                {},
                r.issues.map((x: Issue) => ({
                  ...x,
                  field: `transfers.${i}.filter${x.field ? `.${x.field}` : ''}`,
                })),
              );
            plan.push({ def, filter: r.value });
          } else plan.push({ def });
        });
        return db.transaction(async (tx) => {
          const [cur] = await tx.query<{ status: MemberStatus }>(
            `SELECT status FROM ${s}._members WHERE user_id = $1::uuid FOR UPDATE`,
            [userId],
          );
          if (!cur) throw notFound('member', userId);
          if (cur.status === 'deactivated')
            throw new DomainError('BAD_REQUEST', {}, [
              {
                field: 'userId',
                code: 'status',
                message: m('该成员已停用', 'The member is already deactivated'),
              },
            ]);
          if (input.successorId) {
            const [succ] = await tx.query<{ status: string }>(
              `SELECT status FROM ${s}._members WHERE user_id = $1::uuid`,
              [input.successorId],
            );
            if (succ?.status !== 'active')
              throw invalid(
                'successorId',
                'successor',
                '接收人须是在职成员',
                'The successor must be an active member',
              );
          }
          await tx.query(
            `UPDATE ${s}._members SET status = 'deactivated', deactivated_at = $2, successor_id = $3::uuid, updated_at = $2 WHERE user_id = $1::uuid`,
            [userId, t, input.successorId ?? null],
          );
          const transferred: { entity: string; count: number }[] = [];
          for (const item of plan) {
            const p = new SqlParams();
            const from = p.add(userId, 'uuid');
            const to = p.add(input.successorId, 'uuid');
            const at = p.add(t.toISOString(), 'timestamptz');
            const actor = p.add(isUuid(audit.actor) ? audit.actor : null, 'uuid');
            let where = `${T}.owner_id = ${from} AND ${T}.deleted_at IS NULL`;
            if (item.filter)
              where += ` AND ${filterSql({ ws, entity: item.def, now: t, timeZone }, item.filter as never, p)}`;
            const rows = await tx.query<{ n: number }>(
              `WITH up AS (
                 UPDATE ${entityTable(ws, item.def.key)} ${T} SET owner_id = ${to}, version = ${T}.version + 1,
                        updated_at = ${at}, updated_by = ${actor}
                  WHERE ${where} RETURNING ${T}.id
               ), aud AS (
                 INSERT INTO ${s}._audit (entity, record_id, action, actor, source, request_id, at, changes, ip, user_agent, token_id)
                 SELECT ${p.add(item.def.key, 'text')}, up.id, 'update', ${actor}, 'handover', ${p.add(audit.requestId ?? null, 'text')}, ${at},
                        jsonb_build_array(jsonb_build_object('field', 'ownerId', 'before', ${from}, 'after', ${to})),
                        ${p.add(audit.ip ?? null, 'text')}, ${p.add(audit.userAgent ?? null, 'text')}, ${p.add(isUuid(audit.tokenId) ? audit.tokenId : null, 'uuid')}
                   FROM up
               )
               SELECT count(*)::int AS n FROM up`,
              p.values,
            );
            transferred.push({ entity: item.def.key, count: Number(rows[0]?.n ?? 0) });
          }
          const moved: { kind: string; count: number }[] = [];
          if (input.successorId) {
            for (const hook of hooks)
              moved.push(
                ...(await hook(tx, {
                  workspace: ws,
                  from: userId,
                  to: input.successorId,
                  actor: audit.actor,
                  at: t,
                })),
              );
          }
          const sessions = await tx.query(
            'UPDATE formwork.sessions SET revoked_at = $2 WHERE user_id = $1::uuid AND revoked_at IS NULL RETURNING id',
            [userId, t],
          );
          const tokens = await tx.query(
            'UPDATE formwork.api_tokens SET revoked_at = $2 WHERE user_id = $1::uuid AND revoked_at IS NULL RETURNING id',
            [userId, t],
          );
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'member.deactivate',
              targetType: 'member',
              targetId: userId,
              details: {
                successorId: input.successorId ?? null,
                transferred,
                moved,
                revokedSessions: sessions.length,
                revokedTokens: tokens.length,
              },
            },
            t,
          );
          return {
            member: await getMember(tx, ws, userId),
            transferred,
            moved,
            revokedSessions: sessions.length,
            revokedTokens: tokens.length,
          };
        });
      });
    },

    async reactivate(ws: string, userId: string, audit: AuditContext): Promise<Member> {
      return run(ws, () =>
        db.transaction(async (tx) => {
          const t = now();
          const rows = await tx.query(
            `UPDATE ${schema(ws)}._members SET status = 'active', deactivated_at = NULL, successor_id = NULL, updated_at = $2
              WHERE user_id = $1::uuid AND status = 'deactivated' RETURNING user_id`,
            [userId, t],
          );
          if (!rows.length) throw notFound('member', userId);
          await recordAuditEvent(
            tx,
            { ...audit, workspace: ws, action: 'member.reactivate', targetType: 'member', targetId: userId },
            t,
          );
          return getMember(tx, ws, userId);
        }),
      );
    },
  };

  type DeptRow = {
    id: string;
    name: string;
    parent_id: string | null;
    head_id: string | null;
    sort: number;
    members: number;
  };
  const toDept = (r: DeptRow): Department => ({
    id: r.id,
    name: r.name,
    parentId: r.parent_id,
    headId: r.head_id,
    sort: r.sort,
    memberCount: Number(r.members ?? 0),
  });
  const deptSql = (s: string, where: string) =>
    `SELECT d.id, d.name, d.parent_id, d.head_id, d.sort,
            (SELECT count(*)::int FROM ${s}._member_departments md WHERE md.department_id = d.id) AS members
       FROM ${s}._departments d WHERE ${where}`;

  function checkDeptInput(input: { name?: unknown; sort?: unknown }, creating: boolean) {
    if (creating || input.name !== undefined) {
      if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 100)
        throw invalid(
          'name',
          'type',
          '部门名称须为 1 到 100 个字符',
          'The department name must be 1 to 100 characters',
        );
    }
    if (input.sort !== undefined && !Number.isInteger(input.sort))
      throw invalid('sort', 'type', 'sort 须为整数', 'sort must be an integer');
  }

  async function checkParent(
    tx: Db,
    s: string,
    id: string | null,
    parentId: unknown,
  ): Promise<string | null> {
    if (parentId === null || parentId === undefined) return null;
    if (!isUuid(parentId))
      throw invalid('parentId', 'type', '上级部门 ID 无效', 'Invalid parent department id');
    const [row] = await tx.query<{ cycle: boolean }>(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM ${s}._departments WHERE id = $1::uuid
         UNION SELECT d.id, d.parent_id FROM ${s}._departments d JOIN up ON d.id = up.parent_id)
       SELECT bool_or(id = $2::uuid) AS cycle, count(*) AS n FROM up`,
      [parentId, id],
    );
    const exists = await tx.query(`SELECT 1 FROM ${s}._departments WHERE id = $1::uuid`, [parentId]);
    if (!exists.length)
      throw invalid('parentId', 'department', '上级部门不存在', 'The parent department does not exist');
    if (id && (parentId === id || row?.cycle))
      throw invalid(
        'parentId',
        'cycle',
        '不能把部门移到它自己的下级',
        'A department cannot move below itself',
      );
    return parentId.toLowerCase();
  }

  async function checkHead(tx: Db, s: string, headId: unknown): Promise<string | null> {
    if (headId === null || headId === undefined) return null;
    if (!isUuid(headId)) throw invalid('headId', 'type', '负责人 ID 无效', 'Invalid head id');
    const rows = await tx.query(
      `SELECT 1 FROM ${s}._members WHERE user_id = $1::uuid AND status <> 'deactivated'`,
      [headId],
    );
    if (!rows.length) throw invalid('headId', 'member', '部门负责人须是成员', 'The head must be a member');
    return headId.toLowerCase();
  }

  const departments = {
    async list(ws: string): Promise<Department[]> {
      return run(ws, async () => {
        const s = schema(ws);
        const rows = await db.query<DeptRow>(`${deptSql(s, 'TRUE')} ORDER BY d.sort, d.name, d.id`);
        return rows.map(toDept);
      });
    },

    async create(
      ws: string,
      input: { name: string; parentId?: string | null; headId?: string | null; sort?: number },
      audit: AuditContext,
    ): Promise<Department> {
      checkDeptInput(input, true);
      return run(ws, () =>
        db.transaction(async (tx) => {
          const s = schema(ws);
          const parent = await checkParent(tx, s, null, input.parentId);
          const head = await checkHead(tx, s, input.headId);
          const t = now();
          const [row] = await tx.query<{ id: string }>(
            `INSERT INTO ${s}._departments (name, parent_id, head_id, sort, created_at, updated_at) VALUES ($1, $2::uuid, $3::uuid, $4, $5, $5) RETURNING id`,
            [input.name.trim(), parent, head, input.sort ?? 0, t],
          );
          const id = (row as { id: string }).id;
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'department.create',
              targetType: 'department',
              targetId: id,
              details: { name: input.name.trim(), parentId: parent },
            },
            t,
          );
          const [d] = await tx.query<DeptRow>(deptSql(s, 'd.id = $1::uuid'), [id]);
          return toDept(d as DeptRow);
        }),
      );
    },

    async update(
      ws: string,
      id: string,
      input: { name?: string; parentId?: string | null; headId?: string | null; sort?: number },
      audit: AuditContext,
    ): Promise<Department> {
      checkDeptInput(input, false);
      if (!isUuid(id)) throw notFound('department', id);
      return run(ws, () =>
        db.transaction(async (tx) => {
          const s = schema(ws);
          const [cur] = await tx.query<DeptRow>(`${deptSql(s, 'd.id = $1::uuid')} FOR UPDATE OF d`, [id]);
          if (!cur) throw notFound('department', id);
          const parent =
            input.parentId === undefined ? cur.parent_id : await checkParent(tx, s, id, input.parentId);
          const head = input.headId === undefined ? cur.head_id : await checkHead(tx, s, input.headId);
          const t = now();
          await tx.query(
            `UPDATE ${s}._departments SET name = $2, parent_id = $3::uuid, head_id = $4::uuid, sort = $5, updated_at = $6 WHERE id = $1::uuid`,
            [id, input.name?.trim() ?? cur.name, parent, head, input.sort ?? cur.sort, t],
          );
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'department.update',
              targetType: 'department',
              targetId: id,
              details: { ...input },
            },
            t,
          );
          const [d] = await tx.query<DeptRow>(deptSql(s, 'd.id = $1::uuid'), [id]);
          return toDept(d as DeptRow);
        }),
      );
    },

    /** Removes an empty department (no sub-departments, no members). */
    async remove(ws: string, id: string, audit: AuditContext): Promise<void> {
      if (!isUuid(id)) throw notFound('department', id);
      return run(ws, () =>
        db.transaction(async (tx) => {
          const s = schema(ws);
          const [cur] = await tx.query<DeptRow & { children: number }>(
            `SELECT d.*, (SELECT count(*)::int FROM ${s}._departments c WHERE c.parent_id = d.id) AS children,
                    (SELECT count(*)::int FROM ${s}._member_departments md WHERE md.department_id = d.id) AS members
               FROM ${s}._departments d WHERE d.id = $1::uuid FOR UPDATE OF d`,
            [id],
          );
          if (!cur) throw notFound('department', id);
          if (Number(cur.children) > 0 || Number(cur.members) > 0)
            throw new DomainError(
              'BAD_REQUEST',
              { children: Number(cur.children), members: Number(cur.members) },
              [
                {
                  field: 'id',
                  code: 'notEmpty',
                  message: m(
                    '部门下还有子部门或成员，不能删除',
                    'The department still has sub-departments or members',
                  ),
                },
              ],
            );
          await tx.query(`DELETE FROM ${s}._departments WHERE id = $1::uuid`, [id]);
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'department.delete',
              targetType: 'department',
              targetId: id,
              details: { name: cur.name },
            },
            now(),
          );
        }),
      );
    },
  };

  type RoleRow = {
    id: string;
    key: string;
    name: Message;
    builtin: boolean;
    is_admin: boolean;
    permissions: RolePermissions;
    version: number;
    members: number;
  };
  const toRole = (r: RoleRow): Role => ({
    id: r.id,
    key: r.key,
    name: r.name,
    builtin: r.builtin,
    isAdmin: r.is_admin,
    permissions: r.permissions,
    version: r.version,
    memberCount: Number(r.members ?? 0),
  });
  const roleSql = (s: string, where: string) =>
    `SELECT r.id, r.key, r.name, r.builtin, r.is_admin, r.permissions, r.version,
            (SELECT count(*)::int FROM ${s}._member_roles mr WHERE mr.role_id = r.id) AS members
       FROM ${s}._roles r WHERE ${where}`;

  function roleName(v: unknown): Message {
    if (typeof v === 'string' && v.trim() && v.length <= 100) return toMessage(v.trim(), v.trim());
    if (
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Message)['zh-CN'] === 'string' &&
      typeof (v as Message).en === 'string' &&
      (v as Message)['zh-CN'].trim() &&
      (v as Message).en.trim()
    )
      return { 'zh-CN': (v as Message)['zh-CN'].trim(), en: (v as Message).en.trim() };
    throw invalid(
      'name',
      'type',
      '角色名称须为文本或 {zh-CN, en}',
      'The role name must be text or {zh-CN, en}',
    );
  }

  async function permissionsOf(q: Db, ws: string, raw: unknown): Promise<RolePermissions> {
    const r = parseRolePermissions(raw, await entityDefs(q, ws));
    if (!r.ok) throw new DomainError('VALIDATION_FAILED', {}, r.issues);
    return r.value;
  }

  const roles = {
    async list(ws: string): Promise<Role[]> {
      return run(ws, async () =>
        (await db.query<RoleRow>(`${roleSql(schema(ws), 'TRUE')} ORDER BY r.builtin DESC, r.key`)).map(
          toRole,
        ),
      );
    },

    async get(ws: string, id: string): Promise<Role> {
      if (!isUuid(id)) throw notFound('role', id);
      return run(ws, async () => {
        const [r] = await db.query<RoleRow>(roleSql(schema(ws), 'r.id = $1::uuid'), [id]);
        if (!r) throw notFound('role', id);
        return toRole(r);
      });
    },

    async create(
      ws: string,
      input: { key: string; name: unknown; permissions?: unknown },
      audit: AuditContext,
    ): Promise<Role> {
      if (typeof input.key !== 'string' || !/^[a-z][a-z0-9_]{0,47}$/.test(input.key))
        throw invalid(
          'key',
          'pattern',
          '角色标识须以小写字母开头，只含 a-z、0-9、_',
          'The role key must start with a-z and contain only a-z, 0-9 and _',
        );
      const name = roleName(input.name);
      return run(ws, () =>
        db.transaction(async (tx) => {
          const s = schema(ws);
          const permissions = await permissionsOf(tx, ws, input.permissions ?? { entities: {} });
          const t = now();
          const rows = await tx.query<{ id: string }>(
            `INSERT INTO ${s}._roles (key, name, permissions, created_at, updated_at) VALUES ($1, $2::jsonb, $3::jsonb, $4, $4)
             ON CONFLICT (key) DO NOTHING RETURNING id`,
            [input.key, name, permissions, t],
          );
          if (!rows[0])
            throw new DomainError('UNIQUE_VIOLATION', { key: input.key }, [
              {
                field: 'key',
                code: 'unique',
                message: m('角色标识已被使用', 'The role key is already in use'),
              },
            ]);
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'permission.role.create',
              targetType: 'role',
              targetId: rows[0].id,
              details: { key: input.key, permissions },
            },
            t,
          );
          const [r] = await tx.query<RoleRow>(roleSql(s, 'r.id = $1::uuid'), [rows[0].id]);
          return toRole(r as RoleRow);
        }),
      );
    },

    async update(
      ws: string,
      id: string,
      input: { name?: unknown; permissions?: unknown },
      audit: AuditContext,
    ): Promise<Role> {
      if (!isUuid(id)) throw notFound('role', id);
      return run(ws, () =>
        db.transaction(async (tx) => {
          const s = schema(ws);
          const [cur] = await tx.query<RoleRow>(`${roleSql(s, 'r.id = $1::uuid')} FOR UPDATE OF r`, [id]);
          if (!cur) throw notFound('role', id);
          if (cur.builtin && input.permissions !== undefined)
            throw new DomainError('BAD_REQUEST', {}, [
              {
                field: 'permissions',
                code: 'builtin',
                message: m(
                  '内置管理员角色拥有全部权限，不能修改',
                  'The built-in administrator role always has every permission',
                ),
              },
            ]);
          const name = input.name === undefined ? cur.name : roleName(input.name);
          const permissions =
            input.permissions === undefined
              ? cur.permissions
              : await permissionsOf(tx, ws, input.permissions);
          const t = now();
          await tx.query(
            `UPDATE ${s}._roles SET name = $2::jsonb, permissions = $3::jsonb, version = version + 1, updated_at = $4 WHERE id = $1::uuid`,
            [id, name, permissions, t],
          );
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'permission.role.update',
              targetType: 'role',
              targetId: id,
              details: { key: cur.key, before: cur.permissions, after: permissions },
            },
            t,
          );
          const [r] = await tx.query<RoleRow>(roleSql(s, 'r.id = $1::uuid'), [id]);
          return toRole(r as RoleRow);
        }),
      );
    },

    async remove(ws: string, id: string, audit: AuditContext): Promise<void> {
      if (!isUuid(id)) throw notFound('role', id);
      return run(ws, () =>
        db.transaction(async (tx) => {
          const s = schema(ws);
          const [cur] = await tx.query<RoleRow>(roleSql(s, 'r.id = $1::uuid'), [id]);
          if (!cur) throw notFound('role', id);
          if (cur.builtin)
            throw new DomainError('BAD_REQUEST', {}, [
              {
                field: 'id',
                code: 'builtin',
                message: m('内置角色不能删除', 'A built-in role cannot be deleted'),
              },
            ]);
          await tx.query(`DELETE FROM ${s}._roles WHERE id = $1::uuid`, [id]);
          await recordAuditEvent(
            tx,
            {
              ...audit,
              workspace: ws,
              action: 'permission.role.delete',
              targetType: 'role',
              targetId: id,
              details: { key: cur.key, members: Number(cur.members) },
            },
            now(),
          );
        }),
      );
    },
  };

  type EventRow = {
    id: number;
    at: Date;
    workspace: string | null;
    actor: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    ok: boolean;
    ip: string | null;
    user_agent: string | null;
    token_id: string | null;
    request_id: string | null;
    details: Record<string, unknown>;
  };

  const audit = {
    record: (e: AuditEventInput) => recordAuditEvent(db, e, now()),

    /** Events of the workspace (and the logins of its members), newest first, keyset-paged by id. */
    async list(ws: string, f: AuditQuery = {}): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
      return run(ws, async () => {
        const s = schema(ws);
        const p = new SqlParams();
        const wsp = p.add(ws, 'text');
        const where = [
          `(e.workspace = ${wsp} OR (e.workspace IS NULL AND (e.actor IN (SELECT user_id FROM ${s}._members)${f.includeGlobal ? ' OR e.actor IS NULL' : ''})))`,
        ];
        if (f.actor) where.push(`e.actor = ${p.add(f.actor, 'uuid')}`);
        if (f.action) {
          // `member` matches member.add, member.deactivate…; an exact action matches itself.
          const a = p.add(f.action, 'text');
          where.push(`(e.action = ${a} OR e.action LIKE ${a} || '.%')`);
        }
        if (f.targetType) where.push(`e.target_type = ${p.add(f.targetType, 'text')}`);
        if (f.targetId) where.push(`e.target_id = ${p.add(f.targetId, 'text')}`);
        if (f.ok !== undefined) where.push(`e.ok = ${p.add(f.ok, 'boolean')}`);
        if (f.from) where.push(`e.at >= ${p.add(f.from, 'timestamptz')}`);
        if (f.to) where.push(`e.at < ${p.add(f.to, 'timestamptz')}`);
        if (f.before !== undefined) where.push(`e.id < ${p.add(f.before, 'bigint')}`);
        const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
        const rows = await db.query<EventRow>(
          `SELECT e.* FROM formwork.audit_events e WHERE ${where.join(' AND ')} ORDER BY e.id DESC LIMIT ${limit + 1}`,
          p.values,
        );
        const page = rows.slice(0, limit);
        return {
          items: page.map((r) => ({
            id: Number(r.id),
            at: r.at.toISOString(),
            workspace: r.workspace,
            actor: r.actor,
            action: r.action,
            targetType: r.target_type,
            targetId: r.target_id,
            ok: r.ok,
            ip: r.ip,
            userAgent: r.user_agent,
            tokenId: r.token_id,
            requestId: r.request_id,
            details: r.details,
          })),
          nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
        };
      });
    },
  };

  /** Record changes of one entity (the record audit log), as audit events, newest first. */
  async function recordEvents(
    ws: string,
    f: {
      entity: string;
      recordId?: string;
      actor?: string;
      from?: string;
      to?: string;
      before?: number;
      limit?: number;
    },
  ): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    return run(ws, async () => {
      const s = schema(ws);
      const p = new SqlParams();
      const where = [`a.entity = ${p.add(f.entity, 'text')}`];
      if (f.recordId) where.push(`a.record_id = ${p.add(f.recordId, 'uuid')}`);
      if (f.actor) where.push(`a.actor = ${p.add(f.actor, 'uuid')}`);
      if (f.from) where.push(`a.at >= ${p.add(f.from, 'timestamptz')}`);
      if (f.to) where.push(`a.at < ${p.add(f.to, 'timestamptz')}`);
      if (f.before !== undefined) where.push(`a.id < ${p.add(f.before, 'bigint')}`);
      const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
      const rows = await db.query<{
        id: number;
        at: Date;
        actor: string | null;
        action: string;
        record_id: string;
        source: string;
        request_id: string | null;
        changes: unknown;
        ip: string | null;
        user_agent: string | null;
        token_id: string | null;
      }>(
        `SELECT a.id, a.at, a.actor, a.action, a.record_id, a.source, a.request_id, a.changes, a.ip, a.user_agent, a.token_id
           FROM ${s}._audit a WHERE ${where.join(' AND ')} ORDER BY a.id DESC LIMIT ${limit + 1}`,
        p.values,
      );
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: Number(r.id),
          at: r.at.toISOString(),
          workspace: ws,
          actor: r.actor,
          action: `record.${r.action}`,
          targetType: f.entity,
          targetId: r.record_id,
          ok: true,
          ip: r.ip,
          userAgent: r.user_agent,
          tokenId: r.token_id,
          requestId: r.request_id,
          details: { source: r.source, changes: r.changes },
        })),
        nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
      };
    });
  }

  return { members, departments, roles, audit: { ...audit, records: recordEvents } };
}

export type OrgApi = ReturnType<typeof orgApi>;
