import type { EntityDefinition, FilterNode } from '@formwork/metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../store.js';
import { domainError, useStore } from '../test-support.js';

const def: EntityDefinition = {
  key: 'item',
  fields: [
    { key: 'name', type: 'text', indexed: true },
    {
      key: 'grade',
      type: 'select',
      options: [{ value: 'A' }, { value: 'B' }, { value: 'C' }],
      indexed: true,
    },
    { key: 'amount', type: 'amount', indexed: true },
    { key: 'score', type: 'number' },
    { key: 'vip', type: 'boolean' },
    { key: 'day', type: 'date', indexed: true },
    { key: 'at', type: 'datetime' },
    { key: 'tags', type: 'tags' },
    {
      key: 'colors',
      type: 'multiSelect',
      options: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }],
    },
    { key: 'note', type: 'longText' },
    { key: 'double', type: 'formula', formula: 'score * 2' },
  ],
};

type Row = Record<string, unknown> & { name: string };
const rows: Row[] = [
  {
    name: 'alpha',
    grade: 'A',
    amount: 100,
    score: 1,
    vip: true,
    day: '2026-11-20',
    at: '2026-11-23T01:00:00.000Z',
    tags: ['x', 'y'],
    colors: ['red'],
    note: '50% off_now',
  },
  {
    name: 'Beta',
    grade: 'B',
    amount: 250.5,
    score: 2,
    vip: false,
    day: '2026-11-23',
    at: '2026-11-22T15:30:00.000Z',
    tags: ['y'],
    colors: ['green', 'blue'],
    note: '',
  },
  {
    name: 'gamma',
    grade: 'C',
    amount: 0,
    score: 3,
    day: '2026-10-01',
    at: '2026-01-01T00:00:00.000Z',
    tags: [],
    note: 'plain',
  },
  { name: 'delta', amount: -5, score: 4, vip: true, day: '2025-12-31', colors: ['red', 'blue'] },
  { name: 'epsilon_1', grade: 'A' },
];

// now = 2026-11-23 10:00 in Shanghai (UTC+8) → 02:00Z; "today" there is 2026-11-23 (from 2026-11-22T16:00Z)
const NOW = new Date('2026-11-23T02:00:00Z');

const cases: [string, FilterNode, string[]][] = [
  ['text eq', { field: 'name', op: 'eq', value: 'alpha' }, ['alpha']],
  ['text ne includes empty', { field: 'grade', op: 'ne', value: 'A' }, ['Beta', 'gamma', 'delta']],
  ['text in', { field: 'grade', op: 'in', value: ['A', 'C'] }, ['alpha', 'gamma', 'epsilon_1']],
  ['text nin includes empty', { field: 'grade', op: 'nin', value: ['A', 'C'] }, ['Beta', 'delta']],
  ['contains is case-insensitive', { field: 'name', op: 'contains', value: 'ET' }, ['Beta']],
  ['contains escapes %', { field: 'note', op: 'contains', value: '%' }, ['alpha']],
  ['contains escapes _', { field: 'name', op: 'contains', value: '_' }, ['epsilon_1']],
  ['startsWith', { field: 'name', op: 'startsWith', value: 'B' }, ['Beta']],
  ['startsWith escapes _', { field: 'note', op: 'startsWith', value: '5_' }, []],
  [
    'text isEmpty covers missing and empty string',
    { field: 'note', op: 'isEmpty' },
    ['Beta', 'delta', 'epsilon_1'],
  ],
  ['text isNotEmpty', { field: 'note', op: 'isNotEmpty' }, ['alpha', 'gamma']],
  ['number eq', { field: 'amount', op: 'eq', value: 250.5 }, ['Beta']],
  ['number gt', { field: 'amount', op: 'gt', value: 0 }, ['alpha', 'Beta']],
  ['number gte', { field: 'amount', op: 'gte', value: 0 }, ['alpha', 'Beta', 'gamma']],
  ['number lt', { field: 'amount', op: 'lt', value: 0 }, ['delta']],
  ['number lte', { field: 'amount', op: 'lte', value: 0 }, ['gamma', 'delta']],
  ['number between', { field: 'amount', op: 'between', value: [0, 100] }, ['alpha', 'gamma']],
  ['number in', { field: 'score', op: 'in', value: [1, 4] }, ['alpha', 'delta']],
  ['number nin', { field: 'score', op: 'nin', value: [1, 4] }, ['Beta', 'gamma', 'epsilon_1']],
  ['number ne', { field: 'score', op: 'ne', value: 1 }, ['Beta', 'gamma', 'delta', 'epsilon_1']],
  ['number isEmpty', { field: 'amount', op: 'isEmpty' }, ['epsilon_1']],
  ['boolean eq true', { field: 'vip', op: 'eq', value: true }, ['alpha', 'delta']],
  ['boolean eq false', { field: 'vip', op: 'eq', value: false }, ['Beta']],
  ['boolean ne true', { field: 'vip', op: 'ne', value: true }, ['Beta', 'gamma', 'epsilon_1']],
  ['date eq', { field: 'day', op: 'eq', value: '2026-11-23' }, ['Beta']],
  ['date gt', { field: 'day', op: 'gt', value: '2026-01-01' }, ['alpha', 'Beta', 'gamma']],
  ['date between', { field: 'day', op: 'between', value: ['2025-12-31', '2026-10-01'] }, ['gamma', 'delta']],
  ['date period today', { field: 'day', op: 'period', value: 'today' }, ['Beta']],
  ['date period lastNDays:7', { field: 'day', op: 'period', value: 'lastNDays:7' }, ['alpha', 'Beta']],
  ['date period thisMonth', { field: 'day', op: 'period', value: 'thisMonth' }, ['alpha', 'Beta']],
  [
    'date period thisQuarter',
    { field: 'day', op: 'period', value: 'thisQuarter' },
    ['alpha', 'Beta', 'gamma'],
  ],
  ['date period thisYear', { field: 'day', op: 'period', value: 'thisYear' }, ['alpha', 'Beta', 'gamma']],
  ['date period thisWeek', { field: 'day', op: 'period', value: 'thisWeek' }, ['Beta']],
  [
    'datetime period today in the workspace time zone',
    { field: 'at', op: 'period', value: 'today' },
    ['alpha'],
  ],
  ['datetime gte with an offset', { field: 'at', op: 'gte', value: '2026-11-23T00:00:00+08:00' }, ['alpha']],
  ['datetime lt', { field: 'at', op: 'lt', value: '2026-11-01T00:00:00Z' }, ['gamma']],
  ['multi contains', { field: 'tags', op: 'contains', value: 'y' }, ['alpha', 'Beta']],
  ['multi in = has any of', { field: 'colors', op: 'in', value: ['green', 'blue'] }, ['Beta', 'delta']],
  ['multi nin = has none of', { field: 'colors', op: 'nin', value: ['red'] }, ['Beta', 'gamma', 'epsilon_1']],
  ['multi isEmpty covers [] and missing', { field: 'tags', op: 'isEmpty' }, ['gamma', 'delta', 'epsilon_1']],
  ['multi isNotEmpty', { field: 'colors', op: 'isNotEmpty' }, ['alpha', 'Beta', 'delta']],
  ['formula gt', { field: 'double', op: 'gt', value: 4 }, ['gamma', 'delta']],
  ['formula eq', { field: 'double', op: 'eq', value: 2 }, ['alpha']],
  ['formula lte (an empty operand counts as 0)', { field: 'double', op: 'lte', value: 0 }, ['epsilon_1']],
  [
    'formula isNotEmpty',
    { field: 'double', op: 'isNotEmpty' },
    ['alpha', 'Beta', 'gamma', 'delta', 'epsilon_1'],
  ],
  [
    'and',
    {
      and: [
        { field: 'grade', op: 'eq', value: 'A' },
        { field: 'amount', op: 'gt', value: 0 },
      ],
    },
    ['alpha'],
  ],
  [
    'or',
    {
      or: [
        { field: 'grade', op: 'eq', value: 'B' },
        { field: 'amount', op: 'lt', value: 0 },
      ],
    },
    ['Beta', 'delta'],
  ],
  ['not', { not: { field: 'grade', op: 'eq', value: 'A' } }, ['Beta', 'gamma', 'delta']],
  ['not over empty values', { not: { field: 'vip', op: 'eq', value: true } }, ['Beta', 'gamma', 'epsilon_1']],
  [
    'nested groups',
    {
      and: [
        {
          or: [
            { field: 'grade', op: 'eq', value: 'A' },
            { field: 'grade', op: 'eq', value: 'B' },
          ],
        },
        { not: { field: 'vip', op: 'eq', value: true } },
      ],
    },
    ['Beta', 'epsilon_1'],
  ],
  ['SQL in a value is just a value', { field: 'name', op: 'eq', value: "x' OR '1'='1" }, []],
  ['SQL in contains is just text', { field: 'name', op: 'contains', value: "'; DROP TABLE x; --" }, []],
];

describe('query compiler on a database', () => {
  const env = useStore();
  let store: Store;
  let ws: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    store = createStore(env.db, { now: () => NOW, timeZone: 'Asia/Shanghai' });
    ws = await env.ws();
    await store.entities.create(ws, env.p, def);
    for (const r of rows) {
      const made = await store.records.create(ws, env.p, 'item', r);
      ids.set(r.name, made.id as string);
    }
  });

  const names = async (filter: unknown, extra: Record<string, unknown> = {}) =>
    (await store.records.list(ws, env.p, 'item', { filter, limit: 100, ...extra })).items.map(
      (r) => r.name as string,
    );

  it.each(cases)('%s', async (_label, filter, expected) => {
    expect((await names(filter)).sort()).toEqual([...expected].sort());
  });

  it('counts the whole filtered set, not the page', async () => {
    const r = await store.records.list(ws, env.p, 'item', {
      filter: { field: 'amount', op: 'isNotEmpty' },
      limit: 1,
    });
    expect(r.items).toHaveLength(1);
    expect(r.total).toBe(4);
    expect(r.nextCursor).not.toBeNull();
  });

  it('takes the filter as a JSON string too', async () => {
    expect(await names(JSON.stringify({ field: 'name', op: 'eq', value: 'alpha' }))).toEqual(['alpha']);
  });

  it('filters on system fields', async () => {
    expect((await names({ field: 'id', op: 'eq', value: ids.get('gamma') })).sort()).toEqual(['gamma']);
    expect(
      (
        await domainError(
          store.records.list(ws, env.p, 'item', { filter: { field: 'id', op: 'eq', value: 'x' } }),
        )
      ).code,
    ).toBe('BAD_REQUEST');
    expect((await names({ field: 'createdBy', op: 'eq', value: env.p.userId })).length).toBe(5);
    expect((await names({ field: 'createdAt', op: 'period', value: 'today' })).length).toBe(5);
    expect((await names({ field: 'version', op: 'gt', value: 1 })).length).toBe(0);
  });

  it.each([
    [{ field: 'nope', op: 'eq', value: 1 }, 'filter.field'],
    [{ field: 'name', op: 'like', value: 'x' }, 'filter.op'],
    [{ field: 'amount', op: 'gt', value: 'abc' }, 'filter.value'],
    [{ field: 'tags', op: 'gt', value: 'x' }, 'filter.op'],
    [{ and: 'x' }, 'filter.and'],
    ['{not json', 'filter'],
  ])('refuses the bad filter %j with a 400 naming %s', async (filter, field) => {
    const e = await domainError(store.records.list(ws, env.p, 'item', { filter }));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.issues[0]?.field).toBe(field);
  });

  it.each([['nope'], ['tags'], ['-note'], ['name,,'], [42]])('refuses the bad sort %j', async (sort) => {
    expect((await domainError(store.records.list(ws, env.p, 'item', { sort }))).code).toBe('BAD_REQUEST');
  });

  it.each([[0], [501], [1.5], ['x'], [-1]])('refuses the bad limit %j', async (limit) => {
    const e = await domainError(store.records.list(ws, env.p, 'item', { limit }));
    expect(e.issues[0]?.field).toBe('limit');
  });

  it('sorts ascending with empty values last and descending with them first', async () => {
    const asc = (await store.records.list(ws, env.p, 'item', { sort: 'amount', limit: 10 })).items.map(
      (r) => r.name,
    );
    expect(asc).toEqual(['delta', 'gamma', 'alpha', 'Beta', 'epsilon_1']);
    const desc = (await store.records.list(ws, env.p, 'item', { sort: '-amount', limit: 10 })).items.map(
      (r) => r.name,
    );
    expect(desc).toEqual(['epsilon_1', 'Beta', 'alpha', 'gamma', 'delta']);
    const byGrade = (
      await store.records.list(ws, env.p, 'item', { sort: '-grade,name', limit: 10 })
    ).items.map((r) => r.name);
    expect(byGrade).toEqual(['delta', 'gamma', 'Beta', 'alpha', 'epsilon_1']);
  });

  it('sorts by default newest first', async () => {
    const items = (await store.records.list(ws, env.p, 'item', { limit: 10 })).items.map((r) => r.name);
    expect(items).toEqual([...rows].reverse().map((r) => r.name));
  });

  it.each([
    ['garbage', 'not base64 !!'],
    ['valid base64 of junk', Buffer.from('hello').toString('base64url')],
    ['JSON of the wrong shape', Buffer.from('[1,2]').toString('base64url')],
    [
      'a cursor of another sort',
      Buffer.from(
        JSON.stringify({ s: '-amount,-id', v: [1, '01900000-0000-7000-8000-000000000000'] }),
      ).toString('base64url'),
    ],
    [
      'a bad id',
      Buffer.from(
        JSON.stringify({ s: '-createdAt,-id', v: ['2026-01-01T00:00:00.000Z', "x' OR 1=1 --"] }),
      ).toString('base64url'),
    ],
    [
      'a bad date',
      Buffer.from(
        JSON.stringify({ s: '-createdAt,-id', v: ['yesterday', '01900000-0000-7000-8000-000000000000'] }),
      ).toString('base64url'),
    ],
  ])('refuses %s as a cursor with 400 on cursor', async (_label, cursor) => {
    const e = await domainError(store.records.list(ws, env.p, 'item', { cursor }));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.issues[0]?.field).toBe('cursor');
  });

  it('treats SQL inside a well-formed cursor as a plain value', async () => {
    const v = ["'; DROP TABLE x; --", '01900000-0000-7000-8000-000000000000'];
    const cursor = Buffer.from(JSON.stringify({ s: 'name,id', v })).toString('base64url');
    const page = await store.records.list(ws, env.p, 'item', { sort: 'name', cursor });
    expect(page.items).toHaveLength(5); // every name sorts after "'"
  });

  it('still works after all that', async () => {
    expect((await store.records.list(ws, env.p, 'item')).total).toBe(5);
  });
});

describe('keyset pagination', () => {
  const env = useStore();

  it('pages through 250 records with random sort keys in the same order as OFFSET', async () => {
    const ws = await env.ws();
    const store = env.store;
    await store.entities.create(ws, env.p, {
      key: 'r',
      fields: [
        { key: 'n', type: 'number', indexed: true },
        { key: 'g', type: 'select', options: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] },
        { key: 'd', type: 'date' },
      ],
    });
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const data = Array.from({ length: 250 }, () => {
      const o: Record<string, unknown> = {};
      if (rnd() > 0.15) o.n = Math.floor(rnd() * 20); // many ties and some empty
      if (rnd() > 0.2) o.g = ['a', 'b', 'c'][Math.floor(rnd() * 3)];
      if (rnd() > 0.3) o.d = `2026-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`;
      return o;
    });
    await store.records.bulkCreate(ws, env.p, 'r', data);
    for (const sort of ['n', '-n', 'g,-n', '-g,d', '-d,n,g', 'createdAt', '-createdAt']) {
      const { rows: all } = {
        rows: await env.db.query<{ id: string }>(`SELECT id FROM "ws_${ws}"."e_r" WHERE deleted_at IS NULL`),
      };
      expect(all).toHaveLength(250);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.records.list(ws, env.p, 'r', {
          sort,
          limit: 23,
          ...(cursor ? { cursor } : {}),
        });
        expect(page.total).toBe(250);
        seen.push(...page.items.map((r) => r.id as string));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 50);
      expect(seen).toHaveLength(250);
      expect(new Set(seen).size).toBe(250);
      const offsetOrder: string[] = [];
      for (let off = 0; off < 250; off += 100) {
        const q = await offsetPage(env.db, ws, sort, off);
        offsetOrder.push(...q);
      }
      expect(seen).toEqual(offsetOrder);
    }
  });
});

/** The same order computed independently with OFFSET (PostgreSQL default null order, id as tie-breaker). */
async function offsetPage(
  db: { query<T>(s: string, p?: unknown[]): Promise<T[]> },
  ws: string,
  sort: string,
  offset: number,
) {
  const exprs: Record<string, string> = {
    n: `(CASE WHEN jsonb_typeof(data->'n') = 'number' THEN (data->>'n')::numeric END)`,
    g: `(data->>'g')`,
    d: `(data->>'d')`,
    createdAt: 'created_at',
  };
  const parts = sort.split(',');
  const last = parts[parts.length - 1]!.startsWith('-') ? 'DESC' : 'ASC';
  const order = parts
    .map((p) => `${exprs[p.replace('-', '')]} ${p.startsWith('-') ? 'DESC' : 'ASC'}`)
    .join(', ');
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM "ws_${ws}"."e_r" WHERE deleted_at IS NULL ORDER BY ${order}, id ${last} LIMIT 100 OFFSET $1`,
    [offset],
  );
  return rows.map((r) => r.id);
}

describe('text search', () => {
  const env = useStore();

  it('finds Chinese and English text, folding case and full-width characters', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, {
      key: 'c',
      fields: [
        { key: 'name', type: 'text' },
        { key: 'addr', type: 'longText' },
        { key: 'tags', type: 'tags' },
        { key: 'grade', type: 'select', options: [{ value: 'secret' }] },
      ],
    });
    const add = (o: Record<string, unknown>) => env.store.records.create(ws, env.p, 'c', o);
    await add({ name: '阿里巴巴网络技术有限公司', addr: '杭州市余杭区文一西路969号' });
    await add({ name: 'Acme Trading Co.', addr: 'Shanghai Pudong', tags: ['Wholesale'] });
    await add({ name: '上海浦东发展银行', addr: '上海市中山东一路12号' });
    await add({ name: 'ＡＢＣ Ｆｕｌｌｗｉｄｔｈ', grade: 'secret' });
    await add({ name: '100% Pure_Water' });
    const q = async (text: string) =>
      (await env.store.records.list(ws, env.p, 'c', { q: text, sort: 'name' })).items.map((r) => r.name);
    expect(await q('巴巴')).toEqual(['阿里巴巴网络技术有限公司']);
    expect(await q('杭州')).toEqual(['阿里巴巴网络技术有限公司']);
    expect(await q('上海')).toEqual(['上海浦东发展银行']);
    expect(await q('浦东')).toEqual(['上海浦东发展银行']);
    expect(await q('shanghai')).toEqual(['Acme Trading Co.']);
    expect(await q('ACME trad')).toEqual(['Acme Trading Co.']);
    expect(await q('cme')).toEqual(['Acme Trading Co.']);
    expect(await q('wholesale')).toEqual(['Acme Trading Co.']);
    expect(await q('abc full')).toEqual(['ＡＢＣ Ｆｕｌｌｗｉｄｔｈ']);
    expect(await q('ＡＣＭＥ')).toEqual(['Acme Trading Co.']);
    expect(await q('a')).toHaveLength(3);
    expect(await q('0%')).toEqual(['100% Pure_Water']);
    expect(await q('e_w')).toEqual(['100% Pure_Water']);
    expect(await q('secret')).toEqual([]); // select values are not searchable
    expect(await q('巴巴上海')).toEqual([]);
    expect(await q("'; DROP TABLE x; --")).toEqual([]);
    expect((await domainError(env.store.records.list(ws, env.p, 'c', { q: 'x'.repeat(201) }))).code).toBe(
      'BAD_REQUEST',
    );
  });

  it('combines search with filters and keeps the search up to date on update', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, {
      key: 'c',
      fields: [
        { key: 'name', type: 'text' },
        { key: 'n', type: 'number' },
      ],
    });
    const a = await env.store.records.create(ws, env.p, 'c', { name: '北京分公司', n: 1 });
    await env.store.records.create(ws, env.p, 'c', { name: '北京总部', n: 2 });
    const r = await env.store.records.list(ws, env.p, 'c', {
      q: '北京',
      filter: { field: 'n', op: 'gt', value: 1 },
    });
    expect(r.items.map((x) => x.name)).toEqual(['北京总部']);
    await env.store.records.update(ws, env.p, 'c', a.id as string, { name: '天津分公司' });
    expect((await env.store.records.list(ws, env.p, 'c', { q: '北京' })).total).toBe(1);
    expect((await env.store.records.list(ws, env.p, 'c', { q: '天津' })).total).toBe(1);
  });
});

describe('totals', () => {
  const env = useStore();

  it('counts exactly when few match, estimates when many do, and counts exactly on request', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, {
      key: 'big',
      fields: [{ key: 'g', type: 'select', options: [{ value: 'a' }, { value: 'b' }], indexed: true }],
    });
    const rows = (n: number, g: string) => Array.from({ length: n }, () => ({ g }));
    await env.store.records.bulkCreate(ws, env.p, 'big', rows(1000, 'a'));
    await env.store.records.bulkCreate(ws, env.p, 'big', rows(600, 'a'));
    await env.store.records.bulkCreate(ws, env.p, 'big', rows(30, 'b'));
    await env.db.exec(`ANALYZE "ws_${ws}"."e_big"`);
    const a = { field: 'g', op: 'eq', value: 'a' };
    const b = { field: 'g', op: 'eq', value: 'b' };

    const many = await env.store.records.list(ws, env.p, 'big', { filter: a, limit: 10 });
    expect(many.items).toHaveLength(10);
    expect(many.totalExact).toBe(false);
    expect(many.total).toBeGreaterThan(1000); // the planner's estimate of 1,600
    expect(many.total).toBeLessThan(2500);

    const exact = await env.store.records.list(ws, env.p, 'big', { filter: a, limit: 10, total: 'exact' });
    expect(exact).toMatchObject({ total: 1600, totalExact: true });

    const few = await env.store.records.list(ws, env.p, 'big', { filter: b, limit: 10 });
    expect(few).toMatchObject({ total: 30, totalExact: true }); // estimated few, so counted
    const onePage = await env.store.records.list(ws, env.p, 'big', { filter: b, limit: 50 });
    expect(onePage).toMatchObject({ total: 30, totalExact: true });
    expect(onePage.nextCursor).toBeNull();
  });
});
