import { ApiError, createClient, type FormworkClient, type User } from '@formwork/client';
import type { EntityDefinition, Locale } from '@formwork/metadata';
import type { SavedView, ViewConfig } from '@formwork/ui/views';

/**
 * The browser's connection to the API: the typed client, plus saved views and file uploads (their
 * routes are newer than the client). The session is the server's HTTP-only `fw_session` cookie: the app
 * never sees or keeps a token. Every unsafe request (POST, PUT, PATCH, DELETE) carries the readable
 * `fw_csrf` cookie back as `X-CSRF-Token`; the workspace is `X-Workspace`.
 */

/** Where an earlier version kept the session token; removed on start. */
const LEGACY_SESSION_KEY = 'formwork.session';
const WORKSPACE_KEY = 'formwork.workspace';
export const CSRF_COOKIE = 'fw_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The signed-in user (kept in memory only; `GET /api/auth/me` restores it after a reload). */
export interface Session {
  user: User;
}

/** A cookie's value from `document.cookie` (or the given string); null when absent. */
export function readCookie(name: string, cookies: string = globalThis.document?.cookie ?? ''): string | null {
  for (const part of cookies.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return part.slice(i + 1).trim();
      }
    }
  }
  return null;
}

/**
 * Whether the browser may hold a session: the server sets the readable CSRF cookie next to the HTTP-only
 * session cookie, so without it there is nothing to restore (the login page shows at once).
 */
export function maybeSignedIn(): boolean {
  return readCookie(CSRF_COOKIE) !== null;
}

/** Forgets a session token an earlier version of the app kept in localStorage. */
export function dropLegacySession(): void {
  try {
    globalThis.localStorage?.removeItem(LEGACY_SESSION_KEY);
  } catch {
    // storage unavailable (private mode): nothing to drop
  }
}

/**
 * `fetch` for the app: sends the cookies of this origin and, on unsafe methods, the CSRF header the
 * server checks for cookie-authenticated changes.
 */
export function withCsrf(doFetch: typeof fetch, csrf: () => string | null = () => readCookie(CSRF_COOKIE)) {
  return (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    headers.delete('authorization');
    if (UNSAFE.has(method)) {
      const token = csrf();
      if (token) headers.set('x-csrf-token', token);
    }
    return doFetch(input, { ...init, headers, credentials: 'same-origin' });
  };
}

export function currentWorkspace(): string {
  return globalThis.localStorage?.getItem(WORKSPACE_KEY) || 'default';
}

export interface EntityPermissions {
  actions: string[];
  hiddenFields: string[];
  readonlyFields: string[];
}

/** `GET /api/auth/me` (the permission parts are there once the server has roles). */
export interface Me {
  user: User;
  isAdmin?: boolean;
  permissions?: Record<string, EntityPermissions>;
}

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  type: string;
  url: string;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(opts: { locale: Locale; baseUrl?: string; fetch?: typeof fetch }) {
  const baseUrl = opts.baseUrl ?? globalThis.location.origin;
  const doFetch = withCsrf(opts.fetch ?? globalThis.fetch.bind(globalThis));
  const workspace = currentWorkspace();
  const client: FormworkClient = createClient({
    baseUrl,
    locale: opts.locale,
    workspace,
    fetch: doFetch,
    // Writes from the app are audited as made through a form, not the API.
    headers: { 'x-formwork-source': 'form' },
  });

  async function call<T>(method: string, path: string, body?: unknown, form?: FormData): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': opts.locale };
    headers['x-workspace'] = workspace;
    headers['x-formwork-source'] = 'form';
    let payload: BodyInit | undefined;
    if (form) payload = form;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await doFetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(payload ? { body: payload } : {}),
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const e = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
        ?.error;
      throw new ApiError(res.status, e?.code ?? 'HTTP_ERROR', e?.message ?? res.statusText, e?.details ?? {});
    }
    return json as T;
  }

  const seg = encodeURIComponent;
  return {
    client,
    locale: opts.locale,
    /** Any JSON route of the API (admin screens use the routes the typed client does not cover). */
    request: <T>(method: string, path: string, body?: unknown) => call<T>(method, path, body),
    auth: {
      /**
       * Logs in: the server sets the HTTP-only session cookie and the CSRF cookie, and (`cookieOnly`)
       * leaves the token out of its answer — no script in the page ever holds it.
       */
      async login(email: string, password: string): Promise<Session> {
        const r = await call<{ user: User }>('POST', '/api/auth/login', {
          email,
          password,
          cookieOnly: true,
        });
        return { user: r.user };
      },
      /** Ends the session on the server (which clears the cookies). */
      logout: () => call<void>('POST', '/api/auth/logout'),
      /** Sets the password of an invited member; they log in next. */
      acceptInvitation: (input: { token: string; password: string; name?: string }) =>
        call<User>('POST', '/api/auth/invitations/accept', input),
    },
    views: {
      list: (entity: string) =>
        call<{ items: SavedView[] }>('GET', `/api/entities/${seg(entity)}/views`).then((r) => r.items),
      create: (entity: string, input: { name: string; shared?: boolean; config: ViewConfig }) =>
        call<SavedView>('POST', `/api/entities/${seg(entity)}/views`, input),
      update: (entity: string, id: string, patch: { name?: string; shared?: boolean; config?: ViewConfig }) =>
        call<SavedView>('PATCH', `/api/entities/${seg(entity)}/views/${seg(id)}`, patch),
      remove: (entity: string, id: string) =>
        call<void>('DELETE', `/api/entities/${seg(entity)}/views/${seg(id)}`),
    },
    files: {
      upload(
        file: File | Blob,
        name: string,
        field?: { entity: string; field: string },
      ): Promise<StoredFile> {
        const form = new FormData();
        form.append('file', file, name);
        if (field) {
          form.append('entity', field.entity);
          form.append('field', field.field);
        }
        return call<StoredFile>('POST', '/api/files', undefined, form);
      },
    },
    /** Who I am in this workspace: administrator or not, and per entity what I may do. */
    me: () => call<Me>('GET', '/api/auth/me'),
    /** Departments, when the server has them (the permissions routes); otherwise none. */
    async departments(): Promise<Array<{ id: string; name: string }>> {
      try {
        const r = await call<{ items: Array<{ id: string; name: unknown }> }>('GET', '/api/departments');
        return r.items.map((d) => ({ id: d.id, name: typeof d.name === 'string' ? d.name : d.id }));
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return [];
        throw e;
      }
    },
  };
}

/** The title of a record: its title field, else its first text field, else a short id. */
export function recordTitle(entity: EntityDefinition, record: Record<string, unknown>): string {
  const key =
    entity.titleField ??
    entity.fields.find((f) => f.type === 'text' || f.type === 'autoNumber')?.key ??
    undefined;
  const v = key ? record[key] : undefined;
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number') return String(v);
  return `#${String(record.id ?? '').slice(0, 8)}`;
}

export { ApiError };
