import type { FieldDefinition } from '../types.js';
import { CHOICE_OPS, defineFieldType, EMPTY_OPS, type JsonSchema, MULTI_OPS } from './field-type.js';

// Value shapes: member / department: a UUID string; relation: a UUID string, or a UUID[] when
// `multiple` (no duplicates, ≤ `max` or 1,000); lookup: computed by the server from the related record
// (read-only, any JSON).

const UUID: JsonSchema = { type: 'string', format: 'uuid' };
const ENTITY_KEY = '^[a-z][a-z0-9_]{0,47}$';
const FIELD_KEY = '^[a-z][a-zA-Z0-9_]{0,62}$';

const lowerId = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toLowerCase() : v);

function idList(v: unknown): unknown {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) return v;
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    const n = lowerId(item);
    if (typeof n === 'string') {
      if (n === '' || seen.has(n)) continue;
      seen.add(n);
    }
    out.push(n);
  }
  return out;
}

const invalidId = (l: { 'zh-CN': string; en: string }) => ({
  'zh-CN': `${l['zh-CN']} 不是有效的 ID`,
  en: `${l.en} is not a valid id`,
});

export const memberType = defineFieldType({
  name: 'member',
  label: { 'zh-CN': '成员', en: 'Member' },
  category: 'basic',
  schema: () => UUID,
  widget: 'member',
  normalise: lowerId,
  operators: CHOICE_OPS,
  storage: 'text',
  sortable: true,
  searchable: false,
  indexable: true,
  invalidMessage: invalidId,
});

export const departmentType = defineFieldType({
  name: 'department',
  label: { 'zh-CN': '部门', en: 'Department' },
  category: 'basic',
  schema: () => UUID,
  widget: 'department',
  normalise: lowerId,
  operators: CHOICE_OPS,
  storage: 'text',
  sortable: true,
  searchable: false,
  indexable: true,
  invalidMessage: invalidId,
});

const isMultiple = (f: FieldDefinition) => f.multiple === true;

export const relationType = defineFieldType({
  name: 'relation',
  label: { 'zh-CN': '关联', en: 'Relation' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    required: ['target'],
    properties: {
      target: { type: 'string', pattern: ENTITY_KEY },
      multiple: { type: 'boolean' },
      max: { type: 'integer', minimum: 1, maximum: 1000 },
      fill: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          required: ['from', 'to'],
          properties: {
            from: { type: 'string', pattern: FIELD_KEY },
            to: { type: 'string', pattern: FIELD_KEY },
          },
          additionalProperties: false,
        },
      },
    },
  },
  schema: (f) =>
    isMultiple(f) ? { type: 'array', items: UUID, uniqueItems: true, maxItems: f.max ?? 1000 } : UUID,
  itemSchema: () => UUID,
  widget: 'relation',
  uiOptions: (f) => ({ target: f.target, multiple: isMultiple(f), ...(f.fill ? { fill: f.fill } : {}) }),
  normalise: (v, f) => (isMultiple(f) ? idList(v) : lowerId(v)),
  normaliseItem: lowerId,
  operators: ['eq', 'ne', 'in', 'nin', 'contains', 'isEmpty', 'isNotEmpty'],
  operatorsFor: (f) => (isMultiple(f) ? MULTI_OPS : CHOICE_OPS),
  storage: 'text',
  storageFor: (f) => (isMultiple(f) ? 'textArray' : 'text'),
  multiValued: isMultiple,
  sortable: false,
  searchable: false,
  indexable: true,
  invalidMessage: invalidId,
});

export const lookupType = defineFieldType({
  name: 'lookup',
  label: { 'zh-CN': '引用', en: 'Lookup' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    required: ['relation', 'targetField'],
    properties: {
      relation: { type: 'string', pattern: FIELD_KEY },
      targetField: { type: 'string', pattern: FIELD_KEY },
    },
  },
  schema: () => ({}),
  widget: 'lookup',
  uiOptions: (f) => ({ relation: f.relation, targetField: f.targetField }),
  operators: EMPTY_OPS,
  storage: 'json',
  sortable: false,
  searchable: false,
  indexable: false,
  computed: true,
});
