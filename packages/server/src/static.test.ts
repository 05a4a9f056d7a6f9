import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { IMMUTABLE, REVALIDATE, serveWebApp } from './static.js';
import type { AppEnv } from './types.js';

function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fw-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><div id="root"></div>${' '.repeat(600)}`);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  return dir;
}

function appWith(dir: string) {
  const app = new Hono<AppEnv>();
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  const mounted = serveWebApp(app, { dir });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND' } }, 404));
  return { app, mounted };
}

describe('serveWebApp', () => {
  it('serves hashed assets as immutable and gzipped when the browser accepts it', async () => {
    const { app } = appWith(builtApp());
    const res = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-type')).toContain('text/javascript');
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString();
    expect(text).toContain('console.log');
    const plain = await app.request('/assets/index-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('console.log');
  });

  it('answers index.html for client-side routes, to be revalidated', async () => {
    const { app } = appWith(builtApp());
    const res = await app.request('/w/default/customer/records/123', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(REVALIDATE);
    expect(await res.text()).toContain('<div id="root">');
    const again = await app.request('/', { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('leaves /api alone and does not answer HTML for a missing asset', async () => {
    const { app } = appWith(builtApp());
    expect((await app.request('/api/health')).status).toBe(200);
    const api = await app.request('/api/nothing', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'NOT_FOUND' } });
    const asset = await app.request('/assets/gone-123.js', { headers: { accept: 'text/html,*/*' } });
    expect(asset.status).toBe(404);
  });

  it('never serves a file outside the directory', async () => {
    const dir = builtApp();
    writeFileSync(join(dir, '..', 'secret.txt'), 'secret');
    const { app } = appWith(dir);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await app.request(p);
      expect(await res.text()).not.toContain('secret');
    }
  });

  it('mounts nothing when the app is not built', () => {
    const { mounted } = appWith(mkdtempSync(join(tmpdir(), 'fw-empty-')));
    expect(mounted).toBe(false);
  });
});
