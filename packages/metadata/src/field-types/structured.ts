import { parseNumberText } from '../decimal.js';
import type { FieldDefinition } from '../types.js';
import { defineFieldType, EMPTY_OPS, type JsonSchema } from './field-type.js';
import { fieldTypes } from './index.js';

// Value shapes:
// - subform: an array of row objects keyed by the child field keys; a row may carry `_id` (a string the
//   client uses to keep row identity). Rows are validated by the child fields; ≤ `max` or 1,000 rows.
// - attachment / image: an array of `{ id, name, size, type, url? }` (size in bytes, type a MIME type;
//   image types only `image/*`); ≤ `max` or 50 files; `maxSize` bounds size, `accept` the MIME types.
// - location: `{ lat, lng, address? }` with lat -90..90, lng -180..180.
// - signature: a string, either a `data:image/png|jpeg|webp;base64,…` URL or a stored file id.

export const SUBFORM_MAX_ROWS = 1000;
export const FILES_MAX = 50;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rowSchema(field: FieldDefinition, forValidation: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = { _id: { type: 'string', minLength: 1, maxLength: 64 } };
  const required: string[] = [];
  for (const child of field.fields ?? []) {
    const type = fieldTypes[child.type];
    if (!type) continue;
    properties[child.key] = type.valueSchema(child, { forValidation });
    if (child.required && !type.computed) required.push(child.key);
  }
  const s: JsonSchema = { type: 'object', properties, additionalProperties: false };
  if (!forValidation && required.length > 0) s.required = required;
  return s;
}

export const subformType = defineFieldType({
  name: 'subform',
  label: { 'zh-CN': '子表单', en: 'Subform' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    required: ['fields'],
    properties: {
      fields: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'object' } },
      min: { type: 'integer', minimum: 0, maximum: SUBFORM_MAX_ROWS },
      max: { type: 'integer', minimum: 1, maximum: SUBFORM_MAX_ROWS },
    },
  },
  schema: (f, ctx) => {
    const s: JsonSchema = {
      type: 'array',
      items: rowSchema(f, ctx?.forValidation === true),
      maxItems: Math.min(f.max ?? SUBFORM_MAX_ROWS, SUBFORM_MAX_ROWS),
    };
    if (f.min !== undefined) s.minItems = f.min;
    return s;
  },
  widget: 'subform',
  normalise: (v, f) => {
    if (!Array.isArray(v)) return v;
    const children = new Map((f.fields ?? []).map((c) => [c.key, c]));
    return v.map((row) => {
      if (!isPlainObject(row)) return row;
      return Object.fromEntries(
        Object.entries(row).map(([k, value]) => {
          const child = children.get(k);
          const type = child ? fieldTypes[child.type] : undefined;
          return [k, child && type ? type.normalise(value, child) : value];
        }),
      );
    });
  },
  dedupeKey: () => null,
  operators: EMPTY_OPS,
  storage: 'json',
  multiValued: () => true,
  sortable: false,
  searchable: false,
  indexable: false,
});

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function mimePattern(field: FieldDefinition, imageOnly: boolean): string {
  if (field.accept && field.accept.length > 0) {
    const alts = field.accept.map((a) => escapeRegex(a).replace('\\*', '[A-Za-z0-9.+-]+'));
    return `^(${alts.join('|')})$`;
  }
  return imageOnly ? '^image/[A-Za-z0-9.+-]+$' : '^[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+$';
}

function filesSchema(field: FieldDefinition, imageOnly: boolean): JsonSchema {
  const size: JsonSchema = { type: 'integer', minimum: 0 };
  if (field.maxSize !== undefined) size.maximum = field.maxSize;
  return {
    type: 'array',
    maxItems: Math.min(field.max ?? FILES_MAX, FILES_MAX),
    items: {
      type: 'object',
      required: ['id', 'name', 'size', 'type'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 128 },
        name: { type: 'string', minLength: 1, maxLength: 255 },
        size,
        type: { type: 'string', maxLength: 255, pattern: mimePattern(field, imageOnly) },
        url: { type: 'string', maxLength: 2048, pattern: '^(https?://|/)[^\\s]*$' },
      },
      additionalProperties: false,
    },
  };
}

const FILES_DEFINITION: JsonSchema = {
  type: 'object',
  properties: {
    max: { type: 'integer', minimum: 1, maximum: FILES_MAX },
    maxSize: { type: 'integer', minimum: 1 },
    accept: {
      type: 'array',
      maxItems: 50,
      items: { type: 'string', pattern: '^[A-Za-z0-9.+-]+/([A-Za-z0-9.+-]+|\\*)$' },
    },
  },
};

/** attachment and image differ only in name, label, widget and whether only `image/*` is allowed. */
function filesType(
  name: 'attachment' | 'image',
  label: { 'zh-CN': string; en: string },
  imagesOnly: boolean,
) {
  return defineFieldType({
    name,
    label,
    category: 'advanced',
    definitionSchema: FILES_DEFINITION,
    schema: (f) => filesSchema(f, imagesOnly),
    widget: name,
    uiOptions: (f) => ({
      ...(f.accept ? { accept: f.accept } : {}),
      ...(f.maxSize ? { maxSize: f.maxSize } : {}),
    }),
    dedupeKey: () => null,
    operators: EMPTY_OPS,
    storage: 'json',
    multiValued: () => true,
    sortable: false,
    searchable: false,
    indexable: false,
  });
}

export const attachmentType = filesType('attachment', { 'zh-CN': '附件', en: 'Attachment' }, false);
export const imageType = filesType('image', { 'zh-CN': '图片', en: 'Image' }, true);

export const locationType = defineFieldType({
  name: 'location',
  label: { 'zh-CN': '定位', en: 'Location' },
  category: 'advanced',
  schema: () => ({
    type: 'object',
    required: ['lat', 'lng'],
    properties: {
      lat: { type: 'number', minimum: -90, maximum: 90 },
      lng: { type: 'number', minimum: -180, maximum: 180 },
      address: { type: 'string', maxLength: 500 },
    },
    additionalProperties: false,
  }),
  widget: 'location',
  normalise: (v) => {
    if (!isPlainObject(v)) return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => {
        if ((k === 'lat' || k === 'lng') && typeof x === 'string') return [k, parseNumberText(x) ?? x];
        if (k === 'address' && typeof x === 'string') return [k, x.trim()];
        return [k, x];
      }),
    );
  },
  dedupeKey: () => null,
  operators: EMPTY_OPS,
  storage: 'json',
  sortable: false,
  searchable: false,
  indexable: false,
});

export const signatureType = defineFieldType({
  name: 'signature',
  label: { 'zh-CN': '手写签名', en: 'Signature' },
  category: 'advanced',
  schema: () => ({
    type: 'string',
    maxLength: 2_000_000,
    pattern: '^(data:image/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]{1,128})$',
  }),
  widget: 'signature',
  normalise: (v) => (typeof v === 'string' ? v.trim() : v),
  dedupeKey: () => null,
  operators: EMPTY_OPS,
  storage: 'text',
  sortable: false,
  searchable: false,
  indexable: false,
  invalidMessage: (l) => ({
    'zh-CN': `${l['zh-CN']} 不是有效的签名图片`,
    en: `${l.en} is not a valid signature image`,
  }),
});
