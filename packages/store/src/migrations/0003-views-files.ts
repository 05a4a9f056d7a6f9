import type { Migration } from './types.js';

/**
 * Saved views (per user and shared) of each workspace's entities, and uploaded files.
 *
 * Files live in the database (`bytea`), not on disk: every server process behind a load balancer sees
 * the same files and a backup of the database is a backup of everything (docs/adr/0010-files-in-the-database.md).
 * They are kept in the system schema with their workspace, so `GET /api/files/{id}` needs no workspace
 * header (an `<img src>` cannot send one).
 */
export const migration0003: Migration = {
  id: '0003-views-files',
  system: `
CREATE TABLE formwork.files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace text NOT NULL,
  name text NOT NULL,
  type text NOT NULL,
  size int NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_workspace_idx ON formwork.files (workspace, created_at);
`,
  workspace: (s) => `
CREATE TABLE ${s}._views (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entity text NOT NULL,
  name text NOT NULL,
  owner_id uuid NOT NULL,
  shared boolean NOT NULL DEFAULT false,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  position int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX _views_entity_idx ON ${s}._views (entity, owner_id);
`,
};
