import { describe, expect, it } from 'vitest';
import { matchFilter } from './match-filter.js';
import { renderTemplate } from './values.js';

const ctx = { now: new Date('2026-03-15T04:00:00.000Z'), timeZone: 'Asia/Shanghai' };
const rec = {
  name: 'ＡＣＭＥ Trading',
  amount: 1200,
  tags: ['vip', 'east'],
  closeDate: '2026-03-20',
  createdAt: '2026-03-14T17:00:00.000Z',
  empty: '',
  owner: { id: 'm1', name: 'Li Lei' },
};
const match = (filter: unknown, record: Record<string, unknown> = rec) =>
  matchFilter(filter as never, record, ctx);

describe('matchFilter (in-memory, with the store semantics)', () => {
  it('compares numbers, dates and date-times', () => {
    expect(match({ field: 'amount', op: 'gt', value: 1000 })).toBe(true);
    expect(match({ field: 'amount', op: 'between', value: [1200, 1300] })).toBe(true);
    expect(match({ field: 'closeDate', op: 'lt', value: '2026-03-21' })).toBe(true);
    expect(match({ field: 'createdAt', op: 'gte', value: '2026-03-15T00:00:00+08:00' })).toBe(true);
  });

  it('matches text case- and width-insensitively', () => {
    expect(match({ field: 'name', op: 'contains', value: 'acme' })).toBe(true);
    expect(match({ field: 'name', op: 'startsWith', value: 'trading' })).toBe(false);
  });

  it('treats empty values like the store: ne/nin are true, comparisons false', () => {
    expect(match({ field: 'empty', op: 'isEmpty' })).toBe(true);
    expect(match({ field: 'missing', op: 'ne', value: 'x' })).toBe(true);
    expect(match({ field: 'missing', op: 'nin', value: ['x'] })).toBe(true);
    expect(match({ field: 'missing', op: 'gt', value: 1 })).toBe(false);
  });

  it('matches multi-valued fields element-wise', () => {
    expect(match({ field: 'tags', op: 'contains', value: 'vip' })).toBe(true);
    expect(match({ field: 'tags', op: 'in', value: ['west', 'east'] })).toBe(true);
    expect(match({ field: 'tags', op: 'nin', value: ['vip'] })).toBe(false);
  });

  it('evaluates periods in the time zone and and/or/not groups', () => {
    // 2026-03-14T17:00Z is 2026-03-15 01:00 in Shanghai: today there.
    expect(match({ field: 'createdAt', op: 'period', value: 'today' })).toBe(true);
    expect(match({ field: 'closeDate', op: 'period', value: 'thisMonth' })).toBe(true);
    expect(
      match({
        and: [
          { field: 'amount', op: 'gt', value: 1 },
          { not: { field: 'tags', op: 'contains', value: 'vip' } },
        ],
      }),
    ).toBe(false);
    expect(match({ or: [] })).toBe(false);
    expect(match({ and: [] })).toBe(true);
  });
});

describe('renderTemplate', () => {
  it('fills placeholders from the record, nested values and lists; missing ones are empty', () => {
    const vc = { record: rec, now: ctx.now, timeZone: ctx.timeZone };
    expect(renderTemplate('{{name}} / {{ owner.name }} / {{tags}} / [{{nope}}]', vc)).toBe(
      'ＡＣＭＥ Trading / Li Lei / vip, east / []',
    );
  });
});
