import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { customerDef, domainError, useStore } from './test-support.js';

const withField = (def: EntityDefinition, key: string, patch: Record<string, unknown>): EntityDefinition => ({
  ...def,
  fields: def.fields.map((f) => (f.key === key ? { ...f, ...patch } : f)),
});

describe('entities', () => {
  const env = useStore();

  it('creates an entity with its table and indexes, and reads it back', async () => {
    const ws = await env.ws();
    const e = await env.store.entities.create(ws, env.p, customerDef);
    expect(e).toMatchObject({ key: 'customer', version: 1 });
    expect((await env.store.entities.get(ws, 'customer')).fields).toHaveLength(customerDef.fields.length);
    expect((await env.store.entities.list(ws)).map((x) => x.key)).toEqual(['customer']);
    const idx = await env.db.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'e_customer'`,
      [`ws_${ws}`],
    );
    const defs = idx.map((i) => i.indexdef).join('\n');
    expect(defs).toMatch(/UNIQUE INDEX .*norm ->> 'phone'.*WHERE \(deleted_at IS NULL\)/);
    expect(defs).toMatch(/\(data ->> 'amount'::text\)\)::numeric/);
    expect(defs).toMatch(/gin \(search_tokens\)/);
  });

  it('refuses a second entity with the same key', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    expect((await domainError(env.store.entities.create(ws, env.p, customerDef))).code).toBe('ENTITY_EXISTS');
  });

  it('refuses an invalid definition with field issues and creates nothing', async () => {
    const ws = await env.ws();
    const e = await domainError(
      env.store.entities.create(ws, env.p, { key: 'bad', fields: [{ key: 'x', type: 'nonsense' }] }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues.length).toBeGreaterThan(0);
    expect(await env.store.entities.list(ws)).toEqual([]);
    for (const bad of [null, 'x', [], { key: 'Bad Key', fields: [] }, { key: '__proto__', fields: [] }]) {
      expect((await domainError(env.store.entities.create(ws, env.p, bad))).code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers ENTITY_NOT_FOUND for unknown keys', async () => {
    const ws = await env.ws();
    expect((await domainError(env.store.entities.get(ws, 'nothing'))).code).toBe('ENTITY_NOT_FOUND');
    expect((await domainError(env.store.entities.get(ws, "x'; drop table"))).code).toBe('ENTITY_NOT_FOUND');
  });

  it('applies a safe change at once and keeps every version', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const next = {
      ...customerDef,
      fields: [...customerDef.fields, { key: 'city', type: 'text' as const, indexed: true }],
    };
    const r = await env.store.entities.update(ws, env.p, 'customer', next);
    expect(r.version).toBe(2);
    expect(r.analysis.destructive).toBe(false);
    const versions = await env.store.entities.versions(ws, 'customer');
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    const idx = await env.db.query(
      `SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%''city''%'`,
      [`ws_${ws}`],
    );
    expect(idx).toHaveLength(1);
  });

  it('analyses a change and counts the records it affects', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    for (const [i, note] of ['one', null, 'three'].entries()) {
      await env.store.records.create(ws, env.p, 'customer', { name: `c${i}`, ...(note ? { note } : {}) });
    }
    const next = { ...customerDef, fields: customerDef.fields.filter((f) => f.key !== 'note') };
    const a = await env.store.entities.analyse(ws, 'customer', next);
    expect(a.destructive).toBe(true);
    const removal = a.changes.find((c) => c.kind === 'removeField');
    expect(removal).toMatchObject({ field: 'note', affectedCount: 2 });
  });

  it('refuses a destructive change without confirmation and changes nothing', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const rec = await env.store.records.create(ws, env.p, 'customer', { name: 'Keep', note: 'important' });
    const next = { ...customerDef, fields: customerDef.fields.filter((f) => f.key !== 'note') };
    const e = await domainError(env.store.entities.update(ws, env.p, 'customer', next));
    expect(e.code).toBe('DESTRUCTIVE_CHANGE');
    const analysis = e.details.analysis as { changes: { kind: string; affectedCount: number }[] };
    expect(analysis.changes.find((c) => c.kind === 'removeField')?.affectedCount).toBe(1);
    const cur = await env.store.entities.get(ws, 'customer');
    expect(cur.version).toBe(1);
    expect(cur.fields.map((f) => f.key)).toContain('note');
    expect((await env.store.records.get(ws, env.p, 'customer', rec.id as string)).note).toBe('important');
  });

  it('applies a confirmed removal but keeps the data in the record', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const rec = await env.store.records.create(ws, env.p, 'customer', {
      name: 'Keep',
      note: 'searchable note',
    });
    const next = { ...customerDef, fields: customerDef.fields.filter((f) => f.key !== 'note') };
    await env.store.entities.update(ws, env.p, 'customer', next, { confirm: true });
    const got = await env.store.records.get(ws, env.p, 'customer', rec.id as string);
    expect(got).not.toHaveProperty('note');
    const [raw] = await env.db.query<{ data: Record<string, unknown>; search_text: string }>(
      `SELECT data, search_text FROM "ws_${ws}"."e_customer" WHERE id = $1`,
      [rec.id],
    );
    expect(raw?.data.note).toBe('searchable note');
    expect(raw?.search_text).not.toContain('searchable');
    // a filter on the removed field is now an unknown field
    expect(
      (
        await domainError(
          env.store.records.list(ws, env.p, 'customer', { filter: { field: 'note', op: 'isEmpty' } }),
        )
      ).code,
    ).toBe('BAD_REQUEST');
  });

  it('converts values when a confirmed change turns text into numbers', async () => {
    const ws = await env.ws();
    const def: EntityDefinition = {
      key: 'deal',
      fields: [
        { key: 'name', type: 'text' },
        { key: 'size', type: 'text', indexed: true },
      ],
    };
    await env.store.entities.create(ws, env.p, def);
    const a = await env.store.records.create(ws, env.p, 'deal', { name: 'a', size: '1,234.50' });
    const b = await env.store.records.create(ws, env.p, 'deal', { name: 'b', size: 'big' });
    const next = withField(def, 'size', { type: 'number' });
    const analysis = await env.store.entities.analyse(ws, 'deal', next);
    expect(analysis.changes.find((c) => c.kind === 'changeType')?.affectedCount).toBe(2);
    await env.store.entities.update(ws, env.p, 'deal', next, { confirm: true });
    expect((await env.store.records.get(ws, env.p, 'deal', a.id as string)).size).toBe(1234.5);
    expect((await env.store.records.get(ws, env.p, 'deal', b.id as string)).size).toBeNull();
    const list = await env.store.records.list(ws, env.p, 'deal', {
      filter: { field: 'size', op: 'gt', value: 1000 },
    });
    expect(list.items.map((r) => r.name)).toEqual(['a']);
  });

  it('refuses to make a field unique while records share a value, and changes nothing', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    await env.store.records.create(ws, env.p, 'customer', { name: 'a', email: 'X@example.com' });
    await env.store.records.create(ws, env.p, 'customer', { name: 'b', email: 'x@example.com ' });
    const next = withField(customerDef, 'email', { unique: true });
    const e = await domainError(env.store.entities.update(ws, env.p, 'customer', next, { confirm: true }));
    expect(e.code).toBe('UNIQUE_VIOLATION');
    expect(e.details).toMatchObject({ field: 'email', duplicates: 2 });
    expect((await env.store.entities.get(ws, 'customer')).version).toBe(1);
  });

  it('recomputes formulas when a formula changes', async () => {
    const ws = await env.ws();
    const def: EntityDefinition = {
      key: 'line',
      fields: [
        { key: 'qty', type: 'number' },
        { key: 'price', type: 'amount' },
        { key: 'total', type: 'formula', formula: 'qty * price' },
      ],
    };
    await env.store.entities.create(ws, env.p, def);
    const r = await env.store.records.create(ws, env.p, 'line', { qty: 3, price: 2.5 });
    expect(r.total).toBe(7.5);
    await env.store.entities.update(
      ws,
      env.p,
      'line',
      withField(def, 'total', { formula: 'qty * price + 1' }),
      { confirm: true },
    );
    expect((await env.store.records.get(ws, env.p, 'line', r.id as string)).total).toBe(8.5);
  });

  it('refuses to change the key through an update', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const e = await domainError(
      env.store.entities.update(ws, env.p, 'customer', { ...customerDef, key: 'client' }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
  });

  it('soft-deletes an entity: hidden, records kept', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    await env.store.records.create(ws, env.p, 'customer', { name: 'kept' });
    await env.store.entities.remove(ws, env.p, 'customer');
    expect((await domainError(env.store.entities.get(ws, 'customer'))).code).toBe('ENTITY_NOT_FOUND');
    expect((await domainError(env.store.records.list(ws, env.p, 'customer'))).code).toBe('ENTITY_NOT_FOUND');
    const rows = await env.db.query(`SELECT 1 FROM "ws_${ws}"."e_customer"`);
    expect(rows).toHaveLength(1);
    expect((await domainError(env.store.entities.remove(ws, env.p, 'customer'))).code).toBe(
      'ENTITY_NOT_FOUND',
    );
  });

  it('accepts a definition read back from the API (with version and timestamps) for an update', async () => {
    const ws = await env.ws();
    const stored = await env.store.entities.create(ws, env.p, customerDef);
    const r = await env.store.entities.update(ws, env.p, 'customer', { ...stored, label: 'Clients' });
    expect(r.version).toBe(2);
    expect(r.label).toBe('Clients');
  });
});
