import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { silentLogger } from './logger.js';
import { ADMIN, startTestApp, type TestApp, USER } from './test-app.js';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs in with e-mail and password and answers token, expiry and user', async () => {
    const r = await t.request('POST', '/api/auth/login', {
      body: { email: 'ADMIN@example.com ', password: ADMIN.password },
    });
    expect(r.status).toBe(200);
    expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(r.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    expect(r.body.user).toMatchObject({ email: ADMIN.email, isAdmin: true });
    expect(r.body.user.passwordHash ?? r.body.user.password_hash).toBeUndefined();
  });

  it('stores only the SHA-256 of session tokens and a scrypt hash of passwords', async () => {
    const token = await t.login(USER);
    const rows = await t.db.query<{ token_hash: string }>('select token_hash from formwork.sessions');
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    const users = await t.db.query<{ password_hash: string }>('select password_hash from formwork.users');
    for (const u of users) expect(u.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('refuses a wrong password and an unknown e-mail alike (401 INVALID_CREDENTIALS) in both languages', async () => {
    const wrong = await t.request('POST', '/api/auth/login', {
      body: { email: USER.email, password: 'nope-nope' },
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '邮箱或密码不正确' });
    const unknown = await t.request('POST', '/api/auth/login', {
      body: { email: 'ghost@example.com', password: 'nope-nope' },
      headers: { 'accept-language': 'en-US' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'Incorrect e-mail or password',
    });
  });

  it('rejects login bodies that are not {email, password}', async () => {
    for (const body of [
      {},
      { email: 'a@b.c' },
      { email: 1, password: 2 },
      { email: 'a@b.c', password: 'x', admin: true },
    ]) {
      const r = await t.request('POST', '/api/auth/login', { body });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details.fields.length).toBeGreaterThan(0);
    }
  });

  it('answers 401 UNAUTHENTICATED without a token, with a malformed header, or with an unknown token', async () => {
    for (const authorization of [
      undefined,
      'Basic abc',
      'Bearer',
      'Bearer not a token',
      `Bearer ${'x'.repeat(43)}`,
    ]) {
      const r = await t.request('GET', '/api/auth/me', { headers: authorization ? { authorization } : {} });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('GET /api/auth/me names the user, their roles and workspace membership', async () => {
    const r = await t.api('GET', '/api/auth/me', { token: t.userToken });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      user: { email: USER.email, isAdmin: false },
      roles: ['staff'],
      authMethod: 'session',
      workspace: 'default',
      isAdmin: false,
      member: { status: 'active' },
    });
  });

  it('logout revokes the session token', async () => {
    const token = await t.login(USER);
    expect((await t.api('GET', '/api/auth/me', { token })).status).toBe(200);
    expect((await t.api('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await t.api('GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('API tokens: shown once as fw_<prefix>_<secret>, listed without the secret, usable, revocable', async () => {
    const created = await t.api('POST', '/api/auth/tokens', {
      token: t.userToken,
      body: { name: 'integration' },
    });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^fw_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`fw_${created.body.prefix}_`)).toBe(true);

    const me = await t.api('GET', '/api/auth/me', { token });
    expect(me.body).toMatchObject({ user: { email: USER.email }, authMethod: 'token' });

    const list = await t.api('GET', '/api/auth/tokens', { token: t.userToken });
    expect(list.status).toBe(200);
    const listed = list.body.items.find((i: { id: string }) => i.id === created.body.id);
    expect(listed).toMatchObject({ name: 'integration', prefix: created.body.prefix });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(token);

    const revoked = await t.api('DELETE', `/api/auth/tokens/${created.body.id}`, { token: t.userToken });
    expect(revoked.status).toBe(204);
    expect((await t.api('GET', '/api/auth/me', { token })).status).toBe(401);
    expect(
      (await t.api('DELETE', `/api/auth/tokens/${created.body.id}`, { token: t.userToken })).status,
    ).toBe(404);
  });

  it('a user cannot revoke somebody else’s API token', async () => {
    const created = await t.api('POST', '/api/auth/tokens', {
      token: t.adminToken,
      body: { name: 'admin-token' },
    });
    const r = await t.api('DELETE', `/api/auth/tokens/${created.body.id}`, { token: t.userToken });
    expect(r.status).toBe(404);
    expect((await t.api('GET', '/api/auth/me', { token: created.body.token })).status).toBe(200);
  });

  it('refuses an API token expiry in the past and bad token ids', async () => {
    const past = await t.api('POST', '/api/auth/tokens', {
      body: { name: 'x', expiresAt: '2000-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(422);
    expect(past.body.error.details.fields[0].field).toBe('expiresAt');
    const bad = await t.api('DELETE', '/api/auth/tokens/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0]).toMatchObject({ field: 'id', code: 'format' });
  });

  it('a deactivated user’s sessions and API tokens stop working at once', async () => {
    const created = await t.api('POST', '/api/users', {
      body: { email: 'temp@example.com', name: 'Temp', password: 'temp-password-1' },
    });
    expect(created.status).toBe(201);
    const session = await t.login({ email: 'temp@example.com', password: 'temp-password-1' });
    const api = (await t.api('POST', '/api/auth/tokens', { token: session, body: { name: 'k' } })).body.token;
    expect((await t.api('GET', '/api/auth/me', { token: api })).status).toBe(200);
    const off = await t.api('PATCH', `/api/users/${created.body.id}`, { body: { status: 'disabled' } });
    expect(off.status).toBe(200);
    expect((await t.api('GET', '/api/auth/me', { token: session })).status).toBe(401);
    expect((await t.api('GET', '/api/auth/me', { token: api })).status).toBe(401);
    const relogin = await t.request('POST', '/api/auth/login', {
      body: { email: 'temp@example.com', password: 'temp-password-1' },
    });
    expect(relogin.status).toBe(401);
  });

  it('users: only administrators create users; duplicates are refused; anyone signed in lists them', async () => {
    const body = { email: 'new@example.com', name: 'New', password: 'new-password-1' };
    const forbidden = await t.api('POST', '/api/users', { token: t.userToken, body });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    const ok = await t.api('POST', '/api/users', { body });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('location')).toBe(`/api/users/${ok.body.id}`);
    const dup = await t.api('POST', '/api/users', { body: { ...body, email: 'NEW@example.com' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.fields[0]).toMatchObject({ field: 'email', code: 'unique' });
    const short = await t.api('POST', '/api/users', {
      body: { ...body, email: 'x@example.com', password: 'short' },
    });
    expect(short.status).toBe(422);
    const list = await t.api('GET', '/api/users', { token: t.userToken });
    expect(list.body.items.map((u: { email: string }) => u.email)).toContain('new@example.com');
    expect(JSON.stringify(list.body)).not.toContain('scrypt$');
  });
});

describe('token expiry (moving clock)', () => {
  let t: TestApp;
  let offset = 0;
  beforeAll(async () => {
    t = await startTestApp({ now: () => new Date(Date.now() + offset) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an expired session token is refused', async () => {
    const token = await t.login(USER);
    expect((await t.api('GET', '/api/auth/me', { token })).status).toBe(200);
    offset = 8 * 24 * 3600 * 1000;
    expect((await t.api('GET', '/api/auth/me', { token })).status).toBe(401);
    offset = 0;
  });

  it('an expired API token is refused', async () => {
    const expiresAt = new Date(Date.now() + 3600 * 1000).toISOString();
    const created = await t.api('POST', '/api/auth/tokens', { body: { name: 'short', expiresAt } });
    expect((await t.api('GET', '/api/auth/me', { token: created.body.token })).status).toBe(200);
    offset = 2 * 3600 * 1000;
    expect((await t.api('GET', '/api/auth/me', { token: created.body.token })).status).toBe(401);
    offset = 0;
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  let offset = 0;
  beforeAll(async () => {
    t = await startTestApp({ now: () => new Date(Date.now() + offset) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the 11th bad login for an e-mail within 15 minutes gets 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await t.request('POST', '/api/auth/login', {
        body: { email: USER.email, password: `wrong-${i}` },
      });
      expect(r.status).toBe(401);
    }
    const eleventh = await t.request('POST', '/api/auth/login', {
      body: { email: USER.email, password: 'wrong' },
    });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.code).toBe('TOO_MANY_REQUESTS');
    const retry = Number(eleventh.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    const right = await t.request('POST', '/api/auth/login', {
      body: { email: USER.email, password: USER.password },
    });
    expect(right.status).toBe(429);
  });

  it('keeps the count in the database, so another server process on it refuses too', async () => {
    const other = createApp({
      store: t.store,
      db: t.db,
      logger: silentLogger,
      now: () => new Date(Date.now() + offset),
    });
    const r = await other.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: USER.email, password: USER.password }),
    });
    expect(r.status).toBe(429);
  });

  it('lets the e-mail in again after the window', async () => {
    offset = 16 * 60 * 1000;
    const r = await t.request('POST', '/api/auth/login', {
      body: { email: USER.email, password: USER.password },
    });
    expect(r.status).toBe(200);
    offset = 0;
  });

  it('limits per IP across e-mails (X-Forwarded-For trusted when configured)', async () => {
    const proxied = createApp({
      store: t.store,
      db: t.db,
      logger: silentLogger,
      config: { trustProxy: true, loginRateLimit: { max: 3, windowMs: 60_000 } },
    });
    const attempt = (email: string, ip: string) =>
      proxied.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ email, password: 'wrong-password' }),
      });
    for (let i = 0; i < 3; i++)
      expect((await attempt(`ip-${i}@example.com`, '203.0.113.7')).status).toBe(401);
    expect((await attempt('ip-9@example.com', '203.0.113.7')).status).toBe(429);
    expect((await attempt('ip-9@example.com', '203.0.113.8')).status).toBe(401);
  });
});
