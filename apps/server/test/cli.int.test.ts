import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb } from '@formwork/store/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appDir, healthy, onPostgres, run } from './harness.js';

let nextPort = 40_000 + Math.floor(Math.random() * 10_000);
let dataDir: string;
let dbEnv: NodeJS.ProcessEnv;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  execFileSync(process.execPath, ['build.mjs'], { cwd: appDir, stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'formwork-cli-'));
  if (onPostgres) {
    const db = await createTestDb();
    dbEnv = { DATABASE_URL: db.url };
    cleanup = () => db.close();
  } else {
    dbEnv = { DATABASE_URL: '', FORMWORK_DATA_DIR: dataDir };
  }
}, 120_000);

afterAll(async () => {
  await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('formwork start', () => {
  it('creates the admin with a generated password printed once, serves the API and stops on SIGTERM', async () => {
    const port = String(nextPort++);
    const s = run(['start'], { ...dbEnv, PORT: port, FORMWORK_ADMIN_EMAIL: 'owner@acme.test' });
    await healthy(s);
    expect(await (await fetch(`${s.url}/api/health`)).json()).toEqual({ status: 'ok' });
    const password = /password: (\S+)/.exec(s.output())?.[1];
    expect(password).toBeDefined();
    const login = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@acme.test', password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${s.url}/api/entities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ key: 'customer', fields: [{ key: 'name', type: 'text', required: true }] }),
    });
    expect(created.status).toBe(201);
    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);

    // Restart on the same database: the entity is still there and no new password is printed.
    const again = run(['start'], { ...dbEnv, PORT: String(nextPort++) });
    await healthy(again);
    expect(again.output()).not.toMatch(/password:/);
    const relogin = await fetch(`${again.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@acme.test', password }),
    });
    const { token: t2 } = (await relogin.json()) as { token: string };
    const entity = await fetch(`${again.url}/api/entities/customer`, {
      headers: { authorization: `Bearer ${t2}` },
    });
    expect(entity.status).toBe(200);

    if (!onPostgres) {
      // A second process on the same data directory is refused instead of corrupting it.
      const second = run(['start'], { ...dbEnv, PORT: String(nextPort++) });
      expect(await second.exit).not.toBe(0);
      expect(second.output()).toMatch(/in use/i);
    }
    again.proc.kill('SIGTERM');
    expect(await again.exit).toBe(0);
  }, 120_000);

  it.runIf(onPostgres)(
    'FORMWORK_WORKERS=2 serves from two processes, replaces a killed one and stops them all',
    async () => {
      const children = (pid: number): number[] => {
        try {
          return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
            .split('\n')
            .map((x) => Number(x.trim()))
            .filter((x) => x > 0);
        } catch {
          return []; // ps exits 1 when no process matches
        }
      };
      const s = run(['start'], { ...dbEnv, PORT: String(nextPort++), FORMWORK_WORKERS: '2' });
      await healthy(s);
      await vi.waitFor(() => expect(s.output()).toMatch(/"msg":"formwork started".*"workers":2/), {
        timeout: 20_000,
      });
      const pid = s.proc.pid as number;
      const workers = children(pid);
      expect(workers).toHaveLength(2);
      process.kill(workers[0] as number, 'SIGKILL');
      await vi.waitFor(() => expect(s.output()).toContain('worker died; starting another'), {
        timeout: 10_000,
      });
      await vi.waitFor(
        () => {
          const now = children(pid);
          expect(now).toHaveLength(2);
          expect(now).not.toContain(workers[0]);
        },
        { timeout: 20_000 },
      );
      for (let i = 0; i < 20; i++) expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
      s.proc.kill('SIGTERM');
      expect(await s.exit).toBe(0);
      expect(children(pid)).toEqual([]);
    },
    120_000,
  );

  it('refuses invalid configuration, naming the variable', async () => {
    const s = run(['start'], { ...dbEnv, PORT: 'eighty' });
    expect(await s.exit).toBe(2);
    expect(s.output()).toContain('PORT');
  });

  it('migrate applies migrations and exits 0', async () => {
    const s = run(['migrate'], { ...dbEnv, PORT: '0' });
    expect(await s.exit).toBe(0);
    expect(s.output()).toContain('up to date');
  }, 60_000);

  it('unknown commands exit 2 with the help text', async () => {
    const s = run(['frobnicate'], { PORT: '0' });
    expect(await s.exit).toBe(2);
    expect(s.output()).toContain('Usage');
  });
});
