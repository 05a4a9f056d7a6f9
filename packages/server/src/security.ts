/**
 * Request security around the route table: where the credential comes from (bearer token or the web
 * app's HTTP-only session cookie), CSRF protection of cookie-authenticated unsafe requests, the
 * principal's workspace access (loaded once per request, or served from memory while the cache bus is
 * live), and the audit events of the request (refused credentials, refused actions, audited routes).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, isDomainError } from '@formwork/metadata';
import { type CacheBus, noCacheBus, parseTokenScopes, recordAuditEvent, withAccess } from '@formwork/store';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Authenticated } from './auth.js';
import type { AnyRoute, RouteRequest } from './route.js';
import { hashToken } from './tokens.js';
import type { AppEnv, DbPort, Principal } from './types.js';

export const SESSION_COOKIE = 'fw_session';
export const CSRF_COOKIE = 'fw_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The CSRF token of a session: derived from the session token, so it needs no storage. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update('formwork-csrf\0').update(sessionToken).digest('base64url');
}

function isHttps(c: Context<AppEnv>, trustProxy: boolean): boolean {
  if (c.req.url.startsWith('https:')) return true;
  return trustProxy && (c.req.header('x-forwarded-proto') ?? '').split(',')[0]?.trim() === 'https';
}

/** Sets the HTTP-only, SameSite=Lax session cookie and the readable CSRF cookie. */
export function setSessionCookies(
  c: Context<AppEnv>,
  token: string,
  expiresAt: Date,
  opts: { trustProxy: boolean; now: Date },
): string {
  const secure = isHttps(c, opts.trustProxy);
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - opts.now.getTime()) / 1000));
  const csrf = csrfTokenFor(token);
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure, maxAge });
  setCookie(c, CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'Lax', path: '/', secure, maxAge });
  return csrf;
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, CSRF_COOKIE, { path: '/' });
}

export interface Credential {
  token: string;
  via: 'bearer' | 'cookie';
}

/** The bearer token, else the session cookie; null when the request carries neither. */
export function credentialOf(c: Context<AppEnv>): Credential | null {
  const header = c.req.header('authorization');
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1] ? { token: m[1], via: 'bearer' } : null;
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function csrfError(reason: string): DomainError {
  return new DomainError('FORBIDDEN', { reason }, [
    {
      field: CSRF_HEADER,
      code: 'csrf',
      message: {
        'zh-CN': '请求缺少有效的 CSRF 令牌或来源不符，请刷新页面后重试',
        en: 'Missing or invalid CSRF token or origin; reload the page and retry',
      },
    },
  ]);
}

/**
 * CSRF protection of a cookie-authenticated unsafe request: the `X-CSRF-Token` header must carry the
 * session's CSRF token (double submit, bound to the session) and an `Origin`, when sent, must be this
 * server's own.
 */
export function checkCsrf(
  c: Context<AppEnv>,
  cred: Credential,
  trustedOrigins: readonly string[] = [],
): void {
  if (cred.via !== 'cookie' || !UNSAFE.has(c.req.method)) return;
  const origin = c.req.header('origin');
  if (origin) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      throw csrfError('origin');
    }
    const own =
      c.req.header('x-forwarded-host')?.split(',')[0]?.trim() ??
      c.req.header('host') ??
      new URL(c.req.url).host;
    if (host !== own && !trustedOrigins.includes(origin)) throw csrfError('origin');
  }
  const given = c.req.header(CSRF_HEADER) ?? '';
  if (!given || !sameText(given, csrfTokenFor(cred.token))) throw csrfError('token');
}

export interface SecurityDeps {
  db: DbPort;
  now: () => Date;
  clientIp(c: Context<AppEnv>): string;
  cacheBus?: CacheBus;
  /** Origins besides the server's own allowed on cookie-authenticated changes (e.g. a dev server). */
  trustedOrigins?: readonly string[];
}

export function createSecurity(deps: SecurityDeps) {
  const bus = deps.cacheBus ?? noCacheBus;
  const cache = new Map<string, { value: Principal; at: number }>();
  let generation = 0;
  bus.on('auth', () => {
    generation++;
    cache.clear();
  });
  bus.on('workspace', () => {
    generation++;
    cache.clear();
  });

  const meta = (c: Context<AppEnv>, principal?: Principal) => {
    const ua = c.req.header('user-agent');
    return {
      actor: principal?.userId ?? null,
      ip: deps.clientIp(c),
      userAgent: ua ?? null,
      tokenId: principal?.tokenId ?? null,
      requestId: c.get('requestId') ?? null,
    };
  };

  /** Records an audit event of this request (never fails the request). */
  async function audit(
    c: Context<AppEnv>,
    principal: Principal | undefined,
    e: {
      workspace: string | null;
      action: string;
      targetType?: string;
      targetId?: string;
      ok?: boolean;
      details?: Record<string, unknown>;
    },
  ): Promise<void> {
    await recordAuditEvent(deps.db, { ...meta(c, principal), ...e }, deps.now());
  }

  return {
    audit,
    meta,

    /**
     * Authenticates the credential; a refused one (expired, revoked, deactivated member's) is audited
     * with the user it belonged to, then answered 401.
     */
    async authenticate(
      c: Context<AppEnv>,
      cred: Credential,
      ws: string,
      authenticate: (token: string, ws: string) => Promise<Authenticated>,
    ): Promise<Authenticated> {
      let who: Authenticated;
      try {
        who = await authenticate(cred.token, ws);
      } catch (e) {
        if (isDomainError(e) && e.code === 'UNAUTHENTICATED') {
          const hash = hashToken(cred.token);
          const [owner] = await deps.db.query<{ user_id: string; kind: string; cred_id: string }>(
            `select user_id, 'session' as kind, id as cred_id from formwork.sessions where token_hash = $1
             union all select user_id, 'api', id from formwork.api_tokens where token_hash = $1`,
            [hash],
          );
          if (owner) {
            await audit(c, undefined, {
              workspace: null,
              action: 'auth.rejected',
              targetType: owner.kind === 'api' ? 'api_token' : 'session',
              targetId: owner.cred_id,
              ok: false,
              details: { userId: owner.user_id, via: cred.via, path: c.req.path },
            });
          }
        }
        throw e;
      }
      checkCsrf(c, cred, deps.trustedOrigins);
      return who;
    },

    /**
     * The principal with its access to `ws` (roles, departments, token scopes); without a workspace,
     * only an API token's scopes are applied (a token without `manage` is never an administrator).
     */
    async attachAccess(principal: Principal, ws: string | null): Promise<Principal> {
      if (ws === null) {
        if (!principal.tokenId || !principal.isAdmin) return principal;
        const [row] = await deps.db.query<{ scopes: unknown }>(
          'select scopes from formwork.api_tokens where id = $1',
          [principal.tokenId],
        );
        const scopes = parseTokenScopes(row?.scopes);
        return scopes && !scopes.actions.includes('manage') ? { ...principal, isAdmin: false } : principal;
      }
      if (!bus.live) return withAccess(deps.db, ws, principal);
      const key = `${principal.userId}|${principal.tokenId ?? ''}|${principal.isAdmin ? 1 : 0}|${ws}`;
      const hit = cache.get(key);
      if (hit && performance.now() - hit.at < bus.maxAgeMs) return hit.value;
      const at = performance.now();
      const started = generation;
      const value = await withAccess(deps.db, ws, principal);
      if (bus.live && generation === started) {
        if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
        cache.set(key, { value, at });
      }
      return value;
    },

    /** Runs a handler: audits audited routes on success, and every refusal (403) with what was refused. */
    async run<T>(
      route: AnyRoute,
      req: RouteRequest<unknown, unknown, unknown>,
      fn: () => Promise<T>,
    ): Promise<T> {
      const params = (req.params ?? {}) as Record<string, unknown>;
      const target =
        typeof params.id === 'string'
          ? params.id
          : typeof params.entity === 'string'
            ? params.entity
            : undefined;
      try {
        const out = await fn();
        if (route.audit) {
          await audit(req.c, req.principal, {
            workspace: route.workspace ? req.ws : null,
            action: route.audit,
            ...(target ? { targetId: target } : {}),
            ...(typeof params.entity === 'string' ? { targetType: 'entity' } : {}),
            details: { method: route.method, path: req.c.req.path, operationId: route.operationId },
          });
        }
        return out;
      } catch (e) {
        if (isDomainError(e) && e.code === 'FORBIDDEN' && req.principal.userId) {
          await audit(req.c, req.principal, {
            workspace: route.workspace ? req.ws : null,
            action: 'access.denied',
            ...(target ? { targetId: target } : {}),
            ok: false,
            details: {
              operationId: route.operationId,
              method: route.method,
              path: req.c.req.path,
              ...e.details,
              fields: e.issues.map((i) => ({ field: i.field, code: i.code })),
            },
          });
        }
        throw e;
      }
    },
  };
}

export type Security = ReturnType<typeof createSecurity>;
