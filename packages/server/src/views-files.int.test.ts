import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_MAX_BYTES } from './files-routes.js';
import { customerEntity, startTestApp, type TestApp } from './test-app.js';

let t: TestApp;

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);

beforeAll(async () => {
  t = await startTestApp();
  const entity = {
    ...customerEntity,
    fields: [
      ...customerEntity.fields,
      { key: 'photo', type: 'image', maxSize: 1024 },
      { key: 'contract', type: 'attachment', accept: ['application/pdf'] },
      { key: 'items', type: 'subform', fields: [{ key: 'pic', type: 'image' }] },
    ],
  };
  const r = await t.api('POST', '/api/entities', { body: entity });
  expect(r.status).toBe(201);
});
afterAll(() => t.close());

async function upload(
  parts: Record<string, string | Blob | [Blob, string]>,
  o: { token?: string | null; lang?: string } = {},
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (Array.isArray(v)) form.append(k, v[0], v[1]);
    else form.append(k, v);
  }
  const headers: Record<string, string> = {};
  const token = o.token === undefined ? t.adminToken : o.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (o.lang) headers['accept-language'] = o.lang;
  const res = await t.app.request('/api/files', { method: 'POST', body: form, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('files', () => {
  it('stores an upload and answers the same bytes with its type and a UTF-8 file name', async () => {
    const r = await upload({ file: [new Blob([PNG], { type: 'image/png' }), '合同 scan.png'] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '合同 scan.png', size: PNG.byteLength, type: 'image/png' });
    expect(r.body.url).toBe(`/api/files/${r.body.id}`);
    const res = await t.app.request(r.body.url, { headers: { authorization: `Bearer ${t.userToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''%E5%90%88%E5%90%8C%20scan.png",
    );
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    const again = await t.app.request(r.body.url, {
      headers: { authorization: `Bearer ${t.userToken}`, 'if-none-match': res.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('sends HTML and other active types as a download, never inline', async () => {
    const r = await upload({
      file: [new Blob(['<script>alert(1)</script>'], { type: 'text/html' }), 'x.html'],
    });
    expect(r.status).toBe(201);
    const res = await t.app.request(r.body.url, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses downloads and uploads without a login', async () => {
    const r = await upload({ file: [new Blob(['x'], { type: 'text/plain' }), 'a.txt'] }, { token: null });
    expect(r.status).toBe(401);
    const ok = await upload({ file: [new Blob(['x'], { type: 'text/plain' }), 'a.txt'] });
    const res = await t.app.request(ok.body.url);
    expect(res.status).toBe(401);
  });

  it('answers 404 for an unknown file id', async () => {
    const res = await t.api('GET', '/api/files/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
  });

  it("applies the field's size limit and says so in Chinese", async () => {
    const big = new Uint8Array(2048);
    big.set(PNG);
    const r = await upload(
      { file: [new Blob([big], { type: 'image/png' }), 'big.png'], entity: 'customer', field: 'photo' },
      { lang: 'zh-CN' },
    );
    expect(r.status).toBe(422);
    expect(r.body.error.details.fields[0]).toMatchObject({ field: 'file', code: 'maxSize' });
    expect(r.body.error.details.fields[0].message).toBe('文件不能超过 1 KB');
  });

  it('refuses a non-image on an image field, including inside a subform', async () => {
    const r = await upload({
      file: [new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'a.pdf'],
      entity: 'customer',
      field: 'items.pic',
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details.fields[0]).toMatchObject({ field: 'file', code: 'type' });
  });

  it('refuses a type the field does not accept and accepts one it does', async () => {
    const bad = await upload({
      file: [new Blob(['hello'], { type: 'text/plain' }), 'a.txt'],
      entity: 'customer',
      field: 'contract',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields[0].code).toBe('accept');
    const good = await upload({
      file: [new Blob(['%PDF-1.4 ...'], { type: 'application/pdf' }), 'a.pdf'],
      entity: 'customer',
      field: 'contract',
    });
    expect(good.status).toBe(201);
  });

  it('refuses a file whose bytes do not match its declared image type', async () => {
    const r = await upload({ file: [new Blob(['not a png'], { type: 'image/png' }), 'fake.png'] });
    expect(r.status).toBe(422);
    expect(r.body.error.details.fields[0].code).toBe('content');
  });

  it('names the missing part, an unknown field, an empty file and a non-multipart body', async () => {
    const none = await upload({ entity: 'customer', field: 'photo' });
    expect(none.status).toBe(422);
    expect(none.body.error.details.fields[0]).toMatchObject({ field: 'file', code: 'required' });
    const unknown = await upload({
      file: [new Blob(['x'], { type: 'text/plain' }), 'a.txt'],
      entity: 'customer',
      field: 'name',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0].field).toBe('field');
    const half = await upload({
      file: [new Blob(['x'], { type: 'text/plain' }), 'a.txt'],
      entity: 'customer',
    });
    expect(half.status).toBe(400);
    const empty = await upload({ file: [new Blob([], { type: 'text/plain' }), 'a.txt'] });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.fields[0].code).toBe('empty');
    const json = await t.api('POST', '/api/files', { body: { file: 'x' } });
    expect(json.status).toBe(415);
  });

  it('refuses a body over the server limit with 413', async () => {
    const big = new Uint8Array(FILE_MAX_BYTES + 128 * 1024);
    const r = await upload({ file: [new Blob([big], { type: 'application/octet-stream' }), 'big.bin'] });
    expect(r.status).toBe(413);
  });

  it('is described in OpenAPI as multipart/form-data', async () => {
    const r = await t.api('GET', '/api/openapi.json');
    const op = r.body.paths['/api/files'].post;
    expect(Object.keys(op.requestBody.content)).toEqual(['multipart/form-data']);
    expect(r.body.paths['/api/entities/{entity}/views'].get.operationId).toBe('listViews');
  });
});

describe('audit source', () => {
  it('records writes marked X-Formwork-Source: form as made through a form, others as API', async () => {
    const created = await t.api('POST', '/api/entities/customer/records', {
      body: { name: '来源测试' },
      headers: { 'x-formwork-source': 'form' },
    });
    expect(created.status).toBe(201);
    await t.api('PATCH', `/api/entities/customer/records/${created.body.id}`, { body: { note: 'x' } });
    const h = await t.api('GET', `/api/entities/customer/records/${created.body.id}/history`);
    expect(h.body.items.map((i: { source: string }) => i.source)).toEqual(['api', 'form']);
  });
});

describe('saved views', () => {
  const view = {
    name: 'A 级客户',
    config: {
      columns: ['name', 'phone', 'amount', 'createdAt'],
      filter: {
        and: [
          { field: 'grade', op: 'eq', value: 'A' },
          { field: 'createdAt', op: 'period', value: 'thisMonth' },
        ],
      },
      sort: '-amount',
      q: ' 上海 ',
    },
  };

  it('saves a private view that only its owner sees, normalised', async () => {
    const r = await t.api('POST', '/api/entities/customer/views', { body: view, token: t.userToken });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'A 级客户', shared: false, canEdit: true, ownerId: t.user.id });
    expect(r.body.config.q).toBe('上海');
    const mine = await t.api('GET', '/api/entities/customer/views', { token: t.userToken });
    expect(mine.body.items.map((v: { id: string }) => v.id)).toContain(r.body.id);
    const admins = await t.api('GET', '/api/entities/customer/views');
    expect(admins.body.items.map((v: { id: string }) => v.id)).not.toContain(r.body.id);
    const del = await t.api('DELETE', `/api/entities/customer/views/${r.body.id}`);
    expect(del.status).toBe(404);
  });

  it('lets only administrators share a view, and shows shared views to everyone read-only', async () => {
    const refused = await t.api('POST', '/api/entities/customer/views', {
      body: { ...view, shared: true },
      token: t.userToken,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.fields[0]).toMatchObject({
      field: 'shared',
      message: '只有管理员可以共享视图',
    });
    const shared = await t.api('POST', '/api/entities/customer/views', {
      body: { ...view, name: 'Team', shared: true },
    });
    expect(shared.status).toBe(201);
    const seen = await t.api('GET', '/api/entities/customer/views', { token: t.userToken });
    const found = seen.body.items.find((v: { id: string }) => v.id === shared.body.id);
    expect(found).toMatchObject({ shared: true, canEdit: false });
    expect(seen.body.items[0].shared).toBe(true);
    const patch = await t.api('PATCH', `/api/entities/customer/views/${shared.body.id}`, {
      body: { name: 'Mine now' },
      token: t.userToken,
    });
    expect(patch.status).toBe(403);
    const renamed = await t.api('PATCH', `/api/entities/customer/views/${shared.body.id}`, {
      body: { name: 'Team A', config: { columns: ['name'] } },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Team A', config: { columns: ['name'] } });
    expect((await t.api('DELETE', `/api/entities/customer/views/${shared.body.id}`)).status).toBe(204);
  });

  it('names every invalid part of the config', async () => {
    const r = await t.api('POST', '/api/entities/customer/views', {
      body: {
        name: 'bad',
        config: {
          columns: ['name', 'nope', 'name'],
          filter: { field: 'grade', op: 'gt', value: 'A' },
          sort: 'note',
        },
      },
    });
    expect(r.status).toBe(422);
    const fields = r.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['config.columns.1', 'config.columns.2', 'config.filter.op', 'config.sort']),
    );
  });

  it('refuses unknown properties, a missing name and an unknown entity', async () => {
    const extra = await t.api('POST', '/api/entities/customer/views', {
      body: { name: 'x', config: {}, color: 'red' },
    });
    expect(extra.status).toBe(422);
    const noName = await t.api('POST', '/api/entities/customer/views', { body: { config: {} } });
    expect(noName.status).toBe(422);
    const noEntity = await t.api('POST', '/api/entities/nothing/views', { body: { name: 'x', config: {} } });
    expect(noEntity.status).toBe(404);
  });
});
