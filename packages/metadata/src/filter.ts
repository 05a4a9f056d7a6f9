import { getFieldType, isSystemFieldKey, systemFields } from './field-types/index.js';
import { toMessage } from './i18n.js';
import type { EntityDefinition, FieldDefinition, Issue, Message, Result, SortItem } from './types.js';

/** Filter limits, field resolution and sort parsing; filter validation is in `filter-validate.ts`. */
export const FILTER_MAX_DEPTH = 8;
export const FILTER_MAX_LEAVES = 100;
export const FILTER_MAX_IN = 1000;
export const SORT_MAX_KEYS = 3;

function m(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

/** An entity field or a system pseudo-field, by key. */
export function resolveFilterField(entity: EntityDefinition, key: string): FieldDefinition | undefined {
  if (isSystemFieldKey(key)) return systemFields[key];
  return entity.fields.find((f) => f.key === key);
}

/** True when the field (entity or system) can be sorted on. */
export function isSortable(field: FieldDefinition): boolean {
  if (isSystemFieldKey(field.key) && (field as { system?: boolean }).system) return true;
  return getFieldType(field.type)?.sortable ?? false;
}

/**
 * `"-amount,name"` → `[{ field: 'amount', direction: 'desc' }, { field: 'name', direction: 'asc' }]`.
 * Sortable fields only (entity or system), at most 3 keys, no repeats; empty input → `[]`.
 */
export function parseSort(entity: EntityDefinition, input: unknown): Result<SortItem[]> {
  if (input === undefined || input === null || input === '') return { ok: true, value: [] };
  if (typeof input !== 'string' || input.length > 500) {
    return {
      ok: false,
      issues: [{ field: 'sort', code: 'invalidSort', message: m('排序参数无效', 'Invalid sort parameter') }],
    };
  }
  const parts = input.split(',').map((s) => s.trim());
  const issues: Issue[] = [];
  const items: SortItem[] = [];
  if (parts.length > SORT_MAX_KEYS) {
    return {
      ok: false,
      issues: [
        {
          field: 'sort',
          code: 'tooManySortKeys',
          message: m(`最多按 ${SORT_MAX_KEYS} 个字段排序`, `Sort by at most ${SORT_MAX_KEYS} fields`),
        },
      ],
    };
  }
  for (const part of parts) {
    const desc = part.startsWith('-');
    const key = part.replace(/^[-+]/, '');
    const field = key === '' ? undefined : resolveFilterField(entity, key);
    if (!field) {
      issues.push({
        field: 'sort',
        code: 'unknownField',
        message: m(`未知字段 ${key}`, `Unknown field ${key}`),
        params: { field: key },
      });
      continue;
    }
    if (!isSortable(field)) {
      const l = toMessage(field.label, field.key);
      issues.push({
        field: 'sort',
        code: 'notSortable',
        message: m(`字段 ${l['zh-CN']} 不能排序`, `Field ${l.en} cannot be sorted`),
        params: { field: key },
      });
      continue;
    }
    if (items.some((i) => i.field === key)) {
      issues.push({
        field: 'sort',
        code: 'duplicateSortKey',
        message: m(`排序字段 ${key} 重复`, `Sort field ${key} is repeated`),
        params: { field: key },
      });
      continue;
    }
    items.push({ field: key, direction: desc ? 'desc' : 'asc' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: items };
}
