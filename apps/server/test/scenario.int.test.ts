/**
 * The platform-core acceptance scenario, as a new user would script it against a freshly started
 * `formwork` process over HTTP: entity with many field types, valid and invalid records, filters, sorts
 * and paging, a race on a unique field, a destructive change with and without confirmation, restore,
 * history, OpenAPI, and hostile input that must get clear 4xx answers and change nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb } from '@formwork/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDir, healthy, onPostgres, run, type Started } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON in assertions
type Json = any;

const ADMIN = { email: 'admin@scenario.test', password: 'scenario-password-1' };

const CUSTOMER = {
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
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' }, unique: true, dedupe: true },
    { key: 'email', type: 'email', dedupe: true },
    {
      key: 'grade',
      type: 'select',
      options: [{ value: 'A' }, { value: 'B' }, { value: 'C' }],
      indexed: true,
    },
    { key: 'channels', type: 'multiSelect', options: [{ value: 'web' }, { value: 'phone' }] },
    { key: 'revenue', type: 'amount', indexed: true },
    { key: 'share', type: 'percent' },
    { key: 'employees', type: 'number' },
    { key: 'since', type: 'date' },
    { key: 'lastContact', type: 'datetime' },
    { key: 'vip', type: 'boolean' },
    { key: 'site', type: 'url' },
    { key: 'tags', type: 'tags' },
    { key: 'note', type: 'longText' },
    { key: 'score', type: 'rating' },
    { key: 'place', type: 'location' },
    { key: 'code', type: 'autoNumber', pattern: 'C-{0000}' },
    {
      key: 'items',
      type: 'subform',
      fields: [
        { key: 'qty', type: 'number' },
        { key: 'price', type: 'amount' },
        { key: 'amount', type: 'formula', formula: 'qty * price' },
      ],
    },
    { key: 'total', type: 'formula', formula: 'SUM(items.amount)' },
  ],
};

let server: Started;
let token = '';
let dataDir: string;
let cleanup: () => Promise<void> = async () => {};

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const fieldsOf = (r: { body: Json }) =>
  (r.body.error.details.fields as { field: string; code: string; message: string }[]).map((f) => f.field);

beforeAll(async () => {
  execFileSync(process.execPath, ['build.mjs'], { cwd: appDir, stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'formwork-scenario-'));
  let env: NodeJS.ProcessEnv = { DATABASE_URL: '', FORMWORK_DATA_DIR: dataDir };
  if (onPostgres) {
    const db = await createTestDb();
    env = { DATABASE_URL: db.url };
    cleanup = () => db.close();
  }
  server = run(['start'], {
    ...env,
    PORT: String(41_000 + Math.floor(Math.random() * 9_000)),
    FORMWORK_ADMIN_EMAIL: ADMIN.email,
    FORMWORK_ADMIN_PASSWORD: ADMIN.password,
    FORMWORK_LOG: 'error',
  });
  await healthy(server);
  const login = await call('POST', '/api/auth/login', ADMIN);
  expect(login.status).toBe(200);
  token = login.body.token;
}, 180_000);

afterAll(async () => {
  server?.proc.kill('SIGTERM');
  await server?.exit;
  await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a new user scripting the API', () => {
  it('defines an entity with 19 field types and reads it back', async () => {
    const created = await call('POST', '/api/entities', CUSTOMER);
    expect(created.status).toBe(201);
    const got = await call('GET', '/api/entities/customer');
    expect(got.body.fields.map((f: { type: string }) => f.type)).toEqual(CUSTOMER.fields.map((f) => f.type));
  });

  it('creates a valid record with exact formulas and an auto number', async () => {
    const r = await call('POST', '/api/entities/customer/records', {
      name: '上海示例科技有限公司',
      phone: '+86 138-0013-8000',
      grade: 'A',
      revenue: '1,234.50',
      items: [
        { qty: 3, price: 0.1 },
        { qty: 1, price: 0.2 },
      ],
      place: { lat: 31.23, lng: 121.47, address: '上海市黄浦区' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ revenue: 1234.5, total: 0.5, code: 'C-0001', version: 1 });
    expect(r.body.items.map((i: { amount: number }) => i.amount)).toEqual([0.3, 0.2]);
    expect(Object.keys(r.body)).toEqual(
      expect.arrayContaining(['id', 'createdAt', 'updatedAt', 'createdBy', 'ownerId']),
    );
  });

  it('refuses invalid records with every field error, in the caller’s language', async () => {
    const zh = await call(
      'POST',
      '/api/entities/customer/records',
      { revenue: 'lots', grade: 'Z', total: 5 },
      {
        'accept-language': 'zh-CN',
      },
    );
    expect(zh.status).toBe(422);
    expect(fieldsOf(zh)).toEqual(expect.arrayContaining(['name', 'revenue', 'grade', 'total']));
    expect(zh.body.error.details.fields.find((f: { field: string }) => f.field === 'name').message).toBe(
      '客户名称 不能为空',
    );
    const en = await call(
      'POST',
      '/api/entities/customer/records',
      { name: 'x', nonsense: 1 },
      {
        'accept-language': 'en',
      },
    );
    expect(en.status).toBe(422);
    expect(fieldsOf(en)).toContain('nonsense');
  });

  it('filters, sorts and pages through records', async () => {
    const rows = Array.from({ length: 45 }, (_, i) => ({
      name: `Customer ${i}`,
      grade: ['A', 'B', 'C'][i % 3],
      revenue: i * 100,
      since: `2026-0${(i % 9) + 1}-15`,
    }));
    const bulk = await call('POST', '/api/entities/customer/records/bulk', { records: rows });
    expect(bulk.status).toBe(201);
    const filter = encodeURIComponent(
      JSON.stringify({
        and: [
          { field: 'grade', op: 'in', value: ['A', 'B'] },
          { field: 'revenue', op: 'gte', value: 1000 },
        ],
      }),
    );
    const seen: number[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = await call(
        'GET',
        `/api/entities/customer/records?filter=${filter}&sort=-revenue&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(24);
      seen.push(...page.body.items.map((r: { revenue: number }) => r.revenue));
      if (!page.body.nextCursor) break;
      cursor = encodeURIComponent(page.body.nextCursor);
    }
    const expected = [
      1234.5, // the grade A customer created first
      ...rows.filter((r) => r.grade !== 'C' && r.revenue >= 1000).map((r) => r.revenue),
    ].sort((a, b) => b - a);
    expect(seen).toEqual(expected);
    const search = await call('GET', `/api/entities/customer/records?q=${encodeURIComponent('示例科技')}`);
    expect(search.body.items.map((r: { name: string }) => r.name)).toEqual(['上海示例科技有限公司']);
  });

  it('lets exactly one of ten concurrent creates with the same phone (in different formats) win', async () => {
    const formats = [
      '13900139000',
      '+86 139-0013-9000',
      '139 0013 9000',
      '+8613900139000',
      '１３９００１３９０００',
    ];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('POST', '/api/entities/customer/records', {
          name: `Racer ${i}`,
          phone: formats[i % formats.length],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('UNIQUE_VIOLATION');
      expect(fieldsOf(r)).toEqual(['phone']);
    }
    const dupes = await call('POST', '/api/entities/customer/duplicates', { phone: '139-0013-9000' });
    expect(dupes.status).toBe(200);
  });

  it('refuses a destructive change with its analysis, and applies it when confirmed', async () => {
    const next = { ...CUSTOMER, fields: CUSTOMER.fields.filter((f) => f.key !== 'revenue') };
    const refused = await call('PUT', '/api/entities/customer', next);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('DESTRUCTIVE_CHANGE');
    expect(JSON.stringify(refused.body.error.details)).toContain('revenue');
    expect(
      (await call('GET', '/api/entities/customer')).body.fields.some(
        (f: { key: string }) => f.key === 'revenue',
      ),
    ).toBe(true);
    const applied = await call('PUT', '/api/entities/customer?confirm=true', next);
    expect(applied.status).toBe(200);
    expect(applied.body.fields.some((f: { key: string }) => f.key === 'revenue')).toBe(false);
  });

  it('deletes, restores and tells the history of a record', async () => {
    const r = (await call('POST', '/api/entities/customer/records', { name: 'History Ltd' })).body;
    const patched = await call('PATCH', `/api/entities/customer/records/${r.id}`, { grade: 'B', version: 1 });
    expect(patched.body.version).toBe(2);
    const stale = await call('PATCH', `/api/entities/customer/records/${r.id}`, { grade: 'C', version: 1 });
    expect(stale.status).toBe(409);
    expect((await call('DELETE', `/api/entities/customer/records/${r.id}`)).status).toBeLessThan(300);
    expect((await call('GET', `/api/entities/customer/records/${r.id}`)).status).toBe(404);
    expect((await call('POST', `/api/entities/customer/records/${r.id}/restore`)).status).toBe(200);
    const history = await call('GET', `/api/entities/customer/records/${r.id}/history`);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['create', 'update', 'delete', 'restore']),
    );
    const update = history.body.items.find((h: { action: string }) => h.action === 'update');
    expect(update.changes).toEqual([{ field: 'grade', before: null, after: 'B' }]);
  });

  it('describes the current entities in /api/openapi.json', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.components.schemas.Record_customer.properties).toHaveProperty('phone');
    expect(doc.components.schemas.Record_customer.properties).not.toHaveProperty('revenue');
  });

  it('answers hostile input with clear 4xx errors and changes nothing', async () => {
    const before = (await call('GET', '/api/entities/customer/records?total=exact&limit=1')).body.total;
    const cases: [string, () => Promise<{ status: number; body: Json }>, number, string][] = [
      [
        'malformed JSON',
        () => call('POST', '/api/entities/customer/records', '{"name": '),
        400,
        'INVALID_JSON',
      ],
      [
        '__proto__ key',
        () => call('POST', '/api/entities/customer/records', '{"name":"x","__proto__":{"isAdmin":true}}'),
        400,
        'BAD_REQUEST',
      ],
      [
        'wrong type',
        () => call('POST', '/api/entities/customer/records', { name: 42, vip: 'yes' }),
        422,
        'VALIDATION_FAILED',
      ],
      [
        'huge body',
        () =>
          call('POST', '/api/entities/customer/records', { name: 'x', note: 'y'.repeat(3 * 1024 * 1024) }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'unknown filter field',
        () =>
          call(
            'GET',
            `/api/entities/customer/records?filter=${encodeURIComponent('{"field":"password","op":"eq","value":1}')}`,
          ),
        400,
        'BAD_REQUEST',
      ],
      [
        'unknown operator',
        () =>
          call(
            'GET',
            `/api/entities/customer/records?filter=${encodeURIComponent('{"field":"name","op":"like","value":"%"}')}`,
          ),
        400,
        'BAD_REQUEST',
      ],
      [
        'not JSON at all',
        () => call('POST', '/api/entities/customer/records', 'name=x', { 'content-type': 'text/plain' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'no token',
        () => call('GET', '/api/entities', undefined, { authorization: '' }),
        401,
        'UNAUTHENTICATED',
      ],
    ];
    for (const [name, send, status, code] of cases) {
      const r = await send();
      expect({ name, status: r.status, code: r.body?.error?.code }).toEqual({ name, status, code });
      expect(typeof r.body.error.message).toBe('string');
    }
    const sql = encodeURIComponent(
      JSON.stringify({ field: 'name', op: 'eq', value: "x'; DROP TABLE ws_default.e_customer; --" }),
    );
    const injected = await call('GET', `/api/entities/customer/records?filter=${sql}`);
    expect(injected.status).toBe(200);
    expect(injected.body.items).toEqual([]);
    const after = (await call('GET', '/api/entities/customer/records?total=exact&limit=1')).body.total;
    expect(after).toBe(before);
  });
});
