import { DomainError, type EntityDefinition } from '@formwork/metadata';
import { entityAccess, type HandoverHook } from '@formwork/store';
import type { Context } from 'hono';
import type { AuthService } from './auth.js';
import { buildFileRoutes } from './files-routes.js';
import { buildOpenApi, type EntitySchemas } from './openapi.js';
import { buildPeopleRoutes, effectiveAccess } from './people-routes.js';
import { type AnyRoute, defineRoute, type JsonSchema } from './route.js';
import { parseJsonSafe } from './safe-json.js';
import {
  anyObject,
  confirmQuery,
  entityParams,
  idParams,
  listQuery,
  noQuery,
  recordParams,
  ref,
  WORKSPACE_KEY_PATTERN,
} from './schemas.js';
import { clearSessionCookies, type Security, setSessionCookies } from './security.js';
import type { AppEnv, DbPort, Principal, StorePort } from './types.js';
import { buildViewRoutes } from './views-routes.js';
import { buildWorkflowRoutes, type WorkflowRoutesDeps } from './workflow-routes.js';

export interface RouteDeps {
  store: StorePort;
  db: DbPort;
  auth: AuthService;
  /** Audit events, cookies and CSRF (security.ts). */
  security: Security;
  /** Whether X-Forwarded-Proto may mark the request as HTTPS (Secure cookies). */
  trustProxy: boolean;
  /** Hand-over hooks (people-routes.ts). */
  handoverHooks?: HandoverHook[];
  schemas?: EntitySchemas;
  clientIp(c: Context<AppEnv>): string;
  bulkBodyLimitBytes: number;
  /** The workflow runtime (workflow-routes.ts). */
  workflow?: WorkflowRoutesDeps['workflow'];
}

const json = (description: string, schema: JsonSchema) => ({ description, schema });
const noContent = { description: 'Done (no body)' };
const location = {
  Location: { description: 'URL of the created resource', schema: { type: 'string' } },
};

/** `If-Match: 3`, `"3"` or `W/"3"` → 3. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) {
    throw new DomainError('BAD_REQUEST', {}, [
      {
        field: 'If-Match',
        code: 'format',
        message: { 'zh-CN': 'If-Match 应为记录版本号', en: 'If-Match must be the record version' },
      },
    ]);
  }
  return Number(m[1]);
}

export function buildRoutes(deps: RouteDeps): AnyRoute[] {
  const { store, db, auth } = deps;
  // The web app marks its writes `X-Formwork-Source: form` so the audit log tells form edits from API calls.
  const writeOpts = (requestId: string, c?: Context<AppEnv>) => ({
    source: c?.req.header('x-formwork-source') === 'form' ? ('form' as const) : ('api' as const),
    requestId,
  });
  const routes: AnyRoute[] = [];
  const add = (r: AnyRoute) => routes.push(r);

  // --- system ------------------------------------------------------------------------------------------
  add(
    defineRoute({
      method: 'GET',
      path: '/api/health',
      operationId: 'health',
      summary: { en: 'Liveness and database check', 'zh-CN': '健康检查' },
      tags: ['system'],
      auth: 'none',
      query: noQuery,
      responses: {
        '200': json('Healthy', {
          type: 'object',
          properties: { status: { const: 'ok' } },
          required: ['status'],
        }),
        '503': json('The database does not answer', {
          type: 'object',
          properties: { status: { const: 'unavailable' } },
        }),
      },
      async handler({ c }) {
        try {
          await db.query('select 1');
          return { body: { status: 'ok' } };
        } catch {
          return c.json({ status: 'unavailable' }, 503);
        }
      },
    }),
  );

  add(
    defineRoute({
      method: 'GET',
      path: '/api/openapi.json',
      operationId: 'openapi',
      summary: { en: 'This API as OpenAPI 3.1 (with the workspace entities)', 'zh-CN': 'OpenAPI 文档' },
      description:
        'Anonymous callers get the API without the workspace entities; an authenticated caller gets the ' +
        'entities they may read or create, without the fields their roles hide.',
      tags: ['system'],
      auth: 'optional',
      workspace: true,
      query: noQuery,
      responses: { '200': json('The OpenAPI document', { type: 'object' }) },
      async handler({ ws, principal }) {
        const entities =
          deps.schemas && principal ? visibleEntities(await store.entities.list(ws), principal) : [];
        return {
          body: buildOpenApi(routes, {
            entities,
            ...(deps.schemas ? { schemas: deps.schemas } : {}),
            workspace: ws,
          }),
        };
      },
    }),
  );

  // --- auth --------------------------------------------------------------------------------------------
  add(
    defineRoute<unknown, unknown, { email: string; password: string }>({
      method: 'POST',
      path: '/api/auth/login',
      operationId: 'login',
      summary: { en: 'Log in with e-mail and password', 'zh-CN': '登录' },
      tags: ['auth'],
      auth: 'none',
      query: noQuery,
      body: {
        type: 'object',
        properties: {
          email: { type: 'string', minLength: 3, maxLength: 320 },
          password: { type: 'string', minLength: 1, maxLength: 1024 },
          cookieOnly: {
            type: 'boolean',
            description: 'The web app: set the cookies and leave the token out of the answer',
          },
        },
        required: ['email', 'password'],
        additionalProperties: false,
      },
      description:
        'Answers the session token (for `Authorization: Bearer`; not with `cookieOnly`) and also sets it as an HTTP-only, SameSite=Lax ' +
        'cookie `fw_session` for the web app, with `fw_csrf` (readable): cookie-authenticated POST/PUT/PATCH/DELETE ' +
        'requests must send it back in `X-CSRF-Token`. Every refusal is the same 401 (no user enumeration); ' +
        'repeated failures lock the account for a while.',
      responses: {
        '200': json('A session token', {
          type: 'object',
          properties: {
            token: { type: 'string' },
            expiresAt: { type: 'string', format: 'date-time' },
            csrfToken: { type: 'string' },
            user: ref('User'),
          },
          required: ['expiresAt', 'csrfToken', 'user'],
        }),
        '401': { description: 'Incorrect e-mail or password', schema: ref('Error') },
        '429': {
          description: 'Too many attempts',
          schema: ref('Error'),
          headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
        },
      },
      async handler({ c, body, requestId }) {
        const ua = c.req.header('user-agent');
        const { cookieOnly, ...credentials } = body as {
          email: string;
          password: string;
          cookieOnly?: boolean;
        };
        const result = await auth.login(credentials, {
          ip: deps.clientIp(c),
          requestId,
          ...(ua ? { userAgent: ua } : {}),
        });
        const csrfToken = setSessionCookies(c, result.token, new Date(result.expiresAt), {
          trustProxy: deps.trustProxy,
          now: new Date(),
        });
        // With cookieOnly no page script ever holds the session token (it lives in the HTTP-only cookie).
        if (cookieOnly) {
          const { token: _token, ...rest } = result;
          return { body: { ...rest, csrfToken } };
        }
        return { body: { ...result, csrfToken } };
      },
    }),
  );

  add(
    defineRoute({
      method: 'POST',
      path: '/api/auth/logout',
      operationId: 'logout',
      summary: { en: 'Revoke the token used for this request', 'zh-CN': '退出登录' },
      tags: ['auth'],
      auth: 'user',
      query: noQuery,
      responses: { '204': noContent },
      async handler({ c, principal }) {
        await auth.logout(principal, c.get('sessionId'));
        clearSessionCookies(c);
        return { status: 204 };
      },
    }),
  );

  add(
    defineRoute({
      method: 'GET',
      path: '/api/auth/me',
      operationId: 'me',
      summary: {
        en: 'The current user and their effective permissions in the workspace',
        'zh-CN': '当前用户及其在工作区中的有效权限',
      },
      description:
        'With the X-Workspace workspace (default `default`): membership, departments, and per entity the ' +
        'allowed actions, data scopes, hidden and read-only fields and limits — the web app hides buttons and ' +
        'fields with it. `workspace` is null when the workspace does not exist.',
      tags: ['auth'],
      auth: 'user',
      query: noQuery,
      responses: {
        '200': json('The user and how they authenticated', ref('Me')),
      },
      async handler({ c, principal }) {
        const user = await auth.getUser(principal.userId);
        const access = await effectiveAccess(deps, principal, c.req.header('x-workspace') ?? 'default');
        return {
          body: {
            user,
            roles: access?.roles ?? principal.roles,
            authMethod: principal.tokenId ? 'token' : 'session',
            ...(access ? access.body : { workspace: null }),
          },
        };
      },
    }),
  );

  add(
    defineRoute<
      unknown,
      unknown,
      { name: string; expiresAt?: string; scopes?: { actions: string[]; entities?: string[] } }
    >({
      method: 'POST',
      path: '/api/auth/tokens',
      operationId: 'createApiToken',
      summary: { en: 'Create an API token (shown once)', 'zh-CN': '创建 API 令牌（仅显示一次）' },
      tags: ['auth'],
      auth: 'user',
      query: noQuery,
      body: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100 },
          expiresAt: { type: 'string', format: 'date-time' },
          scopes: {
            type: 'object',
            description: 'Narrower than the member: only these actions (and entities, when listed)',
            properties: {
              actions: { type: 'array', items: ref('EntityAction'), uniqueItems: true },
              entities: {
                type: 'array',
                items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
                maxItems: 200,
              },
            },
            required: ['actions'],
            additionalProperties: false,
          },
        },
        required: ['name'],
        additionalProperties: false,
      },
      responses: {
        '201': json('The token; `token` is never shown again', {
          allOf: [
            ref('ApiToken'),
            { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] },
          ],
        }),
      },
      async handler({ principal, body }) {
        return { status: 201, body: await auth.createApiToken(principal, body) };
      },
    }),
  );

  add(
    defineRoute({
      method: 'GET',
      path: '/api/auth/tokens',
      operationId: 'listApiTokens',
      summary: { en: 'My API tokens', 'zh-CN': '我的 API 令牌' },
      tags: ['auth'],
      auth: 'user',
      query: noQuery,
      responses: {
        '200': json('Live tokens (secrets are never returned)', {
          type: 'object',
          properties: { items: { type: 'array', items: ref('ApiToken') } },
          required: ['items'],
        }),
      },
      async handler({ principal }) {
        return { body: { items: await auth.listApiTokens(principal) } };
      },
    }),
  );

  add(
    defineRoute<{ id: string }>({
      method: 'DELETE',
      path: '/api/auth/tokens/{id}',
      operationId: 'revokeApiToken',
      summary: { en: 'Revoke an API token', 'zh-CN': '吊销 API 令牌' },
      tags: ['auth'],
      auth: 'user',
      params: idParams,
      query: noQuery,
      responses: { '204': noContent },
      async handler({ principal, params }) {
        await auth.revokeApiToken(principal, params.id);
        return { status: 204 };
      },
    }),
  );

  // --- users -------------------------------------------------------------------------------------------
  add(
    defineRoute({
      method: 'GET',
      path: '/api/users',
      operationId: 'listUsers',
      summary: { en: 'List users', 'zh-CN': '用户列表' },
      tags: ['users'],
      auth: 'user',
      query: noQuery,
      responses: {
        '200': json('Users', {
          type: 'object',
          properties: { items: { type: 'array', items: ref('User') } },
          required: ['items'],
        }),
      },
      async handler() {
        return { body: { items: await auth.listUsers() } };
      },
    }),
  );

  add(
    defineRoute<unknown, unknown, { email: string; name: string; password: string; isAdmin?: boolean }>({
      method: 'POST',
      path: '/api/users',
      operationId: 'createUser',
      summary: { en: 'Create a user (administrators)', 'zh-CN': '创建用户（管理员）' },
      tags: ['users'],
      auth: 'user',
      admin: true,
      query: noQuery,
      body: {
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email', maxLength: 320 },
          name: { type: 'string', minLength: 1, maxLength: 200 },
          password: { type: 'string', minLength: 8, maxLength: 1024 },
          isAdmin: { type: 'boolean' },
        },
        required: ['email', 'name', 'password'],
        additionalProperties: false,
      },
      responses: { '201': { ...json('The user', ref('User')), headers: location } },
      async handler({ c, body }) {
        const user = await auth.createUser(body);
        c.header('Location', `/api/users/${user.id}`);
        return { status: 201, body: user };
      },
    }),
  );

  add(
    defineRoute<
      { id: string },
      unknown,
      { name?: string; isAdmin?: boolean; status?: 'active' | 'disabled' }
    >({
      method: 'PATCH',
      path: '/api/users/{id}',
      operationId: 'updateUser',
      summary: { en: 'Change a user (administrators): name, admin, status', 'zh-CN': '修改用户（管理员）' },
      description: 'Setting `status` to `disabled` stops every session and API token of the user at once.',
      tags: ['users'],
      auth: 'user',
      admin: true,
      params: idParams,
      query: noQuery,
      body: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          isAdmin: { type: 'boolean' },
          status: { enum: ['active', 'disabled'] },
        },
        minProperties: 1,
        additionalProperties: false,
      },
      responses: { '200': json('The user', ref('User')) },
      async handler({ params, body }) {
        return { body: await auth.updateUser(params.id, body) };
      },
    }),
  );

  // --- workspaces --------------------------------------------------------------------------------------
  add(
    defineRoute({
      method: 'GET',
      path: '/api/workspaces',
      operationId: 'listWorkspaces',
      summary: { en: 'List workspaces', 'zh-CN': '工作区列表' },
      tags: ['workspaces'],
      auth: 'user',
      query: noQuery,
      responses: {
        '200': json('Workspaces', {
          type: 'object',
          properties: { items: { type: 'array', items: ref('Workspace') } },
          required: ['items'],
        }),
      },
      async handler() {
        return { body: { items: await store.workspaces.list() } };
      },
    }),
  );

  add(
    defineRoute<unknown, unknown, { key: string; name: string }>({
      method: 'POST',
      path: '/api/workspaces',
      operationId: 'createWorkspace',
      summary: { en: 'Create a workspace (administrators)', 'zh-CN': '创建工作区（管理员）' },
      tags: ['workspaces'],
      auth: 'user',
      admin: true,
      query: noQuery,
      body: {
        type: 'object',
        properties: {
          key: { type: 'string', pattern: WORKSPACE_KEY_PATTERN },
          name: { type: 'string', minLength: 1, maxLength: 200 },
        },
        required: ['key', 'name'],
        additionalProperties: false,
      },
      responses: { '201': json('The workspace', ref('Workspace')) },
      async handler({ body }) {
        return { status: 201, body: await store.workspaces.create({ key: body.key, name: body.name }) };
      },
    }),
  );

  // --- entities ----------------------------------------------------------------------------------------
  add(
    defineRoute({
      method: 'GET',
      path: '/api/entities',
      operationId: 'listEntities',
      summary: { en: 'List entities', 'zh-CN': '表单列表' },
      tags: ['entities'],
      auth: 'user',
      workspace: true,
      query: noQuery,
      responses: {
        '200': json('Entities', {
          type: 'object',
          properties: { items: { type: 'array', items: ref('EntityDefinition') } },
          required: ['items'],
        }),
      },
      async handler({ ws }) {
        return { body: { items: await store.entities.list(ws) } };
      },
    }),
  );

  add(
    defineRoute({
      method: 'POST',
      path: '/api/entities',
      operationId: 'createEntity',
      audit: 'schema.entity.create',
      summary: { en: 'Create an entity (administrators)', 'zh-CN': '创建表单（管理员）' },
      tags: ['entities'],
      auth: 'user',
      admin: true,
      workspace: true,
      query: noQuery,
      body: { allOf: [ref('EntityDefinition'), { type: 'object', required: ['key'] }] },
      responses: { '201': { ...json('The entity', ref('EntityDefinition')), headers: location } },
      async handler({ c, ws, principal, body }) {
        const entity = await store.entities.create(ws, principal, body);
        const key = (body as { key?: unknown }).key;
        if (typeof key === 'string') c.header('Location', `/api/entities/${key}`);
        return { status: 201, body: entity };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }>({
      method: 'GET',
      path: '/api/entities/{entity}',
      operationId: 'getEntity',
      summary: { en: 'Get an entity definition', 'zh-CN': '获取表单定义' },
      tags: ['entities'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: noQuery,
      responses: { '200': json('The entity', ref('EntityDefinition')) },
      async handler({ ws, params }) {
        return { body: await store.entities.get(ws, params.entity) };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }, { confirm?: boolean }>({
      method: 'PUT',
      path: '/api/entities/{entity}',
      operationId: 'updateEntity',
      audit: 'schema.entity.update',
      summary: { en: 'Change an entity definition (administrators)', 'zh-CN': '修改表单定义（管理员）' },
      description:
        'A change that would affect existing data (removed fields or options, narrowed types…) is refused with ' +
        '409 DESTRUCTIVE_CHANGE and `details.analysis` unless `?confirm=true`.',
      tags: ['entities'],
      auth: 'user',
      admin: true,
      workspace: true,
      params: entityParams,
      query: confirmQuery,
      body: ref('EntityDefinition'),
      responses: {
        '200': json('The new definition', ref('EntityDefinition')),
        '409': json('Destructive change not confirmed (details.analysis), or a conflict', ref('Error')),
      },
      async handler({ ws, principal, params, query, body }) {
        const bodyKey = (body as { key?: unknown }).key;
        if (bodyKey !== undefined && bodyKey !== params.entity) {
          throw new DomainError('BAD_REQUEST', {}, [
            {
              field: 'key',
              code: 'keyMismatch',
              message: {
                'zh-CN': '请求体中的 key 必须与地址中的表单一致',
                en: 'The body key must match the entity in the URL',
              },
            },
          ]);
        }
        const input = bodyKey === undefined ? { ...(body as object), key: params.entity } : body;
        return {
          body: await store.entities.update(ws, principal, params.entity, input, {
            confirm: query.confirm === true,
          }),
        };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }>({
      method: 'DELETE',
      path: '/api/entities/{entity}',
      operationId: 'deleteEntity',
      audit: 'schema.entity.delete',
      summary: {
        en: 'Delete an entity (administrators; data is kept)',
        'zh-CN': '删除表单（管理员，数据保留）',
      },
      tags: ['entities'],
      auth: 'user',
      admin: true,
      workspace: true,
      params: entityParams,
      query: noQuery,
      responses: { '204': noContent },
      async handler({ ws, principal, params }) {
        await store.entities.remove(ws, principal, params.entity);
        return { status: 204 };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }>({
      method: 'POST',
      path: '/api/entities/{entity}/analyse',
      operationId: 'analyseEntityChange',
      summary: { en: 'Analyse a definition change without applying it', 'zh-CN': '分析表单修改的影响' },
      tags: ['entities'],
      auth: 'user',
      admin: true,
      workspace: true,
      params: entityParams,
      query: noQuery,
      body: ref('EntityDefinition'),
      responses: { '200': json('What the change would do', ref('ChangeAnalysis')) },
      async handler({ ws, params, body }) {
        const bodyKey = (body as { key?: unknown }).key;
        const input = bodyKey === undefined ? { ...(body as object), key: params.entity } : body;
        return { body: await store.entities.analyse(ws, params.entity, input) };
      },
    }),
  );

  // --- records -----------------------------------------------------------------------------------------
  add(
    defineRoute<
      { entity: string },
      {
        filter?: string;
        sort?: string;
        limit?: number;
        cursor?: string;
        q?: string;
        deleted?: boolean;
        total?: 'auto' | 'exact';
      }
    >({
      method: 'GET',
      path: '/api/entities/{entity}/records',
      operationId: 'listRecords',
      summary: { en: 'List records: filter, sort, search, page', 'zh-CN': '查询记录' },
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: listQuery,
      responses: { '200': json('A page of records', ref('RecordList')) },
      async handler({ ws, principal, params, query }) {
        const filter = query.filter === undefined ? undefined : parseJsonSafe(query.filter, 'filter');
        const result = await store.records.list(ws, principal, params.entity, {
          ...(filter !== undefined ? { filter } : {}),
          ...(query.sort !== undefined ? { sort: query.sort } : {}),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
          ...(query.q !== undefined ? { q: query.q } : {}),
          ...(query.deleted ? { deleted: true } : {}),
          ...(query.total === 'exact' ? { total: 'exact' as const } : {}),
        });
        return { body: result };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }>({
      method: 'POST',
      path: '/api/entities/{entity}/records',
      operationId: 'createRecord',
      summary: { en: 'Create a record', 'zh-CN': '新建记录' },
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: noQuery,
      body: ref('RecordInput'),
      responses: {
        '201': { ...json('The record', ref('Record')), headers: location },
        '409': json('A unique field already has this value', ref('Error')),
      },
      async handler({ c, ws, principal, params, body, requestId }) {
        const record = await store.records.create(
          ws,
          principal,
          params.entity,
          body,
          writeOpts(requestId, c),
        );
        c.header('Location', `/api/entities/${params.entity}/records/${String(record.id)}`);
        return { status: 201, body: record };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }, unknown, { records: unknown[] }>({
      method: 'POST',
      path: '/api/entities/{entity}/records/bulk',
      operationId: 'bulkCreateRecords',
      summary: {
        en: 'Create up to 1,000 records, all or nothing',
        'zh-CN': '批量新建记录（全部成功或全部失败）',
      },
      description: 'On failure nothing is written and `details.rows` lists the errors of every failing row.',
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: noQuery,
      bodyLimitBytes: deps.bulkBodyLimitBytes,
      body: {
        type: 'object',
        properties: { records: { type: 'array', minItems: 1, maxItems: 1000, items: ref('RecordInput') } },
        required: ['records'],
        additionalProperties: false,
      },
      responses: {
        '201': json('The created records', {
          type: 'object',
          properties: { items: { type: 'array', items: ref('Record') } },
        }),
      },
      async handler({ c, ws, principal, params, body, requestId }) {
        const result = await store.records.bulkCreate(
          ws,
          principal,
          params.entity,
          body.records,
          writeOpts(requestId, c),
        );
        return { status: 201, body: Array.isArray(result) ? { items: result } : result };
      },
    }),
  );

  add(
    defineRoute<{ entity: string; id: string }>({
      method: 'GET',
      path: '/api/entities/{entity}/records/{id}',
      operationId: 'getRecord',
      summary: { en: 'Get a record', 'zh-CN': '获取记录' },
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: recordParams,
      query: noQuery,
      responses: {
        '200': {
          ...json('The record', ref('Record')),
          headers: { ETag: { description: 'The record version', schema: { type: 'string' } } },
        },
      },
      async handler({ c, ws, principal, params }) {
        const record = await store.records.get(ws, principal, params.entity, params.id);
        if (typeof record.version === 'number') c.header('ETag', `"${record.version}"`);
        return { body: record };
      },
    }),
  );

  add(
    defineRoute<{ entity: string; id: string }, unknown, Record<string, unknown>>({
      method: 'PATCH',
      path: '/api/entities/{entity}/records/{id}',
      operationId: 'updateRecord',
      summary: { en: 'Change some fields of a record', 'zh-CN': '修改记录' },
      description:
        'Send `version` in the body or `If-Match: <version>`; a stale version is refused with 409.',
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: recordParams,
      query: noQuery,
      headers: [
        {
          name: 'If-Match',
          description: 'The version you read (alternative to `version`)',
          schema: { type: 'string' },
        },
      ],
      body: ref('RecordPatch'),
      responses: {
        '200': json('The record', ref('Record')),
        '409': json('Changed by someone else (VERSION_CONFLICT) or a unique value taken', ref('Error')),
      },
      async handler({ c, ws, principal, params, body, requestId }) {
        const { version: bodyVersion, ...patch } = body;
        const headerVersion = parseIfMatch(c.req.header('if-match'));
        if (
          bodyVersion !== undefined &&
          (typeof bodyVersion !== 'number' || !Number.isInteger(bodyVersion))
        ) {
          throw new DomainError('VALIDATION_FAILED', {}, [
            {
              field: 'version',
              code: 'type',
              message: { 'zh-CN': 'version 应为整数', en: 'version must be an integer' },
            },
          ]);
        }
        if (bodyVersion !== undefined && headerVersion !== undefined && bodyVersion !== headerVersion) {
          throw new DomainError('BAD_REQUEST', {}, [
            {
              field: 'version',
              code: 'mismatch',
              message: { 'zh-CN': 'version 与 If-Match 不一致', en: 'version and If-Match disagree' },
            },
          ]);
        }
        const version = (bodyVersion as number | undefined) ?? headerVersion;
        const record = await store.records.update(ws, principal, params.entity, params.id, patch, {
          ...writeOpts(requestId, c),
          ...(version !== undefined ? { version } : {}),
        });
        if (typeof record.version === 'number') c.header('ETag', `"${record.version}"`);
        return { body: record };
      },
    }),
  );

  add(
    defineRoute<{ entity: string; id: string }>({
      method: 'DELETE',
      path: '/api/entities/{entity}/records/{id}',
      operationId: 'deleteRecord',
      summary: { en: 'Delete a record (to the recycle bin)', 'zh-CN': '删除记录（进入回收站）' },
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: recordParams,
      query: noQuery,
      responses: { '204': noContent },
      async handler({ c, ws, principal, params, requestId }) {
        await store.records.remove(ws, principal, params.entity, params.id, writeOpts(requestId, c));
        return { status: 204 };
      },
    }),
  );

  add(
    defineRoute<{ entity: string; id: string }>({
      method: 'POST',
      path: '/api/entities/{entity}/records/{id}/restore',
      operationId: 'restoreRecord',
      summary: { en: 'Restore a deleted record', 'zh-CN': '恢复已删除的记录' },
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: recordParams,
      query: noQuery,
      responses: {
        '200': json('The restored record', ref('Record')),
        '409': json('Not deleted, or a unique value is now taken', ref('Error')),
      },
      async handler({ c, ws, principal, params, requestId }) {
        return {
          body: await store.records.restore(ws, principal, params.entity, params.id, writeOpts(requestId, c)),
        };
      },
    }),
  );

  add(
    defineRoute<{ entity: string; id: string }>({
      method: 'GET',
      path: '/api/entities/{entity}/records/{id}/history',
      operationId: 'recordHistory',
      summary: { en: 'The change history of a record, newest first', 'zh-CN': '记录的修改历史' },
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: recordParams,
      query: noQuery,
      responses: {
        '200': json('Audit entries', {
          type: 'object',
          properties: { items: { type: 'array', items: ref('HistoryEntry') } },
          required: ['items'],
        }),
      },
      async handler({ ws, principal, params }) {
        const h = await store.records.history(ws, principal, params.entity, params.id);
        return { body: Array.isArray(h) ? { items: h } : h };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }>({
      method: 'POST',
      path: '/api/entities/{entity}/duplicates',
      operationId: 'findDuplicates',
      summary: { en: 'Find records that duplicate a candidate', 'zh-CN': '查重' },
      description:
        'Matches the dedupe and unique fields after normalisation (case, spaces, full-width, phone formats).',
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: noQuery,
      body: anyObject,
      responses: {
        '200': json('Matching records with `matchedOn`', {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: {
                allOf: [
                  ref('Record'),
                  { type: 'object', properties: { matchedOn: { type: 'array', items: { type: 'string' } } } },
                ],
              },
            },
          },
          required: ['items'],
        }),
      },
      async handler({ ws, principal, params, body }) {
        const r = await store.records.duplicates(ws, principal, params.entity, body);
        return { body: Array.isArray(r) ? { items: r } : r };
      },
    }),
  );

  add(
    defineRoute<{ entity: string }>({
      method: 'POST',
      path: '/api/entities/{entity}/aggregate',
      operationId: 'aggregateRecords',
      summary: { en: 'Count, sum and average records by group', 'zh-CN': '分组统计' },
      description:
        'Groups the records the caller may read by up to two fields (dates bucketed by day, week, month, quarter or year in the workspace time zone) and measures count, countDistinct, sum, avg, min and max. `filter` and `q` work as in a list; hidden fields cannot be used.',
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: noQuery,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          filter: { description: 'The filter AST, as in a list' },
          q: { type: 'string', maxLength: 200 },
          groupBy: {
            type: 'array',
            maxItems: 2,
            items: {
              oneOf: [
                { type: 'string' },
                {
                  type: 'object',
                  required: ['field'],
                  additionalProperties: false,
                  properties: {
                    field: { type: 'string' },
                    bucket: { enum: ['day', 'week', 'month', 'quarter', 'year'] },
                  },
                },
              ],
            },
          },
          measures: {
            type: 'array',
            minItems: 1,
            maxItems: 10,
            items: {
              type: 'object',
              required: ['op'],
              additionalProperties: false,
              properties: {
                op: { enum: ['count', 'countDistinct', 'sum', 'avg', 'min', 'max'] },
                field: { type: 'string' },
                as: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$' },
              },
            },
          },
          limit: { type: 'integer', minimum: 1, maximum: 10000 },
        },
      },
      responses: {
        '200': json('One row per group, largest first: group keys by field key, measures by name', {
          type: 'object',
          properties: {
            items: { type: 'array', items: { type: 'object', additionalProperties: true } },
            truncated: { type: 'boolean' },
          },
          required: ['items', 'truncated'],
        }),
      },
      async handler({ ws, principal, params, body }) {
        return {
          body: await store.records.aggregate(ws, principal, params.entity, body as Record<string, unknown>),
        };
      },
    }),
  );

  routes.push(...buildViewRoutes(deps), ...buildFileRoutes(deps), ...buildPeopleRoutes(deps));
  if (deps.workflow) routes.push(...buildWorkflowRoutes({ workflow: deps.workflow }));
  return routes;
}

/** The entities a caller may read or create, without the fields their roles hide (for the OpenAPI document). */
function visibleEntities(entities: EntityDefinition[], principal: Principal): EntityDefinition[] {
  if (principal.isAdmin || principal.access?.admin) return entities;
  const access = principal.access;
  if (!access) return [];
  return entities.flatMap((e) => {
    const ea = entityAccess(access, e.key);
    if (!ea.actions.has('read') && !ea.actions.has('create')) return [];
    return [{ ...e, fields: e.fields.filter((f) => !ea.hidden.has(f.key)) }];
  });
}
