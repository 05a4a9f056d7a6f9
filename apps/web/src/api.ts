import { ApiError, createClient, type FormworkClient, type User } from '@formwork/client';
import type { EntityDefinition, Locale } from '@formwork/metadata';
import type { SavedView, ViewConfig } from '@formwork/ui/views';

/**
 * The browser's connection to the API: the typed client, plus saved views and file uploads (their
 * routes are newer than the client). The session token lives in localStorage and is sent as a bearer
 * token; the workspace is `X-Workspace`.
 */

const SESSION_KEY = 'formwork.session';
const WORKSPACE_KEY = 'formwork.workspace';

export interface Session {
  token: string;
  expiresAt: string;
  user: User;
}

export function loadSession(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== 'string' || new Date(s.expiresAt).getTime() < Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) globalThis.localStorage?.setItem(SESSION_KEY, JSON.stringify(s));
  else globalThis.localStorage?.removeItem(SESSION_KEY);
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

export function createApi(opts: { token?: string; locale: Locale; baseUrl?: string; fetch?: typeof fetch }) {
  const baseUrl = opts.baseUrl ?? globalThis.location.origin;
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const workspace = currentWorkspace();
  const client: FormworkClient = createClient({
    baseUrl,
    locale: opts.locale,
    workspace,
    fetch: doFetch,
    // Writes from the app are audited as made through a form, not the API.
    headers: { 'x-formwork-source': 'form' },
    ...(opts.token ? { token: opts.token } : {}),
  });

  async function call<T>(method: string, path: string, body?: unknown, form?: FormData): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': opts.locale };
    if (client.token) headers.authorization = `Bearer ${client.token}`;
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
