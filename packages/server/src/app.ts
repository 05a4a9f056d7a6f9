import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DomainError, type Locale, toJsonSchema, toRecordSchema } from '@formwork/metadata';
import {
  type CacheBus,
  createWorkflowRuntime,
  type Db,
  type HandoverHook,
  noCacheBus,
  type WorkflowRuntime,
} from '@formwork/store';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type AuthService, createAuth } from './auth.js';
import { cachedAuthenticate } from './auth-cache.js';
import { errorResponse } from './error-handler.js';
import { localeFromHeader } from './locale.js';
import { createJsonLogger, type Logger } from './logger.js';
import type { EntitySchemas } from './openapi.js';
import { type CompiledValidator, compileValidator } from './request-validation.js';
import { type AnyRoute, type RouteRequest, toHonoPath } from './route.js';
import { buildRoutes } from './routes.js';
import { parseJsonSafe } from './safe-json.js';
import { inlineComponentRefs, WORKSPACE_KEY } from './schemas.js';
import { createSecurity, credentialOf } from './security.js';
import type { AppEnv, DbPort, Principal, StorePort } from './types.js';

export interface AppConfig {
  /** Maximum JSON body (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Maximum body of bulk routes (default 10 MiB). */
  bulkBodyLimitBytes?: number;
  /** Session lifetime in ms (default 7 days). */
  tokenTtl?: number;
  /** Login attempts per e-mail and per IP within the window (default 10 per 15 minutes). */
  loginRateLimit?: { max: number; windowMs: number };
  /**
   * Take the client IP from X-Forwarded-For: `true` = one proxy in front (the last address is the client's),
   * a number = that many proxies. Default: the socket address.
   */
  trustProxy?: boolean | number;
  /**
   * Origins (e.g. `http://localhost:5173`, a dev server) besides the server's own from which the web app may
   * send cookie-authenticated changes. Default: none.
   */
  trustedOrigins?: string[];
}

export interface CreateAppOptions {
  store: StorePort;
  /** The database (default: `store.db`). Auth and health use it directly. */
  db?: DbPort;
  logger?: Logger;
  config?: AppConfig;
  /** Record schemas for OpenAPI (default: metadata's toRecordSchema / toJsonSchema). */
  schemas?: EntitySchemas;
  /** The clock (tests move it to expire tokens and rate-limit windows). */
  now?: () => Date;
  /** When live, resolved credentials are served from memory (see auth-cache.ts). */
  cacheBus?: CacheBus;
  /** The workflow runtime (default: one over `db`). */
  workflow?: WorkflowRuntime;
  /** Run inside a member's hand-over (the workflow runtime moves open tasks and automations). */
  handoverHooks?: HandoverHook[];
}

export interface FormworkApp {
  app: Hono<AppEnv>;
  routes: readonly AnyRoute[];
  workflow: WorkflowRuntime;
  auth: AuthService;
  /**
   * Compiles the request validators no request has used yet, one per turn of the event loop (requests
   * go first); rejects on a schema Ajv refuses. A server calls it once it listens.
   */
  warmUp(): Promise<void>;
}

const REQUEST_ID = /^[\w-]{1,64}$/;
const DEFAULTS = {
  bodyLimitBytes: 1024 * 1024,
  bulkBodyLimitBytes: 10 * 1024 * 1024,
  tokenTtl: 7 * 24 * 3600 * 1000,
  loginRateLimit: { max: 10, windowMs: 15 * 60 * 1000 },
};

function isJsonContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  const type = ct.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function fieldError(field: string, code: string, zh: string, en: string) {
  return new DomainError('BAD_REQUEST', {}, [{ field, code, message: { 'zh-CN': zh, en } }]);
}

export function createApp(options: CreateAppOptions): FormworkApp {
  const { store } = options;
  const maybeDb = options.db ?? store.db;
  if (!maybeDb) throw new Error('createApp: pass `db` or a store that exposes `db`');
  const db: DbPort = maybeDb;
  const logger = options.logger ?? createJsonLogger();
  const now = options.now ?? (() => new Date());
  const config = { ...DEFAULTS, ...options.config };
  const auth = createAuth(db, { tokenTtlMs: config.tokenTtl, loginRateLimit: config.loginRateLimit }, now);
  const authenticate = cachedAuthenticate(auth.authenticate, options.cacheBus ?? noCacheBus, now);

  const clientIp = (c: Context<AppEnv>): string => {
    const hops =
      config.trustProxy === true ? 1 : typeof config.trustProxy === 'number' ? config.trustProxy : 0;
    if (hops > 0) {
      const chain = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const ip = chain[chain.length - hops] ?? chain[0];
      if (ip) return ip.slice(0, 64);
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown'; // app.request() in tests has no socket
    }
  };

  const security = createSecurity({
    db,
    now,
    clientIp,
    ...(config.trustedOrigins ? { trustedOrigins: config.trustedOrigins } : {}),
    ...(options.cacheBus ? { cacheBus: options.cacheBus } : {}),
  });

  const workflow =
    options.workflow ??
    createWorkflowRuntime(db as unknown as Db, {
      now,
      ...(options.cacheBus ? { cacheBus: options.cacheBus } : {}),
    });
  const routes = buildRoutes({
    workflow,
    store,
    db,
    auth,
    security,
    handoverHooks: [...(options.handoverHooks ?? []), workflow.handoverHook],
    trustProxy: config.trustProxy !== undefined && config.trustProxy !== false,
    schemas: options.schemas ?? { record: (e) => toRecordSchema(e), input: (e) => toJsonSchema(e) },
    clientIp,
    bulkBodyLimitBytes: config.bulkBodyLimitBytes,
  });

  const app = new Hono<AppEnv>();

  // Request id, locale and the one log line per request.
  app.use('*', async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.set('locale', localeFromHeader(c.req.header('accept-language')));
    c.header('X-Request-Id', requestId);
    await next();
    if (!c.res.headers.has('X-Request-Id')) {
      try {
        c.res.headers.set('X-Request-Id', requestId);
      } catch {
        // immutable headers (a proxied response): leave them
      }
    }
    logger.info({
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      requestId,
      userId: c.get('principal')?.userId ?? null,
    });
  });

  const validators: CompiledValidator[] = [];
  for (const route of routes) mount(app, route);

  app.notFound((c) => errorResponse(c, new DomainError('NOT_FOUND', { path: c.req.path }), logger));
  app.onError((err, c) => errorResponse(c, err, logger));

  function mount(hono: Hono<AppEnv>, route: AnyRoute): void {
    const validate = {
      params: route.params ? compileValidator(inline(route.params), 'params') : undefined,
      query: route.query ? compileValidator(inline(route.query), 'query') : undefined,
      body: route.body ? compileValidator(inline(route.body), 'body') : undefined,
    } satisfies Record<string, CompiledValidator | undefined>;
    for (const v of Object.values(validate)) if (v) validators.push(v);
    const limit = route.bodyLimitBytes ?? config.bodyLimitBytes;
    const handlers = [
      // A declared length over the limit is refused before any of the body is read: Node then drains the
      // rest and the client reads a clean 413 (aborting the read mid-stream would reset the connection).
      async (c: Context<AppEnv>, next: () => Promise<void>) => {
        if (Number(c.req.header('content-length') ?? 0) > limit)
          throw new DomainError('PAYLOAD_TOO_LARGE', { limitBytes: limit });
        await next();
      },
      // A streamed (chunked) body is counted as it is read: JSON bodies by `bodyText`, others (uploads)
      // by Hono's bodyLimit. GET bodies are never read. (bodyLimit makes @hono/node-server build a full
      // web Request with a stream for every request: a sizeable share of a small request's CPU.)
      ...(route.method === 'GET' || route.body
        ? []
        : [
            bodyLimit({
              maxSize: limit,
              onError: () => {
                throw new DomainError('PAYLOAD_TOO_LARGE', { limitBytes: limit });
              },
            }),
          ]),
      async (c: Context<AppEnv>) => {
        const locale: Locale = c.get('locale');
        const requestId = c.get('requestId');
        // 1. Workspace header shape (cheap, before touching the database).
        let ws = 'default';
        if (route.workspace) {
          ws = c.req.header('x-workspace') ?? 'default';
          if (!WORKSPACE_KEY.test(ws)) {
            throw fieldError(
              'X-Workspace',
              'pattern',
              'X-Workspace 不是合法的工作区标识',
              'X-Workspace is not a valid workspace key',
            );
          }
        }
        // 2. Authentication (+ workspace existence in the same round-trip).
        let principal: Principal | undefined;
        let workspaceExists: boolean | undefined;
        const cred = route.auth === 'none' ? null : credentialOf(c);
        if (route.auth === 'user' || cred) {
          // Bearer token, or the web app's session cookie (then CSRF-checked); refusals are audited.
          if (!cred) throw new DomainError('UNAUTHENTICATED');
          const who = await security.authenticate(c, cred, ws, authenticate);
          workspaceExists = who.workspaceExists;
          // The workspace access (roles, departments, token scopes): one query, or none while cached.
          principal = await security.attachAccess(
            who.principal,
            route.workspace && workspaceExists ? ws : null,
          );
          const userAgent = c.req.header('user-agent');
          principal = { ...principal, origin: { ip: clientIp(c), ...(userAgent ? { userAgent } : {}) } };
          c.set('principal', principal);
          if (who.sessionId) c.set('sessionId', who.sessionId);
          if (route.admin && !principal.isAdmin) {
            await security.audit(c, principal, {
              workspace: route.workspace && workspaceExists ? ws : null,
              action: 'access.denied',
              ok: false,
              details: {
                operationId: route.operationId,
                method: route.method,
                path: c.req.path,
                reason: 'admin',
              },
            });
            throw new DomainError('FORBIDDEN');
          }
        }
        // 3. Inputs.
        const params = validate.params ? validate.params({ ...c.req.param() }) : {};
        const query = validate.query ? validate.query({ ...c.req.query() }) : {};
        let body: unknown;
        if (validate.body) {
          if (!isJsonContentType(c.req.header('content-type')))
            throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
          const text = await bodyText(c, limit);
          if (text.trim() === '') throw new DomainError('INVALID_JSON', { detail: 'empty body' });
          body = validate.body(parseJsonSafe(text));
        }
        // 4. The workspace must exist.
        if (route.workspace) {
          if (workspaceExists === undefined) {
            const rows = await db.query<{ ok: boolean }>(
              'select exists (select 1 from formwork.workspaces where key = $1) as ok',
              [ws],
            );
            workspaceExists = rows[0]?.ok === true;
          }
          if (!workspaceExists) throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
        }
        const req: RouteRequest<unknown, unknown, unknown> = {
          c,
          params,
          query,
          body,
          // On auth 'none' routes there is no user; handlers of those routes do not read it.
          principal: principal ?? { userId: '', isAdmin: false, roles: [], departmentIds: [] },
          ws,
          requestId,
          locale,
        };
        const result = await security.run(route, req, () => route.handler(req));
        if (result instanceof Response) return result;
        for (const [k, v] of Object.entries(result.headers ?? {})) c.header(k, v);
        const status = result.status ?? 200;
        if (status === 204 || result.body === undefined) return c.body(null, status === 200 ? 204 : status);
        return c.json(result.body as object, status);
      },
    ] as const;
    hono.on(route.method, toHonoPath(route.path), ...handlers);
  }

  const warmUp = async () => {
    for (const v of validators) {
      v.compile();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { app, routes, auth, workflow, warmUp };
}

function inline(schema: Record<string, unknown>): Record<string, unknown> {
  return inlineComponentRefs(schema) as Record<string, unknown>;
}

/**
 * The request body as text, at most `limit` bytes. Served by @hono/node-server, it is read straight
 * from Node's IncomingMessage (no web Request or stream wrapper); otherwise (app.request in tests)
 * through the web Request. An oversized body answers 413 while the rest is drained, so the client
 * reads the answer instead of a reset connection.
 */
function bodyText(c: Context<AppEnv>, limit: number): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const tooLarge = () => new DomainError('PAYLOAD_TOO_LARGE', { limitBytes: limit });
  if (
    !incoming ||
    typeof incoming.on !== 'function' ||
    incoming.readableFlowing !== null ||
    incoming.readableEnded
  ) {
    return c.req.text().then((text) => {
      if (Buffer.byteLength(text) > limit) throw tooLarge();
      return text;
    });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    incoming.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    incoming.once('end', () => {
      if (over) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); // as TextDecoder does
    });
    incoming.once('error', reject);
  });
}
