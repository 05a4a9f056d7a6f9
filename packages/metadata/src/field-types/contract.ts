/**
 * The contract every field type passes (run from `field-types.test.ts`). Not exported from the package
 * index: it imports vitest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newAjv } from '../ajv.js';
import { type EntityDefinition, FILTER_OPS, type FieldDefinition } from '../types.js';
import { compileEntity } from '../validate.js';
import type { FieldType, JsonSchema } from './field-type.js';

export interface FieldTypeCases {
  /** Extra definition properties the type needs (`options`, `target`…). */
  field?: Partial<FieldDefinition>;
  /** Values accepted (after normalisation). */
  valid: unknown[];
  /** Values rejected, with the issue code expected. */
  invalid: Array<[value: unknown, code: string]>;
  /** `[input, normalised]` examples. */
  normalise?: Array<[unknown, unknown]>;
  /** `[value, dedupe key]` examples. */
  dedupe?: Array<[unknown, string | null]>;
}

const STANDARD_KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'title',
  'description',
  'default',
  'readOnly',
  'writeOnly',
  'examples',
  'minProperties',
  'maxProperties',
]);

/** Every keyword used anywhere in the schema is standard draft 2020-12 or an `x-` annotation. */
export function nonStandardKeywords(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  if (Array.isArray(schema)) return schema.flatMap((s, i) => nonStandardKeywords(s, `${path}/${i}`));
  const bad: string[] = [];
  for (const [k, v] of Object.entries(schema)) {
    if (!STANDARD_KEYWORDS.has(k) && !k.startsWith('x-')) bad.push(`${path}/${k}`);
    if (k === 'properties' && typeof v === 'object' && v !== null) {
      for (const [pk, pv] of Object.entries(v))
        bad.push(...nonStandardKeywords(pv, `${path}/properties/${pk}`));
    } else if (
      k === 'enum' ||
      k === 'const' ||
      k === 'default' ||
      k === 'required' ||
      k === 'examples' ||
      k.startsWith('x-')
    ) {
      // values, not schemas
    } else if (typeof v === 'object') bad.push(...nonStandardKeywords(v, `${path}/${k}`));
  }
  return bad;
}

export function runFieldTypeContract(type: FieldType, cases: FieldTypeCases): void {
  const field: FieldDefinition = {
    key: 'f',
    type: type.name,
    label: { 'zh-CN': '字段', en: 'Field' },
    ...cases.field,
  };
  const entity: EntityDefinition = { key: 'contract', fields: [field] };
  const requiredEntity: EntityDefinition = { key: 'contract', fields: [{ ...field, required: true }] };
  const validateValue = (schema: JsonSchema, v: unknown) => newAjv().compile(schema)(v);

  describe(`field type ${type.name}`, () => {
    it('declares its name, a bilingual label, a category, a storage kind and a UI widget', () => {
      expect(type.label['zh-CN'].length).toBeGreaterThan(0);
      expect(type.label.en.length).toBeGreaterThan(0);
      expect(['basic', 'advanced', 'system']).toContain(type.category);
      expect(['text', 'numeric', 'boolean', 'date', 'timestamptz', 'textArray', 'json']).toContain(
        type.storageFor(field),
      );
      expect(typeof type.ui(field)['ui:widget']).toBe('string');
    });

    it('supports only known operators, always including isEmpty/isNotEmpty', () => {
      for (const op of type.operatorsFor(field)) expect(FILTER_OPS).toContain(op);
      expect(type.operatorsFor(field)).toContain('isEmpty');
      expect(type.operatorsFor(field)).toContain('isNotEmpty');
    });

    it('has definition and value schemas that compile with Ajv 2020 and use only standard keywords', () => {
      expect(() => newAjv().compile(type.definitionSchema)).not.toThrow();
      const schema = type.valueSchema(field);
      expect(() => newAjv().compile(schema)).not.toThrow();
      expect(nonStandardKeywords(schema)).toEqual([]);
      expect(() => newAjv().compile(type.itemSchema(field))).not.toThrow();
    });

    it('allows null unless the field is required', () => {
      expect(validateValue(type.valueSchema(field), null)).toBe(true);
      if (!type.computed)
        expect(validateValue(type.valueSchema({ ...field, required: true }), null)).toBe(false);
    });

    it('accepts every valid example', () => {
      for (const v of cases.valid) {
        const n = type.normalise(v, field);
        expect(validateValue(type.valueSchema(field), n), JSON.stringify(v)).toBe(true);
        if (!type.computed) {
          const r = compileEntity(entity).validate({ f: v }, { mode: 'create' });
          expect(r.ok, `${JSON.stringify(v)} → ${JSON.stringify(r)}`).toBe(true);
        }
      }
    });

    it('rejects every invalid example with the expected code', () => {
      for (const [v, code] of cases.invalid) {
        const r = compileEntity(entity).validate({ f: v }, { mode: 'create' });
        expect(r.ok, JSON.stringify(v)).toBe(false);
        if (!r.ok) expect(r.issues[0]?.code, JSON.stringify(v)).toBe(code);
      }
    });

    it(
      type.computed
        ? 'refuses a client-written value as computedField'
        : 'reports a missing required value as required',
      () => {
        if (type.computed) {
          const r = compileEntity(entity).validate({ f: cases.valid[0] }, { mode: 'create' });
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.issues[0]?.code).toBe('computedField');
        } else {
          const r = compileEntity(requiredEntity).validate({}, { mode: 'create' });
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.issues[0]).toMatchObject({ field: 'f', code: 'required' });
        }
      },
    );

    it('normalises the examples', () => {
      for (const [input, out] of cases.normalise ?? []) expect(type.normalise(input, field)).toEqual(out);
    });

    it('normalise is idempotent on examples and on arbitrary JSON', () => {
      for (const v of [
        ...cases.valid,
        ...cases.invalid.map(([x]) => x),
        ...(cases.normalise ?? []).map(([x]) => x),
      ]) {
        const once = type.normalise(v, field);
        expect(type.normalise(once, field)).toEqual(once);
      }
      fc.assert(
        fc.property(fc.jsonValue(), (v) => {
          const once = type.normalise(v, field);
          expect(type.normalise(once, field)).toEqual(once);
        }),
        { numRuns: 200 },
      );
    });

    it('computes dedupe keys', () => {
      for (const [v, key] of cases.dedupe ?? []) expect(type.dedupeKey(v, field)).toBe(key);
      expect(type.dedupeKey(null, field)).toBeNull();
    });
  });
}
