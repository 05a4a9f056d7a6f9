import { DomainError } from '@formwork/metadata';

/** Keys that could reach an object's prototype when a parsed body is merged or spread somewhere. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(`forbidden key ${key}`);
  }
}

/**
 * JSON.parse with a reviver that rejects `__proto__`, `constructor` and `prototype` keys at any depth.
 * Throws DomainError INVALID_JSON (not JSON) or BAD_REQUEST naming the key (`details.fields[0].field`).
 * `field` names where the JSON came from (e.g. the `filter` query parameter) for the error details.
 */
export function parseJsonSafe(text: string, field?: string): unknown {
  try {
    return JSON.parse(text, function reviver(key, value) {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
      return value;
    });
  } catch (e) {
    if (e instanceof ForbiddenKey) {
      throw new DomainError('BAD_REQUEST', { key: e.key }, [
        {
          field: field ?? e.key,
          code: 'forbiddenKey',
          message: {
            'zh-CN': `不允许使用键名 ${e.key}`,
            en: `The key ${e.key} is not allowed`,
          },
          params: { key: e.key },
        },
      ]);
    }
    const detail = (e instanceof Error ? e.message : 'invalid JSON').slice(0, 200);
    if (field) {
      throw new DomainError('BAD_REQUEST', {}, [
        {
          field,
          code: 'invalidJson',
          message: { 'zh-CN': `${field} 不是合法的 JSON`, en: `${field} is not valid JSON` },
          params: { detail },
        },
      ]);
    }
    throw new DomainError('INVALID_JSON', { detail });
  }
}
