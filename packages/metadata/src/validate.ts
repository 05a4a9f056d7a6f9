import type { ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from './ajv.js';
import { evaluateRule } from './compute.js';
import { getFieldType, type JsonSchema } from './field-types/index.js';
import { toMessage } from './i18n.js';
import { toJsonSchema } from './json-schema.js';
import { LruCache } from './lru.js';
import { isEmptyValue } from './text-normalise.js';
import type { EntityDefinition, FieldDefinition, Issue, Message, Result } from './types.js';

export interface ValidateOptions {
  /** `create`: required fields must be present; `update`: a partial patch (required applies to keys present). */
  mode: 'create' | 'update';
  /**
   * Accept (and drop) computed fields in the input instead of reporting `computedField` — for a server
   * re-validating a stored record that already holds computed values.
   */
  allowComputed?: boolean;
  /**
   * Fields hidden by their show/hide rule (`hiddenFields(entity, data, ctx)`): not required, and their
   * values are dropped.
   */
  hidden?: readonly string[];
}

export interface CompiledEntity {
  readonly entity: EntityDefinition;
  /** The JSON Schema Ajv was compiled from (required is checked in code, so it is left out). */
  readonly schema: JsonSchema;
  /**
   * Normalise and validate record data. The value holds only the entity's writable fields, normalised;
   * in `update` mode only the keys present (null = clear).
   */
  validate(data: unknown, opts: ValidateOptions): Result<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------
// Messages

const labelOf = (field: FieldDefinition): Message => toMessage(field.label, field.key);

function m(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

const TYPE_NAMES: Record<string, Message> = {
  string: m('文本', 'text'),
  number: m('数字', 'a number'),
  integer: m('整数', 'an integer'),
  boolean: m('是或否', 'true or false'),
  array: m('列表', 'a list'),
  object: m('对象', 'an object'),
};

export const validationMessages = {
  required: (l: Message) => m(`${l['zh-CN']} 不能为空`, `${l.en} is required`),
  nestedRequired: (l: Message, prop: string) => m(`${l['zh-CN']} 缺少 ${prop}`, `${l.en} is missing ${prop}`),
  type: (l: Message, expected: string) => {
    const t = TYPE_NAMES[expected] ?? m(expected, expected);
    return m(`${l['zh-CN']} 必须是${t['zh-CN']}`, `${l.en} must be ${t.en}`);
  },
  minLength: (l: Message, n: unknown) =>
    m(`${l['zh-CN']} 至少需要 ${n} 个字符`, `${l.en} must be at least ${n} characters`),
  maxLength: (l: Message, n: unknown) =>
    m(`${l['zh-CN']} 不能超过 ${n} 个字符`, `${l.en} must be at most ${n} characters`),
  minimum: (l: Message, n: unknown) => m(`${l['zh-CN']} 不能小于 ${n}`, `${l.en} must be at least ${n}`),
  maximum: (l: Message, n: unknown) => m(`${l['zh-CN']} 不能大于 ${n}`, `${l.en} must be at most ${n}`),
  pattern: (l: Message) => m(`${l['zh-CN']} 格式不正确`, `${l.en} does not match the required format`),
  format: (l: Message) => m(`${l['zh-CN']} 格式不正确`, `${l.en} has an invalid format`),
  enum: (l: Message) => m(`${l['zh-CN']} 的值不在可选项中`, `${l.en} must be one of the options`),
  unknownField: (name: string) => m(`未知字段 ${name}`, `Unknown field ${name}`),
  minItems: (l: Message, n: unknown) =>
    m(`${l['zh-CN']} 至少需要 ${n} 项`, `${l.en} needs at least ${n} items`),
  maxItems: (l: Message, n: unknown) => m(`${l['zh-CN']} 最多 ${n} 项`, `${l.en} allows at most ${n} items`),
  tooManyItems: (l: Message, n: unknown) =>
    m(`${l['zh-CN']} 超过了 ${n} 项的上限`, `${l.en} has more than the limit of ${n} items`),
  invalidValue: (l: Message) => m(`${l['zh-CN']} 的值无效`, `${l.en} has an invalid value`),
  computedField: (l: Message) =>
    m(`${l['zh-CN']} 由系统计算，不能填写`, `${l.en} is computed by the system and cannot be written`),
  notAnObject: () => m('记录数据必须是 JSON 对象', 'The record data must be a JSON object'),
};

// ---------------------------------------------------------------------------------------------
// Ajv errors → issues

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Located {
  /** The field (or subform child) the error belongs to. */
  field: FieldDefinition;
  /** Segments below that field's value (`['0', 'size']` for a file's size). */
  rest: string[];
  /** Segments up to and including the field (`['items', '0', 'qty']`). */
  head: string[];
}

function locate(entityFields: Map<string, FieldDefinition>, segments: string[]): Located | undefined {
  const [first, ...rest] = segments;
  if (first === undefined) return undefined;
  const field = entityFields.get(first);
  if (!field) return undefined;
  if (field.type === 'subform' && rest.length >= 2) {
    const [row, childKey, ...below] = rest;
    const child = field.fields?.find((c) => c.key === childKey);
    if (row !== undefined && child && childKey !== undefined) {
      return { field: child, rest: below, head: [first, row, childKey] };
    }
  }
  return { field, rest, head: [first] };
}

function issueFromAjv(e: ErrorObject, fields: Map<string, FieldDefinition>): Issue | undefined {
  const segments = decodePointer(e.instancePath);
  const loc = locate(fields, segments);
  if (!loc) return undefined;
  const label = labelOf(loc.field);
  const path = segments.join('.');
  const type = getFieldType(loc.field.type);
  const atField = loc.rest.length === 0;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = [...segments, String(p.additionalProperty)].join('.');
      return { field: name, code: 'unknownField', message: validationMessages.unknownField(name) };
    }
    case 'required': {
      const prop = String(p.missingProperty);
      const name = [...segments, prop].join('.');
      return { field: name, code: 'required', message: validationMessages.nestedRequired(label, prop) };
    }
    case 'type': {
      const expected = String(p.type)
        .split(',')
        .find((t) => t !== 'null');
      return {
        field: path,
        code: 'type',
        message: validationMessages.type(label, expected ?? 'string'),
        params: { expected },
      };
    }
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
      return {
        field: path,
        code: e.keyword,
        message: validationMessages[e.keyword](label, p.limit),
        params: { limit: p.limit },
      };
    case 'exclusiveMinimum':
      return {
        field: path,
        code: 'minimum',
        message: validationMessages.minimum(label, p.limit),
        params: { limit: p.limit },
      };
    case 'exclusiveMaximum':
      return {
        field: path,
        code: 'maximum',
        message: validationMessages.maximum(label, p.limit),
        params: { limit: p.limit },
      };
    case 'minItems':
      return {
        field: path,
        code: 'minItems',
        message: validationMessages.minItems(label, p.limit),
        params: { limit: p.limit },
      };
    case 'maxItems': {
      const userLimit = atField && loc.field.max !== undefined && loc.field.max === p.limit;
      const code = userLimit ? 'maxItems' : 'tooManyItems';
      return {
        field: path,
        code,
        message: validationMessages[code](label, p.limit),
        params: { limit: p.limit },
      };
    }
    case 'pattern':
    case 'format': {
      if (type?.invalidMessage && (atField || type.multiValued(loc.field))) {
        return { field: path, code: 'format', message: type.invalidMessage(label) };
      }
      if (e.keyword === 'pattern' && atField && loc.field.pattern !== undefined) {
        return { field: path, code: 'pattern', message: validationMessages.pattern(label) };
      }
      return { field: path, code: 'format', message: validationMessages.format(label) };
    }
    case 'enum':
      return { field: path, code: 'enum', message: validationMessages.enum(label) };
    default:
      return { field: path, code: 'invalidValue', message: validationMessages.invalidValue(label) };
  }
}

// ---------------------------------------------------------------------------------------------
// Compile

function prepare(
  field: FieldDefinition,
  raw: unknown,
  path: string,
  issues: Issue[],
): { present: boolean; value: unknown } {
  const type = getFieldType(field.type);
  if (!type) return { present: false, value: undefined };
  let value = type.normalise(raw, field);
  if (field.required && isEmptyValue(value)) {
    issues.push({ field: path, code: 'required', message: validationMessages.required(labelOf(field)) });
    return { present: false, value: undefined };
  }
  if (field.type === 'subform' && Array.isArray(value)) {
    const children = field.fields ?? [];
    value = value.map((row, i) => {
      if (!isPlainObject(row)) return row;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        const child = children.find((c) => c.key === k);
        const childType = child ? getFieldType(child.type) : undefined;
        if (child && childType?.computed) continue; // recomputed by the server
        if (child?.required && isEmptyValue(v)) continue; // reported below
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      for (const child of children) {
        if (!child.required || getFieldType(child.type)?.computed) continue;
        if (isEmptyValue(row[child.key])) {
          issues.push({
            field: `${path}.${i}.${child.key}`,
            code: 'required',
            message: validationMessages.required(labelOf(child)),
          });
        }
      }
      return out;
    });
  }
  return { present: true, value };
}

/** Compile an entity's validator (prefer `compileEntityCached` or the WeakMap-backed `compileEntity`). */
function compileUncached(entity: EntityDefinition): CompiledEntity {
  const schema = toJsonSchema(entity, { forValidation: true });
  const ajvValidate: ValidateFunction = newAjv().compile(schema);
  const fields = new Map(entity.fields.map((f) => [f.key, f]));

  function validate(data: unknown, opts: ValidateOptions): Result<Record<string, unknown>> {
    if (!isPlainObject(data)) {
      return { ok: false, issues: [{ field: '', code: 'type', message: validationMessages.notAnObject() }] };
    }
    const issues: Issue[] = [];
    const out: Record<string, unknown> = {};
    const hidden = new Set(opts.hidden ?? []);
    for (const key of Object.keys(data)) {
      const field = fields.get(key);
      if (!field) {
        issues.push({ field: key, code: 'unknownField', message: validationMessages.unknownField(key) });
        continue;
      }
      if (hidden.has(key)) continue;
      const type = getFieldType(field.type);
      if (type?.computed) {
        if (!opts.allowComputed) {
          issues.push({
            field: key,
            code: 'computedField',
            message: validationMessages.computedField(labelOf(field)),
          });
        }
        continue;
      }
      const prepared = prepare(field, data[key], key, issues);
      if (prepared.present) out[key] = prepared.value;
    }
    if (opts.mode === 'create') {
      for (const field of entity.fields) {
        if (!field.required || getFieldType(field.type)?.computed || hidden.has(field.key)) continue;
        if (!Object.hasOwn(data, field.key)) {
          issues.push({
            field: field.key,
            code: 'required',
            message: validationMessages.required(labelOf(field)),
          });
        }
      }
    }
    if (!ajvValidate(out)) {
      const seen = new Set(issues.map((i) => i.field));
      for (const e of ajvValidate.errors ?? []) {
        const issue = issueFromAjv(e, fields);
        if (!issue || seen.has(issue.field)) continue;
        seen.add(issue.field);
        issues.push(issue);
      }
    }
    if (issues.length > 0) {
      const order = new Map(entity.fields.map((f, i) => [f.key, i]));
      const rank = (i: Issue) => order.get(i.field.split('.')[0] ?? '') ?? -1;
      issues.sort((a, b) => rank(a) - rank(b));
      return { ok: false, issues };
    }
    return { ok: true, value: out };
  }

  return { entity, schema, validate };
}

const byDefinition = new WeakMap<EntityDefinition, CompiledEntity>();

/** The compiled validator of an entity definition object, compiled once and cached on that object. */
export function compileEntity(entity: EntityDefinition): CompiledEntity {
  let c = byDefinition.get(entity);
  if (!c) {
    c = compileUncached(entity);
    byDefinition.set(entity, c);
  }
  return c;
}

const byKey = new LruCache<CompiledEntity>(500);

/**
 * The compiled validator for `cacheKey` (e.g. `ws:entity:version`, which must change whenever the
 * definition does), compiled on first use; the 500 most recently used are kept.
 */
export function compileEntityCached(cacheKey: string, entity: EntityDefinition): CompiledEntity {
  let c = byKey.get(cacheKey);
  if (!c) {
    c = compileEntity(entity);
    byKey.set(cacheKey, c);
  }
  return c;
}

/** Forget every cached validator (tests). */
export function clearCompiledEntities(): void {
  byKey.clear();
}

// ---------------------------------------------------------------------------------------------
// Cross-field rules

export interface RuleContext {
  now: Date;
  timeZone: string;
}

/**
 * Evaluate the entity's rules on a (computed) record: each rule whose formula is false yields an issue
 * (code `rule`, params `{ rule }`) on `rule.field` (or '' for the whole record). A rule that cannot be
 * evaluated (null) is not reported.
 */
export function checkRules(
  entity: EntityDefinition,
  data: Record<string, unknown>,
  ctx: RuleContext,
): Issue[] {
  const issues: Issue[] = [];
  for (const rule of entity.rules ?? []) {
    const ok = evaluateRule(entity, rule, data, ctx);
    if (ok === false) {
      issues.push({
        field: rule.field ?? '',
        code: 'rule',
        message: toMessage(rule.message, rule.key),
        params: { rule: rule.key },
      });
    }
  }
  return issues;
}
