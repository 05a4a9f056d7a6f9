import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

describe('readConfig', () => {
  it('defaults to port 3000, ./data and the embedded database', () => {
    const r = readConfig({}, '/srv/app');
    expect(r.ok && r.config).toMatchObject({
      port: 3000,
      dataDir: '/srv/app/data',
      adminEmail: 'admin@formwork.local',
    });
    expect(r.ok && r.config.databaseUrl).toBeUndefined();
  });

  it('reads PostgreSQL, data dir, admin and time zone from the environment', () => {
    const r = readConfig(
      {
        PORT: '8080',
        DATABASE_URL: 'postgres://u@db/formwork',
        FORMWORK_DATA_DIR: '/var/lib/formwork',
        FORMWORK_ADMIN_EMAIL: 'Boss@Example.com',
        FORMWORK_ADMIN_PASSWORD: 'correct horse',
        FORMWORK_TIMEZONE: 'Asia/Shanghai',
        FORMWORK_WORKERS: 'auto',
      },
      '/',
      () => 6,
    );
    expect(r).toEqual({
      ok: true,
      config: {
        port: 8080,
        host: '0.0.0.0',
        databaseUrl: 'postgres://u@db/formwork',
        dataDir: '/var/lib/formwork',
        adminEmail: 'boss@example.com',
        adminPassword: 'correct horse',
        timeZone: 'Asia/Shanghai',
        log: 'info',
        workers: 6,
      },
    });
  });

  it('runs one process unless asked, and several only on PostgreSQL', () => {
    expect(
      readConfig({}, '/').ok && (readConfig({}, '/') as { config: { workers: number } }).config.workers,
    ).toBe(1);
    const embedded = readConfig({ FORMWORK_WORKERS: '2' }, '/');
    expect(embedded.ok).toBe(false);
    expect(embedded.ok ? '' : embedded.errors.join()).toContain('needs DATABASE_URL');
    for (const bad of ['0', '-1', '1.5', 'many', '65']) {
      const r = readConfig({ FORMWORK_WORKERS: bad, DATABASE_URL: 'postgres://x/y' }, '/');
      expect(r.ok ? '' : r.errors.join(), bad).toContain('FORMWORK_WORKERS');
    }
    const two = readConfig({ FORMWORK_WORKERS: '2', DATABASE_URL: 'postgres://x/y' }, '/');
    expect(two.ok && two.config.workers).toBe(2);
  });

  it('sizes the PostgreSQL pool only when asked, within 1–200', () => {
    const unset = readConfig({ DATABASE_URL: 'postgres://x/y' }, '/');
    expect(unset.ok && 'dbPool' in unset.config).toBe(false);
    const six = readConfig({ FORMWORK_DB_POOL: '6', DATABASE_URL: 'postgres://x/y' }, '/');
    expect(six.ok && six.config.dbPool).toBe(6);
    for (const bad of ['0', '201', '2.5', 'lots']) {
      const r = readConfig({ FORMWORK_DB_POOL: bad }, '/');
      expect(r.ok ? '' : r.errors.join(), bad).toContain('FORMWORK_DB_POOL must be 1–200');
    }
  });

  it('names every invalid variable instead of starting', () => {
    const r = readConfig(
      {
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        FORMWORK_ADMIN_PASSWORD: 'short',
        FORMWORK_TIMEZONE: 'Mars/Olympus',
        FORMWORK_LOG: 'loud',
        FORMWORK_ADMIN_EMAIL: 'not-an-email',
      },
      '/',
    );
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.join('\n');
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'FORMWORK_ADMIN_PASSWORD',
      'FORMWORK_TIMEZONE',
      'FORMWORK_LOG',
      'FORMWORK_ADMIN_EMAIL',
    ]) {
      expect(text).toContain(name);
    }
  });
});
