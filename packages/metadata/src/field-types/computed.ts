import { checkAutoNumberPattern } from '../auto-number.js';
import { defineFieldType, EMPTY_OPS } from './field-type.js';

// Value shapes: autoNumber: a string made by the server from `pattern` (`HT-20261123-0001`);
// formula: number | string | boolean | null computed by the server from `formula`. Neither may be
// written by a client.

export const autoNumberType = defineFieldType({
  name: 'autoNumber',
  label: { 'zh-CN': '流水号', en: 'Auto number' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    required: ['pattern'],
    properties: { pattern: { type: 'string', minLength: 1, maxLength: 64 } },
  },
  schema: () => ({ type: 'string', maxLength: 200 }),
  widget: 'autoNumber',
  operators: ['eq', 'ne', 'in', 'nin', 'contains', 'startsWith', ...EMPTY_OPS],
  storage: 'text',
  sortable: true,
  searchable: true,
  indexable: true,
  computed: true,
  checkDefinition: (f) => {
    const problem = f.pattern === undefined ? null : checkAutoNumberPattern(f.pattern);
    return problem ? [{ path: 'pattern', code: 'pattern', message: problem }] : [];
  },
});

export const formulaType = defineFieldType({
  name: 'formula',
  label: { 'zh-CN': '公式', en: 'Formula' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    required: ['formula'],
    properties: {
      formula: { type: 'string', minLength: 1, maxLength: 4000 },
      precision: { type: 'integer', minimum: 0, maximum: 10 },
    },
  },
  schema: () => ({ type: ['number', 'string', 'boolean'] }),
  widget: 'formula',
  uiOptions: (f) => (f.precision === undefined ? {} : { precision: f.precision }),
  // Compared as jsonb: numbers numerically, strings as text.
  operators: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', ...EMPTY_OPS],
  storage: 'json',
  sortable: true,
  searchable: false,
  indexable: false,
  computed: true,
});
