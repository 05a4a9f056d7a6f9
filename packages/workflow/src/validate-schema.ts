import type { Issue, Message } from '@formwork/metadata';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './schema.js';

/** Ajv validation of the definition formats, with errors turned into bilingual issues. */

const validators = new Map<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true, logger: false });
    addFormats(ajv);
    v = ajv.compile(schema);
    validators.set(schema, v);
  }
  return v;
}

export function m(zh: string, en: string): Message {
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

function issueOf(e: ErrorObject, what: Message): Issue {
  const segments = e.instancePath === '' ? [] : e.instancePath.split('/').slice(1);
  const path = segments.join('.');
  const where = path === '' ? what : m(path, path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const prop = join(path, String(p.missingProperty));
      return {
        field: prop,
        code: 'required',
        message: m(`缺少必填属性 ${prop}`, `Missing required property ${prop}`),
      };
    }
    case 'additionalProperties': {
      const prop = join(path, String(p.additionalProperty));
      return {
        field: prop,
        code: 'unknownProperty',
        message: m(`不支持的属性 ${prop}`, `Unknown property ${prop}`),
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
    case 'discriminator':
    case 'enum':
    case 'const': {
      const allowed = Array.isArray(p.allowedValues) ? ` (${(p.allowedValues as unknown[]).join(', ')})` : '';
      return {
        field: p.tag ? join(path, String(p.tag)) : path,
        code: 'enum',
        message: m(`${where['zh-CN']} 的取值无效${allowed}`, `${where.en} has an invalid value${allowed}`),
      };
    }
    case 'pattern':
    case 'format':
      return {
        field: path,
        code: 'pattern',
        message: m(`${where['zh-CN']} 格式不正确`, `${where.en} has an invalid format`),
      };
    case 'minItems':
    case 'maxItems':
      return {
        field: path,
        code: e.keyword,
        message:
          e.keyword === 'minItems'
            ? m(`${where['zh-CN']} 至少需要 ${p.limit} 项`, `${where.en} needs at least ${p.limit} items`)
            : m(`${where['zh-CN']} 最多 ${p.limit} 项`, `${where.en} allows at most ${p.limit} items`),
      };
    case 'minProperties':
      return {
        field: path,
        code: 'minProperties',
        message: m(`${where['zh-CN']} 不能为空`, `${where.en} must not be empty`),
      };
    case 'maxProperties':
      return {
        field: path,
        code: 'maxProperties',
        message: m(`${where['zh-CN']} 最多 ${p.limit} 项`, `${where.en} allows at most ${p.limit} entries`),
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
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        field: path,
        code: 'range',
        message: m(
          `${where['zh-CN']} 须 ${String(p.comparison)} ${String(p.limit)}`,
          `${where.en} must be ${String(p.comparison)} ${String(p.limit)}`,
        ),
      };
    case 'uniqueItems':
      return {
        field: path,
        code: 'uniqueItems',
        message: m(`${where['zh-CN']} 中有重复项`, `${where.en} has duplicate items`),
      };
    case 'oneOf':
    case 'anyOf':
      return {
        field: path,
        code: 'invalidValue',
        message: m(`${where['zh-CN']} 不符合任何允许的形式`, `${where.en} matches none of the allowed forms`),
      };
    default:
      return {
        field: path,
        code: 'invalidValue',
        message: m(`${where['zh-CN']} 的值无效`, `${where.en} has an invalid value`),
      };
  }
}

const MAX_DEPTH = 40;
const MAX_VALUES = 100_000;

/** Refuse over-deep or oversized input before validating it (recursive filters must stay shallow). */
function scan(input: unknown, what: Message): Issue | undefined {
  let count = 0;
  const stack: Array<{ v: unknown; depth: number }> = [{ v: input, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: unknown; depth: number };
    if (++count > MAX_VALUES) {
      return { field: '', code: 'tooLarge', message: m(`${what['zh-CN']}过大`, `${what.en} is too large`) };
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_DEPTH) {
      return {
        field: '',
        code: 'tooDeep',
        message: m(
          `${what['zh-CN']}嵌套超过 ${MAX_DEPTH} 层`,
          `${what.en} is nested more than ${MAX_DEPTH} levels deep`,
        ),
      };
    }
    for (const child of Object.values(v)) stack.push({ v: child, depth: depth + 1 });
  }
  return undefined;
}

/** Validate `input` against `schema`; [] when valid. `what` names the whole document in messages. */
export function schemaIssues(schema: JsonSchema, input: unknown, what: Message): Issue[] {
  const tooBig = scan(input, what);
  if (tooBig) return [tooBig];
  const v = validatorFor(schema);
  if (v(input)) return [];
  const errors = v.errors ?? [];
  // A failing oneOf/anyOf also reports each branch's errors; when the branch errors are there, keep them.
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const chosen = specific.length > 0 ? specific : errors;
  const out: Issue[] = [];
  const seen = new Set<string>();
  for (const e of chosen) {
    const issue = issueOf(e, what);
    const k = `${issue.field}|${issue.code}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(issue);
    if (out.length >= 50) break;
  }
  return out;
}
