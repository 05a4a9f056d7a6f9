import { foldText, isEmptyValue } from '../text-normalise.js';
import type { FieldDefinition, FieldTypeName, FilterOp, Locale, Message } from '../types.js';

/** A JSON Schema (draft 2020-12) fragment, as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

/** How the store extracts a value from `data jsonb` for filters, sorts and indexes. */
export type StorageKind = 'text' | 'numeric' | 'boolean' | 'date' | 'timestamptz' | 'textArray' | 'json';

/** Where a type appears in the (future) designer palette. */
export type FieldCategory = 'basic' | 'advanced' | 'system';

/** UI-schema hints for rjsf: `ui:widget`, `ui:options`, … */
export type UiHints = { [key: `ui:${string}`]: unknown };

/** Context for building value schemas (reserved for relation targets and the like). */
export interface ValueSchemaContext {
  locale?: Locale;
  /** Building the server's validation schema: `required` is checked in code, so it is left out. */
  forValidation?: boolean;
}

/**
 * One field type. Everything else (forms, storage, filters, OpenAPI, diff) reads these properties;
 * nothing switches on the type name elsewhere.
 */
export interface FieldType {
  readonly name: FieldTypeName;
  readonly label: Message;
  readonly category: FieldCategory;
  /** JSON Schema (object) of the type-specific definition properties (`options`, `target`, …). */
  readonly definitionSchema: JsonSchema;
  /** Schema of a stored value; allows `null` unless the field is required (computed fields always do). */
  valueSchema(field: FieldDefinition, ctx?: ValueSchemaContext): JsonSchema;
  /** Schema of one comparable value in a filter (for multi-valued types: one element). Never null. */
  itemSchema(field: FieldDefinition): JsonSchema;
  ui(field: FieldDefinition): UiHints;
  /** Canonical stored form; unchanged input when it cannot be normalised (validation reports it). Idempotent. */
  normalise(value: unknown, field: FieldDefinition): unknown;
  /** Normalise one filter operand (an element for multi-valued types). */
  normaliseItem(value: unknown, field: FieldDefinition): unknown;
  /** The key used for unique indexes and duplicate detection; null when empty or not comparable. */
  dedupeKey(value: unknown, field: FieldDefinition): string | null;
  /** Every operator the type can support. */
  readonly operators: readonly FilterOp[];
  /** The operators a given field supports (e.g. a multiple relation differs from a single one). */
  operatorsFor(field: FieldDefinition): readonly FilterOp[];
  readonly storage: StorageKind;
  storageFor(field: FieldDefinition): StorageKind;
  /** True when a value is a list (multiSelect, tags, relation with multiple, …). */
  multiValued(field: FieldDefinition): boolean;
  readonly sortable: boolean;
  readonly searchable: boolean;
  readonly indexable: boolean;
  /** The server computes the value; a client may not write it. */
  readonly computed: boolean;
  /** The message for a value with a bad shape (`Phone is not a valid phone number`), given the field label. */
  invalidMessage?(label: Message): Message;
  /** Semantic checks of a definition beyond `definitionSchema` (unique option values, a valid pattern…). */
  checkDefinition?(field: FieldDefinition): DefinitionProblem[];
}

/** A problem in a field definition; `path` is relative to the field (`options.2.value`). */
export interface DefinitionProblem {
  path: string;
  code: string;
  message: Message;
}

/** What a field type file provides; `defineFieldType` fills the rest. */
export interface FieldTypeSpec {
  name: FieldTypeName;
  label: Message;
  category: FieldCategory;
  definitionSchema?: JsonSchema;
  /** Schema of a non-empty value. */
  schema(field: FieldDefinition, ctx?: ValueSchemaContext): JsonSchema;
  itemSchema?(field: FieldDefinition): JsonSchema;
  widget: string;
  uiOptions?(field: FieldDefinition): Record<string, unknown>;
  normalise?(value: unknown, field: FieldDefinition): unknown;
  normaliseItem?(value: unknown, field: FieldDefinition): unknown;
  dedupeKey?(value: unknown, field: FieldDefinition): string | null;
  operators: readonly FilterOp[];
  operatorsFor?(field: FieldDefinition): readonly FilterOp[];
  storage: StorageKind;
  storageFor?(field: FieldDefinition): StorageKind;
  multiValued?(field: FieldDefinition): boolean;
  sortable: boolean;
  searchable: boolean;
  indexable: boolean;
  computed?: boolean;
  invalidMessage?(label: Message): Message;
  checkDefinition?(field: FieldDefinition): DefinitionProblem[];
}

/** Add `null` to a schema's allowed values. */
export function nullable(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  const t = schema.type;
  if (typeof t === 'string') out.type = t === 'null' ? t : [t, 'null'];
  else if (Array.isArray(t)) out.type = t.includes('null') ? t : [...t, 'null'];
  else if (Object.keys(schema).length === 0) return out;
  else return { anyOf: [schema, { type: 'null' }] };
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
  return out;
}

/** The default dedupe key: case-folded, half-width, spaces collapsed. */
export function defaultDedupeKey(value: unknown): string | null {
  if (isEmptyValue(value)) return null;
  if (typeof value === 'string') {
    const k = foldText(value);
    return k === '' ? null : k;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    const keys = value.map((v) => defaultDedupeKey(v)).filter((k): k is string => k !== null);
    if (keys.length === 0) return null;
    return [...new Set(keys)].sort().join('\u001f');
  }
  return null;
}

/** Copy `field.ui` into UI hints: `ui:*` keys as they are, others into `ui:options`. */
function userUi(field: FieldDefinition): { hints: UiHints; options: Record<string, unknown> } {
  const hints: UiHints = {};
  const options: Record<string, unknown> = {};
  const ui = field.ui;
  if (ui && typeof ui === 'object' && !Array.isArray(ui)) {
    for (const [k, v] of Object.entries(ui)) {
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
      if (k.startsWith('ui:')) hints[k as `ui:${string}`] = v;
      else options[k] = v;
    }
  }
  return { hints, options };
}

/** Complete a spec into a `FieldType`. Empty strings become null, then the type's normaliser runs. */
export function defineFieldType(spec: FieldTypeSpec): FieldType {
  const normaliseOwn = spec.normalise ?? ((v: unknown) => v);
  const normalise = (value: unknown, field: FieldDefinition): unknown => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value.trim() === '' && spec.name !== 'richText') return null;
    const out = normaliseOwn(value, field);
    return typeof out === 'string' && out === '' ? null : out;
  };
  const computed = spec.computed ?? false;
  return {
    name: spec.name,
    label: spec.label,
    category: spec.category,
    definitionSchema: spec.definitionSchema ?? { type: 'object', properties: {} },
    valueSchema(field, ctx) {
      const s = spec.schema(field, ctx);
      return field.required && !computed ? s : nullable(s);
    },
    itemSchema: spec.itemSchema ?? ((field) => spec.schema(field)),
    ui(field) {
      const { hints, options } = userUi(field);
      const typeOptions = spec.uiOptions?.(field) ?? {};
      const merged = { ...typeOptions, ...options };
      const out: UiHints = { 'ui:widget': spec.widget, ...hints };
      if (Object.keys(merged).length > 0) out['ui:options'] = merged;
      if (computed) out['ui:readonly'] = true;
      return out;
    },
    normalise,
    normaliseItem: spec.normaliseItem ?? normalise,
    dedupeKey: (value, field) => {
      const v = normalise(value, field);
      return spec.dedupeKey ? spec.dedupeKey(v, field) : defaultDedupeKey(v);
    },
    operators: spec.operators,
    operatorsFor: spec.operatorsFor ?? (() => spec.operators),
    storage: spec.storage,
    storageFor: spec.storageFor ?? (() => spec.storage),
    multiValued: spec.multiValued ?? (() => false),
    sortable: spec.sortable,
    searchable: spec.searchable,
    indexable: spec.indexable,
    computed,
    ...(spec.invalidMessage ? { invalidMessage: spec.invalidMessage } : {}),
    ...(spec.checkDefinition ? { checkDefinition: spec.checkDefinition } : {}),
  };
}

// Operator sets shared by several types.
export const TEXT_OPS: readonly FilterOp[] = [
  'eq',
  'ne',
  'in',
  'nin',
  'contains',
  'startsWith',
  'isEmpty',
  'isNotEmpty',
];
export const NUMBER_OPS: readonly FilterOp[] = [
  'eq',
  'ne',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'isEmpty',
  'isNotEmpty',
];
export const DATE_OPS: readonly FilterOp[] = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'period',
  'isEmpty',
  'isNotEmpty',
];
export const CHOICE_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'nin', 'isEmpty', 'isNotEmpty'];
/** Multi-valued: `contains` = has this element, `in` = has any of, `nin` = has none of. */
export const MULTI_OPS: readonly FilterOp[] = ['contains', 'in', 'nin', 'isEmpty', 'isNotEmpty'];
export const EMPTY_OPS: readonly FilterOp[] = ['isEmpty', 'isNotEmpty'];

/** Properties shared by the definition schemas. */
export const I18N_TEXT_SCHEMA: JsonSchema = {
  anyOf: [
    { type: 'string', maxLength: 200 },
    {
      type: 'object',
      properties: { 'zh-CN': { type: 'string', maxLength: 200 }, en: { type: 'string', maxLength: 200 } },
      additionalProperties: false,
    },
  ],
};
