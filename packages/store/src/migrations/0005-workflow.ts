import type { Migration } from './types.js';

/**
 * The workflow runtime (issue 4): versioned definitions (flows, blueprints, automations), flow
 * instances with their tasks and history (流转记录), idempotency keys, in-app notifications, automation
 * runs, stage history, webhook endpoints — per workspace — and one system-wide `formwork.jobs` table:
 * durable timers, automation runs and the outbox (e-mail, webhooks), claimed with FOR UPDATE SKIP LOCKED.
 *
 * Record triggers of automations: every record write inserts an `_audit` row in the same statement, so an
 * AFTER INSERT trigger on `_audit` enqueues an `automation.change` job in the same transaction when the
 * entity has a published, enabled automation. Writes made by automations (`source = 'automation'`) do
 * not trigger automations again (no loops).
 */
export const migration0005: Migration = {
  id: '0005-workflow',
  system: `
CREATE TABLE formwork.jobs (
  id bigserial PRIMARY KEY,
  workspace text,
  kind text NOT NULL,
  key text,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending',
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0,
  max_attempts int NOT NULL DEFAULT 8,
  last_error text,
  locked_by text,
  locked_until timestamptz,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX jobs_due_idx ON formwork.jobs (run_at) WHERE status = 'pending';
CREATE UNIQUE INDEX jobs_live_key ON formwork.jobs (workspace, key) WHERE key IS NOT NULL AND status IN ('pending', 'running');
CREATE INDEX jobs_failed_idx ON formwork.jobs (workspace, updated_at) WHERE status = 'failed';
CREATE INDEX jobs_finished_idx ON formwork.jobs (finished_at) WHERE status IN ('done', 'cancelled');
`,
  workspace: (s) => `
CREATE TABLE ${s}._wf_definitions (
  kind text NOT NULL,
  key text NOT NULL,
  entity text NOT NULL,
  draft jsonb NOT NULL,
  published_version int,
  enabled boolean NOT NULL DEFAULT true,
  has_record_trigger boolean NOT NULL DEFAULT false,
  state jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (kind, key)
);
CREATE INDEX _wf_definitions_entity_idx ON ${s}._wf_definitions (entity, kind) WHERE deleted_at IS NULL;
CREATE TABLE ${s}._wf_versions (
  kind text NOT NULL,
  key text NOT NULL,
  version int NOT NULL,
  definition jsonb NOT NULL,
  published_by uuid,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key, version)
);
CREATE TABLE ${s}._wf_instances (
  id uuid PRIMARY KEY,
  flow text NOT NULL,
  version int NOT NULL,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  submitter uuid NOT NULL,
  status text NOT NULL DEFAULT 'active',
  snapshot jsonb NOT NULL,
  seq int NOT NULL DEFAULT 0,
  parent_id uuid,
  parent_key text,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX _wf_instances_record_idx ON ${s}._wf_instances (entity, record_id);
CREATE INDEX _wf_instances_submitter_idx ON ${s}._wf_instances (submitter, started_at DESC);
CREATE TABLE ${s}._wf_tasks (
  id text PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES ${s}._wf_instances (id),
  node_id text NOT NULL,
  kind text NOT NULL,
  assignee uuid NOT NULL,
  status text NOT NULL,
  round int NOT NULL,
  origin text,
  from_member uuid,
  field_access jsonb NOT NULL DEFAULT '{}'::jsonb,
  default_access text NOT NULL DEFAULT 'readOnly',
  created_at timestamptz NOT NULL,
  closed_at timestamptz,
  closed_by uuid
);
CREATE INDEX _wf_tasks_assignee_idx ON ${s}._wf_tasks (assignee, status, created_at DESC);
CREATE INDEX _wf_tasks_instance_idx ON ${s}._wf_tasks (instance_id);
CREATE TABLE ${s}._wf_cc (
  instance_id uuid NOT NULL REFERENCES ${s}._wf_instances (id),
  member uuid NOT NULL,
  node_id text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (instance_id, member, node_id)
);
CREATE INDEX _wf_cc_member_idx ON ${s}._wf_cc (member, at DESC);
CREATE TABLE ${s}._wf_history (
  id bigserial PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES ${s}._wf_instances (id),
  action text NOT NULL,
  node_id text,
  actor uuid,
  task_id text,
  comment text,
  to_members jsonb,
  changes jsonb,
  detail jsonb,
  at timestamptz NOT NULL
);
CREATE INDEX _wf_history_instance_idx ON ${s}._wf_history (instance_id, id);
CREATE TABLE ${s}._wf_events (
  instance_id uuid NOT NULL,
  idem_key text NOT NULL,
  result jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance_id, idem_key)
);
CREATE TABLE ${s}._notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  kind text NOT NULL,
  title jsonb NOT NULL,
  body jsonb,
  instance_id uuid,
  task_id text,
  entity text,
  record_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX _notifications_user_idx ON ${s}._notifications (user_id, created_at DESC);
CREATE TABLE ${s}._automation_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  automation text NOT NULL,
  version int NOT NULL,
  trigger text NOT NULL,
  record_id uuid,
  status text NOT NULL,
  dry_run boolean NOT NULL DEFAULT false,
  effects jsonb NOT NULL DEFAULT '[]'::jsonb,
  skipped jsonb NOT NULL DEFAULT '[]'::jsonb,
  error text,
  job_id bigint,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX _automation_runs_idx ON ${s}._automation_runs (automation, at DESC);
CREATE TABLE ${s}._stage_history (
  id bigserial PRIMARY KEY,
  blueprint text NOT NULL,
  entity text NOT NULL,
  record_id uuid NOT NULL,
  from_stage text,
  stage text NOT NULL,
  transition text,
  actor uuid,
  at timestamptz NOT NULL
);
CREATE INDEX _stage_history_record_idx ON ${s}._stage_history (entity, record_id, id);
CREATE TABLE ${s}._webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url text NOT NULL UNIQUE,
  secret text NOT NULL,
  consecutive_failures int NOT NULL DEFAULT 0,
  disabled_at timestamptz,
  disabled_reason text,
  last_status int,
  last_error text,
  last_success_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION ${s}._wf_record_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.action IN ('create', 'update') AND NEW.source <> 'automation' AND EXISTS (
    SELECT 1 FROM ${s}._wf_definitions d
     WHERE d.kind = 'automation' AND d.entity = NEW.entity AND d.enabled AND d.has_record_trigger
       AND d.published_version IS NOT NULL AND d.deleted_at IS NULL
  ) THEN
    INSERT INTO formwork.jobs (workspace, kind, payload, run_at)
    VALUES (substr(TG_TABLE_SCHEMA, 4), 'automation.change', jsonb_build_object('auditId', NEW.id), now());
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER _wf_record_changed AFTER INSERT ON ${s}._audit
  FOR EACH ROW EXECUTE FUNCTION ${s}._wf_record_changed();
`,
};
