import { canonicalPhone, foldText, phoneDedupeKey, toHalfWidth } from '../text-normalise.js';
import type { FieldDefinition, Message } from '../types.js';
import { defineFieldType, EMPTY_OPS, type JsonSchema, TEXT_OPS } from './field-type.js';

// Value shapes: text / longText / phone / email / url: a string; richText: an HTML string (sanitise it
// when rendering, never trust it). Empty strings are stored as null.

const trimString = (v: unknown): unknown => (typeof v === 'string' ? v.trim() : v);

function lengthSchema(field: FieldDefinition, defaultMax: number): JsonSchema {
  const s: JsonSchema = { type: 'string', maxLength: Math.min(field.maxLength ?? defaultMax, defaultMax) };
  if (field.minLength !== undefined) s.minLength = field.minLength;
  return s;
}

/**
 * A user-written regular expression must compile (with the `u` flag, as Ajv runs it) and must not nest
 * quantifiers (`(a+)+`), the usual shape of catastrophic backtracking. Values are ≤ 2,000 characters.
 */
export function checkUserPattern(pattern: string): Message | null {
  try {
    new RegExp(pattern, 'u');
  } catch {
    return { 'zh-CN': '正则表达式无效', en: 'The regular expression is not valid' };
  }
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,\d*\})/.test(pattern)) {
    return {
      'zh-CN': '正则表达式含嵌套的重复（可能导致性能问题）',
      en: 'The regular expression nests repetitions (it could be very slow)',
    };
  }
  return null;
}

/** Single-line text; `minLength`, `maxLength` (≤ 2,000) and `pattern` apply. */
export const textType = defineFieldType({
  name: 'text',
  label: { 'zh-CN': '单行文本', en: 'Text' },
  category: 'basic',
  definitionSchema: {
    type: 'object',
    properties: {
      minLength: { type: 'integer', minimum: 0, maximum: 2000 },
      maxLength: { type: 'integer', minimum: 1, maximum: 2000 },
      pattern: { type: 'string', minLength: 1, maxLength: 200 },
    },
  },
  schema: (field) => {
    const s = lengthSchema(field, 2000);
    if (field.pattern !== undefined) s.pattern = field.pattern;
    return s;
  },
  widget: 'text',
  normalise: trimString,
  checkDefinition: (f) => {
    if (f.pattern === undefined) return [];
    const why = checkUserPattern(f.pattern);
    return why ? [{ path: 'pattern', code: 'pattern', message: why }] : [];
  },
  operators: TEXT_OPS,
  storage: 'text',
  sortable: true,
  searchable: true,
  indexable: true,
});

/** Multi-line text (≤ 100,000 characters). */
export const longTextType = defineFieldType({
  name: 'longText',
  label: { 'zh-CN': '多行文本', en: 'Long text' },
  category: 'basic',
  definitionSchema: {
    type: 'object',
    properties: {
      minLength: { type: 'integer', minimum: 0, maximum: 100000 },
      maxLength: { type: 'integer', minimum: 1, maximum: 100000 },
    },
  },
  schema: (field) => lengthSchema(field, 100_000),
  widget: 'textarea',
  normalise: trimString,
  operators: ['contains', 'startsWith', 'isEmpty', 'isNotEmpty'],
  storage: 'text',
  sortable: false,
  searchable: true,
  indexable: false,
});

/** Rich text: an HTML string (≤ 1,000,000 characters), stored as given. */
export const richTextType = defineFieldType({
  name: 'richText',
  label: { 'zh-CN': '富文本', en: 'Rich text' },
  category: 'advanced',
  definitionSchema: {
    type: 'object',
    properties: { maxLength: { type: 'integer', minimum: 1, maximum: 1000000 } },
  },
  schema: (field) => lengthSchema(field, 1_000_000),
  widget: 'richText',
  operators: ['contains', ...EMPTY_OPS],
  storage: 'text',
  sortable: false,
  searchable: true,
  indexable: false,
});

/**
 * A phone number, stored canonically: separators removed, optional leading `+`, and mainland
 * mobiles without their country code (`+86 138-0013-8000` → `13800138000`). Dedupe key: digits only.
 */
export const phoneType = defineFieldType({
  name: 'phone',
  label: { 'zh-CN': '电话', en: 'Phone' },
  category: 'basic',
  schema: () => ({ type: 'string', pattern: '^\\+?[0-9]{3,20}$' }),
  widget: 'phone',
  normalise: (v) => (typeof v === 'string' ? canonicalPhone(v) : v),
  dedupeKey: (v) => (typeof v === 'string' ? phoneDedupeKey(v) : null),
  operators: TEXT_OPS,
  storage: 'text',
  sortable: true,
  searchable: true,
  indexable: true,
  invalidMessage: (l) => ({
    'zh-CN': `${l['zh-CN']} 格式不正确`,
    en: `${l.en} is not a valid phone number`,
  }),
});

/** An e-mail address; the domain is stored in lower case; dedupe key: the whole address lower-cased. */
export const emailType = defineFieldType({
  name: 'email',
  label: { 'zh-CN': '邮箱', en: 'E-mail' },
  category: 'basic',
  schema: () => ({ type: 'string', format: 'email', maxLength: 254 }),
  widget: 'email',
  normalise: (v) => {
    if (typeof v !== 'string') return v;
    const t = toHalfWidth(v).trim();
    const at = t.lastIndexOf('@');
    return at < 0 ? t : t.slice(0, at) + t.slice(at).toLowerCase();
  },
  dedupeKey: (v) => (typeof v === 'string' ? foldText(v) || null : null),
  operators: TEXT_OPS,
  storage: 'text',
  sortable: true,
  searchable: true,
  indexable: true,
  invalidMessage: (l) => ({
    'zh-CN': `${l['zh-CN']} 不是有效的邮箱地址`,
    en: `${l.en} is not a valid e-mail address`,
  }),
});

/** An http(s) URL (other schemes such as `javascript:` are refused). */
export const urlType = defineFieldType({
  name: 'url',
  label: { 'zh-CN': '网址', en: 'URL' },
  category: 'basic',
  schema: () => ({
    type: 'string',
    format: 'uri',
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$',
    maxLength: 2048,
  }),
  widget: 'uri',
  normalise: trimString,
  operators: TEXT_OPS,
  storage: 'text',
  sortable: true,
  searchable: true,
  indexable: true,
  invalidMessage: (l) => ({
    'zh-CN': `${l['zh-CN']} 不是有效的网址（http/https）`,
    en: `${l.en} is not a valid http(s) URL`,
  }),
});
