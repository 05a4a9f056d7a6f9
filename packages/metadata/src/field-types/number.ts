import { parseNumberText, roundDecimal } from '../decimal.js';
import type { FieldDefinition } from '../types.js';
import { defineFieldType, type JsonSchema, NUMBER_OPS } from './field-type.js';

// Value shapes: number / amount / percent: a JSON number (percent 12.5 means 12.5 %), rounded to the
// field's `precision` (amount: default 2) with exact decimal half-up rounding; numeric strings such as
// `"1,234.50"` are parsed. rating: an integer 0..max (max default 5).

const PRECISION = { type: 'integer', minimum: 0, maximum: 10 };

function toNumber(v: unknown, field: FieldDefinition, defaultPrecision: number | undefined, percent = false) {
  let n: number | undefined;
  if (typeof v === 'number') n = Number.isFinite(v) ? v : undefined;
  else if (typeof v === 'string') n = parseNumberText(v, percent);
  if (n === undefined) return v;
  const precision = field.precision ?? defaultPrecision;
  const r = precision === undefined ? n : roundDecimal(n, precision);
  return Object.is(r, -0) ? 0 : r;
}

function rangeSchema(field: FieldDefinition): JsonSchema {
  const s: JsonSchema = { type: 'number' };
  if (field.min !== undefined) s.minimum = field.min;
  if (field.max !== undefined) s.maximum = field.max;
  return s;
}

const numericDefinition = (extra: Record<string, unknown> = {}): JsonSchema => ({
  type: 'object',
  properties: { min: { type: 'number' }, max: { type: 'number' }, precision: PRECISION, ...extra },
});

export const numberType = defineFieldType({
  name: 'number',
  label: { 'zh-CN': '数字', en: 'Number' },
  category: 'basic',
  definitionSchema: numericDefinition(),
  schema: rangeSchema,
  widget: 'updown',
  uiOptions: (f) => (f.precision === undefined ? {} : { precision: f.precision }),
  normalise: (v, f) => toNumber(v, f, undefined),
  operators: NUMBER_OPS,
  storage: 'numeric',
  sortable: true,
  searchable: false,
  indexable: true,
});

export const amountType = defineFieldType({
  name: 'amount',
  label: { 'zh-CN': '金额', en: 'Amount' },
  category: 'basic',
  definitionSchema: numericDefinition({ currency: { type: 'string', pattern: '^[A-Z]{3}$' } }),
  schema: rangeSchema,
  widget: 'amount',
  uiOptions: (f) => ({ precision: f.precision ?? 2, currency: f.currency ?? 'CNY' }),
  normalise: (v, f) => toNumber(v, f, 2),
  operators: NUMBER_OPS,
  storage: 'numeric',
  sortable: true,
  searchable: false,
  indexable: true,
});

export const percentType = defineFieldType({
  name: 'percent',
  label: { 'zh-CN': '百分比', en: 'Percent' },
  category: 'basic',
  definitionSchema: numericDefinition(),
  schema: rangeSchema,
  widget: 'percent',
  uiOptions: (f) => (f.precision === undefined ? {} : { precision: f.precision }),
  normalise: (v, f) => toNumber(v, f, undefined, true),
  operators: NUMBER_OPS,
  storage: 'numeric',
  sortable: true,
  searchable: false,
  indexable: true,
});

export const ratingType = defineFieldType({
  name: 'rating',
  label: { 'zh-CN': '评分', en: 'Rating' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    properties: { max: { type: 'integer', minimum: 1, maximum: 10 } },
  },
  schema: (f) => ({ type: 'integer', minimum: 0, maximum: f.max ?? 5 }),
  widget: 'rating',
  uiOptions: (f) => ({ max: f.max ?? 5 }),
  normalise: (v, f) => toNumber(v, f, undefined),
  operators: NUMBER_OPS,
  storage: 'numeric',
  sortable: true,
  searchable: false,
  indexable: true,
});
