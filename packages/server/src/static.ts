import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { gzip } from 'node:zlib';
import type { Hono } from 'hono';
import type { AppEnv } from './types.js';

/**
 * Serves the built web app (Vite's `dist/`) from the API's port, so one process is the whole product.
 *
 * - Files are read once, at mount time (the build is immutable while the server runs); each compressible
 *   file is gzipped once, off the main thread, when a browser first asks for it (gzipping them all at
 *   mount took ~0.1 s of the server's start).
 * - Vite's hashed files under `assets/` are cached for a year (`immutable`); everything else, above all
 *   `index.html`, must be revalidated (`no-cache` + ETag), so a new deployment is picked up at once.
 * - Any other GET that accepts HTML and is not under `/api/` answers `index.html` (client-side routing).
 * - Paths cannot leave the directory; `/api/*` is never answered here.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.svg',
  '.txt',
  '.map',
  '.webmanifest',
]);

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

interface Asset {
  body: Uint8Array;
  /** Worth gzipping (a text type, over 512 bytes). */
  compressible: boolean;
  /** The gzipped body once asked for; null when gzip does not make it smaller. */
  gzip?: Promise<Uint8Array | null>;
  type: string;
  etag: string;
  cache: string;
}

function gzipped(asset: Asset): Promise<Uint8Array | null> {
  asset.gzip ??= new Promise((resolve) =>
    gzip(asset.body, { level: 9 }, (err, gz) =>
      resolve(!err && gz.byteLength < asset.body.byteLength ? new Uint8Array(gz) : null),
    ),
  );
  return asset.gzip;
}

export interface WebAppOptions {
  /** The built app (contains index.html). */
  dir: string;
  /** Path prefix of hashed, immutable files (default `assets/`). */
  immutablePrefix?: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Loads every file of `dir` (returns null when there is no index.html). */
export function loadWebApp(opts: WebAppOptions): Map<string, Asset> | null {
  const root = resolve(opts.dir);
  if (!existsSync(join(root, 'index.html'))) return null;
  const prefix = opts.immutablePrefix ?? 'assets/';
  const assets = new Map<string, Asset>();
  for (const file of walk(root)) {
    const rel = relative(root, file).split(sep).join('/');
    const ext = extname(file).toLowerCase();
    const body = new Uint8Array(readFileSync(file));
    const st = statSync(file);
    assets.set(rel, {
      body,
      compressible: COMPRESSIBLE.has(ext) && body.byteLength > 512,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`,
      cache: rel.startsWith(prefix) ? IMMUTABLE : REVALIDATE,
    });
  }
  return assets;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip') return false;
    const q = params.find((p) => p.trim().startsWith('q='));
    return q === undefined || Number(q.trim().slice(2)) > 0;
  });
}

/**
 * Mounts the web app on `app` for GET and HEAD. Call it after the API routes are mounted. Returns false
 * (and mounts nothing) when `dir` has no `index.html`.
 */
export function serveWebApp(app: Hono<AppEnv>, opts: WebAppOptions): boolean {
  const assets = loadWebApp(opts);
  if (!assets) return false;
  const index = assets.get('index.html');
  if (!index) return false;

  const respond = async (asset: Asset, method: string, ifNoneMatch: string | undefined, gzipOk: boolean) => {
    const headers: Record<string, string> = {
      'Content-Type': asset.type,
      'Cache-Control': asset.cache,
      ETag: asset.etag,
      'X-Content-Type-Options': 'nosniff',
    };
    if (asset.type.startsWith('text/html')) {
      headers['X-Frame-Options'] = 'DENY';
      headers['Referrer-Policy'] = 'same-origin';
    }
    if (asset.compressible) headers.Vary = 'Accept-Encoding';
    if (ifNoneMatch?.split(',').some((t) => t.trim() === asset.etag)) {
      return new Response(null, { status: 304, headers });
    }
    const gz = asset.compressible && gzipOk ? await gzipped(asset) : null;
    const body = gz ?? asset.body;
    if (gz) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = String(body.byteLength);
    return new Response(method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
      status: 200,
      headers,
    });
  };

  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/')) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(path).replace(/^\/+/, '');
    } catch {
      return next();
    }
    if (rel.split('/').some((seg) => seg === '..' || seg.includes('\\') || seg.includes('\0'))) return next();
    const ifNoneMatch = c.req.header('if-none-match');
    const gzipOk = acceptsGzip(c.req.header('accept-encoding'));
    const asset = rel === '' ? index : assets.get(rel);
    if (asset) return respond(asset, c.req.method, ifNoneMatch, gzipOk);
    // Client-side routes: anything that is not a file request and accepts HTML gets the app.
    const wantsHtml = (c.req.header('accept') ?? '').includes('text/html');
    if (wantsHtml && !rel.startsWith(opts.immutablePrefix ?? 'assets/')) {
      return respond(index, c.req.method, ifNoneMatch, gzipOk);
    }
    return next();
  });
  return true;
}
