import type { Migration } from './types.js';

export const migration0001: Migration = {
  id: '0001-system',
  system: `
CREATE TABLE formwork.workspaces (
  key text PRIMARY KEY,
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  schema_version int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE formwork.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL DEFAULT '',
  password_hash text,
  is_admin boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON formwork.users (lower(email));
CREATE TABLE formwork.api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES formwork.users (id) ON DELETE CASCADE,
  name text NOT NULL DEFAULT '',
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL DEFAULT '',
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_user_idx ON formwork.api_tokens (user_id);
CREATE TABLE formwork.sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES formwork.users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON formwork.sessions (user_id);
CREATE TABLE formwork.rate_limits (
  key text PRIMARY KEY,
  count int NOT NULL DEFAULT 0,
  window_start timestamptz NOT NULL DEFAULT now()
);
`,
  workspace: (s) => `
CREATE TABLE ${s}._entities (
  key text PRIMARY KEY,
  version int NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE TABLE ${s}._entity_versions (
  key text NOT NULL,
  version int NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  PRIMARY KEY (key, version)
);
CREATE TABLE ${s}._audit (
  id bigserial PRIMARY KEY,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  action text NOT NULL,
  actor uuid,
  source text NOT NULL,
  request_id text,
  at timestamptz NOT NULL DEFAULT now(),
  changes jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX _audit_record_idx ON ${s}._audit (entity, record_id, id);
CREATE TABLE ${s}._autonumber (
  entity text NOT NULL,
  field text NOT NULL,
  period text NOT NULL,
  value bigint NOT NULL,
  PRIMARY KEY (entity, field, period)
);
`,
};
