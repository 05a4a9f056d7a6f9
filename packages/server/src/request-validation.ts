import { DomainError, type Issue, type Message } from '@formwork/metadata';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './route.js';

// ajv-formats is CommonJS; depending on the interop its default export is the function or holds it.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

function newAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    coerceTypes: coerce,
    strict: true,
    // Documentation keywords used in route schemas.
    keywords: ['x-summary-zh', 'example'],
  });
  addFormats(ajv);
  return ajv;
}

/** Bodies are validated as they are; path and query values are strings coerced to the schema's types. */
const bodyAjv = newAjv(false);
const paramAjv = newAjv(true);

export type Location = 'params' | 'query' | 'body' | 'header';

/**
 * Returns the (possibly coerced) value or throws a DomainError naming each failing field and rule. Ajv
 * compiles the schema at the first call, or earlier through `compile()`: compiling every route's schemas
 * took half a second of a server's start, so a server compiles them once it listens (`warmUp` in app.ts).
 */
export type CompiledValidator = ((value: unknown) => unknown) & { compile(): void };

export function compileValidator(schema: JsonSchema, location: Location): CompiledValidator {
  let compiled: ValidateFunction | undefined;
  const compile = (): ValidateFunction => {
    compiled ??= (location === 'body' ? bodyAjv : paramAjv).compile(schema);
    return compiled;
  };
  const validate = (value: unknown): unknown => {
    const fn = compiled ?? compile();
    if (fn(value)) return value;
    const issues = (fn.errors ?? []).map((e) => toIssue(e, location));
    // Body errors are 422 VALIDATION_FAILED; a malformed URL (path or query) is 400 BAD_REQUEST.
    throw new DomainError(
      location === 'body' ? 'VALIDATION_FAILED' : 'BAD_REQUEST',
      { location },
      dedupe(issues),
    );
  };
  return Object.assign(validate, { compile: () => void compile() });
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.field}\u0000${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

const CODE_OF_KEYWORD: Record<string, string> = {
  required: 'required',
  additionalProperties: 'unknownField',
  unevaluatedProperties: 'unknownField',
  type: 'type',
  minLength: 'minLength',
  maxLength: 'maxLength',
  minimum: 'minimum',
  maximum: 'maximum',
  exclusiveMinimum: 'minimum',
  exclusiveMaximum: 'maximum',
  pattern: 'pattern',
  enum: 'enum',
  const: 'enum',
  format: 'format',
  minItems: 'minItems',
  maxItems: 'tooManyItems',
  minProperties: 'required',
  maxProperties: 'tooManyItems',
};

function message(code: string, field: string, params: Record<string, unknown>): Message {
  const f = field || '请求体';
  const fe = field || 'The request body';
  const p = (k: string) => String(params[k] ?? '');
  switch (code) {
    case 'required':
      return { 'zh-CN': `${f} 不能为空`, en: `${fe} is required` };
    case 'unknownField':
      return { 'zh-CN': `未知字段 ${field}`, en: `Unknown field ${field}` };
    case 'type':
      return { 'zh-CN': `${f} 的类型应为 ${p('type')}`, en: `${fe} must be of type ${p('type')}` };
    case 'minLength':
      return {
        'zh-CN': `${f} 至少 ${p('limit')} 个字符`,
        en: `${fe} must have at least ${p('limit')} characters`,
      };
    case 'maxLength':
      return {
        'zh-CN': `${f} 最多 ${p('limit')} 个字符`,
        en: `${fe} must have at most ${p('limit')} characters`,
      };
    case 'minimum':
      return { 'zh-CN': `${f} 不能小于 ${p('limit')}`, en: `${fe} must be at least ${p('limit')}` };
    case 'maximum':
      return { 'zh-CN': `${f} 不能大于 ${p('limit')}`, en: `${fe} must be at most ${p('limit')}` };
    case 'pattern':
    case 'format':
      return { 'zh-CN': `${f} 格式不正确`, en: `${fe} is not in the expected format` };
    case 'enum':
      return { 'zh-CN': `${f} 不是允许的值`, en: `${fe} is not one of the allowed values` };
    case 'minItems':
      return { 'zh-CN': `${f} 至少需要 ${p('limit')} 项`, en: `${fe} needs at least ${p('limit')} items` };
    case 'tooManyItems':
      return { 'zh-CN': `${f} 最多 ${p('limit')} 项`, en: `${fe} may have at most ${p('limit')} items` };
    default:
      return { 'zh-CN': `${f} 不正确`, en: `${fe} is invalid` };
  }
}

function toIssue(e: ErrorObject, location: Location): Issue {
  const base = pathOf(e.instancePath);
  const params = e.params as Record<string, unknown>;
  let field = base;
  if (e.keyword === 'required') field = join(base, String(params.missingProperty ?? ''));
  else if (e.keyword === 'additionalProperties') field = join(base, String(params.additionalProperty ?? ''));
  else if (e.keyword === 'unevaluatedProperties')
    field = join(base, String(params.unevaluatedProperty ?? ''));
  const code = CODE_OF_KEYWORD[e.keyword] ?? 'invalidValue';
  const out: Record<string, unknown> = { location };
  for (const k of ['limit', 'type', 'format', 'allowedValues', 'pattern'] as const) {
    if (params[k] !== undefined) out[k] = params[k];
  }
  if (e.keyword === 'const') out.allowedValues = [params.allowedValue];
  return { field, code, message: message(code, field, out), params: out };
}
