/** Pure helpers turning record data into stored columns and rows into API records. */
import {
  type EntityDefinition,
  type FieldDefinition,
  getFieldType,
  type Issue,
  type Message,
  toMessage,
} from '@formwork/metadata';
import { searchDocument } from './search.js';

/** `norm`: the dedupe key of every unique or dedupe field that has a value. */
export function normOf(def: EntityDefinition, data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of def.fields) {
    if (!f.unique && !f.dedupe) continue;
    const type = getFieldType(f.type);
    const v = data[f.key];
    if (!type || v === undefined || v === null) continue;
    const k = type.dedupeKey(v, f);
    if (k !== null) out[f.key] = k;
  }
  return out;
}

/** `search_text` / `search_tokens` from the searchable fields. */
export function searchOf(
  def: EntityDefinition,
  data: Record<string, unknown>,
): { text: string; tokens: string[] } {
  const values: { value: unknown; richText?: boolean }[] = [];
  for (const f of def.fields) {
    if (!getFieldType(f.type)?.searchable) continue;
    const v = data[f.key];
    if (v !== undefined && v !== null) values.push({ value: v, richText: f.type === 'richText' });
  }
  return searchDocument(values);
}

export interface RecordRow {
  id: string;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  owner_id: string | null;
  version: number;
  deleted_at: Date | null;
  data: Record<string, unknown>;
  lookups?: Record<string, unknown> | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/** A row → the API record: system fields, then every field of the definition (null when unset). */
export function toRecord(def: EntityDefinition, row: RecordRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: row.id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    createdBy: row.created_by,
    ownerId: row.owner_id,
    version: row.version,
  };
  const data = row.data ?? {};
  for (const f of def.fields) {
    const v =
      f.type === 'lookup' ? row.lookups?.[f.key] : Object.hasOwn(data, f.key) ? data[f.key] : undefined;
    out[f.key] = v === undefined ? null : v;
  }
  if (row.deleted_at) out.deletedAt = iso(row.deleted_at);
  return out;
}

export function labelOf(f: FieldDefinition): Message {
  return toMessage(f.label, f.key);
}

export function uniqueIssue(f: FieldDefinition, prefix = ''): Issue {
  const l = labelOf(f);
  return {
    field: `${prefix}${f.key}`,
    code: 'unique',
    message: { 'zh-CN': `${l['zh-CN']} 已存在相同的值`, en: `${l.en} already exists` },
  };
}

export function relationIssue(f: FieldDefinition, prefix = ''): Issue {
  const l = labelOf(f);
  return {
    field: `${prefix}${f.key}`,
    code: 'relation',
    message: { 'zh-CN': `${l['zh-CN']}：关联记录不存在`, en: `${l.en}: the related record does not exist` },
  };
}

/** Deep equality of JSON values, ignoring object key order (jsonb reorders keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameJson(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameJson(ra[k], rb[k]));
}

const same = (a: unknown, b: unknown) => sameJson(a ?? null, b ?? null);

/** Field-level changes between two data objects, over the definition's fields (lookups excluded). */
export function changesBetween(
  def: EntityDefinition,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { field: string; before: unknown; after: unknown }[] {
  const out: { field: string; before: unknown; after: unknown }[] = [];
  for (const f of def.fields) {
    if (f.type === 'lookup') continue;
    const b = before[f.key] ?? null;
    const a = after[f.key] ?? null;
    if (!same(a, b)) out.push({ field: f.key, before: b, after: a });
  }
  return out;
}
