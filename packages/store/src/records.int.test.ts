import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { createStore } from './store.js';
import { customerDef, domainError, useStore } from './test-support.js';
import { testDbKind, testPrincipal } from './testing.js';

describe('records', () => {
  const env = useStore();

  async function customerWs() {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    return ws;
  }

  it('creates a record with system fields and normalised values', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', {
      name: '  Acme  ',
      phone: '+86 138-0013-8000',
      amount: '1,234.5',
      tags: ['vip'],
    });
    expect(r).toMatchObject({
      createdBy: env.p.userId,
      ownerId: env.p.userId,
      version: 1,
      name: 'Acme',
      phone: '13800138000',
      amount: 1234.5,
      tags: ['vip'],
      grade: null,
    });
    expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(r.createdAt).toBe(r.updatedAt);
    expect(await env.store.records.get(ws, env.p, 'customer', r.id as string)).toEqual(r);
  });

  it('takes the owner from the input when given', async () => {
    const ws = await customerWs();
    const owner = testPrincipal().userId;
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'x', ownerId: owner });
    expect(r.ownerId).toBe(owner);
    const e = await domainError(
      env.store.records.create(ws, env.p, 'customer', { name: 'x', ownerId: 'bob' }),
    );
    expect(e.issues.map((i) => i.field)).toContain('ownerId');
  });

  it('reports every invalid field with a bilingual message and writes nothing', async () => {
    const ws = await customerWs();
    const e = await domainError(
      env.store.records.create(ws, env.p, 'customer', { phone: 'not a phone', grade: 'Z', bogus: 1 }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries(e.issues.map((i) => [i.field, i]));
    expect(byField.name?.message).toEqual({ 'zh-CN': '客户名称 不能为空', en: 'Customer name is required' });
    expect(Object.keys(byField)).toEqual(expect.arrayContaining(['name', 'phone', 'grade', 'bogus']));
    expect((await env.store.records.list(ws, env.p, 'customer')).total).toBe(0);
  });

  it.each([[null], ['text'], [[1, 2]], [42]])('refuses %j as a record', async (input) => {
    const ws = await customerWs();
    expect((await domainError(env.store.records.create(ws, env.p, 'customer', input))).code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('is not fooled by __proto__ keys', async () => {
    const ws = await customerWs();
    const input = JSON.parse('{"name":"x","__proto__":{"isAdmin":true}}');
    const e = await domainError(env.store.records.create(ws, env.p, 'customer', input));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('answers RECORD_NOT_FOUND for unknown, malformed and deleted ids', async () => {
    const ws = await customerWs();
    for (const id of ['01900000-0000-7000-8000-000000000000', 'nope', "1' OR '1'='1"]) {
      expect((await domainError(env.store.records.get(ws, env.p, 'customer', id))).code).toBe(
        'RECORD_NOT_FOUND',
      );
    }
    expect((await domainError(env.store.records.get(ws, env.p, 'nothing', 'x'))).code).toBe(
      'ENTITY_NOT_FOUND',
    );
  });

  it('refuses a second customer with the same phone in another format', async () => {
    const ws = await customerWs();
    await env.store.records.create(ws, env.p, 'customer', { name: 'a', phone: '13800138000' });
    const e = await domainError(
      env.store.records.create(ws, env.p, 'customer', { name: 'b', phone: '+86 138 0013 8000' }),
    );
    expect(e.code).toBe('UNIQUE_VIOLATION');
    expect(e.issues[0]).toMatchObject({
      field: 'phone',
      code: 'unique',
      message: { 'zh-CN': '电话 已存在相同的值' },
    });
  });

  it('lets exactly one of 10 concurrent creates with the same phone win', async () => {
    const ws = await customerWs();
    const formats = [
      '13800138000',
      '+86 138-0013-8000',
      '138 0013 8000',
      '0086 13800138000',
      '+8613800138000',
    ];
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        env.store.records.create(ws, env.p, 'customer', {
          name: `c${i}`,
          phone: formats[i % formats.length],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('UNIQUE_VIOLATION');
    }
    expect((await env.store.records.list(ws, env.p, 'customer')).total).toBe(1);
  });

  it('updates with a partial patch, bumps the version and audits only changed fields', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'Acme', grade: 'A', score: 1 });
    const u = await env.store.records.update(
      ws,
      env.p,
      'customer',
      r.id as string,
      { grade: 'B', score: 1 },
      { version: 1, requestId: 'req-1', source: 'form' },
    );
    expect(u).toMatchObject({ name: 'Acme', grade: 'B', score: 1, version: 2 });
    const h = await env.store.records.history(ws, env.p, 'customer', r.id as string);
    expect(h.map((x) => x.action)).toEqual(['update', 'create']);
    expect(h[0]).toMatchObject({
      actor: env.p.userId,
      source: 'form',
      requestId: 'req-1',
      changes: [{ field: 'grade', before: 'A', after: 'B' }],
    });
    expect(h[1]?.changes).toEqual(expect.arrayContaining([{ field: 'name', before: null, after: 'Acme' }]));
  });

  it('clears a field with null', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'Acme', grade: 'A' });
    const u = await env.store.records.update(ws, env.p, 'customer', r.id as string, { grade: null });
    expect(u.grade).toBeNull();
  });

  it('writes nothing for a no-op patch', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'Acme', tags: ['a', 'b'] });
    const u = await env.store.records.update(ws, env.p, 'customer', r.id as string, {
      name: ' Acme ',
      tags: ['a', 'b'],
    });
    expect(u.version).toBe(1);
    expect(await env.store.records.history(ws, env.p, 'customer', r.id as string)).toHaveLength(1);
  });

  it('refuses a stale update with 409 and the current version', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'Acme' });
    await env.store.records.update(ws, env.p, 'customer', r.id as string, { name: 'B' }, { version: 1 });
    const e = await domainError(
      env.store.records.update(ws, env.p, 'customer', r.id as string, { name: 'C' }, { version: 1 }),
    );
    expect(e.code).toBe('VERSION_CONFLICT');
    expect(e.status).toBe(409);
    expect(e.details).toMatchObject({ currentVersion: 2, updatedBy: env.p.userId });
    expect((await env.store.records.get(ws, env.p, 'customer', r.id as string)).name).toBe('B');
  });

  it('lets only one of two concurrent updates of the same version through', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'Acme' });
    const results = await Promise.allSettled(
      ['X', 'Y', 'Z'].map((name) =>
        env.store.records.update(ws, env.p, 'customer', r.id as string, { name }, { version: 1 }),
      ),
    );
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
  });

  it('validates the merged record on update', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'Acme' });
    const e = await domainError(
      env.store.records.update(ws, env.p, 'customer', r.id as string, { name: null }),
    );
    expect(e.issues.map((i) => i.field)).toEqual(['name']);
    const e2 = await domainError(
      env.store.records.update(ws, env.p, 'customer', r.id as string, { score: 'many' }),
    );
    expect(e2.issues.map((i) => i.field)).toEqual(['score']);
  });

  it('soft-deletes and restores, with audit rows', async () => {
    const ws = await customerWs();
    const r = await env.store.records.create(ws, env.p, 'customer', { name: 'Acme' });
    const id = r.id as string;
    const d = await env.store.records.remove(ws, env.p, 'customer', id, { source: 'api' });
    expect(d.deletedAt).toBeDefined();
    expect((await domainError(env.store.records.get(ws, env.p, 'customer', id))).code).toBe(
      'RECORD_NOT_FOUND',
    );
    expect(
      (await env.store.records.get(ws, env.p, 'customer', id, { includeDeleted: true })).deletedAt,
    ).toBeDefined();
    expect((await env.store.records.list(ws, env.p, 'customer')).total).toBe(0);
    expect(
      (await env.store.records.list(ws, env.p, 'customer', { deleted: true })).items.map((x) => x.id),
    ).toEqual([id]);
    expect((await domainError(env.store.records.remove(ws, env.p, 'customer', id))).code).toBe(
      'RECORD_NOT_FOUND',
    );
    expect((await domainError(env.store.records.update(ws, env.p, 'customer', id, { name: 'x' }))).code).toBe(
      'RECORD_NOT_FOUND',
    );
    const back = await env.store.records.restore(ws, env.p, 'customer', id);
    expect(back.deletedAt).toBeUndefined();
    expect((await domainError(env.store.records.restore(ws, env.p, 'customer', id))).code).toBe(
      'RECORD_NOT_DELETED',
    );
    const h = await env.store.records.history(ws, env.p, 'customer', id);
    expect(h.map((x) => x.action)).toEqual(['restore', 'delete', 'create']);
  });

  it('refuses to restore a record whose unique value was taken meanwhile', async () => {
    const ws = await customerWs();
    const a = await env.store.records.create(ws, env.p, 'customer', { name: 'a', phone: '13800138000' });
    await env.store.records.remove(ws, env.p, 'customer', a.id as string);
    await env.store.records.create(ws, env.p, 'customer', { name: 'b', phone: '+86 13800138000' });
    const e = await domainError(env.store.records.restore(ws, env.p, 'customer', a.id as string));
    expect(e.code).toBe('UNIQUE_VIOLATION');
    expect(e.issues[0]?.field).toBe('phone');
  });

  it('refuses an unknown write source', async () => {
    const ws = await customerWs();
    const e = await domainError(
      env.store.records.create(ws, env.p, 'customer', { name: 'a' }, { source: 'hacker' as 'api' }),
    );
    expect(e.code).toBe('BAD_REQUEST');
  });

  describe('bulk create', () => {
    it('creates all rows in one go', async () => {
      const ws = await customerWs();
      const rows = Array.from({ length: 300 }, (_, i) => ({
        name: `n${i}`,
        phone: `1380000${String(i).padStart(4, '0')}`,
      }));
      const r = await env.store.records.bulkCreate(ws, env.p, 'customer', rows, { source: 'import' });
      expect(r.count).toBe(300);
      expect(r.items[299]?.name).toBe('n299');
      expect((await env.store.records.list(ws, env.p, 'customer')).total).toBe(300);
      const h = await env.store.records.history(ws, env.p, 'customer', r.items[5]?.id as string);
      expect(h[0]).toMatchObject({ action: 'create', source: 'import' });
    });

    it('reports every bad row at once, including duplicates within the batch and with existing records, and writes nothing', async () => {
      const ws = await customerWs();
      await env.store.records.create(ws, env.p, 'customer', { name: 'old', phone: '13900000000' });
      const rows = [
        { name: 'ok', phone: '13800000001' },
        { phone: '13800000002' },
        { name: 'dup', phone: '+86 138 0000 0001' },
        { name: 'taken', phone: '139-0000-0000' },
        'not an object',
      ];
      const e = await domainError(env.store.records.bulkCreate(ws, env.p, 'customer', rows));
      expect(e.code).toBe('VALIDATION_FAILED');
      const report = e.details.rows as { index: number; fields: { field: string; code: string }[] }[];
      expect(report.map((r) => r.index)).toEqual([1, 2, 3, 4]);
      expect(report[0]?.fields[0]).toMatchObject({ field: 'name', code: 'required' });
      expect(report[1]?.fields[0]).toMatchObject({ field: 'phone', code: 'unique' });
      expect(report[2]?.fields[0]).toMatchObject({ field: 'phone', code: 'unique' });
      expect((await env.store.records.list(ws, env.p, 'customer')).total).toBe(1);
    });

    it('refuses more than 1,000 rows and non-arrays', async () => {
      const ws = await customerWs();
      const many = Array.from({ length: 1001 }, (_, i) => ({ name: `n${i}` }));
      expect((await domainError(env.store.records.bulkCreate(ws, env.p, 'customer', many))).code).toBe(
        'BAD_REQUEST',
      );
      expect(
        (await domainError(env.store.records.bulkCreate(ws, env.p, 'customer', { name: 'x' }))).code,
      ).toBe('BAD_REQUEST');
    });
  });

  describe('duplicates', () => {
    it('finds records matching on any dedupe field after normalisation', async () => {
      const ws = await customerWs();
      const a = await env.store.records.create(ws, env.p, 'customer', { name: 'a', phone: '13800138000' });
      const b = await env.store.records.create(ws, env.p, 'customer', {
        name: 'b',
        email: 'Sales@Example.com',
      });
      await env.store.records.create(ws, env.p, 'customer', { name: 'c', phone: '13900000000' });
      const r = await env.store.records.duplicates(ws, env.p, 'customer', {
        phone: '+86 138-0013-8000',
        email: ' sales@example.COM ',
      });
      const byId = Object.fromEntries(r.items.map((x) => [x.id, x.matchedOn]));
      expect(byId).toEqual({ [a.id as string]: ['phone'], [b.id as string]: ['email'] });
      expect((await env.store.records.duplicates(ws, env.p, 'customer', { name: 'a' })).items).toEqual([]);
      expect((await domainError(env.store.records.duplicates(ws, env.p, 'customer', 'x'))).code).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('ignores deleted records', async () => {
      const ws = await customerWs();
      const a = await env.store.records.create(ws, env.p, 'customer', { name: 'a', phone: '13800138000' });
      await env.store.records.remove(ws, env.p, 'customer', a.id as string);
      expect(
        (await env.store.records.duplicates(ws, env.p, 'customer', { phone: '13800138000' })).items,
      ).toEqual([]);
    });
  });

  describe('auto numbers', () => {
    const orderDef: EntityDefinition = {
      key: 'order',
      fields: [
        { key: 'no', type: 'autoNumber', pattern: 'SO-{yyyyMM}-{0000}', unique: true },
        { key: 'title', type: 'text' },
      ],
    };

    it('numbers records sequentially without gaps under concurrency', async () => {
      const ws = await env.ws();
      await env.store.entities.create(ws, env.p, orderDef);
      const n = 20;
      const made = await Promise.all(
        Array.from({ length: n }, (_, i) => env.store.records.create(ws, env.p, 'order', { title: `t${i}` })),
      );
      const numbers = made.map((r) => r.no as string).sort();
      const month = String(made[0]?.no).slice(3, 9);
      expect(numbers).toEqual(
        Array.from({ length: n }, (_, i) => `SO-${month}-${String(i + 1).padStart(4, '0')}`),
      );
    });

    it('does not consume a number when the create fails', async () => {
      const ws = await env.ws();
      const def: EntityDefinition = {
        key: 'order',
        fields: [...orderDef.fields, { key: 'ref', type: 'text', unique: true }],
      };
      await env.store.entities.create(ws, env.p, def);
      const a = await env.store.records.create(ws, env.p, 'order', { ref: 'x' });
      await domainError(env.store.records.create(ws, env.p, 'order', { ref: 'x' }));
      const b = await env.store.records.create(ws, env.p, 'order', { ref: 'y' });
      expect(Number((b.no as string).slice(-4)) - Number((a.no as string).slice(-4))).toBe(1);
    });

    it('restarts the counter in a new period', async () => {
      let now = new Date('2026-01-31T10:00:00Z');
      const store = createStore(env.db, { now: () => now, timeZone: 'Asia/Shanghai' });
      const ws = await env.ws();
      await store.entities.create(ws, env.p, orderDef);
      expect((await store.records.create(ws, env.p, 'order', {})).no).toBe('SO-202601-0001');
      expect((await store.records.create(ws, env.p, 'order', {})).no).toBe('SO-202601-0002');
      now = new Date('2026-02-01T01:00:00Z');
      expect((await store.records.create(ws, env.p, 'order', {})).no).toBe('SO-202602-0001');
      const bulk = await store.records.bulkCreate(ws, env.p, 'order', [{}, {}]);
      expect(bulk.items.map((r) => r.no)).toEqual(['SO-202602-0002', 'SO-202602-0003']);
    });

    it('refuses an auto number written by the client', async () => {
      const ws = await env.ws();
      await env.store.entities.create(ws, env.p, orderDef);
      const e = await domainError(env.store.records.create(ws, env.p, 'order', { no: 'SO-1' }));
      expect(e.issues[0]?.field).toBe('no');
    });
  });

  describe('formulas, relations and lookups', () => {
    const contactDef: EntityDefinition = {
      key: 'contact',
      fields: [
        { key: 'name', type: 'text', required: true },
        { key: 'city', type: 'text' },
      ],
    };
    const dealDef: EntityDefinition = {
      key: 'deal',
      fields: [
        { key: 'title', type: 'text' },
        {
          key: 'items',
          type: 'subform',
          fields: [
            { key: 'qty', type: 'number' },
            { key: 'price', type: 'amount' },
            { key: 'amount', type: 'formula', formula: 'qty * price' },
          ],
        },
        { key: 'total', type: 'formula', formula: 'SUM(items.amount)' },
        { key: 'contact', type: 'relation', target: 'contact', label: { 'zh-CN': '联系人', en: 'Contact' } },
        { key: 'contactName', type: 'lookup', relation: 'contact', targetField: 'name' },
        { key: 'helpers', type: 'relation', target: 'contact', multiple: true },
        { key: 'helperCities', type: 'lookup', relation: 'helpers', targetField: 'city' },
      ],
    };

    async function setup() {
      const ws = await env.ws();
      await env.store.entities.create(ws, env.p, contactDef);
      await env.store.entities.create(ws, env.p, dealDef);
      const ann = await env.store.records.create(ws, env.p, 'contact', { name: 'Ann', city: '上海' });
      const bob = await env.store.records.create(ws, env.p, 'contact', { name: 'Bob', city: 'Beijing' });
      return { ws, ann, bob };
    }

    it('stores formulas on create and recomputes them on update, to the cent', async () => {
      const { ws } = await setup();
      const d = await env.store.records.create(ws, env.p, 'deal', {
        items: [
          { qty: 3, price: 0.1 },
          { qty: 1, price: 0.2 },
        ],
      });
      expect(d.total).toBe(0.5);
      const [raw] = await env.db.query<{ data: { total: number } }>(
        `SELECT data FROM "ws_${ws}"."e_deal" WHERE id = $1`,
        [d.id],
      );
      expect(raw?.data.total).toBe(0.5);
      const u = await env.store.records.update(ws, env.p, 'deal', d.id as string, {
        items: [{ qty: 10, price: 19.99 }],
      });
      expect(u.total).toBe(199.9);
      expect((u.items as { amount: number }[])[0]?.amount).toBe(199.9);
    });

    it('resolves lookups when reading, following later changes of the related record', async () => {
      const { ws, ann, bob } = await setup();
      const d = await env.store.records.create(ws, env.p, 'deal', {
        contact: ann.id,
        helpers: [bob.id, ann.id],
      });
      expect(d.contactName).toBe('Ann');
      expect(d.helperCities).toEqual(['Beijing', '上海']);
      await env.store.records.update(ws, env.p, 'contact', ann.id as string, { name: 'Anna' });
      expect((await env.store.records.get(ws, env.p, 'deal', d.id as string)).contactName).toBe('Anna');
      const listed = await env.store.records.list(ws, env.p, 'deal');
      expect(listed.items[0]?.contactName).toBe('Anna');
      await env.store.records.remove(ws, env.p, 'contact', ann.id as string);
      expect((await env.store.records.get(ws, env.p, 'deal', d.id as string)).contactName).toBeNull();
    });

    it('refuses relations to records that do not exist or are deleted', async () => {
      const { ws, ann } = await setup();
      const missing = '01900000-0000-7000-8000-000000000000';
      const e = await domainError(env.store.records.create(ws, env.p, 'deal', { contact: missing }));
      expect(e.issues[0]).toMatchObject({
        field: 'contact',
        code: 'relation',
        message: { 'zh-CN': '联系人：关联记录不存在' },
      });
      await env.store.records.remove(ws, env.p, 'contact', ann.id as string);
      expect(
        (await domainError(env.store.records.create(ws, env.p, 'deal', { helpers: [ann.id] }))).issues[0]
          ?.field,
      ).toBe('helpers');
      const d = await env.store.records.create(ws, env.p, 'deal', { title: 'x' });
      expect(
        (await domainError(env.store.records.update(ws, env.p, 'deal', d.id as string, { contact: missing })))
          .code,
      ).toBe('VALIDATION_FAILED');
      const bulk = await domainError(
        env.store.records.bulkCreate(ws, env.p, 'deal', [{ title: 'a' }, { contact: missing }]),
      );
      expect((bulk.details.rows as { index: number }[]).map((r) => r.index)).toEqual([1]);
    });
  });

  it.runIf(testDbKind() === 'postgres')('creates records concurrently through the pool', async () => {
    const ws = await customerWs();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        env.store.records.create(ws, env.p, 'customer', { name: `p${i}` }),
      ),
    );
    expect((await env.store.records.list(ws, env.p, 'customer')).total).toBe(50);
  });
});

describe('show/hide rules', () => {
  const env = useStore();

  it('requires a field only while its rule shows it, on create and on update', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, {
      key: 'expense',
      fields: [
        { key: 'amount', type: 'amount' },
        { key: 'reason', type: 'text', required: true, visibleWhen: 'amount > 100' },
      ],
    });
    const small = await env.store.records.create(ws, env.p, 'expense', { amount: 50 });
    expect(small.reason).toBeNull();
    const refused = await domainError(env.store.records.create(ws, env.p, 'expense', { amount: 500 }));
    expect(refused.issues.map((i) => i.field)).toEqual(['reason']);
    const raised = await domainError(
      env.store.records.update(ws, env.p, 'expense', small.id as string, { amount: 800, version: 1 }),
    );
    expect(raised.issues.map((i) => i.field)).toEqual(['reason']);
    const ok = await env.store.records.update(ws, env.p, 'expense', small.id as string, {
      amount: 800,
      reason: '客户招待',
      version: 1,
    });
    expect(ok).toMatchObject({ amount: 800, reason: '客户招待', version: 2 });
  });
});
