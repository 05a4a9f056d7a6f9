import type { EntityDefinition } from '@formwork/metadata';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CUSTOMER_ID, fakeServices, orderEntity } from '../test/fixtures.js';
import { loadFormLogic } from './logic.js';
import { FormRuntime } from './runtime.js';

afterEach(() => {
  vi.useRealTimers();
});

function runtime(
  initial: Record<string, unknown> = {},
  over: Partial<ConstructorParameters<typeof FormRuntime>[0]> = {},
) {
  return new FormRuntime({ entity: orderEntity, services: fakeServices(), initial, ...over });
}

// The formula engine is a chunk of its own: the forms here evaluate formulas, so it is there first.
beforeAll(() => loadFormLogic());

describe('FormRuntime', () => {
  it('computes formulas from the start and on every change', () => {
    const r = runtime({ items: [{ qty: 2, price: 10 }] });
    expect(r.computedValue('total')).toBe(20);
    r.update({
      items: [
        { qty: 3, price: 10 },
        { qty: 1, price: 0.1 },
      ],
    });
    expect(r.computedValue('total')).toBe(30.1);
  });

  it('notifies only the channels a change affects', () => {
    const r = runtime({ status: 'open' });
    const hidden = vi.fn();
    const total = vi.fn();
    const title = vi.fn();
    r.subscribe('hidden:lossReason', hidden);
    r.subscribe('computed:total', total);
    r.subscribe('hidden:title', title);
    r.update({ status: 'open', title: 'a' });
    expect(hidden).not.toHaveBeenCalled();
    expect(total).not.toHaveBeenCalled();
    r.update({ status: 'lost', title: 'a' });
    expect(hidden).toHaveBeenCalledTimes(1);
    expect(r.isHidden('lossReason')).toBe(false);
    r.update({ status: 'lost', title: 'a', items: [{ qty: 1, price: 5 }] });
    expect(total).toHaveBeenCalledTimes(1);
    expect(title).not.toHaveBeenCalled();
  });

  it('validates like the server: required, rules, hidden and read-only fields left out', async () => {
    const entity: EntityDefinition = {
      ...orderEntity,
      rules: [
        {
          key: 'positive',
          formula: 'total >= 0',
          message: { 'zh-CN': '合计不能为负', en: 'Total must not be negative' },
          field: 'total',
        },
      ],
    };
    const r = new FormRuntime({
      entity,
      services: fakeServices(),
      initial: {},
      fieldAccess: { address: 'readOnly' },
    });
    let v = await r.validate();
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.issues.map((i) => i.field)).toEqual(['title']);
    r.update({ title: 'T', address: 'kept out', items: [{ product: 'p', qty: -1, price: 5 }] });
    v = await r.validate();
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.issues.map((i) => `${i.field}:${i.code}`)).toEqual(['total:rule']);
    r.update({ title: 'T', address: 'kept out', items: [{ product: 'p', qty: 1, price: 5 }] });
    v = await r.validate();
    expect(v).toEqual({ ok: true, value: { title: 'T', items: [{ product: 'p', qty: 1, price: 5 }] } });
  });

  it('groups issues by top-level field and keeps record-level issues apart', () => {
    const r = runtime();
    r.setServerIssues([
      { field: 'items.1.qty', code: 'minimum', message: { 'zh-CN': 'x', en: 'x' } },
      { field: '', code: 'rule', message: { 'zh-CN': 'y', en: 'y' } },
      { field: 'unknownThing', code: 'unknownField', message: { 'zh-CN': 'z', en: 'z' } },
    ]);
    expect(r.issuesFor('items').map((i) => i.field)).toEqual(['items.1.qty']);
    expect(r.recordIssues().map((i) => i.field)).toEqual(['', 'unknownThing']);
    const before = r.issuesFor('items');
    r.update({ title: 'changed' });
    expect(r.issuesFor('items')).toBe(before);
  });

  it('fills linked fields from the picked record and ignores a late answer for an older pick', async () => {
    let release: (v: Record<string, unknown>) => void = () => undefined;
    const services = fakeServices({
      getRecord: (_e, id) =>
        id === CUSTOMER_ID
          ? new Promise((res) => {
              release = res;
            })
          : Promise.resolve({ id, phone: '999', address: 'New' }),
    });
    const applied: Record<string, unknown>[] = [];
    const r = new FormRuntime({
      entity: orderEntity,
      services,
      initial: {},
      applyData: (d) => applied.push(d),
    });
    r.update({ customer: CUSTOMER_ID });
    r.update({ customer: 'other-id' });
    await vi.waitFor(() => expect(r.data.phone).toBe('999'));
    release({ id: CUSTOMER_ID, phone: '111', address: 'Old' });
    await new Promise((res) => setTimeout(res, 0));
    expect(r.data).toMatchObject({ customer: 'other-id', phone: '999', address: 'New' });
    expect(applied.length).toBe(1);
    expect(r.relatedRecord('customer')).toEqual({ id: 'other-id', phone: '999', address: 'New' });
  });

  it('clears linked fields when the relation is cleared', async () => {
    const r = runtime({ customer: CUSTOMER_ID, phone: '1', address: 'a' });
    r.update({ phone: '1', address: 'a' });
    await vi.waitFor(() => expect(r.data).toMatchObject({ phone: null, address: null }));
  });

  it('looks for duplicates after typing stops, leaving out the record itself', async () => {
    vi.useFakeTimers();
    const calls: Record<string, unknown>[] = [];
    const services = fakeServices({
      findDuplicates: async (_e, c) => {
        calls.push(c);
        return [{ id: 'self' }, { id: 'other', title: 'Same' }];
      },
    });
    const r = new FormRuntime({
      entity: orderEntity,
      services,
      initial: {},
      recordId: 'self',
      dedupeDelay: 300,
    });
    r.update({ title: 'S' });
    r.update({ title: 'Sa' });
    r.update({ title: 'Same' });
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ title: 'Same' }]);
    expect(r.duplicateRecords()).toEqual([{ id: 'other', title: 'Same' }]);
  });
});
