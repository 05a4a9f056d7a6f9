import { describe, expect, it } from 'vitest';
import { domainError, useStore } from './test-support.js';

describe('workspaces', () => {
  const env = useStore({ timeZone: 'Asia/Shanghai' });

  it('creates a workspace with its schema and lists it', async () => {
    const w = await env.store.workspaces.create({ key: 'acme_1', name: 'Acme' });
    expect(w).toMatchObject({ key: 'acme_1', name: 'Acme', settings: { timeZone: 'Asia/Shanghai' } });
    expect((await env.store.workspaces.list()).map((x) => x.key)).toContain('acme_1');
    const schema = await env.db.query(
      `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'ws_acme_1'`,
    );
    expect(schema).toHaveLength(1);
  });

  it('refuses a key that is taken', async () => {
    await env.store.workspaces.create({ key: 'dup_ws', name: 'x' });
    expect((await domainError(env.store.workspaces.create({ key: 'dup_ws', name: 'y' }))).code).toBe(
      'WORKSPACE_EXISTS',
    );
  });

  it.each([['Upper'], ['1abc'], ['a-b'], ['a'.repeat(32)], ['x"; drop schema formwork; --'], [42]])(
    'refuses the invalid key %s',
    async (key) => {
      const e = await domainError(env.store.workspaces.create({ key, name: 'x' }));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.issues[0]?.field).toBe('key');
    },
  );

  it('refuses an invalid time zone', async () => {
    const e = await domainError(
      env.store.workspaces.create({ key: 'tzbad', name: 'x', timeZone: 'Mars/Olympus' }),
    );
    expect(e.issues.map((i) => i.field)).toEqual(['timeZone']);
  });

  it('creates the default workspace once', async () => {
    const a = await env.store.workspaces.ensureDefault();
    const b = await env.store.workspaces.ensureDefault();
    expect(a.key).toBe('default');
    expect(b.createdAt).toBe(a.createdAt);
  });

  it('answers WORKSPACE_NOT_FOUND for unknown or invalid keys', async () => {
    expect((await domainError(env.store.workspaces.get('nope'))).code).toBe('WORKSPACE_NOT_FOUND');
    expect((await domainError(env.store.workspaces.get('Bad"Key'))).code).toBe('WORKSPACE_NOT_FOUND');
    expect((await domainError(env.store.entities.list('nope'))).code).toBe('WORKSPACE_NOT_FOUND');
  });
});
