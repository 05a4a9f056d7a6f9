/**
 * Test support (not exported): a real app on a fresh test database (`@formwork/store/testing`), an admin
 * user, and a small request helper around `app.request()`.
 */
import { createStore, orgApi } from '@formwork/store';
import { createTestDb } from '@formwork/store/testing';
import { type AppConfig, createApp } from './app.js';
import { createMemoryLogger, type Logger } from './logger.js';
import type { StorePort } from './types.js';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1', name: 'Admin' };
export const USER = { email: 'user@example.com', password: 'user-password-1', name: 'User' };

export interface TestResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON, typed as JSON.parse types it (tests read answers loosely). */
  body: ReturnType<typeof JSON.parse>;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (not JSON-encoded). */
  raw?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export async function startTestApp(
  opts: {
    config?: AppConfig;
    logger?: Logger;
    now?: () => Date;
    wrapStore?: (s: StorePort) => StorePort;
  } = {},
) {
  const db = await createTestDb();
  const realStore = createStore(db);
  const store: StorePort = opts.wrapStore ? opts.wrapStore(realStore) : realStore;
  const logger = opts.logger ?? createMemoryLogger();
  const { app, auth, routes } = createApp({
    store,
    db,
    logger,
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  await realStore.workspaces.ensureDefault();
  const admin = await auth.createUser({ ...ADMIN, isAdmin: true });
  const user = await auth.createUser({ ...USER, isAdmin: false });
  // The user is a member of the default workspace whose role manages every entity (管理全部).
  const org = orgApi(db);
  const staff = await org.roles.create(
    'default',
    { key: 'staff', name: 'Staff', permissions: { entities: { '*': { preset: 'manageAll' } } } },
    { actor: null },
  );
  await org.members.add(
    'default',
    { email: USER.email, status: 'active', roleIds: [staff.id] },
    { actor: null },
  );

  async function request(method: string, path: string, o: RequestOptions = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  async function login(who: { email: string; password: string }): Promise<string> {
    const r = await request('POST', '/api/auth/login', {
      body: { email: who.email, password: who.password },
    });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
    return r.body.token as string;
  }

  const adminToken = await login(ADMIN);
  const userToken = await login(USER);

  return {
    app,
    db,
    store,
    auth,
    routes,
    logger,
    org,
    admin,
    user,
    adminToken,
    userToken,
    request,
    login,
    /** As the admin unless `token` is given. */
    api: (method: string, path: string, o: RequestOptions = {}) =>
      request(method, path, { ...o, token: o.token === undefined ? adminToken : o.token }),
    close: () => db.close(),
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** The entity most tests use (types of the contract). */
export const customerEntity = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    {
      key: 'name',
      type: 'text',
      label: { 'zh-CN': '客户名称', en: 'Customer name' },
      required: true,
      indexed: true,
    },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '手机号', en: 'Phone' }, unique: true, dedupe: true },
    {
      key: 'grade',
      type: 'select',
      options: [{ value: 'A' }, { value: 'B' }, { value: 'C' }],
      indexed: true,
    },
    { key: 'amount', type: 'amount', indexed: true },
    { key: 'signedOn', type: 'date' },
    { key: 'vip', type: 'boolean' },
    { key: 'tags', type: 'tags' },
    { key: 'note', type: 'longText' },
  ],
};
