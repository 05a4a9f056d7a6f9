import type { ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from './ajv.js';
import { checkEntityFormulas } from './compute.js';
import { I18N_TEXT_SCHEMA } from './field-types/field-type.js';
import { FIELD_TYPE_NAMES, getFieldType, type JsonSchema, SYSTEM_FIELD_KEYS } from './field-types/index.js';
import { checkFormLogic } from './form-logic.js';
import type { EntityDefinition, FieldDefinition, Issue, Message, Result } from './types.js';

/**
 * Parse a user-supplied entity definition (API input): JSON Schema structure first, then the rules a
 * schema cannot say (reserved and repeated keys, lookups, indexes, formulas…). Never throws.
 */

export const ENTITY_KEY_PATTERN = '^[a-z][a-z0-9_]{0,47}$';
export const FIELD_KEY_PATTERN = '^[a-z][a-zA-Z0-9_]{0,62}$';

/** Keys a field may not take: the system fields and words with a special meaning in JavaScript/storage. */
export const RESERVED_FIELD_KEYS: readonly string[] = [
  ...SYSTEM_FIELD_KEYS,
  '_id',
  '__proto__',
  'constructor',
  'prototype',
  'deletedAt',
];

/** Field types a subform row may not contain. */
const NOT_IN_SUBFORM = new Set(['subform', 'lookup', 'autoNumber']);

const MAX_DEPTH = 24;
const MAX_NODES = 200_000;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const LONG_I18N: JsonSchema = {
  anyOf: [
    { type: 'string', maxLength: 2000 },
    {
      type: 'object',
      properties: { 'zh-CN': { type: 'string', maxLength: 2000 }, en: { type: 'string', maxLength: 2000 } },
      additionalProperties: false,
    },
  ],
};

const COMMON_FIELD_PROPERTIES: Record<string, JsonSchema> = {
  key: { type: 'string', pattern: FIELD_KEY_PATTERN },
  type: { type: 'string', enum: FIELD_TYPE_NAMES },
  label: I18N_TEXT_SCHEMA,
  description: LONG_I18N,
  required: { type: 'boolean' },
  unique: { type: 'boolean' },
  indexed: { type: 'boolean' },
  dedupe: { type: 'boolean' },
  defaultValue: {},
  ui: { type: 'object' },
  visibleWhen: { type: 'string', minLength: 1, maxLength: 4000 },
};

const ENTITY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['key', 'fields'],
  properties: {
    key: { type: 'string', pattern: ENTITY_KEY_PATTERN },
    label: I18N_TEXT_SCHEMA,
    description: LONG_I18N,
    fields: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'object' } },
    rules: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['key', 'formula', 'message'],
        properties: {
          key: { type: 'string', pattern: FIELD_KEY_PATTERN },
          formula: { type: 'string', minLength: 1, maxLength: 4000 },
          message: LONG_I18N,
          field: { type: 'string', maxLength: 63 },
        },
        additionalProperties: false,
      },
    },
    titleField: { type: 'string', maxLength: 63 },
    layout: {
      type: 'object',
      required: ['sections'],
      properties: {
        sections: {
          type: 'array',
          maxItems: 100,
          items: {
            type: 'object',
            required: ['key', 'fields'],
            properties: {
              key: { type: 'string', pattern: FIELD_KEY_PATTERN },
              label: I18N_TEXT_SCHEMA,
              columns: { type: 'integer', enum: [1, 2, 3, 4] },
              fields: { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 63 } },
              collapsed: { type: 'boolean' },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

let entityValidator: ValidateFunction | undefined;
const fieldValidators = new Map<string, ValidateFunction>();

function entityValidate(): ValidateFunction {
  entityValidator ??= newAjv().compile(ENTITY_SCHEMA);
  return entityValidator;
}

/** The JSON Schema of one field definition of the given type (common + type-specific properties). */
export function fieldDefinitionSchema(typeName: string): JsonSchema | undefined {
  const type = getFieldType(typeName);
  if (!type) return undefined;
  const own = type.definitionSchema;
  const ownProps = (own.properties ?? {}) as Record<string, JsonSchema>;
  const ownRequired = Array.isArray(own.required) ? (own.required as string[]) : [];
  return {
    type: 'object',
    required: ['key', 'type', ...ownRequired],
    properties: { ...COMMON_FIELD_PROPERTIES, ...ownProps },
    additionalProperties: false,
  };
}

function fieldValidate(typeName: string): ValidateFunction | undefined {
  let v = fieldValidators.get(typeName);
  if (!v) {
    const schema = fieldDefinitionSchema(typeName);
    if (!schema) return undefined;
    v = newAjv().compile(schema);
    fieldValidators.set(typeName, v);
  }
  return v;
}

/** The JSON Schema of a whole entity definition, for documentation (OpenAPI) and editors. */
export function entityDefinitionSchema(): JsonSchema {
  const fieldVariants = FIELD_TYPE_NAMES.map((name) => {
    const s = fieldDefinitionSchema(name) as JsonSchema;
    const props = s.properties as Record<string, JsonSchema>;
    return { ...s, properties: { ...props, type: { const: name } } };
  });
  const props = ENTITY_SCHEMA.properties as Record<string, JsonSchema>;
  return {
    ...ENTITY_SCHEMA,
    properties: { ...props, fields: { type: 'array', items: { oneOf: fieldVariants } } },
  };
}

// ---------------------------------------------------------------------------------------------
// Messages

function m(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

const TYPE_WORDS: Record<string, Message> = {
  string: m('文本', 'a string'),
  number: m('数字', 'a number'),
  integer: m('整数', 'an integer'),
  boolean: m('布尔值', 'a boolean'),
  array: m('数组', 'an array'),
  object: m('对象', 'an object'),
};

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

function valueAt(root: unknown, segments: string[]): unknown {
  let v: unknown = root;
  for (const s of segments) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, s)) return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

function ajvIssue(e: ErrorObject, prefix: string, root: unknown): Issue {
  const segments = e.instancePath === '' ? [] : e.instancePath.split('/').slice(1);
  const path = [prefix, ...segments].filter((s) => s !== '').join('.');
  const where = path === '' ? m('定义', 'The definition') : m(path, path);
  const p = e.params as Record<string, unknown>;
  const last = segments[segments.length - 1] ?? '';
  switch (e.keyword) {
    case 'required': {
      const prop = String(p.missingProperty);
      return {
        field: join(path, prop),
        code: 'required',
        message: m(`缺少必填属性 ${join(path, prop)}`, `Missing required property ${join(path, prop)}`),
      };
    }
    case 'additionalProperties': {
      const prop = String(p.additionalProperty);
      return {
        field: join(path, prop),
        code: 'unknownProperty',
        message: m(`不支持的属性 ${join(path, prop)}`, `Unknown property ${join(path, prop)}`),
      };
    }
    case 'type': {
      const t = TYPE_WORDS[String(p.type)] ?? m(String(p.type), String(p.type));
      return {
        field: path,
        code: 'type',
        message: m(`${where['zh-CN']} 必须是${t['zh-CN']}`, `${where.en} must be ${t.en}`),
      };
    }
    case 'pattern':
      if (last === 'key' || last === 'target' || last === 'relation' || last === 'targetField') {
        const value = String(valueAt(root, segments));
        const entityKey = path === 'key';
        return {
          field: path,
          code: 'invalidKey',
          message: entityKey
            ? m(
                `标识 ${value} 无效：须以小写字母开头，只含小写字母、数字和下划线，最长 48 个字符`,
                `Key ${value} is invalid: start with a lower-case letter, then lower-case letters, digits or _ (≤ 48)`,
              )
            : m(
                `标识 ${value} 无效：须以小写字母开头，只含字母、数字和下划线，最长 63 个字符`,
                `Key ${value} is invalid: start with a lower-case letter, then letters, digits or _ (≤ 63)`,
              ),
        };
      }
      return {
        field: path,
        code: 'pattern',
        message: m(`${where['zh-CN']} 格式不正确`, `${where.en} has an invalid format`),
      };
    case 'enum':
      if (last === 'type') {
        const value = String(valueAt(root, segments));
        return {
          field: path,
          code: 'unknownType',
          message: m(`未知的字段类型 ${value}`, `Unknown field type ${value}`),
        };
      }
      return {
        field: path,
        code: 'enum',
        message: m(`${where['zh-CN']} 的值无效`, `${where.en} has an invalid value`),
      };
    case 'minItems':
      return {
        field: path,
        code: 'minItems',
        message: m(`${where['zh-CN']} 至少需要 ${p.limit} 项`, `${where.en} needs at least ${p.limit} items`),
      };
    case 'maxItems':
      return {
        field: path,
        code: 'maxItems',
        message: m(`${where['zh-CN']} 最多 ${p.limit} 项`, `${where.en} allows at most ${p.limit} items`),
      };
    case 'minLength':
    case 'maxLength':
      return {
        field: path,
        code: e.keyword,
        message: m(
          `${where['zh-CN']} 的长度${e.keyword === 'minLength' ? '至少' : '最多'}为 ${p.limit}`,
          `${where.en} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${p.limit} characters`,
        ),
      };
    case 'minimum':
    case 'maximum':
      return {
        field: path,
        code: e.keyword,
        message: m(
          `${where['zh-CN']} ${e.keyword === 'minimum' ? '不能小于' : '不能大于'} ${p.limit}`,
          `${where.en} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${p.limit}`,
        ),
      };
    case 'anyOf':
      return {
        field: path,
        code: 'type',
        message: m(
          `${where['zh-CN']} 必须是文本或 {"zh-CN": …, "en": …}`,
          `${where.en} must be a string or {"zh-CN": …, "en": …}`,
        ),
      };
    default:
      return {
        field: path,
        code: 'invalidValue',
        message: m(`${where['zh-CN']} 的值无效`, `${where.en} has an invalid value`),
      };
  }
}

function ajvIssues(v: ValidateFunction, prefix: string, root: unknown): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of v.errors ?? []) {
    // anyOf reports each branch too; keep the anyOf summary only.
    if (e.schemaPath.includes('/anyOf/')) continue;
    const issue = ajvIssue(e, prefix, root);
    const k = `${issue.field}|${issue.code}`;
    if (seen.has(k)) continue;
    seen.add(k);
    issues.push(issue);
  }
  return issues;
}

/** Reject prototype keys anywhere, over-deep nesting and oversized input before anything else runs. */
function scanInput(input: unknown): Issue | undefined {
  let nodes = 0;
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: input, path: '', depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const { v, path, depth } = item;
    if (++nodes > MAX_NODES) {
      return { field: '', code: 'tooLarge', message: m('定义过大', 'The definition is too large') };
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_DEPTH) {
      return {
        field: path,
        code: 'tooDeep',
        message: m('定义嵌套过深', 'The definition is nested too deeply'),
      };
    }
    for (const key of Object.keys(v)) {
      const p = join(path, key);
      if (FORBIDDEN_KEYS.has(key)) {
        return {
          field: p,
          code: 'forbiddenKey',
          message: m(`不允许的属性名 ${key}`, `Property name ${key} is not allowed`),
        };
      }
      stack.push({ v: (v as Record<string, unknown>)[key], path: p, depth: depth + 1 });
    }
  }
  return undefined;
}

function parseFields(fields: unknown[], prefix: string, root: unknown, inSubform: boolean): Issue[] {
  const issues: Issue[] = [];
  fields.forEach((raw, i) => {
    const path = `${prefix}.${i}`;
    const typeName = (raw as { type?: unknown }).type;
    const validate = fieldValidate(String(typeName));
    if (!validate) {
      issues.push(
        typeof typeName === 'string'
          ? {
              field: `${path}.type`,
              code: 'unknownType',
              message: m(`未知的字段类型 ${typeName}`, `Unknown field type ${typeName}`),
            }
          : {
              field: `${path}.type`,
              code: 'required',
              message: m(`缺少必填属性 ${path}.type`, `Missing required property ${path}.type`),
            },
      );
      return;
    }
    if (!validate(raw)) {
      issues.push(...ajvIssues(validate, path, root));
      return;
    }
    const field = raw as FieldDefinition;
    if (field.type === 'subform') {
      if (inSubform) return;
      issues.push(...parseFields(field.fields ?? [], `${path}.fields`, root, true));
    }
  });
  return issues;
}

function checkFieldList(fields: FieldDefinition[], prefix: string, inSubform: boolean): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  fields.forEach((field, i) => {
    const path = `${prefix}.${i}`;
    const type = getFieldType(field.type);
    if (!type) return;
    if (RESERVED_FIELD_KEYS.includes(field.key)) {
      issues.push({
        field: `${path}.key`,
        code: 'reservedKey',
        message: m(`字段标识 ${field.key} 是保留字`, `Field key ${field.key} is reserved`),
      });
    }
    if (seen.has(field.key)) {
      issues.push({
        field: `${path}.key`,
        code: 'duplicateKey',
        message: m(`字段标识 ${field.key} 重复`, `Field key ${field.key} is used twice`),
      });
    }
    seen.add(field.key);
    if (inSubform && NOT_IN_SUBFORM.has(field.type)) {
      issues.push({
        field: `${path}.type`,
        code: 'notInSubform',
        message: m(
          `子表单中不能使用 ${type.label['zh-CN']} 字段`,
          `A subform cannot contain a ${type.label.en} field`,
        ),
      });
    }
    for (const flag of ['unique', 'indexed', 'dedupe'] as const) {
      if (field[flag] !== true) continue;
      if (inSubform || !type.indexable || (flag === 'unique' && type.multiValued(field))) {
        issues.push({
          field: `${path}.${flag}`,
          code: 'notIndexable',
          message: m(
            `${type.label['zh-CN']} 字段${inSubform ? '（子表单内）' : ''}不支持 ${flag}`,
            `${flag} is not supported on ${inSubform ? 'a subform ' : 'a '}${type.label.en} field`,
          ),
        });
      }
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
      issues.push({
        field: `${path}.min`,
        code: 'invalidRange',
        message: m('min 不能大于 max', 'min must not exceed max'),
      });
    }
    if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
      issues.push({
        field: `${path}.minLength`,
        code: 'invalidRange',
        message: m('minLength 不能大于 maxLength', 'minLength must not exceed maxLength'),
      });
    }
    for (const p of type.checkDefinition?.(field) ?? []) {
      issues.push({ field: `${path}.${p.path}`, code: p.code, message: p.message });
    }
    if (field.type === 'subform' && !inSubform) {
      issues.push(...checkFieldList(field.fields ?? [], `${path}.fields`, true));
    }
  });
  return issues;
}

function checkEntity(entity: EntityDefinition): Issue[] {
  const issues = checkFieldList(entity.fields, 'fields', false);
  const byKey = new Map(entity.fields.map((f) => [f.key, f]));
  entity.fields.forEach((field, i) => {
    if (field.type !== 'lookup' || field.relation === undefined) return;
    const rel = byKey.get(field.relation);
    if (rel?.type !== 'relation') {
      issues.push({
        field: `fields.${i}.relation`,
        code: 'unknownRelation',
        message: m(
          `${field.relation} 不是本表单的关联字段`,
          `${field.relation} is not a relation field of this entity`,
        ),
      });
    }
  });
  issues.push(...checkFormLogic(entity));
  if (entity.titleField !== undefined && !byKey.has(entity.titleField)) {
    issues.push({
      field: 'titleField',
      code: 'unknownField',
      message: m(`标题字段 ${entity.titleField} 不存在`, `Title field ${entity.titleField} does not exist`),
    });
  }
  const ruleKeys = new Set<string>();
  (entity.rules ?? []).forEach((rule, i) => {
    if (ruleKeys.has(rule.key)) {
      issues.push({
        field: `rules.${i}.key`,
        code: 'duplicateKey',
        message: m(`规则标识 ${rule.key} 重复`, `Rule key ${rule.key} is used twice`),
      });
    }
    ruleKeys.add(rule.key);
    if (rule.field !== undefined && !byKey.has(rule.field)) {
      issues.push({
        field: `rules.${i}.field`,
        code: 'unknownField',
        message: m(
          `规则引用的字段 ${rule.field} 不存在`,
          `The rule names field ${rule.field}, which does not exist`,
        ),
      });
    }
  });
  return issues;
}

export function parseEntityDefinition(input: unknown): Result<EntityDefinition> {
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return {
        ok: false,
        issues: [
          {
            field: '',
            code: 'type',
            message: m('表单定义必须是 JSON 对象', 'The entity definition must be a JSON object'),
          },
        ],
      };
    }
    const scanned = scanInput(input);
    if (scanned) return { ok: false, issues: [scanned] };
    const v = entityValidate();
    if (!v(input)) return { ok: false, issues: ajvIssues(v, '', input) };
    const fieldIssues = parseFields((input as { fields: unknown[] }).fields, 'fields', input, false);
    if (fieldIssues.length > 0) return { ok: false, issues: fieldIssues };
    const entity = JSON.parse(JSON.stringify(input)) as EntityDefinition;
    const issues = checkEntity(entity);
    if (issues.length > 0) return { ok: false, issues };
    const formulaIssues = checkEntityFormulas(entity);
    if (formulaIssues.length > 0) return { ok: false, issues: formulaIssues };
    return { ok: true, value: entity };
  } catch {
    // Defensive: nothing above should throw, but user input must never turn into a 500.
    return {
      ok: false,
      issues: [
        { field: '', code: 'invalidValue', message: m('表单定义无效', 'The entity definition is invalid') },
      ],
    };
  }
}
