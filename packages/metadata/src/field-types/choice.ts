import { localize } from '../i18n.js';
import type { FieldDefinition } from '../types.js';
import {
  CHOICE_OPS,
  type DefinitionProblem,
  defineFieldType,
  I18N_TEXT_SCHEMA,
  type JsonSchema,
  MULTI_OPS,
} from './field-type.js';

// Value shapes: select: one option value (string); multiSelect: string[] of option values, no
// duplicates; boolean: true/false; tags: string[] (free text, trimmed, de-duplicated, ≤ 50).

const OPTIONS_SCHEMA: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 500,
  items: {
    type: 'object',
    required: ['value'],
    properties: {
      value: { type: 'string', minLength: 1, maxLength: 100 },
      label: I18N_TEXT_SCHEMA,
      color: { type: 'string', pattern: '^(#[0-9A-Fa-f]{3,8}|[a-z]{3,20})$' },
    },
    additionalProperties: false,
  },
};

function optionValues(field: FieldDefinition): string[] {
  return (field.options ?? []).map((o) => o.value);
}

function enumOf(field: FieldDefinition): JsonSchema {
  const values = optionValues(field);
  return { type: 'string', enum: values.length > 0 ? values : [''] };
}

function checkOptions(field: FieldDefinition): DefinitionProblem[] {
  const seen = new Set<string>();
  const problems: DefinitionProblem[] = [];
  (field.options ?? []).forEach((o, i) => {
    if (seen.has(o.value)) {
      problems.push({
        path: `options.${i}.value`,
        code: 'duplicateOption',
        message: { 'zh-CN': `选项值 ${o.value} 重复`, en: `Option value ${o.value} is repeated` },
      });
    }
    seen.add(o.value);
  });
  return problems;
}

function optionUi(field: FieldDefinition) {
  return {
    options: (field.options ?? []).map((o) => ({
      value: o.value,
      label: { 'zh-CN': localize(o.label, 'zh-CN', o.value), en: localize(o.label, 'en', o.value) },
      ...(o.color ? { color: o.color } : {}),
    })),
  };
}

const trimString = (v: unknown): unknown => (typeof v === 'string' ? v.trim() : v);

function toStringList(v: unknown): unknown {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) return v;
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    if (typeof item !== 'string') {
      out.push(item);
      continue;
    }
    const t = item.trim();
    if (t === '' || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

export const selectType = defineFieldType({
  name: 'select',
  label: { 'zh-CN': '单选', en: 'Single select' },
  category: 'basic',
  definitionSchema: { type: 'object', required: ['options'], properties: { options: OPTIONS_SCHEMA } },
  schema: enumOf,
  widget: 'select',
  uiOptions: optionUi,
  normalise: trimString,
  operators: CHOICE_OPS,
  storage: 'text',
  sortable: true,
  searchable: false,
  indexable: true,
  checkDefinition: checkOptions,
});

export const multiSelectType = defineFieldType({
  name: 'multiSelect',
  label: { 'zh-CN': '多选', en: 'Multiple select' },
  category: 'basic',
  definitionSchema: {
    type: 'object',
    required: ['options'],
    properties: {
      options: OPTIONS_SCHEMA,
      min: { type: 'integer', minimum: 0, maximum: 500 },
      max: { type: 'integer', minimum: 1, maximum: 500 },
    },
  },
  schema: (f) => {
    const s: JsonSchema = { type: 'array', items: enumOf(f), uniqueItems: true };
    if (f.min !== undefined) s.minItems = f.min;
    if (f.max !== undefined) s.maxItems = f.max;
    return s;
  },
  itemSchema: enumOf,
  widget: 'multiSelect',
  uiOptions: optionUi,
  normalise: (v) => toStringList(v),
  normaliseItem: trimString,
  operators: MULTI_OPS,
  storage: 'textArray',
  multiValued: () => true,
  sortable: false,
  searchable: false,
  indexable: false,
  checkDefinition: checkOptions,
});

export const booleanType = defineFieldType({
  name: 'boolean',
  label: { 'zh-CN': '是/否', en: 'Yes/No' },
  category: 'basic',
  schema: () => ({ type: 'boolean' }),
  widget: 'checkbox',
  normalise: (v) => {
    if (typeof v !== 'string') return v;
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    return v;
  },
  operators: ['eq', 'ne', 'isEmpty', 'isNotEmpty'],
  storage: 'boolean',
  sortable: true,
  searchable: false,
  indexable: true,
});

export const tagsType = defineFieldType({
  name: 'tags',
  label: { 'zh-CN': '标签', en: 'Tags' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    properties: { max: { type: 'integer', minimum: 1, maximum: 50 } },
  },
  schema: (f) => ({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 50 },
    uniqueItems: true,
    maxItems: f.max ?? 50,
  }),
  itemSchema: () => ({ type: 'string', minLength: 1, maxLength: 50 }),
  widget: 'tags',
  normalise: (v) => toStringList(v),
  normaliseItem: trimString,
  operators: MULTI_OPS,
  storage: 'textArray',
  multiValued: () => true,
  sortable: false,
  searchable: true,
  indexable: false,
});
