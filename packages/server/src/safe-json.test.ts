import { DomainError } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { parseJsonSafe } from './safe-json.js';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('parseJsonSafe', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonSafe('{"a":[1,{"b":null}],"c":"constructor"}')).toEqual({
      a: [1, { b: null }],
      c: 'constructor',
    });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects a %s key at any depth, naming it', (key) => {
    const e = errorOf(() => parseJsonSafe(`{"a":{"b":[{"${key}":{"isAdmin":true}}]}}`));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.issues[0]?.code).toBe('forbiddenKey');
    expect(e.issues[0]?.message.en).toContain(key);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('reports malformed JSON as INVALID_JSON', () => {
    for (const bad of ['{', '{"a":}', "{'a':1}", 'undefined', '']) {
      expect(errorOf(() => parseJsonSafe(bad)).code).toBe('INVALID_JSON');
    }
  });

  it('names the parameter when the JSON came from one', () => {
    const e = errorOf(() => parseJsonSafe('{oops', 'filter'));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.issues[0]).toMatchObject({ field: 'filter', code: 'invalidJson' });
  });
});
