import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOpenApi } from './openapi-check.js';
import { customerEntity, startTestApp, type TestApp } from './test-app.js';

describe('GET /api/openapi.json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    expect((await t.api('POST', '/api/entities', { body: customerEntity })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is a structurally valid OpenAPI 3.1 document describing every route, without a token', async () => {
    const r = await t.request('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(checkOpenApi(r.body, t.routes)).toEqual([]);
    expect(r.body.paths['/api/auth/login'].post['x-summary-zh']).toBe('登录');
  });

  it('has each entity’s record schemas as components and its own record paths', async () => {
    const r = await t.api('GET', '/api/openapi.json');
    const schemas = r.body.components.schemas;
    expect(schemas.Record_customer).toBeDefined();
    expect(schemas.RecordInput_customer.properties.phone).toBeDefined();
    expect(schemas.Record_customer.properties.id).toBeDefined();
    const create = r.body.paths['/api/entities/customer/records'].post;
    expect(create.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/RecordInput_customer',
    );
    expect(r.body.paths['/api/entities/customer/records/{id}'].patch).toBeDefined();
  });

  it('follows the X-Workspace workspace’s metadata', async () => {
    expect((await t.api('POST', '/api/workspaces', { body: { key: 'other', name: 'Other' } })).status).toBe(
      201,
    );
    const r = await t.api('GET', '/api/openapi.json', { headers: { 'x-workspace': 'other' } });
    expect(r.status).toBe(200);
    expect(r.body.components.schemas.Record_customer).toBeUndefined();
    expect(checkOpenApi(r.body, t.routes)).toEqual([]);
  });

  it('shows the workspace’s entities only to a caller who may use them, without hidden fields', async () => {
    const anonymous = await t.request('GET', '/api/openapi.json');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.components.schemas.Record_customer).toBeUndefined();
    expect(anonymous.text).not.toContain('RecordInput_customer');
    const role = await t.api('POST', '/api/roles', {
      body: {
        key: 'viewer',
        name: 'Viewer',
        permissions: { entities: { customer: { preset: 'viewAll', fields: { phone: 'hidden' } } } },
      },
    });
    expect(role.status).toBe(201);
    await t.org.members.update('default', t.user.id, { roleIds: [] }, { actor: null });
    const nobody = await t.request('GET', '/api/openapi.json', { token: t.userToken });
    expect(nobody.body.components.schemas.Record_customer).toBeUndefined();
    await t.org.members.update('default', t.user.id, { roleIds: [role.body.id] }, { actor: null });
    const viewer = await t.request('GET', '/api/openapi.json', { token: t.userToken });
    expect(viewer.body.components.schemas.Record_customer).toBeDefined();
    expect(viewer.body.components.schemas.Record_customer.properties.phone).toBeUndefined();
    expect(viewer.body.components.schemas.Record_customer.properties.name).toBeDefined();
  });

  it('the generic record schemas describe what the API really returns', async () => {
    const created = await t.api('POST', '/api/entities/customer/records', { body: { name: 'Doc' } });
    const required = (await t.request('GET', '/api/openapi.json')).body.components.schemas.Record
      .required as string[];
    for (const k of required) expect(created.body).toHaveProperty(k);
  });
});

describe('workspaces', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists workspaces; only administrators create them; keys are validated; records stay in their workspace', async () => {
    const list = await t.api('GET', '/api/workspaces', { token: t.userToken });
    expect(list.body.items.map((w: { key: string }) => w.key)).toContain('default');
    expect(
      (await t.api('POST', '/api/workspaces', { token: t.userToken, body: { key: 'sales', name: 'S' } }))
        .status,
    ).toBe(403);
    expect((await t.api('POST', '/api/workspaces', { body: { key: 'Sales-1', name: 'S' } })).status).toBe(
      422,
    );
    const created = await t.api('POST', '/api/workspaces', { body: { key: 'sales', name: 'Sales' } });
    expect(created.status).toBe(201);
    expect((await t.api('POST', '/api/workspaces', { body: { key: 'sales', name: 'Sales' } })).status).toBe(
      409,
    );

    const ws = { 'x-workspace': 'sales' };
    expect((await t.api('POST', '/api/entities', { body: customerEntity, headers: ws })).status).toBe(201);
    expect(
      (await t.api('POST', '/api/entities/customer/records', { body: { name: 'in sales' }, headers: ws }))
        .status,
    ).toBe(201);
    expect((await t.api('GET', '/api/entities/customer/records')).status).toBe(404);
    const inSales = await t.api('GET', '/api/entities/customer/records', { headers: ws });
    expect(inSales.body.total).toBe(1);
  });
});
