import type { FieldDefinition, FieldTypeName, FilterOp, SystemFieldKey } from '../types.js';
import { booleanType, multiSelectType, selectType, tagsType } from './choice.js';
import { autoNumberType, formulaType } from './computed.js';
import { dateType, datetimeType } from './date.js';
import type { FieldType, StorageKind } from './field-type.js';
import { amountType, numberType, percentType, ratingType } from './number.js';
import { departmentType, lookupType, memberType, relationType } from './reference.js';
import { attachmentType, imageType, locationType, signatureType, subformType } from './structured.js';
import { emailType, longTextType, phoneType, richTextType, textType, urlType } from './text.js';

/** The field-type registry: every type in `FieldTypeName`, each defined in its own family file. */
export const fieldTypes: Readonly<Record<FieldTypeName, FieldType>> = Object.freeze({
  text: textType,
  longText: longTextType,
  richText: richTextType,
  number: numberType,
  amount: amountType,
  percent: percentType,
  date: dateType,
  datetime: datetimeType,
  select: selectType,
  multiSelect: multiSelectType,
  boolean: booleanType,
  member: memberType,
  department: departmentType,
  phone: phoneType,
  email: emailType,
  url: urlType,
  autoNumber: autoNumberType,
  formula: formulaType,
  relation: relationType,
  lookup: lookupType,
  subform: subformType,
  attachment: attachmentType,
  image: imageType,
  location: locationType,
  signature: signatureType,
  rating: ratingType,
  tags: tagsType,
});

export const FIELD_TYPE_NAMES = Object.keys(fieldTypes) as FieldTypeName[];

/** The type named `name`, or undefined for anything else (safe on untrusted strings like `__proto__`). */
export function getFieldType(name: unknown): FieldType | undefined {
  return typeof name === 'string' && Object.hasOwn(fieldTypes, name)
    ? fieldTypes[name as FieldTypeName]
    : undefined;
}

/** A system pseudo-field: filterable and sortable like a field, stored in its own column. */
export interface SystemFieldDefinition extends FieldDefinition {
  key: SystemFieldKey;
  system: true;
  /** The column of the entity table. */
  column: string;
  /** Narrower operator list than the type's, when set. */
  operators?: readonly FilterOp[];
}

/** `id, createdAt, updatedAt, createdBy, ownerId, version` as pseudo-fields with types. */
export const systemFields: Readonly<Record<SystemFieldKey, SystemFieldDefinition>> = Object.freeze({
  id: {
    key: 'id',
    type: 'member',
    label: { 'zh-CN': '记录 ID', en: 'Record ID' },
    system: true,
    column: 'id',
    operators: ['eq', 'ne', 'in', 'nin'],
  },
  createdAt: {
    key: 'createdAt',
    type: 'datetime',
    label: { 'zh-CN': '创建时间', en: 'Created at' },
    system: true,
    column: 'created_at',
    operators: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'period'],
  },
  updatedAt: {
    key: 'updatedAt',
    type: 'datetime',
    label: { 'zh-CN': '更新时间', en: 'Updated at' },
    system: true,
    column: 'updated_at',
    operators: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'period'],
  },
  createdBy: {
    key: 'createdBy',
    type: 'member',
    label: { 'zh-CN': '创建人', en: 'Created by' },
    system: true,
    column: 'created_by',
  },
  ownerId: {
    key: 'ownerId',
    type: 'member',
    label: { 'zh-CN': '负责人', en: 'Owner' },
    system: true,
    column: 'owner_id',
  },
  version: {
    key: 'version',
    type: 'number',
    label: { 'zh-CN': '版本', en: 'Version' },
    system: true,
    column: 'version',
    operators: ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'between'],
  },
});

export const SYSTEM_FIELD_KEYS = Object.keys(systemFields) as SystemFieldKey[];

export function isSystemFieldKey(key: unknown): key is SystemFieldKey {
  return typeof key === 'string' && Object.hasOwn(systemFields, key);
}

/** The operators a field (entity or system field) supports. */
export function fieldOperators(field: FieldDefinition): readonly FilterOp[] {
  const own = (field as Partial<SystemFieldDefinition>).operators;
  if (own) return own;
  return getFieldType(field.type)?.operatorsFor(field) ?? [];
}

/** How the store reads the field from `data jsonb`. */
export function fieldStorage(field: FieldDefinition): StorageKind {
  return getFieldType(field.type)?.storageFor(field) ?? 'json';
}

export type {
  DefinitionProblem,
  FieldCategory,
  FieldType,
  JsonSchema,
  StorageKind,
  UiHints,
  ValueSchemaContext,
} from './field-type.js';
export { defineFieldType, nullable } from './field-type.js';
