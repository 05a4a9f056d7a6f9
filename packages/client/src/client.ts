import type { EntityDefinition, FilterNode, Locale, SchemaChange, SortItem } from '@formwork/metadata';
import { toApiError } from './api-error.js';

/**
 * A typed client of the Formwork REST API (browser, CLI, templates' tests, benchmarks). It uses the global
 * `fetch` (or the one given) and throws `ApiError { status, code, message, details }` on any non-2xx answer.
 */

export interface ClientOptions {
  /** e.g. `http://localhost:3000` (a trailing slash is fine). */
  baseUrl: string;
  /** A session token (from login) or an API token. `auth.login` sets it for you. */
  token?: string;
  /** X-Workspace (default: the server's `default`). */
  workspace?: string;
  /** Accept-Language for error messages. */
  locale?: Locale;
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export type RecordData = {
  id: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  ownerId: string | null;
  version: number;
} & Record<string, unknown>;

export interface Page<T = RecordData> {
  items: T[];
  nextCursor: string | null;
  total: number;
  /** false when `total` is the database's estimate (many matches; ask `total: 'exact'` to count). */
  totalExact: boolean;
}

export interface ListOptions {
  /** The filter AST (sent as JSON). */
  filter?: FilterNode;
  /** `-amount,name` or `[{ field: 'amount', direction: 'desc' }, …]`. */
  sort?: string | SortItem[];
  limit?: number;
  cursor?: string;
  q?: string;
  /** List the recycle bin instead. */
  deleted?: boolean;
  /** 'exact' counts every match even when there are many (slower on large lists). */
  total?: 'auto' | 'exact';
}

export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  status: 'active' | 'disabled';
  createdAt: string;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: User;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface Workspace {
  key: string;
  name: string;
  [k: string]: unknown;
}

export type EntityInfo = EntityDefinition & { version?: number; [k: string]: unknown };

/** One change of a definition as the server analyses it: metadata's `SchemaChange` plus the affected count. */
export type AnalysedChange = SchemaChange & { affectedCount: number | null };

/** `POST /api/entities/{entity}/analyse`: what a definition change would do to existing records. */
export interface ChangeAnalysis {
  destructive: boolean;
  changes: AnalysedChange[];
}

export interface HistoryEntry {
  id: string | number;
  action: string;
  actor: string | null;
  source: string | null;
  at: string;
  changes: Array<{ field: string; before: unknown; after: unknown }>;
}

export type DuplicateMatch = RecordData & { matchedOn: string[] };

export interface BulkResult {
  items: RecordData[];
  [k: string]: unknown;
}

type Query = Record<string, string | number | boolean | undefined>;

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let token = options.token;
  let workspace = options.workspace;

  async function request<T>(
    method: string,
    path: string,
    opts: { query?: Query; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
      ...opts.headers,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    if (workspace) headers['x-workspace'] = workspace;
    if (options.locale) headers['accept-language'] = options.locale;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await doFetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    if (!res.ok) throw await toApiError(res);
    if (res.status === 204) {
      await res.body?.cancel();
      return undefined as T;
    }
    return (await res.json()) as T;
  }

  const seg = (s: string) => encodeURIComponent(s);
  const recordsPath = (entity: string) => `/api/entities/${seg(entity)}/records`;

  const client = {
    /** The token sent as `Authorization: Bearer`. */
    get token(): string | undefined {
      return token;
    },
    setToken(t: string | undefined): void {
      token = t;
    },
    get workspace(): string | undefined {
      return workspace;
    },
    setWorkspace(ws: string | undefined): void {
      workspace = ws;
    },

    health: () => request<{ status: 'ok' }>('GET', '/api/health'),
    openapi: () => request<Record<string, unknown>>('GET', '/api/openapi.json'),

    auth: {
      /** Logs in and uses the session token for the following calls. */
      async login(email: string, password: string): Promise<LoginResult> {
        const r = await request<LoginResult>('POST', '/api/auth/login', { body: { email, password } });
        token = r.token;
        return r;
      },
      async logout(): Promise<void> {
        await request<void>('POST', '/api/auth/logout');
        token = undefined;
      },
      me: () =>
        request<{ user: User; roles: string[]; authMethod: 'session' | 'token' }>('GET', '/api/auth/me'),
      tokens: {
        create: (input: { name: string; expiresAt?: string }) =>
          request<ApiTokenInfo & { token: string }>('POST', '/api/auth/tokens', { body: input }),
        list: () => request<{ items: ApiTokenInfo[] }>('GET', '/api/auth/tokens').then((r) => r.items),
        revoke: (id: string) => request<void>('DELETE', `/api/auth/tokens/${seg(id)}`),
      },
    },

    users: {
      list: () => request<{ items: User[] }>('GET', '/api/users').then((r) => r.items),
      create: (input: { email: string; name: string; password: string; isAdmin?: boolean }) =>
        request<User>('POST', '/api/users', { body: input }),
      update: (id: string, patch: { name?: string; isAdmin?: boolean; status?: 'active' | 'disabled' }) =>
        request<User>('PATCH', `/api/users/${seg(id)}`, { body: patch }),
    },

    workspaces: {
      list: () => request<{ items: Workspace[] }>('GET', '/api/workspaces').then((r) => r.items),
      create: (input: { key: string; name: string }) =>
        request<Workspace>('POST', '/api/workspaces', { body: input }),
    },

    entities: {
      list: () => request<{ items: EntityInfo[] }>('GET', '/api/entities').then((r) => r.items),
      get: (key: string) => request<EntityInfo>('GET', `/api/entities/${seg(key)}`),
      create: (definition: EntityDefinition) =>
        request<EntityInfo>('POST', '/api/entities', { body: definition }),
      /** Refused with 409 DESTRUCTIVE_CHANGE (details.analysis) unless `confirm`. */
      update: (key: string, definition: EntityDefinition, opts: { confirm?: boolean } = {}) =>
        request<EntityInfo>('PUT', `/api/entities/${seg(key)}`, {
          body: definition,
          query: { confirm: opts.confirm ? 'true' : undefined },
        }),
      analyse: (key: string, definition: EntityDefinition) =>
        request<ChangeAnalysis>('POST', `/api/entities/${seg(key)}/analyse`, { body: definition }),
      remove: (key: string) => request<void>('DELETE', `/api/entities/${seg(key)}`),
    },

    records: {
      list<T = RecordData>(entity: string, opts: ListOptions = {}): Promise<Page<T>> {
        const sort =
          typeof opts.sort === 'string' || opts.sort === undefined
            ? opts.sort
            : opts.sort.map((s) => (s.direction === 'desc' ? `-${s.field}` : s.field)).join(',');
        return request<Page<T>>('GET', recordsPath(entity), {
          query: {
            filter: opts.filter === undefined ? undefined : JSON.stringify(opts.filter),
            sort,
            limit: opts.limit,
            cursor: opts.cursor,
            q: opts.q,
            deleted: opts.deleted ? 'true' : undefined,
            total: opts.total,
          },
        });
      },
      /** Every record matching `opts`, page by page. */
      async *iterate<T = RecordData>(
        entity: string,
        opts: Omit<ListOptions, 'cursor'> = {},
      ): AsyncGenerator<T> {
        let cursor: string | undefined;
        do {
          const page: Page<T> = await client.records.list<T>(entity, {
            ...opts,
            ...(cursor ? { cursor } : {}),
          });
          yield* page.items;
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      },
      get: <T = RecordData>(entity: string, id: string) =>
        request<T>('GET', `${recordsPath(entity)}/${seg(id)}`),
      create: <T = RecordData>(entity: string, data: Record<string, unknown>) =>
        request<T>('POST', recordsPath(entity), { body: data }),
      /** A partial update; pass the `version` you read to be refused (409 VERSION_CONFLICT) if it changed since. */
      update: <T = RecordData>(
        entity: string,
        id: string,
        patch: Record<string, unknown>,
        opts: { version?: number } = {},
      ) =>
        request<T>('PATCH', `${recordsPath(entity)}/${seg(id)}`, {
          body: patch,
          ...(opts.version !== undefined ? { headers: { 'if-match': `"${opts.version}"` } } : {}),
        }),
      remove: (entity: string, id: string) => request<void>('DELETE', `${recordsPath(entity)}/${seg(id)}`),
      restore: <T = RecordData>(entity: string, id: string) =>
        request<T>('POST', `${recordsPath(entity)}/${seg(id)}/restore`),
      history: (entity: string, id: string) =>
        request<{ items: HistoryEntry[] }>('GET', `${recordsPath(entity)}/${seg(id)}/history`).then(
          (r) => r.items,
        ),
      /** Up to 1,000 records, all or nothing (422 with `details.rows` on failure). */
      bulkCreate: (entity: string, records: Array<Record<string, unknown>>) =>
        request<BulkResult>('POST', `${recordsPath(entity)}/bulk`, { body: { records } }),
      duplicates: (entity: string, candidate: Record<string, unknown>) =>
        request<{ items: DuplicateMatch[] }>('POST', `/api/entities/${seg(entity)}/duplicates`, {
          body: candidate,
        }).then((r) => r.items),
    },
  };
  return client;
}

export type FormworkClient = ReturnType<typeof createClient>;
