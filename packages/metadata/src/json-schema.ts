import { getFieldType, type JsonSchema, systemFields, type ValueSchemaContext } from './field-types/index.js';
import { localize, toMessage } from './i18n.js';
import type { EntityDefinition, FieldDefinition, Locale } from './types.js';

/**
 * Entity → JSON Schema (draft 2020-12) and UI schema, by pure functions. The output uses standard
 * keywords only (plus `x-*` annotations), so it feeds rjsf in the browser and OpenAPI 3.1 on the server.
 */

export interface SchemaContext extends ValueSchemaContext {
  /** Language of `title` / `description` (both languages are always in `x-label`). Default en. */
  locale?: Locale;
}

function isPlaceholderDefault(v: unknown): boolean {
  if (typeof v === 'string') return v.startsWith('$');
  return typeof v === 'object' && v !== null;
}

function propertySchema(field: FieldDefinition, ctx: SchemaContext, forceNullable = false): JsonSchema {
  const type = getFieldType(field.type);
  if (!type) return {};
  const locale = ctx.locale ?? 'en';
  const base = type.valueSchema(forceNullable ? { ...field, required: false } : field, ctx);
  const s: JsonSchema = {
    ...base,
    title: localize(field.label, locale, field.key),
    'x-label': toMessage(field.label, field.key),
    'x-type': field.type,
  };
  if (field.description !== undefined) s.description = localize(field.description, locale, '');
  if (type.computed) s.readOnly = true;
  if (field.defaultValue !== undefined && !isPlaceholderDefault(field.defaultValue) && !type.computed) {
    s.default = field.defaultValue;
  }
  return s;
}

/** The schema of a record's writable data (what a form edits and what the API accepts). */
export function toJsonSchema(entity: EntityDefinition, ctx: SchemaContext = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of entity.fields) {
    properties[field.key] = propertySchema(field, ctx);
    const type = getFieldType(field.type);
    if (field.required && type && !type.computed && !ctx.forValidation) required.push(field.key);
  }
  const s: JsonSchema = {
    type: 'object',
    title: localize(entity.label, ctx.locale ?? 'en', entity.key),
    'x-label': toMessage(entity.label, entity.key),
    'x-entity': entity.key,
    properties,
    additionalProperties: false,
  };
  if (required.length > 0) s.required = required;
  return s;
}

/**
 * The schema of a record as the API returns it: the fields (all nullable — older records may predate a
 * field or a `required` flag) plus the system fields.
 */
export function toRecordSchema(entity: EntityDefinition, ctx: SchemaContext = {}): JsonSchema {
  const locale = ctx.locale ?? 'en';
  const properties: Record<string, JsonSchema> = {
    id: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'], format: 'uuid' },
    ownerId: { type: ['string', 'null'], format: 'uuid' },
    version: { type: 'integer', minimum: 1 },
  };
  for (const [key, sys] of Object.entries(systemFields)) {
    const p = properties[key];
    if (p) {
      p.title = localize(sys.label, locale, key);
      p['x-label'] = toMessage(sys.label, key);
      p.readOnly = true;
    }
  }
  for (const field of entity.fields) properties[field.key] = propertySchema(field, ctx, true);
  return {
    type: 'object',
    title: localize(entity.label, locale, entity.key),
    'x-label': toMessage(entity.label, entity.key),
    'x-entity': entity.key,
    properties,
    required: ['id', 'createdAt', 'updatedAt', 'version'],
    additionalProperties: false,
  };
}

function fieldUi(field: FieldDefinition, locale: Locale): JsonSchema {
  const type = getFieldType(field.type);
  if (!type) return {};
  const ui: JsonSchema = { ...type.ui(field) };
  if (field.description !== undefined) ui['ui:help'] = localize(field.description, locale, '');
  if (field.type === 'subform' && field.fields) {
    const items: JsonSchema = { 'ui:order': field.fields.map((c) => c.key) };
    for (const child of field.fields) items[child.key] = fieldUi(child, locale);
    ui.items = items;
  }
  return ui;
}

/** rjsf UI schema: field order, widgets and their options. */
export function toUiSchema(entity: EntityDefinition, ctx: { locale?: Locale } = {}): JsonSchema {
  const locale = ctx.locale ?? 'en';
  const ui: JsonSchema = { 'ui:order': entity.fields.map((f) => f.key) };
  for (const field of entity.fields) ui[field.key] = fieldUi(field, locale);
  return ui;
}
