import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './lock.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'fw-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('data directory lock', () => {
  it('writes our pid into the lock file and removes it on release', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a second lock while the first is held, naming the holder', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(`data directory in use by process ${process.pid}`);
    release();
    lockDataDir(dir)();
  });

  it('refuses a lock held by another live process', async () => {
    const dir = tempDir();
    const child = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, LOCK_FILE), `${child.pid}\n`);
      let err: unknown;
      try {
        lockDataDir(dir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect((err as DataDirLockedError).pid).toBe(child.pid);
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock whose process is dead', () => {
    const dir = tempDir();
    const dead = spawnSync('true').pid;
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('takes over a lock file with garbage in it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), 'not a pid');
    lockDataDir(dir)();
  });

  it('does not remove a lock that another process took over', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    writeFileSync(join(dir, LOCK_FILE), '999999\n');
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});
