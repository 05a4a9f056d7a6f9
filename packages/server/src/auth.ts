import { randomUUID } from 'node:crypto';
import { DomainError, type Issue } from '@formwork/metadata';
import { parseTokenScopes, recordAuditEvent, type TokenScopes, workspaceSchema } from '@formwork/store';
import { hashPassword, verifyDummyPassword, verifyPassword } from './password.js';
import { passwordIssues } from './password-policy.js';
import { hashToken, newApiToken, newSessionToken, TOKEN_SHAPE } from './tokens.js';
import type { DbPort, Principal } from './types.js';

/**
 * Users, sessions, API tokens and the login rate limit, on the store's system tables (`formwork.users`,
 * `formwork.sessions`, `formwork.api_tokens`, `formwork.rate_limits`). Nothing is kept in process memory:
 * several server processes may serve the same database.
 */

export interface AuthConfig {
  /** Session lifetime in milliseconds (default 7 days). */
  tokenTtlMs: number;
  loginRateLimit: { max: number; windowMs: number };
  /** Consecutive failed logins that lock an account, and for how long (default 5, 15 minutes). */
  lockout?: { after: number; forMs: number };
  /** Invitation lifetime in milliseconds (default 7 days). */
  inviteTtlMs?: number;
}

/** Where a login or an account change came from (audited). */
export interface RequestMeta {
  ip: string;
  userAgent?: string;
  requestId?: string;
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  status: string;
  createdAt: string;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  /** Narrower permissions than the member's (null: everything the member may do). */
  scopes?: TokenScopes | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface Authenticated {
  principal: Principal;
  user: { id: string; email: string; name: string; isAdmin: boolean };
  sessionId?: string;
  /** Whether the workspace asked about exists (answered in the same round-trip). */
  workspaceExists: boolean;
  /** When the credential stops being valid (sessions and expiring API tokens). */
  expiresAt?: Date;
}

type UserRow = {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: boolean;
  status: string;
  created_at: unknown;
};

export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

function publicUser(r: UserRow): PublicUser {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    isAdmin: r.is_admin,
    status: r.status,
    createdAt: iso(r.created_at) ?? '',
  };
}

export function principalOf(user: { id: string; isAdmin: boolean }, tokenId?: string): Principal {
  return {
    userId: user.id,
    isAdmin: user.isAdmin,
    roles: user.isAdmin ? ['admin'] : [],
    departmentIds: [],
    ...(tokenId ? { tokenId } : {}),
  };
}

const unauthenticated = () => new DomainError('UNAUTHENTICATED');

export function createAuth(db: DbPort, config: AuthConfig, now: () => Date) {
  /**
   * Counts one login attempt against each key (fixed window, in the database, atomic per key) and refuses
   * with 429 + Retry-After once a key is over the limit. Keys are taken in sorted order so two concurrent
   * attempts cannot deadlock.
   */
  async function countAttempt(keys: string[]): Promise<void> {
    const t = now();
    const cutoff = new Date(t.getTime() - config.loginRateLimit.windowMs);
    const sorted = [...new Set(keys)].sort();
    const values = sorted.map((_, i) => `($${i + 3}, 1, $1::timestamptz)`).join(', ');
    const rows = await db.query<{ key: string; count: number | string; window_start: unknown }>(
      `insert into formwork.rate_limits as r (key, count, window_start) values ${values}
       on conflict (key) do update set
         count = case when r.window_start <= $2::timestamptz then 1 else r.count + 1 end,
         window_start = case when r.window_start <= $2::timestamptz then $1::timestamptz else r.window_start end
       returning key, count, window_start`,
      [t, cutoff, ...sorted],
    );
    let retryAfter = 0;
    for (const r of rows) {
      if (Number(r.count) > config.loginRateLimit.max) {
        const start = new Date(iso(r.window_start) ?? t.toISOString()).getTime();
        const wait = Math.ceil((start + config.loginRateLimit.windowMs - t.getTime()) / 1000);
        retryAfter = Math.max(retryAfter, wait, 1);
      }
    }
    if (retryAfter > 0) throw new DomainError('TOO_MANY_REQUESTS', { retryAfterSeconds: retryAfter });
  }

  const lockout = config.lockout ?? { after: 5, forMs: 15 * 60 * 1000 };

  const auditEvent = (
    meta: RequestMeta,
    e: {
      actor: string | null;
      action: string;
      ok: boolean;
      workspace?: string | null;
      details?: Record<string, unknown>;
    },
  ) =>
    recordAuditEvent(
      db,
      {
        workspace: e.workspace ?? null,
        actor: e.actor,
        action: e.action,
        targetType: 'user',
        targetId: e.actor,
        ok: e.ok,
        ip: meta.ip,
        userAgent: meta.userAgent ?? null,
        requestId: meta.requestId ?? null,
        ...(e.details ? { details: e.details } : {}),
      },
      now(),
    );

  /**
   * Logs in. Every refusal answers the same INVALID_CREDENTIALS (unknown e-mail, wrong password, locked
   * or inactive account), in the same time, so answers never tell which e-mails have accounts; the audit
   * log records the real reason. `lockout.after` consecutive failures lock the account for `forMs`.
   */
  async function login(
    input: { email: string; password: string },
    meta: RequestMeta,
  ): Promise<{ token: string; expiresAt: string; user: PublicUser }> {
    const email = input.email.trim().toLowerCase();
    const emailKey = `login:email:${email}`;
    const ipKey = `login:ip:${meta.ip}`;
    try {
      await countAttempt([emailKey, ipKey]);
    } catch (e) {
      await auditEvent(meta, {
        actor: null,
        action: 'auth.login',
        ok: false,
        details: { email, reason: 'rateLimited' },
      });
      throw e;
    }
    const [user] = await db.query<UserRow & { locked_until: unknown }>(
      `select id, email, name, password_hash, is_admin, status, created_at, locked_until
         from formwork.users where lower(email) = $1`,
      [email],
    );
    const ok = user?.password_hash
      ? await verifyPassword(input.password, user.password_hash)
      : await verifyDummyPassword(input.password);
    const lockedUntil = user?.locked_until ? new Date(iso(user.locked_until) as string) : null;
    const locked = lockedUntil !== null && lockedUntil.getTime() > now().getTime();
    if (!user || !ok || user.status !== 'active' || locked) {
      let reason = !user
        ? 'unknownEmail'
        : locked
          ? 'locked'
          : user.status !== 'active'
            ? 'inactive'
            : 'password';
      if (user && !ok && !locked) {
        const [r] = await db.query<{ failed_logins: number; locked_until: unknown }>(
          `update formwork.users set
             failed_logins = case when failed_logins + 1 >= $2 then 0 else failed_logins + 1 end,
             locked_until = case when failed_logins + 1 >= $2 then $3::timestamptz else locked_until end
           where id = $1 returning failed_logins, locked_until`,
          [user.id, lockout.after, new Date(now().getTime() + lockout.forMs)],
        );
        if (r?.locked_until && new Date(iso(r.locked_until) as string).getTime() > now().getTime())
          reason = 'lockedNow';
      }
      await auditEvent(meta, {
        actor: user?.id ?? null,
        action: 'auth.login',
        ok: false,
        details: { email, reason },
      });
      throw new DomainError('INVALID_CREDENTIALS');
    }
    await db.query(
      'update formwork.users set failed_logins = 0, locked_until = null where id = $1 and (failed_logins <> 0 or locked_until is not null)',
      [user.id],
    );
    await auditEvent(meta, { actor: user.id, action: 'auth.login', ok: true });
    // A successful login clears the e-mail's counter and gives the IP its attempt back.
    await db.query(
      `with d as (delete from formwork.rate_limits where key = $1)
       update formwork.rate_limits set count = greatest(count - 1, 0) where key = $2`,
      [emailKey, ipKey],
    );
    const token = newSessionToken();
    const expiresAt = new Date(now().getTime() + config.tokenTtlMs);
    await db.query(
      `insert into formwork.sessions (id, user_id, token_hash, created_at, expires_at, ip, user_agent)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        randomUUID(),
        user.id,
        hashToken(token),
        now(),
        expiresAt,
        meta.ip,
        meta.userAgent?.slice(0, 500) ?? null,
      ],
    );
    return { token, expiresAt: expiresAt.toISOString(), user: publicUser(user) };
  }

  /**
   * Resolves a bearer token (session or API token) to its user in one round-trip, which also answers
   * whether `workspace` exists and stamps the API token's last use (at most once a minute).
   */
  async function authenticate(token: string, workspace: string): Promise<Authenticated> {
    if (!TOKEN_SHAPE.test(token)) throw unauthenticated();
    const t = now();
    const rows = await db.query<{
      kind: string;
      cred_id: string;
      id: string;
      email: string;
      name: string;
      is_admin: boolean;
      ws_exists: boolean;
      expires_at: Date | string | null;
    }>(
      `with cred as (
         select 'session' as kind, s.id as cred_id, s.user_id, s.expires_at from formwork.sessions s
          where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2::timestamptz
         union all
         select 'api', t.id, t.user_id, t.expires_at from formwork.api_tokens t
          where t.token_hash = $1 and t.revoked_at is null
            and (t.expires_at is null or t.expires_at > $2::timestamptz)
       ), touch as (
         update formwork.api_tokens set last_used_at = $2::timestamptz
          where token_hash = $1 and revoked_at is null
            and (last_used_at is null or last_used_at < $2::timestamptz - interval '1 minute')
         returning id
       )
       select cred.kind, cred.cred_id, cred.expires_at, u.id, u.email, u.name, u.is_admin,
              exists (select 1 from formwork.workspaces w where w.key = $3) as ws_exists
         from cred join formwork.users u on u.id = cred.user_id
        where u.status = 'active'`,
      [hashToken(token), t, workspace],
    );
    const row = rows[0];
    if (!row) throw unauthenticated();
    const user = { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin };
    return {
      principal: principalOf(user, row.kind === 'api' ? row.cred_id : undefined),
      user,
      ...(row.kind === 'session' ? { sessionId: row.cred_id } : {}),
      workspaceExists: row.ws_exists,
      ...(row.expires_at ? { expiresAt: new Date(row.expires_at) } : {}),
    };
  }

  async function logout(principal: Principal, sessionId: string | undefined): Promise<void> {
    if (sessionId) {
      await db.query('update formwork.sessions set revoked_at = $2 where id = $1 and revoked_at is null', [
        sessionId,
        now(),
      ]);
    } else if (principal.tokenId) {
      await db.query('update formwork.api_tokens set revoked_at = $2 where id = $1 and revoked_at is null', [
        principal.tokenId,
        now(),
      ]);
    }
  }

  async function createApiToken(
    principal: Principal,
    input: { name: string; expiresAt?: string; scopes?: { actions: string[]; entities?: string[] } },
  ): Promise<ApiTokenInfo & { token: string }> {
    let expiresAt: Date | null = null;
    if (input.expiresAt !== undefined) {
      expiresAt = new Date(input.expiresAt);
      if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now().getTime()) {
        throw new DomainError('VALIDATION_FAILED', {}, [
          {
            field: 'expiresAt',
            code: 'minimum',
            message: { 'zh-CN': 'expiresAt 必须是将来的时间', en: 'expiresAt must be in the future' },
          },
        ]);
      }
    }
    const { token, prefix } = newApiToken();
    const id = randomUUID();
    const createdAt = now();
    let scopes = input.scopes ? parseTokenScopes(input.scopes) : null;
    // A token made with a scoped token is never wider than it: the scopes intersect.
    if (principal.tokenId) {
      const [cur] = await db.query<{ scopes: unknown }>(
        'select scopes from formwork.api_tokens where id = $1',
        [principal.tokenId],
      );
      const mine = parseTokenScopes(cur?.scopes);
      if (mine) {
        const actions = scopes ? scopes.actions.filter((a) => mine.actions.includes(a)) : mine.actions;
        const entities =
          mine.entities && scopes?.entities
            ? scopes.entities.filter((e) => mine.entities?.includes(e))
            : (mine.entities ?? scopes?.entities);
        scopes = { actions, ...(entities ? { entities } : {}) };
      }
    }
    await db.query(
      `insert into formwork.api_tokens (id, user_id, name, token_hash, prefix, expires_at, created_at, scopes)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [id, principal.userId, input.name, hashToken(token), prefix, expiresAt, createdAt, scopes],
    );
    return {
      id,
      name: input.name,
      prefix,
      token,
      scopes,
      expiresAt: expiresAt?.toISOString() ?? null,
      lastUsedAt: null,
      createdAt: createdAt.toISOString(),
    };
  }

  async function listApiTokens(principal: Principal): Promise<ApiTokenInfo[]> {
    const rows = await db.query<{
      id: string;
      name: string;
      prefix: string;
      expires_at: unknown;
      last_used_at: unknown;
      created_at: unknown;
      scopes: unknown;
    }>(
      `select id, name, prefix, expires_at, last_used_at, created_at, scopes from formwork.api_tokens
        where user_id = $1 and revoked_at is null order by created_at desc, id`,
      [principal.userId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      expiresAt: iso(r.expires_at),
      lastUsedAt: iso(r.last_used_at),
      createdAt: iso(r.created_at) ?? '',
      scopes: parseTokenScopes(r.scopes),
    }));
  }

  /** Revokes one of the caller's API tokens (an administrator may revoke anyone's). */
  async function revokeApiToken(principal: Principal, id: string): Promise<void> {
    const rows = await db.query(
      `update formwork.api_tokens set revoked_at = $3
        where id = $1 and revoked_at is null and (user_id = $2 or $4::boolean)
        returning id`,
      [id, principal.userId, now(), principal.isAdmin],
    );
    if (rows.length === 0) throw new DomainError('NOT_FOUND', { id });
  }

  async function createUser(input: {
    email: string;
    name: string;
    password: string;
    isAdmin?: boolean;
  }): Promise<PublicUser> {
    const email = input.email.trim().toLowerCase();
    const policy = passwordIssues(input.password, email);
    if (policy.length) throw new DomainError('VALIDATION_FAILED', {}, policy);
    const passwordHash = await hashPassword(input.password);
    const t = now();
    const rows = await db.query<UserRow>(
      `insert into formwork.users (id, email, name, password_hash, is_admin, status, created_at, updated_at)
       values ($1, $2, $3, $4, $5, 'active', $6, $6)
       on conflict do nothing
       returning id, email, name, password_hash, is_admin, status, created_at`,
      [randomUUID(), email, input.name, passwordHash, input.isAdmin ?? false, t],
    );
    const row = rows[0];
    if (!row) {
      const issue: Issue = {
        field: 'email',
        code: 'unique',
        message: { 'zh-CN': '邮箱 已存在相同的值', en: 'E-mail is already in use' },
      };
      throw new DomainError('UNIQUE_VIOLATION', {}, [issue]);
    }
    return publicUser(row);
  }

  async function updateUser(
    id: string,
    patch: { name?: string; isAdmin?: boolean; status?: 'active' | 'disabled' },
  ): Promise<PublicUser> {
    const [row] = await db.query<UserRow>(
      `update formwork.users set
         name = coalesce($2, name),
         is_admin = coalesce($3::boolean, is_admin),
         status = coalesce($4, status),
         updated_at = $5
       where id = $1
       returning id, email, name, password_hash, is_admin, status, created_at`,
      [id, patch.name ?? null, patch.isAdmin ?? null, patch.status ?? null, now()],
    );
    if (!row) throw new DomainError('NOT_FOUND', { id });
    return publicUser(row);
  }

  async function listUsers(): Promise<PublicUser[]> {
    const rows = await db.query<UserRow>(
      'select id, email, name, password_hash, is_admin, status, created_at from formwork.users order by email',
    );
    return rows.map(publicUser);
  }

  async function getUser(id: string): Promise<PublicUser> {
    const [row] = await db.query<UserRow>(
      'select id, email, name, password_hash, is_admin, status, created_at from formwork.users where id = $1',
      [id],
    );
    if (!row) throw new DomainError('NOT_FOUND', { id });
    return publicUser(row);
  }

  /** An invitation to join `workspace` (the token is shown once; only its hash is stored). */
  async function createInvite(
    userId: string,
    workspace: string,
  ): Promise<{ token: string; expiresAt: string }> {
    const token = newSessionToken();
    const expiresAt = new Date(now().getTime() + (config.inviteTtlMs ?? 7 * 24 * 3600 * 1000));
    await db.query(
      `insert into formwork.invites (token_hash, user_id, workspace, created_at, expires_at) values ($1, $2, $3, $4, $5)`,
      [hashToken(token), userId, workspace, now(), expiresAt],
    );
    return { token, expiresAt: expiresAt.toISOString() };
  }

  const badInvite = () =>
    new DomainError('BAD_REQUEST', {}, [
      {
        field: 'token',
        code: 'invite',
        message: { 'zh-CN': '邀请无效或已过期', en: 'The invitation is invalid or has expired' },
      },
    ]);

  /** Accepts an invitation: sets the password (policy-checked), activates the user and the membership. */
  async function acceptInvite(
    input: { token: string; password: string; name?: string },
    meta: RequestMeta,
  ): Promise<PublicUser> {
    if (!TOKEN_SHAPE.test(input.token)) throw badInvite();
    return db.transaction(async (tx) => {
      const [inv] = await tx.query<{ user_id: string; workspace: string; email: string }>(
        `select i.user_id, i.workspace, u.email from formwork.invites i join formwork.users u on u.id = i.user_id
          where i.token_hash = $1 and i.accepted_at is null and i.expires_at > $2 for update of i`,
        [hashToken(input.token), now()],
      );
      if (!inv) throw badInvite();
      const policy = passwordIssues(input.password, inv.email);
      if (policy.length) throw new DomainError('VALIDATION_FAILED', {}, policy);
      const hash = await hashPassword(input.password);
      const t = now();
      const [row] = await tx.query<UserRow>(
        `update formwork.users set password_hash = $2, password_changed_at = $3, updated_at = $3,
                status = case when status = 'invited' then 'active' else status end,
                name = coalesce($4, name)
          where id = $1 returning id, email, name, password_hash, is_admin, status, created_at`,
        [inv.user_id, hash, t, input.name ?? null],
      );
      await tx.query('update formwork.invites set accepted_at = $2 where token_hash = $1', [
        hashToken(input.token),
        t,
      ]);
      await tx.query(
        `update ${workspaceSchema(inv.workspace)}._members set status = 'active', activated_at = $2, updated_at = $2
          where user_id = $1 and status = 'invited'`,
        [inv.user_id, t],
      );
      await recordAuditEvent(
        tx,
        {
          workspace: inv.workspace,
          actor: inv.user_id,
          action: 'member.activate',
          targetType: 'member',
          targetId: inv.user_id,
          ip: meta.ip,
          userAgent: meta.userAgent ?? null,
          requestId: meta.requestId ?? null,
        },
        t,
      );
      return publicUser(row as UserRow);
    });
  }

  /** Changes the caller's password (current one required); every other session of theirs ends. */
  async function changePassword(
    principal: Principal,
    sessionId: string | undefined,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ): Promise<void> {
    const [user] = await db.query<UserRow>(
      'select id, email, name, password_hash, is_admin, status, created_at from formwork.users where id = $1',
      [principal.userId],
    );
    const ok = user?.password_hash ? await verifyPassword(input.currentPassword, user.password_hash) : false;
    if (!user || !ok) {
      await auditEvent(meta, { actor: principal.userId, action: 'auth.password', ok: false });
      throw new DomainError('VALIDATION_FAILED', {}, [
        {
          field: 'currentPassword',
          code: 'password',
          message: { 'zh-CN': '当前密码不正确', en: 'The current password is incorrect' },
        },
      ]);
    }
    const policy = passwordIssues(input.newPassword, user.email, 'newPassword');
    if (policy.length) throw new DomainError('VALIDATION_FAILED', {}, policy);
    const t = now();
    await db.query(
      'update formwork.users set password_hash = $2, password_changed_at = $3, updated_at = $3 where id = $1',
      [user.id, await hashPassword(input.newPassword), t],
    );
    await db.query(
      'update formwork.sessions set revoked_at = $3 where user_id = $1 and revoked_at is null and id is distinct from $2::uuid',
      [user.id, sessionId ?? null, t],
    );
    await auditEvent(meta, { actor: user.id, action: 'auth.password', ok: true });
  }

  return {
    createInvite,
    acceptInvite,
    changePassword,
    login,
    authenticate,
    logout,
    createApiToken,
    listApiTokens,
    revokeApiToken,
    createUser,
    updateUser,
    listUsers,
    getUser,
  };
}

export type AuthService = ReturnType<typeof createAuth>;
