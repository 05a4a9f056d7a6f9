import { toJsonSchema, toRecordSchema } from '@formwork/metadata';
import { createApp, createServer, type RunningServer, type StorePort, silentLogger } from '@formwork/server';
import { createStore } from '@formwork/store';
import { createTestDb, type TestDb } from '@formwork/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { createClient, type FormworkClient } from './client.js';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };

describe('createClient against a real server', () => {
  let db: TestDb;
  let server: RunningServer;
  let baseUrl: string;
  let client: FormworkClient;

  beforeAll(async () => {
    db = await createTestDb();
    const store = createStore(db) as unknown as StorePort & {
      workspaces: { ensureDefault(): Promise<unknown> };
    };
    await store.workspaces.ensureDefault();
    const { app, auth } = createApp({
      store,
      db,
      logger: silentLogger,
      schemas: { record: toRecordSchema, input: toJsonSchema },
    });
    await auth.createUser({ ...ADMIN, name: 'Admin', isAdmin: true });
    server = await createServer(app, 0, { hostname: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${server.port}/`;
    client = createClient({ baseUrl });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('health and openapi need no token', async () => {
    expect(await client.health()).toEqual({ status: 'ok' });
    const doc = await client.openapi();
    expect(doc.openapi).toBe('3.1.0');
  });

  it('throws ApiError with status, code, message and details; messages follow the locale', async () => {
    const zh = createClient({ baseUrl, locale: 'zh-CN' });
    const e = await zh.auth.login(ADMIN.email, 'wrong-password').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', message: '邮箱或密码不正确' });
    expect((e as ApiError).requestId).toMatch(/^[\w-]+$/);
    const unauth = await zh.entities.list().catch((x: unknown) => x);
    expect(unauth).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: '请先登录' });
  });

  it('logs in, keeps the token, and reads me', async () => {
    const r = await client.auth.login(ADMIN.email, ADMIN.password);
    expect(client.token).toBe(r.token);
    const me = await client.auth.me();
    expect(me.user.email).toBe(ADMIN.email);
  });

  it('manages API tokens; a client built on one works', async () => {
    const t = await client.auth.tokens.create({ name: 'ci' });
    const other = createClient({ baseUrl, token: t.token });
    expect((await other.auth.me()).authMethod).toBe('token');
    expect((await client.auth.tokens.list()).map((x) => x.id)).toContain(t.id);
    await client.auth.tokens.revoke(t.id);
    await expect(other.auth.me()).rejects.toMatchObject({ status: 401 });
  });

  it('users and workspaces', async () => {
    const u = await client.users.create({ email: 'u@example.com', name: 'U', password: 'user-password-1' });
    expect((await client.users.list()).map((x) => x.id)).toContain(u.id);
    expect((await client.users.update(u.id, { name: 'U2' })).name).toBe('U2');
    await client.workspaces.create({ key: 'client_ws', name: 'Client' });
    expect((await client.workspaces.list()).map((w) => w.key)).toEqual(
      expect.arrayContaining(['default', 'client_ws']),
    );
  });

  it('entities: create, get, list, analyse, destructive update refused then confirmed, remove', async () => {
    const def = {
      key: 'ticket',
      fields: [
        { key: 'title', type: 'text' as const, required: true },
        { key: 'level', type: 'select' as const, options: [{ value: 'low' }, { value: 'high' }] },
        { key: 'phone', type: 'phone' as const, unique: true, dedupe: true },
        { key: 'amount', type: 'amount' as const, indexed: true },
      ],
    };
    await client.entities.create(def);
    expect((await client.entities.get('ticket')).key).toBe('ticket');
    expect((await client.entities.list()).map((e) => e.key)).toContain('ticket');
    await client.records.create('ticket', { title: 'x', level: 'high' });
    const narrowed = {
      ...def,
      fields: def.fields.map((f) => (f.key === 'level' ? { ...f, options: [{ value: 'low' }] } : f)),
    };
    expect((await client.entities.analyse('ticket', narrowed)).destructive).toBe(true);
    const refused = await client.entities.update('ticket', narrowed).catch((x: unknown) => x);
    expect(refused).toMatchObject({ status: 409, code: 'DESTRUCTIVE_CHANGE' });
    expect((refused as ApiError).details.analysis).toBeDefined();
    await client.entities.update('ticket', narrowed, { confirm: true });
    await client.entities.create({ key: 'gone', fields: [{ key: 'a', type: 'text' }] });
    await client.entities.remove('gone');
    await expect(client.entities.get('gone')).rejects.toMatchObject({
      status: 404,
      code: 'ENTITY_NOT_FOUND',
    });
  });

  it('records: create, get, update with version, conflict, remove, restore, history', async () => {
    const r = await client.records.create('ticket', { title: 'printer', phone: '+86 139-0000-0001' });
    expect((await client.records.get('ticket', r.id)).title).toBe('printer');
    const u = await client.records.update('ticket', r.id, { title: 'printer 2' }, { version: r.version });
    expect(u.version).toBe(r.version + 1);
    await expect(
      client.records.update('ticket', r.id, { title: 'stale' }, { version: r.version }),
    ).rejects.toMatchObject({
      status: 409,
      code: 'VERSION_CONFLICT',
    });
    await client.records.remove('ticket', r.id);
    await expect(client.records.get('ticket', r.id)).rejects.toMatchObject({ status: 404 });
    expect((await client.records.restore('ticket', r.id)).id).toBe(r.id);
    const history = await client.records.history('ticket', r.id);
    expect(history.length).toBeGreaterThanOrEqual(4);
    const dups = await client.records.duplicates('ticket', { phone: '13900000001' });
    expect(dups.map((d) => d.id)).toEqual([r.id]);
  });

  it('records: bulk, list with filter/sort, iterate pages', async () => {
    const bulk = await client.records.bulkCreate(
      'ticket',
      Array.from({ length: 30 }, (_, i) => ({ title: `bulk ${i}`, amount: i })),
    );
    expect(bulk).toBeDefined();
    const bad = await client.records
      .bulkCreate('ticket', [{ title: 'ok' }, { amount: 'x' }])
      .catch((x: unknown) => x);
    expect(bad).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    const page = await client.records.list('ticket', {
      filter: { field: 'amount', op: 'gte', value: 10 },
      sort: [{ field: 'amount', direction: 'desc' }],
      limit: 5,
    });
    expect(page.total).toBe(20);
    expect(page.items.map((x) => x.amount)).toEqual([29, 28, 27, 26, 25]);
    const all: unknown[] = [];
    for await (const rec of client.records.iterate('ticket', {
      filter: { field: 'amount', op: 'gte', value: 10 },
      limit: 6,
    })) {
      all.push(rec);
    }
    expect(all).toHaveLength(20);
    const unknownField = await client.records
      .list('ticket', { filter: { field: 'nope', op: 'eq', value: 1 } })
      .catch((x: unknown) => x);
    expect(unknownField).toBeInstanceOf(ApiError);
    expect((unknownField as ApiError).status).toBeLessThan(500);
  });

  it('logout drops the token', async () => {
    await client.auth.logout();
    expect(client.token).toBeUndefined();
  });

  it('reports non-JSON error answers too', async () => {
    const broken = createClient({
      baseUrl,
      fetch: async () => new Response('<html>bad gateway</html>', { status: 502 }),
    });
    await expect(broken.health()).rejects.toMatchObject({ status: 502, code: 'INTERNAL' });
  });
});
