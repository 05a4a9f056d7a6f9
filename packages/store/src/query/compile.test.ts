import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import {
  type CompileContext,
  compileList,
  decodeCursor,
  encodeCursor,
  filterSql,
  keysetSql,
  sortKeys,
} from './compile.js';
import { SqlParams } from './params.js';

const entity: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text' },
    { key: 'amount', type: 'amount', indexed: true },
    { key: 'tags', type: 'tags' },
    { key: 'day', type: 'date' },
  ],
};
const ctx: CompileContext = {
  ws: 'acme',
  entity,
  now: new Date('2026-11-23T02:00:00Z'),
  timeZone: 'Asia/Shanghai',
};
const everyone = () => 'TRUE';

describe('query compiler (pure)', () => {
  it('puts every value in a parameter, never in the SQL text', () => {
    const p = new SqlParams();
    const evil = "x'); DROP TABLE t; --";
    const sql = filterSql(
      ctx,
      {
        or: [
          { field: 'name', op: 'eq', value: evil },
          { field: 'name', op: 'contains', value: evil },
          { field: 'tags', op: 'in', value: [evil] },
        ],
      },
      p,
    );
    expect(sql).not.toContain('DROP');
    expect(p.values).toContain(evil);
    expect(p.values).toContain(`%x'); DROP TABLE t; --%`);
  });

  it('uses the indexed expression for a numeric filter', () => {
    const p = new SqlParams();
    const sql = filterSql(ctx, { field: 'amount', op: 'gt', value: 5 }, p);
    expect(sql).toContain(`THEN (t.data->>'amount')::numeric END) > $1::numeric`);
  });

  it('resolves periods in the time zone given', () => {
    const p = new SqlParams();
    filterSql(ctx, { field: 'day', op: 'period', value: 'today' }, p);
    expect(p.values).toEqual(['2026-11-23', '2026-11-24']);
  });

  it('breaks ties by id in the direction of the last key', () => {
    expect(
      sortKeys(ctx, [{ field: 'amount', direction: 'desc' }]).map((k) => `${k.field}:${k.direction}`),
    ).toEqual(['amount:desc', 'id:desc']);
    expect(sortKeys(ctx, []).map((k) => k.field)).toEqual(['createdAt', 'id']);
  });

  it('refuses to sort on a multi-valued field', () => {
    expect(() => sortKeys(ctx, [{ field: 'tags', direction: 'asc' }])).toThrow();
  });

  it('writes a keyset predicate that handles nulls in both directions', () => {
    const keys = sortKeys(ctx, [{ field: 'amount', direction: 'asc' }]);
    const p = new SqlParams();
    // after a NULL amount (last when ascending) only other NULLs with a greater id remain
    expect(keysetSql(keys, [null, '01900000-0000-7000-8000-000000000000'], p)).toContain(
      'END) IS NULL AND t.id > $1::uuid)',
    );
    const desc = sortKeys(ctx, [{ field: 'amount', direction: 'desc' }]);
    const sql = keysetSql(desc, [null, '01900000-0000-7000-8000-000000000000'], new SqlParams());
    expect(sql).toContain('IS NOT NULL');
  });

  it('uses a row comparison for the default sort', () => {
    const keys = sortKeys(ctx, []);
    const p = new SqlParams();
    expect(keysetSql(keys, ['2026-01-01T00:00:00.000Z', '01900000-0000-7000-8000-000000000000'], p)).toBe(
      '(t."created_at", t.id) < ($1::timestamptz, $2::uuid)',
    );
  });

  it('round-trips a cursor and refuses it on another sort', () => {
    const keys = sortKeys(ctx, [{ field: 'amount', direction: 'asc' }]);
    const c = encodeCursor(keys, { _s0: '12.50', _s1: '01900000-0000-7000-8000-000000000000' });
    expect(decodeCursor(keys, c)).toEqual(['12.50', '01900000-0000-7000-8000-000000000000']);
    const other = sortKeys(ctx, [{ field: 'amount', direction: 'desc' }]);
    expect(() => decodeCursor(other, c)).toThrow();
    const forged = Buffer.from(
      JSON.stringify({ s: 'amount,id', v: ['1; DROP', '01900000-0000-7000-8000-000000000000'] }),
    ).toString('base64url');
    expect(() => decodeCursor(keys, forged)).toThrow();
  });

  it('builds the page and, apart, the statements that count the matches', () => {
    const { sql, params, matches } = compileList(ctx, {
      sort: [],
      limit: 20,
      deleted: false,
      scope: everyone,
    });
    expect(sql).not.toContain('count(*)');
    expect(sql).toContain('"ws_acme"."e_deal"');
    expect(sql).toMatch(/LIMIT \$1::int$/);
    expect(params).toEqual([21]);
    expect(matches.count).toMatch(
      /^SELECT count\(\*\) AS total FROM "ws_acme"."e_deal" t WHERE t.deleted_at IS NULL$/,
    );
    expect(matches.params).toEqual([]);
  });

  it('applies the scope predicate in every list', () => {
    const { sql, params, matches } = compileList(ctx, {
      sort: [],
      limit: 5,
      deleted: false,
      scope: (p) => `t.owner_id = ${p.add('01900000-0000-7000-8000-000000000000', 'uuid')}`,
    });
    for (const s of [sql, matches.count, matches.rows]) expect(s).toMatch(/t\.owner_id = \$1::uuid/);
    expect(params[0]).toBe('01900000-0000-7000-8000-000000000000');
    expect(matches.params).toEqual(['01900000-0000-7000-8000-000000000000']);
  });
});
