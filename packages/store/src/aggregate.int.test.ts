import { beforeAll, describe, expect, it } from 'vitest';
import { customerDef, domainError, useStore } from './test-support.js';

describe('records.aggregate', () => {
  // 2026-03-31 20:00 UTC is already April 1st in Shanghai (the default workspace time zone).
  const env = useStore({ now: () => new Date('2026-04-02T00:00:00Z') });
  let ws = '';
  beforeAll(async () => {
    ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const rows = [
      { name: 'a1', grade: 'A', amount: 0.1, score: 1, signedOn: '2026-01-15' },
      { name: 'a2', grade: 'A', amount: 0.2, score: 5, signedOn: '2026-01-31' },
      { name: 'b1', grade: 'B', amount: 10.05, score: 3, signedOn: '2026-02-01' },
      { name: 'n1', amount: 7, signedOn: '2026-04-01' },
    ];
    await env.store.records.bulkCreate(ws, env.p, 'customer', rows);
    const gone = await env.store.records.create(ws, env.p, 'customer', {
      name: 'gone',
      grade: 'A',
      amount: 1000,
    });
    await env.store.records.remove(ws, env.p, 'customer', String(gone.id));
  });

  it('counts every live record without groups', async () => {
    const r = await env.store.records.aggregate(ws, env.p, 'customer');
    expect(r).toEqual({ items: [{ count: 4 }], truncated: false });
  });

  it('groups by a field, largest group first, with exact sums, averages and extremes', async () => {
    const r = await env.store.records.aggregate(ws, env.p, 'customer', {
      groupBy: ['grade'],
      measures: [
        { op: 'count' },
        { op: 'sum', field: 'amount' },
        { op: 'avg', field: 'score', as: 'avgScore' },
        { op: 'max', field: 'signedOn' },
      ],
    });
    expect(r.items).toEqual([
      { grade: 'A', count: 2, sum_amount: 0.3, avgScore: 3, max_signedOn: '2026-01-31' },
      { grade: 'B', count: 1, sum_amount: 10.05, avgScore: 3, max_signedOn: '2026-02-01' },
      { grade: null, count: 1, sum_amount: 7, avgScore: null, max_signedOn: '2026-04-01' },
    ]);
  });

  it('buckets dates by month and created times in the workspace time zone', async () => {
    const byMonth = await env.store.records.aggregate(ws, env.p, 'customer', {
      groupBy: [{ field: 'signedOn', bucket: 'month' }],
      measures: [{ op: 'count' }],
    });
    expect(byMonth.items).toEqual([
      { signedOn: '2026-01', count: 2 },
      { signedOn: '2026-02', count: 1 },
      { signedOn: '2026-04', count: 1 },
    ]);
    const byQuarter = await env.store.records.aggregate(ws, env.p, 'customer', {
      groupBy: [{ field: 'createdAt', bucket: 'quarter' }],
    });
    expect(byQuarter.items).toEqual([{ createdAt: '2026-Q2', count: 4 }]);
  });

  it('applies the filter and the text search, and tells when groups were cut off', async () => {
    const f = await env.store.records.aggregate(ws, env.p, 'customer', {
      filter: { field: 'amount', op: 'gte', value: 1 },
      measures: [{ op: 'sum', field: 'amount' }],
    });
    expect(f.items).toEqual([{ sum_amount: 17.05 }]);
    const q = await env.store.records.aggregate(ws, env.p, 'customer', { q: 'b1' });
    expect(q.items).toEqual([{ count: 1 }]);
    const cut = await env.store.records.aggregate(ws, env.p, 'customer', { groupBy: ['name'], limit: 2 });
    expect(cut.items).toHaveLength(2);
    expect(cut.truncated).toBe(true);
  });

  it('refuses a bad request naming the field and the rule', async () => {
    const cases: [unknown, string, string][] = [
      [{ groupBy: ['nope'] }, 'groupBy.0.field', 'unknownField'],
      [{ groupBy: [{ field: 'grade', bucket: 'month' }] }, 'groupBy.0.bucket', 'enum'],
      [{ groupBy: 'grade' }, 'groupBy', 'type'],
      [{ measures: [{ op: 'median', field: 'amount' }] }, 'measures.0.op', 'enum'],
      [{ measures: [{ op: 'sum', field: 'name' }] }, 'measures.0.field', 'notMeasurable'],
      [{ measures: [{ op: 'sum' }] }, 'measures.0.field', 'unknownField'],
      [{ measures: [{ op: 'count', as: 'drop table' }] }, 'measures.0.as', 'pattern'],
      [{ measures: [] }, 'measures', 'type'],
      [{ groupBy: ['grade'], measures: [{ op: 'count', as: 'grade' }] }, 'measures', 'unique'],
      [{ limit: 0 }, 'limit', 'range'],
      [{ filter: { field: 'x', op: 'eq', value: 1 } }, 'filter.field', 'unknownField'],
    ];
    for (const [input, field, code] of cases) {
      const e = await domainError(env.store.records.aggregate(ws, env.p, 'customer', input as object));
      expect(e.code, JSON.stringify(input)).toBe('BAD_REQUEST');
      expect(e.issues[0], JSON.stringify(input)).toMatchObject({ field, code });
      expect(e.issues[0]?.message.en.length).toBeGreaterThan(0);
      expect(e.issues[0]?.message['zh-CN'].length).toBeGreaterThan(0);
    }
  });
});
