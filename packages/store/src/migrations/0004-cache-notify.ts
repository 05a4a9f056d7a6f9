import type { Migration } from './types.js';

/**
 * Cache invalidation through NOTIFY (see docs/adr/0007-cached-reads-invalidated-by-notify.md):
 * statement-level triggers announce, on channel `formwork_cache`, every committed change that a
 * process may have cached — credentials and permissions (`auth:<schema>`), entity definitions
 * (`entity:<schema>`) and workspaces (`workspace:formwork`). Triggers, not application code, so no
 * write path can forget. PostgreSQL delivers a notification only when its transaction commits.
 */
export const migration0004: Migration = {
  id: '0004-cache-notify',
  system: `
CREATE FUNCTION formwork.notify_cache() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('formwork_cache', TG_ARGV[0] || ':' || TG_TABLE_SCHEMA);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER notify_cache AFTER UPDATE OR DELETE ON formwork.users
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
CREATE TRIGGER notify_cache AFTER UPDATE OR DELETE ON formwork.sessions
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
CREATE TRIGGER notify_cache AFTER UPDATE OF user_id, revoked_at, expires_at, scopes OR DELETE ON formwork.api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
CREATE TRIGGER notify_cache AFTER INSERT OR UPDATE OR DELETE ON formwork.workspaces
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('workspace');
`,
  workspace: (s) => `
CREATE TRIGGER notify_cache AFTER INSERT OR UPDATE OR DELETE ON ${s}._entities
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('entity');
CREATE TRIGGER notify_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${s}._members
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
CREATE TRIGGER notify_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${s}._member_departments
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
CREATE TRIGGER notify_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${s}._departments
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
CREATE TRIGGER notify_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${s}._roles
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
CREATE TRIGGER notify_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${s}._member_roles
  FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('auth');
`,
};
