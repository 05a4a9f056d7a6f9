import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { silentLogger } from './logger.js';
import { buildOpenApi } from './openapi.js';
import { checkOpenApi } from './openapi-check.js';
import type { DbPort, StorePort } from './types.js';

// Building the app touches neither the store nor the database; these stand-ins fail loudly if it did.
const unused = (): never => {
  throw new Error('not used while building the app');
};
const db: DbPort = { kind: 'pglite', query: unused, transaction: unused };
const store = new Proxy({}, { get: unused }) as StorePort;

describe('the route table', () => {
  const { routes } = createApp({ store, db, logger: silentLogger });

  it('compiles every route’s params, query and body schema with Ajv (strict)', async () => {
    await expect(createApp({ store, db, logger: silentLogger }).warmUp()).resolves.toBeUndefined();
    expect(routes.length).toBeGreaterThanOrEqual(27);
  });

  it('declares each route once, with a unique operationId and summaries in both languages', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = routes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of routes) {
      expect(r.summary.en.length, r.operationId).toBeGreaterThan(0);
      expect(r.summary['zh-CN'].length, r.operationId).toBeGreaterThan(0);
    }
  });

  it('covers every route the issue names', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const k of [
      'GET /api/health',
      'GET /api/openapi.json',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/auth/me',
      'POST /api/auth/tokens',
      'GET /api/auth/tokens',
      'DELETE /api/auth/tokens/{id}',
      'GET /api/users',
      'POST /api/users',
      'GET /api/workspaces',
      'POST /api/workspaces',
      'GET /api/entities',
      'POST /api/entities',
      'GET /api/entities/{entity}',
      'PUT /api/entities/{entity}',
      'DELETE /api/entities/{entity}',
      'POST /api/entities/{entity}/analyse',
      'GET /api/entities/{entity}/records',
      'POST /api/entities/{entity}/records',
      'GET /api/entities/{entity}/records/{id}',
      'PATCH /api/entities/{entity}/records/{id}',
      'DELETE /api/entities/{entity}/records/{id}',
      'POST /api/entities/{entity}/records/{id}/restore',
      'GET /api/entities/{entity}/records/{id}/history',
      'POST /api/entities/{entity}/records/bulk',
      'POST /api/entities/{entity}/duplicates',
    ]) {
      expect(keys.has(k), k).toBe(true);
    }
  });

  it('only health, openapi, login and accepting an invitation work without a token', () => {
    expect(
      routes
        .filter((r) => r.auth !== 'user')
        .map((r) => r.operationId)
        .sort(),
    ).toEqual(['acceptInvitation', 'health', 'login', 'openapi']);
    // The OpenAPI document serves anonymous callers too, but shows entities only to those who may use them.
    expect(routes.find((r) => r.operationId === 'openapi')?.auth).toBe('optional');
  });

  it('generates a structurally valid OpenAPI document from the table', () => {
    expect(checkOpenApi(buildOpenApi(routes, {}), routes)).toEqual([]);
  });
});
