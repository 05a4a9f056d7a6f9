import type { Migration } from './types.js';

/**
 * Every event rewrites an instance's snapshot (a few kB of JSON once a node has several signers), and
 * every event reads it back under the instance lock. PostgreSQL compresses such values with pglz by
 * default; lz4 compresses and decompresses them several times faster at about the same size (where the
 * server is built without lz4 — PGlite — the column keeps pglz). A fill factor of 70 leaves room on each
 * page for the next version of the row, so the update stays a heap-only (HOT) update that touches no index.
 */
export const migration0007: Migration = {
  id: '0007-instance-storage',
  workspace: (s) => `
DO $do$
BEGIN
  ALTER TABLE ${s}._wf_instances ALTER COLUMN snapshot SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END
$do$;
ALTER TABLE ${s}._wf_instances SET (fillfactor = 70);
`,
};
