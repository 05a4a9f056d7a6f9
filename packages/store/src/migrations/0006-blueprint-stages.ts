import type { Migration } from './types.js';

/**
 * Blueprints govern their stage field from a record's creation on:
 * - a loaded entity carries its published blueprints (stage field, initial stage), so a change of
 *   which blueprint is published, enabled or deleted must reach every process's entity cache —
 *   hence the `entity` NOTIFY on those columns of `_wf_definitions`;
 * - a created record of an entity with a published blueprint enters its initial stage: the `_audit`
 *   trigger also enqueues a `blueprint.enter` job (stage history, the stage's on-enter actions and
 *   its SLA timer), in the same transaction as the write.
 */
export const migration0006: Migration = {
  id: '0006-blueprint-stages',
  workspace: (s) => `
CREATE TRIGGER notify_cache AFTER UPDATE OF published_version, enabled, deleted_at, entity OR DELETE OR TRUNCATE
  ON ${s}._wf_definitions FOR EACH STATEMENT EXECUTE FUNCTION formwork.notify_cache('entity');
CREATE OR REPLACE FUNCTION ${s}._wf_record_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.action IN ('create', 'update') AND NEW.source <> 'automation' AND EXISTS (
    SELECT 1 FROM ${s}._wf_definitions d
     WHERE d.kind = 'automation' AND d.entity = NEW.entity AND d.enabled AND d.has_record_trigger
       AND d.published_version IS NOT NULL AND d.deleted_at IS NULL
  ) THEN
    INSERT INTO formwork.jobs (workspace, kind, payload, run_at)
    VALUES (substr(TG_TABLE_SCHEMA, 4), 'automation.change', jsonb_build_object('auditId', NEW.id), now());
  END IF;
  IF NEW.action = 'create' AND EXISTS (
    SELECT 1 FROM ${s}._wf_definitions d
     WHERE d.kind = 'blueprint' AND d.entity = NEW.entity AND d.enabled
       AND d.published_version IS NOT NULL AND d.deleted_at IS NULL
  ) THEN
    INSERT INTO formwork.jobs (workspace, kind, payload, run_at)
    VALUES (substr(TG_TABLE_SCHEMA, 4), 'blueprint.enter', jsonb_build_object('auditId', NEW.id), now());
  END IF;
  RETURN NULL;
END
$fn$;
`,
};
