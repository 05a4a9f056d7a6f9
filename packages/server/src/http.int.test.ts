import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger.js';
import { createServer } from './server.js';
import { customerEntity, startTestApp, type TestApp } from './test-app.js';
import type { StorePort } from './types.js';

describe('HTTP behaviour shared by every route', () => {
  let t: TestApp;
  const logger = createMemoryLogger();
  beforeAll(async () => {
    t = await startTestApp({
      logger,
      config: { bodyLimitBytes: 64 * 1024 },
      // Fault injection for the 500 path: one store method fails like a bug would.
      wrapStore: (s: StorePort) => ({
        ...s,
        workspaces: {
          ...s.workspaces,
          list: async () => {
            throw new Error('boom: secret internal detail');
          },
        },
      }),
    });
    expect((await t.api('POST', '/api/entities', { body: customerEntity })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('GET /api/health answers {"status":"ok"} without a token', async () => {
    const r = await t.request('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"status":"ok"}');
  });

  it('unknown routes are 404 NOT_FOUND in the error shape', async () => {
    const r = await t.api('GET', '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'Not found', details: { path: '/api/nothing-here' } },
    });
    expect((await t.api('PATCH', '/api/health')).status).toBe(404);
  });

  it('malformed JSON is 400 INVALID_JSON', async () => {
    for (const raw of ['{', '{"name": }', "{'name':'x'}", 'null,', '']) {
      const r = await t.api('POST', '/api/entities/customer/records', {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('INVALID_JSON');
    }
  });

  it('a body that is not JSON is 415', async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const r = await t.api('POST', '/api/entities/customer/records', {
        raw: 'name=x',
        headers: ct ? { 'content-type': ct } : {},
      });
      expect(r.status).toBe(415);
      expect(r.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const ok = await t.api('POST', '/api/entities/customer/records', {
      raw: JSON.stringify({ name: 'charset ok' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(ok.status).toBe(201);
  });

  it('__proto__, constructor and prototype keys are refused with 400 naming the key, and nothing is written', async () => {
    const before = await t.api('GET', '/api/entities/customer/records');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const r = await t.api('POST', '/api/entities/customer/records', {
        raw: `{"name":"evil","${key}":{"isAdmin":true}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
      expect(r.body.error.details.key).toBe(key);
      expect(r.body.error.message).toBeTruthy();
    }
    const nested = await t.api('POST', '/api/users', {
      raw: '{"email":"p@example.com","name":"P","password":"pppppppp","x":{"__proto__":{"isAdmin":true}}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(nested.status).toBe(400);
    const after = await t.api('GET', '/api/entities/customer/records');
    expect(after.body.total).toBe(before.body.total);
  });

  it('bodies over the limit are 413 (1 MiB by default, here 64 KiB), with or without Content-Length', async () => {
    const big = JSON.stringify({ name: 'x', note: 'y'.repeat(70 * 1024) });
    const r = await t.api('POST', '/api/entities/customer/records', {
      raw: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const withLength = await t.api('POST', '/api/entities/customer/records', {
      raw: big,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) },
    });
    expect(withLength.status).toBe(413);
  });

  it('over real HTTP: reads JSON bodies (with a BOM too) and answers 413 to a streamed oversized body', async () => {
    const server = await createServer(t.app, 0, { hostname: '127.0.0.1' });
    const url = `http://127.0.0.1:${server.port}/api/entities/customer/records`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` };
    try {
      const ok = await fetch(url, { method: 'POST', headers, body: '\uFEFF{"name":"Over the wire"}' });
      expect(ok.status).toBe(201);
      expect(((await ok.json()) as { name: string }).name).toBe('Over the wire');
      // No Content-Length: the body arrives in chunks and is counted as it is read.
      const chunk = new TextEncoder().encode(`{"name":"x","note":"${'y'.repeat(16 * 1024)}`);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 6) controller.enqueue(chunk);
          else {
            controller.enqueue(new TextEncoder().encode('"}'));
            controller.close();
          }
        },
      });
      const big = await fetch(url, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
      const bad = await fetch(url, { method: 'POST', headers, body: '{"name":' });
      expect(bad.status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('the bulk route accepts bodies above the normal limit', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ name: `bulk ${i}`, note: 'z'.repeat(2000) }));
    const r = await t.api('POST', '/api/entities/customer/records/bulk', { body: { records } });
    expect(r.status).toBe(201);
  });

  it('an unexpected error is 500 INTERNAL with a generic message; the stack is logged, never returned', async () => {
    const r = await t.api('GET', '/api/workspaces', { headers: { 'accept-language': 'zh-CN' } });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误', details: {} } });
    expect(r.text).not.toContain('boom');
    const logged = logger.entries.find((e) => e.level === 'error' && String(e.error).includes('boom'));
    expect(logged?.stack).toContain('boom');
    expect(logged?.requestId).toBe(r.headers.get('x-request-id'));
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const given = await t.request('GET', '/api/health', { headers: { 'x-request-id': 'abc-123_DEF' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123_DEF');
    for (const bad of ['has space', 'x'.repeat(65), 'semi;colon', '<script>']) {
      const r = await t.request('GET', '/api/health', { headers: { 'x-request-id': bad } });
      const id = r.headers.get('x-request-id');
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[\w-]{1,64}$/);
    }
    const err = await t.request('GET', '/api/auth/me');
    expect(err.headers.get('x-request-id')).toMatch(/^[\w-]{1,64}$/);
  });

  it('logs one JSON line per request with method, path, status, ms, requestId, userId — never tokens or bodies', async () => {
    logger.entries.length = 0;
    await t.api('POST', '/api/entities/customer/records', {
      body: { name: 'log-secret-name' },
      headers: { 'x-request-id': 'log-test-1' },
    });
    await t.request('POST', '/api/auth/login', {
      body: { email: 'admin@example.com', password: 'log-secret-pw' },
    });
    const line = logger.entries.find((e) => e.requestId === 'log-test-1');
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/api/entities/customer/records',
      status: 201,
    });
    expect(typeof line?.ms).toBe('number');
    expect(line?.userId).toBe(t.admin.id);
    const all = JSON.stringify(logger.entries);
    expect(all).not.toContain(t.adminToken);
    expect(all).not.toContain('log-secret-name');
    expect(all).not.toContain('log-secret-pw');
    expect(all.toLowerCase()).not.toContain('authorization');
  });

  it('X-Workspace: a malformed key is 400, an unknown one 404 WORKSPACE_NOT_FOUND', async () => {
    const bad = await t.api('GET', '/api/entities', { headers: { 'x-workspace': 'Bad-Key;drop' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('X-Workspace');
    const unknown = await t.api('GET', '/api/entities', { headers: { 'x-workspace': 'nowhere' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('WORKSPACE_NOT_FOUND');
    const openapi = await t.request('GET', '/api/openapi.json', { headers: { 'x-workspace': 'nowhere' } });
    expect(openapi.status).toBe(404);
  });

  it('messages follow Accept-Language (zh-CN or en)', async () => {
    const zh = await t.api('GET', '/api/entities/nope', {
      headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
    });
    expect(zh.body.error).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: '表单不存在' });
    const en = await t.api('GET', '/api/entities/nope', { headers: { 'accept-language': 'en-GB' } });
    expect(en.body.error).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Entity not found' });
    const fallback = await t.api('GET', '/api/entities/nope', { headers: { 'accept-language': 'fr' } });
    expect(fallback.body.error.message).toBe('Entity not found');
  });
});
