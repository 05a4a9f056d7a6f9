import { describe, expect, it } from 'vitest';
import type { EntityDefinition } from './types.js';
import { compileEntity, compileEntityCached } from './validate.js';

const customer: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    {
      key: 'name',
      type: 'text',
      label: { 'zh-CN': '客户名称', en: 'Customer name' },
      required: true,
      indexed: true,
    },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '手机号', en: 'Phone' }, unique: true, dedupe: true },
    {
      key: 'grade',
      type: 'select',
      label: { 'zh-CN': '等级', en: 'Grade' },
      options: [{ value: 'A' }, { value: 'B' }],
    },
    {
      key: 'items',
      type: 'subform',
      label: { 'zh-CN': '明细', en: 'Items' },
      fields: [
        { key: 'qty', type: 'number', label: { 'zh-CN': '数量', en: 'Quantity' }, required: true },
        { key: 'price', type: 'amount', label: { 'zh-CN': '单价', en: 'Price' } },
        { key: 'amount', type: 'formula', formula: 'qty * price' },
      ],
    },
    { key: 'total', type: 'formula', label: { 'zh-CN': '合计', en: 'Total' }, formula: 'SUM(items.amount)' },
    { key: 'note', type: 'text', label: { en: 'Note' } },
    { key: 'code', type: 'text', pattern: '^[A-Z]{3}$' },
  ],
};

const create = (data: unknown) => compileEntity(customer).validate(data, { mode: 'create' });
const update = (data: unknown) => compileEntity(customer).validate(data, { mode: 'update' });
const issues = (r: ReturnType<typeof create>) => (r.ok ? [] : r.issues);

describe('compileEntity().validate', () => {
  it('accepts a valid record and returns the normalised data', () => {
    const r = create({
      name: '  ACME  ',
      phone: '+86 138-0013-8000',
      grade: 'A',
      items: [{ qty: '2', price: '9.999' }],
    });
    expect(r).toEqual({
      ok: true,
      value: { name: 'ACME', phone: '13800138000', grade: 'A', items: [{ qty: 2, price: 10 }] },
    });
  });

  it('names a missing required field by its label in both languages', () => {
    const [issue] = issues(create({}));
    expect(issue).toEqual({
      field: 'name',
      code: 'required',
      message: { 'zh-CN': '客户名称 不能为空', en: 'Customer name is required' },
    });
  });

  it('treats an empty or blank string as missing for a required field', () => {
    expect(issues(create({ name: '   ' }))[0]?.code).toBe('required');
    expect(issues(create({ name: null }))[0]?.code).toBe('required');
  });

  it('reports a malformed phone number with a phone-specific message', () => {
    const [issue] = issues(create({ name: 'x', phone: 'call me' }));
    expect(issue).toMatchObject({
      field: 'phone',
      code: 'format',
      message: { 'zh-CN': '手机号 格式不正确', en: 'Phone is not a valid phone number' },
    });
  });

  it('reports unknown fields, including prototype keys, as unknownField', () => {
    const r = create(JSON.parse('{"name":"x","foo":1,"__proto__":{"polluted":true},"constructor":1}'));
    expect(issues(r).map((i) => [i.field, i.code])).toEqual([
      ['foo', 'unknownField'],
      ['__proto__', 'unknownField'],
      ['constructor', 'unknownField'],
    ]);
    expect(issues(r)[0]?.message).toEqual({ 'zh-CN': '未知字段 foo', en: 'Unknown field foo' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a client-written computed field', () => {
    const [issue] = issues(create({ name: 'x', total: 5 }));
    expect(issue).toMatchObject({ field: 'total', code: 'computedField' });
    expect(issue?.message.en).toBe('Total is computed by the system and cannot be written');
  });

  it('drops computed fields silently when allowComputed is set', () => {
    const r = compileEntity(customer).validate(
      { name: 'x', total: 5 },
      { mode: 'create', allowComputed: true },
    );
    expect(r).toEqual({ ok: true, value: { name: 'x' } });
  });

  it('gives subform row errors a row path and the child label', () => {
    const r = create({ name: 'x', items: [{ qty: 1 }, { qty: 'many' }, { price: 2 }] });
    expect(issues(r)).toEqual([
      {
        field: 'items.2.qty',
        code: 'required',
        message: { 'zh-CN': '数量 不能为空', en: 'Quantity is required' },
      },
      {
        field: 'items.1.qty',
        code: 'type',
        message: { 'zh-CN': '数量 必须是数字', en: 'Quantity must be a number' },
        params: { expected: 'number' },
      },
    ]);
  });

  it('ignores computed subform columns sent back by a client (they are recomputed)', () => {
    const r = create({ name: 'x', items: [{ qty: 1, price: 2, amount: 999 }] });
    expect(r).toEqual({ ok: true, value: { name: 'x', items: [{ qty: 1, price: 2 }] } });
  });

  it('falls back to the other language and then to the key for labels', () => {
    const [note] = issues(create({ name: 'x', note: 5 }));
    expect(note?.message).toEqual({ 'zh-CN': 'Note 必须是文本', en: 'Note must be text' });
    const [code] = issues(create({ name: 'x', code: 'abc' }));
    expect(code).toMatchObject({ field: 'code', code: 'pattern' });
    expect(code?.message['zh-CN']).toBe('code 格式不正确');
  });

  it('reports a value outside the options as enum', () => {
    expect(issues(create({ name: 'x', grade: 'Z' }))[0]).toMatchObject({ field: 'grade', code: 'enum' });
  });

  it('refuses data that is not an object', () => {
    for (const d of [null, [], 'x', 1]) expect(issues(create(d))[0]?.code).toBe('type');
  });

  it('in update mode validates only the keys present', () => {
    expect(update({ grade: 'B' })).toEqual({ ok: true, value: { grade: 'B' } });
    expect(update({ note: null })).toEqual({ ok: true, value: { note: null } });
    expect(issues(update({ name: '' }))[0]).toMatchObject({ field: 'name', code: 'required' });
  });

  it('reports every problem at once, in field order', () => {
    const r = create({ grade: 'Z', phone: 'x' });
    expect(issues(r).map((i) => i.field)).toEqual(['name', 'phone', 'grade']);
  });
});

describe('compile caching', () => {
  it('compiles once per definition object', () => {
    expect(compileEntity(customer)).toBe(compileEntity(customer));
  });

  it('caches by key and returns the same compiled validator', () => {
    const a = compileEntityCached('ws:customer:1', customer);
    expect(compileEntityCached('ws:customer:1', { ...customer })).toBe(a);
    expect(compileEntityCached('ws:customer:2', { ...customer })).not.toBe(a);
  });
});
