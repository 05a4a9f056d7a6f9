import { DomainError, type Issue, type Message } from '@formwork/metadata';
import type { Principal } from '../types.js';

export const m = (zh: string, en: string): Message => ({ 'zh-CN': zh, en });

/** The workflow's own principal: writes of flows, blueprints and automations through the store's records API. */
export function runtimePrincipal(actor?: string | null): Principal {
  return { userId: actor ?? 'system', isAdmin: true, roles: [], departmentIds: [] };
}

export function notFound(what: string, details: Record<string, unknown>): DomainError {
  return new DomainError(
    'NOT_FOUND',
    details,
    [],
    m(`${what.split('|')[0]}不存在`, `${what.split('|')[1]} not found`),
  );
}

export function invalid(
  field: string,
  code: string,
  zh: string,
  en: string,
  details: Record<string, unknown> = {},
) {
  const issue: Issue = { field, code, message: m(zh, en) };
  return new DomainError('VALIDATION_FAILED', details, [issue]);
}

const UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  // A timestamptz read through JSON in a UTC session (the common case) is rewritten, not parsed.
  const text = String(v);
  if (UTC_MS.test(text)) return `${text.slice(0, 23)}Z`;
  return new Date(text).toISOString();
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const uuidOrNull = (v: unknown): string | null =>
  typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : null;
