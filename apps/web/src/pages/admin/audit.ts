import type { AuditEvent, AuditQuery } from './admin-api.js';

/** The audit viewer's pure parts: filters → query, and an event's field-by-field changes. */

export interface AuditFilters {
  /** `system`: logins, refusals, people/permission/schema changes; `records`: one entity's record changes. */
  mode: 'system' | 'records';
  from?: string;
  to?: string;
  actor?: string;
  /** An action or prefix (`auth`, `member`, `auth.login`…), system mode. */
  action?: string;
  /** true / false: only successful / only failed (system mode). */
  ok?: boolean;
  /** The entity whose record changes to show (records mode). */
  entity?: string;
  /** A record id (records mode) or any target id (system mode). */
  targetId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `GET /api/audit` query of the filters; null when they cannot be asked yet (records mode, no entity). */
export function auditQuery(f: AuditFilters, cursor?: string, limit = 50): AuditQuery | null {
  const target = f.targetId?.trim() || undefined;
  const common: AuditQuery = {
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.actor ? { actor: f.actor } : {}),
    ...(cursor ? { cursor } : {}),
    limit,
  };
  if (f.mode === 'records') {
    if (!f.entity) return null;
    return { ...common, entity: f.entity, ...(target ? { targetId: target } : {}) };
  }
  return {
    ...common,
    ...(f.action ? { action: f.action } : {}),
    ...(f.ok !== undefined ? { ok: f.ok } : {}),
    ...(target ? { targetId: target } : {}),
  };
}

/** Whether a record id filter is well-formed (the server wants a uuid in records mode). */
export function recordIdProblem(f: AuditFilters): boolean {
  const target = f.targetId?.trim();
  return f.mode === 'records' && !!target && !UUID.test(target);
}

export interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Field-by-field differences of two values: nested objects become dotted paths
 * (`entities.deal.actions`), arrays and scalars are compared whole. Unchanged paths are left out.
 */
export function diffValues(before: unknown, after: unknown, prefix = ''): Change[] {
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  if (isPlain(before) && after === undefined) return diffValues(before, {}, prefix);
  if (before === undefined && isPlain(after)) return diffValues({}, after, prefix);
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ field: prefix, before, after }];
}

/**
 * The changes an event carries: a record change lists them (`details.changes`), a member or role update
 * has `before` / `after` (compared field by field); other events have none.
 */
export function eventChanges(e: Pick<AuditEvent, 'details'>): Change[] {
  const d = e.details ?? {};
  if (Array.isArray(d.changes)) {
    return (d.changes as unknown[]).filter(isPlain).map((c) => ({
      field: String(c.field ?? ''),
      before: c.before,
      after: c.after,
    }));
  }
  if ('before' in d || 'after' in d) return diffValues(d.before, d.after);
  return [];
}

/** The details not shown as changes (reason, e-mail, counts…). */
export function otherDetails(e: Pick<AuditEvent, 'details'>): Record<string, unknown> {
  const { changes: _c, before: _b, after: _a, ...rest } = e.details ?? {};
  return rest;
}

/** A value in a table cell: text as is, empty as "—", anything else as compact JSON. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
