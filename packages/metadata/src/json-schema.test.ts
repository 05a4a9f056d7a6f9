import { describe, expect, it } from 'vitest';
import { newAjv } from './ajv.js';
import { nonStandardKeywords } from './field-types/contract.js';
import { toJsonSchema, toRecordSchema, toUiSchema } from './json-schema.js';
import type { EntityDefinition } from './types.js';

const entity: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '客户名称', en: 'Customer name' }, required: true },
    { key: 'grade', type: 'select', options: [{ value: 'A' }, { value: 'B' }], defaultValue: 'A' },
    {
      key: 'items',
      type: 'subform',
      fields: [
        { key: 'qty', type: 'number', required: true },
        { key: 'amount', type: 'formula', formula: 'qty * 2' },
      ],
    },
    { key: 'total', type: 'formula', formula: 'SUM(items.amount)' },
    { key: 'since', type: 'date', defaultValue: '$today' },
  ],
};

describe('toJsonSchema', () => {
  const schema = toJsonSchema(entity, { locale: 'zh-CN' });

  it('builds a closed draft 2020-12 object schema with required fields and labels', () => {
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      title: '客户',
    });
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.name).toMatchObject({
      type: 'string',
      title: '客户名称',
      'x-label': { 'zh-CN': '客户名称', en: 'Customer name' },
    });
    expect(props.grade).toMatchObject({ enum: ['A', 'B', null], default: 'A' });
    expect(props.since?.default).toBeUndefined();
    expect(props.total?.readOnly).toBe(true);
    expect((props.items?.items as Record<string, unknown> | undefined)?.required).toEqual(['qty']);
  });

  it('uses only standard keywords and compiles with Ajv', () => {
    expect(nonStandardKeywords(schema)).toEqual([]);
    expect(() => newAjv().compile(schema)).not.toThrow();
  });
});

describe('toRecordSchema', () => {
  it('adds read-only system fields and makes custom fields nullable', () => {
    const s = toRecordSchema(entity);
    const props = s.properties as Record<string, Record<string, unknown>>;
    expect(props.id).toMatchObject({ type: 'string', format: 'uuid', readOnly: true });
    expect(props.version).toMatchObject({ type: 'integer', readOnly: true });
    expect(props.name?.type).toEqual(['string', 'null']);
    expect(s.required).toEqual(['id', 'createdAt', 'updatedAt', 'version']);
    const v = newAjv().compile(s);
    expect(
      v({
        id: '0190f5d2-7c3a-7cde-8a1b-0123456789ab',
        createdAt: '2026-11-23T00:00:00.000Z',
        updatedAt: '2026-11-23T00:00:00.000Z',
        version: 1,
        createdBy: null,
        ownerId: null,
        name: null,
      }),
    ).toBe(true);
  });
});

describe('toUiSchema', () => {
  it('gives order, widgets and subform row hints', () => {
    const ui = toUiSchema(entity);
    expect(ui['ui:order']).toEqual(['name', 'grade', 'items', 'total', 'since']);
    expect(ui.name).toEqual({ 'ui:widget': 'text' });
    expect(ui.total).toMatchObject({ 'ui:widget': 'formula', 'ui:readonly': true });
    expect(ui.items).toMatchObject({
      'ui:widget': 'subform',
      items: { 'ui:order': ['qty', 'amount'], qty: { 'ui:widget': 'updown' } },
    });
  });
});
