import { DomainError } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { compileValidator } from './request-validation.js';
import { listQuery, recordParams } from './schemas.js';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

const body = compileValidator(
  {
    type: 'object',
    properties: {
      email: { type: 'string', minLength: 3 },
      age: { type: 'integer', minimum: 0 },
      tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
    },
    required: ['email'],
    additionalProperties: false,
  },
  'body',
);

describe('request validation', () => {
  it('compiles a schema at its first use or on compile(), where Ajv’s strict mode refuses a bad one', () => {
    const bad = compileValidator({ type: 'object', properties: { a: { type: 'strnig' } } } as never, 'body');
    expect(() => bad.compile()).toThrow(/type/);
    const good = compileValidator({ type: 'object', properties: { n: { type: 'integer' } } }, 'query');
    good.compile();
    expect(good({ n: '7' })).toEqual({ n: 7 });
  });

  it('accepts valid input', () => {
    expect(body({ email: 'a@b.c', age: 3 })).toEqual({ email: 'a@b.c', age: 3 });
  });

  it('reports every failing field with its rule and both languages (422 VALIDATION_FAILED)', () => {
    const e = errorOf(() => body({ age: '3', extra: 1, tags: ['a', 'b', 'c'] }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.status).toBe(422);
    const byField = Object.fromEntries(e.issues.map((i) => [i.field, i.code]));
    expect(byField).toEqual({ email: 'required', age: 'type', extra: 'unknownField', tags: 'tooManyItems' });
    const unknown = e.issues.find((i) => i.field === 'extra');
    expect(unknown?.message).toEqual({ 'zh-CN': '未知字段 extra', en: 'Unknown field extra' });
    expect(e.toBody('zh-CN').error.details.fields).toContainEqual(
      expect.objectContaining({ field: 'email', message: 'email 不能为空' }),
    );
  });

  it('does not coerce body types', () => {
    expect(errorOf(() => body({ email: 'abc', age: '1' })).issues[0]).toMatchObject({
      field: 'age',
      code: 'type',
    });
  });

  it('coerces query strings and reports bad ones as 400 BAD_REQUEST', () => {
    const q = compileValidator(listQuery, 'query');
    expect(q({ limit: '50', deleted: 'true' })).toEqual({ limit: 50, deleted: true });
    const e = errorOf(() => q({ limit: '0' }));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.issues[0]).toMatchObject({ field: 'limit', code: 'minimum' });
    expect(errorOf(() => q({ limit: 'ten' })).issues[0]).toMatchObject({ field: 'limit', code: 'type' });
    expect(errorOf(() => q({ limit: '501' })).issues[0]).toMatchObject({ field: 'limit', code: 'maximum' });
    expect(errorOf(() => q({ filters: '{}' })).issues[0]).toMatchObject({
      field: 'filters',
      code: 'unknownField',
    });
  });

  it('rejects malformed uuids and entity keys in the path', () => {
    const p = compileValidator(recordParams, 'params');
    expect(p({ entity: 'customer', id: '0190f0e4-7c1a-7b3e-8f00-000000000001' })).toBeTruthy();
    expect(errorOf(() => p({ entity: 'customer', id: "1' or '1'='1" })).issues[0]).toMatchObject({
      field: 'id',
      code: 'format',
    });
    expect(
      errorOf(() => p({ entity: 'Robert";drop', id: '0190f0e4-7c1a-7b3e-8f00-000000000001' })).issues[0],
    ).toMatchObject({
      field: 'entity',
      code: 'pattern',
    });
  });
});
