import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db.js';
import { testDbKind } from '../testing.js';

describe.runIf(testDbKind() === 'pglite')('PGlite on a data directory', () => {
  it('refuses a second open of the same data directory and allows it after close, with 32 MB of buffers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-pglite-'));
    try {
      const db = await openDb({ dataDir: dir });
      await db.query('CREATE TABLE t (id int)');
      await db.query('INSERT INTO t VALUES (1)');
      await expect(openDb({ dataDir: dir })).rejects.toThrow(
        `data directory in use by process ${process.pid}`,
      );
      await db.close();
      const again = await openDb({ dataDir: dir });
      expect(await again.query('SELECT id FROM t')).toEqual([{ id: 1 }]);
      // The embedded server keeps small shared buffers (drivers/pglite.ts), whatever initdb wrote.
      expect(await again.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '32MB' }]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
