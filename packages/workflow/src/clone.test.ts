import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneJson } from './clone.js';

describe('cloneJson', () => {
  it('equals a JSON round trip and shares nothing with its input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const copy = cloneJson(v);
        expect(copy).toStrictEqual(JSON.parse(JSON.stringify(v)));
        if (typeof v === 'object' && v !== null) expect(copy).not.toBe(v);
      }),
    );
  });

  it('leaves out undefined values of objects and turns those of arrays into null, as JSON does', () => {
    const v = { a: 1, b: undefined, c: [1, undefined, { d: undefined, e: 'x' }] };
    expect(cloneJson(v)).toStrictEqual({ a: 1, c: [1, null, { e: 'x' }] });
    const copy = cloneJson(v);
    (copy.c[2] as { e: string }).e = 'changed';
    expect((v.c[2] as { e: string }).e).toBe('x');
  });
});
