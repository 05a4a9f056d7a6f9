import { describe, expect, it } from 'vitest';
import { diffEntity } from './diff-entity.js';
import {
  conditionsToFormula,
  defaultValues,
  fieldDefault,
  formulaToConditions,
  hiddenFields,
  linkageValues,
  rowDefaults,
} from './form-logic.js';
import { parseEntityDefinition } from './parse-definition.js';
import type { EntityDefinition } from './types.js';
import { compileEntity } from './validate.js';

const ctx = {
  now: new Date('2026-03-31T18:30:00Z'),
  timeZone: 'Asia/Shanghai',
  user: { id: '11111111-1111-4111-8111-111111111111', departmentId: '22222222-2222-4222-8222-222222222222' },
};

const order: EntityDefinition = {
  key: 'order',
  fields: [
    { key: 'title', type: 'text', defaultValue: 'New order' },
    { key: 'owner', type: 'member', defaultValue: '$user' },
    { key: 'dept', type: 'department', defaultValue: '$department' },
    { key: 'day', type: 'date', defaultValue: '$today' },
    { key: 'at', type: 'datetime', defaultValue: '$now' },
    { key: 'due', type: 'date', defaultValue: { formula: 'DATEADD(TODAY(), 7, "d")' } },
    { key: 'qty', type: 'number', defaultValue: 2 },
    { key: 'double', type: 'number', defaultValue: { formula: 'qty * 2' } },
    {
      key: 'status',
      type: 'select',
      options: [{ value: 'open' }, { value: 'won' }],
      defaultValue: 'open',
    },
    { key: 'reason', type: 'text', required: true, visibleWhen: 'status = "won"' },
    { key: 'customer', type: 'relation', target: 'customer', fill: [{ from: 'phone', to: 'phone' }] },
    { key: 'phone', type: 'phone' },
    {
      key: 'items',
      type: 'subform',
      fields: [
        { key: 'qty', type: 'number', defaultValue: 1 },
        { key: 'price', type: 'amount' },
      ],
    },
  ],
};

describe('default values', () => {
  it('fills constants, the current member and department, today and now in the time zone', () => {
    const d = defaultValues(order, ctx);
    expect(d.title).toBe('New order');
    expect(d.owner).toBe(ctx.user.id);
    expect(d.dept).toBe(ctx.user.departmentId);
    // 18:30 UTC on 31 March is 1 April in Shanghai
    expect(d.day).toBe('2026-04-01');
    expect(d.at).toBe('2026-03-31T18:30:00.000Z');
    expect(d.due).toBe('2026-04-08');
    expect(d.double).toBe(4);
    expect(d.status).toBe('open');
    expect(d).not.toHaveProperty('reason');
  });

  it('gives nothing for $user when no member is known, and nothing for computed fields', () => {
    const f = { key: 'owner', type: 'member' as const, defaultValue: '$user' };
    expect(fieldDefault(f, { now: ctx.now, timeZone: 'UTC' })).toBeUndefined();
    expect(fieldDefault({ key: 'n', type: 'formula', formula: '1', defaultValue: 3 }, ctx)).toBeUndefined();
  });

  it('fills new subform rows with the column defaults', () => {
    expect(rowDefaults(order.fields[12] as never, ctx)).toEqual({ qty: 1 });
  });
});

describe('show/hide rules', () => {
  it('hides a field while its rule is false and shows it when true', () => {
    expect(hiddenFields(order, { status: 'open' }, ctx)).toEqual(['reason']);
    expect(hiddenFields(order, { status: 'won' }, ctx)).toEqual([]);
  });

  it('does not require a hidden required field, and drops its value', () => {
    const v = compileEntity(order);
    const hidden = hiddenFields(order, { status: 'open' }, ctx);
    const r = v.validate({ status: 'open', reason: 'x' }, { mode: 'create', hidden });
    expect(r).toEqual({ ok: true, value: { status: 'open' } });
    const shown = v.validate({ status: 'won' }, { mode: 'create', hidden: [] });
    expect(shown.ok).toBe(false);
    if (!shown.ok) expect(shown.issues[0]?.field).toBe('reason');
  });

  it('round-trips builder conditions through formulas', () => {
    const group = {
      match: 'any' as const,
      conditions: [
        { field: 'status', op: 'eq' as const, value: 'won "big"' },
        { field: 'qty', op: 'gte' as const, value: -3 },
        { field: 'tags', op: 'contains' as const, value: 'VIP' },
        { field: 'phone', op: 'isEmpty' as const },
      ],
    };
    const f = conditionsToFormula(group);
    expect(f).toBe('status = "won \\"big\\"" || qty >= -3 || CONTAINS(tags, "VIP") || ISEMPTY(phone)');
    expect(formulaToConditions(f)).toEqual(group);
  });

  it('refuses to show a formula the builder cannot represent', () => {
    expect(formulaToConditions('a = 1 && b = 2 || c = 3')).toBeNull();
    expect(formulaToConditions('qty * 2 > 3')).toBeNull();
    expect(formulaToConditions('(((')).toBeNull();
    expect(formulaToConditions('')).toEqual({ match: 'all', conditions: [] });
  });
});

describe('data linkage', () => {
  it('copies the picked record fields and clears them when the relation is cleared', () => {
    const customer = order.fields[10] as never;
    expect(linkageValues(customer, { phone: '13800138000', name: 'ACME' })).toEqual({ phone: '13800138000' });
    expect(linkageValues(customer, null)).toEqual({ phone: null });
  });
});

describe('definitions with form logic', () => {
  it('accepts show rules, linkage and a layout', () => {
    const r = parseEntityDefinition({
      ...order,
      layout: {
        sections: [
          { key: 'main', label: { 'zh-CN': '基本信息', en: 'Basics' }, columns: 2, fields: ['title'] },
        ],
      },
    });
    expect(r.ok).toBe(true);
  });

  it('reports a show rule naming an unknown field, a linkage to a computed field and a bad layout', () => {
    const r = parseEntityDefinition({
      key: 'x',
      fields: [
        { key: 'a', type: 'text', visibleWhen: 'nope = 1' },
        { key: 'c', type: 'relation', target: 'customer', fill: [{ from: 'n', to: 'f' }] },
        { key: 'f', type: 'formula', formula: '1' },
      ],
      layout: {
        sections: [
          { key: 's', fields: ['a', 'zz'] },
          { key: 's', fields: ['a'] },
        ],
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'fields.1.fill.0.to',
        'layout.sections.0.fields.1',
        'layout.sections.1.key',
        'layout.sections.1.fields.0',
      ]),
    );
  });

  it('reports a show rule with a syntax error, naming the field in both languages', () => {
    const r = parseEntityDefinition({
      key: 'x',
      fields: [
        { key: 'a', type: 'text', visibleWhen: 'b = ' },
        { key: 'b', type: 'text' },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.field).toBe('fields.0.visibleWhen');
    expect(r.issues[0]?.message['zh-CN']).toContain('显示条件');
  });

  it('classifies show rules, linkage and layout changes as safe display changes', () => {
    const next: EntityDefinition = {
      ...order,
      layout: { sections: [{ key: 's', fields: ['title'] }] },
      fields: order.fields.map((f) => (f.key === 'reason' ? { ...f, visibleWhen: 'status = "open"' } : f)),
    };
    const a = diffEntity(order, next);
    expect(a.destructive).toBe(false);
    expect(a.changes.map((c) => c.kind).sort()).toEqual(['changeDisplay', 'changeEntity']);
  });
});
