import type { Migration } from './types.js';

/**
 * People and permissions (issue 3). Users stay global (`formwork.users`); membership, departments and
 * roles live per workspace. Audit events (logins, permission and schema changes, exports, hand-overs)
 * go to one append-only system table; record changes stay in each workspace's `_audit`, which becomes
 * append-only too (a trigger refuses UPDATE and DELETE, so no code path can rewrite history).
 */
export const migration0002: Migration = {
  id: '0002-people',
  system: `
CREATE FUNCTION formwork.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'audit entries cannot be changed or deleted' USING ERRCODE = '42501'; END$$;
ALTER TABLE formwork.users ADD COLUMN failed_logins int NOT NULL DEFAULT 0;
ALTER TABLE formwork.users ADD COLUMN locked_until timestamptz;
ALTER TABLE formwork.users ADD COLUMN password_changed_at timestamptz;
ALTER TABLE formwork.api_tokens ADD COLUMN scopes jsonb;
CREATE TABLE formwork.invites (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES formwork.users (id) ON DELETE CASCADE,
  workspace text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz
);
CREATE INDEX invites_user_idx ON formwork.invites (user_id);
CREATE TABLE formwork.audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  workspace text,
  actor uuid,
  action text NOT NULL,
  target_type text,
  target_id text,
  ok boolean NOT NULL DEFAULT true,
  ip text,
  user_agent text,
  token_id uuid,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_ws_idx ON formwork.audit_events (workspace, id);
CREATE INDEX audit_events_actor_idx ON formwork.audit_events (actor, id);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON formwork.audit_events
  FOR EACH ROW EXECUTE FUNCTION formwork.refuse_audit_change();
`,
  workspace: (s) => `
CREATE TABLE ${s}._departments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  parent_id uuid REFERENCES ${s}._departments (id),
  head_id uuid,
  sort int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX _departments_parent_idx ON ${s}._departments (parent_id);
CREATE TABLE ${s}._members (
  user_id uuid PRIMARY KEY,
  status text NOT NULL DEFAULT 'active',
  invited_at timestamptz,
  activated_at timestamptz,
  deactivated_at timestamptz,
  successor_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}._member_departments (
  user_id uuid NOT NULL REFERENCES ${s}._members (user_id) ON DELETE CASCADE,
  department_id uuid NOT NULL REFERENCES ${s}._departments (id),
  is_primary boolean NOT NULL DEFAULT false,
  PRIMARY KEY (user_id, department_id)
);
CREATE UNIQUE INDEX _member_departments_primary ON ${s}._member_departments (user_id) WHERE is_primary;
CREATE INDEX _member_departments_dept_idx ON ${s}._member_departments (department_id);
CREATE TABLE ${s}._roles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL UNIQUE,
  name jsonb NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  is_admin boolean NOT NULL DEFAULT false,
  permissions jsonb NOT NULL DEFAULT '{"entities":{}}'::jsonb,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ${s}._roles (key, name, builtin, is_admin)
  VALUES ('admin', '{"zh-CN":"工作区管理员","en":"Workspace administrator"}'::jsonb, true, true);
CREATE TABLE ${s}._member_roles (
  user_id uuid NOT NULL REFERENCES ${s}._members (user_id) ON DELETE CASCADE,
  role_id uuid NOT NULL REFERENCES ${s}._roles (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX _member_roles_role_idx ON ${s}._member_roles (role_id);
CREATE TRIGGER _audit_append_only BEFORE UPDATE OR DELETE ON ${s}._audit
  FOR EACH ROW EXECUTE FUNCTION formwork.refuse_audit_change();
ALTER TABLE ${s}._audit ADD COLUMN ip text;
ALTER TABLE ${s}._audit ADD COLUMN user_agent text;
ALTER TABLE ${s}._audit ADD COLUMN token_id uuid;
DO $$
DECLARE r record; k text; body text; n text;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = '${s.slice(1, -1)}' AND tablename LIKE 'e\\_%' LOOP
    FOREACH k IN ARRAY ARRAY['owner', 'department'] LOOP
      body := CASE k WHEN 'owner' THEN '(owner_id)' ELSE '(department_id)' END;
      n := left(lower(k || '_' || substr(r.tablename, 3)), 48) || '_' ||
           left(encode(sha256(convert_to(k || '|' || substr(r.tablename, 3) || '||' || body, 'UTF8')), 'hex'), 8);
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I ', n, '${s.slice(1, -1)}', r.tablename) || body;
    END LOOP;
  END LOOP;
END$$;
`,
};
