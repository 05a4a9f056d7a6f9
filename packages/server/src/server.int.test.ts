import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RunningServer } from './server.js';
import { startTestApp, type TestApp } from './test-app.js';

describe('createServer', () => {
  let t: TestApp;
  let server: RunningServer;
  beforeAll(async () => {
    t = await startTestApp();
    server = await createServer(t.app, 0, { hostname: '127.0.0.1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the app over HTTP and lets an in-flight request finish when closing', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ status: 'ok' });
    // A login takes a scrypt hash (~100 ms): start it, then close while it runs.
    const inflight = fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'admin-password-1' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    const closed = server.close();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token?: string }).token).toBeTruthy();
    await closed;
    await expect(fetch(`${base}/api/health`)).rejects.toThrow();
  });
});
