import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { createEntityTableSql, entityIndexes, indexChanges, uniqueFieldOfIndex } from './ddl.js';

const customer: EntityDefinition = {
  key: 'customer',
  fields: [
    { key: 'name', type: 'text', indexed: true },
    { key: 'phone', type: 'phone', unique: true, dedupe: true },
    { key: 'email', type: 'email', dedupe: true },
    { key: 'amount', type: 'amount', indexed: true },
    { key: 'tags', type: 'tags', indexed: true },
    { key: 'contacts', type: 'relation', target: 'contact', multiple: true, indexed: true },
    { key: 'signed', type: 'date', indexed: true },
  ],
};

describe('entity DDL', () => {
  it('creates the table with system columns, jsonb data and search columns', () => {
    const [table] = createEntityTableSql('acme', customer);
    expect(table).toContain('CREATE TABLE "ws_acme"."e_customer"');
    for (const col of [
      'id uuid PRIMARY KEY',
      'data jsonb NOT NULL',
      'norm jsonb',
      'search_tokens text[]',
      'deleted_at',
    ]) {
      expect(table).toContain(col);
    }
  });

  it('indexes fields by their storage cast and uniques by the normalised value of live records', () => {
    const sql = entityIndexes('acme', customer).map((i) => i.sql);
    expect(sql).toContainEqual(expect.stringMatching(/THEN \(data->>'amount'\)::numeric END\)\)\)$/));
    expect(sql).toContainEqual(
      expect.stringMatching(/^CREATE UNIQUE INDEX .*\(\(norm->>'phone'\)\) WHERE deleted_at IS NULL$/),
    );
    expect(sql).toContainEqual(
      expect.stringMatching(/^CREATE INDEX .*\(\(norm->>'email'\)\) WHERE deleted_at IS NULL$/),
    );
    expect(sql).toContainEqual(expect.stringMatching(/USING gin \(\(data->'contacts'\)\)/));
    expect(sql).toContainEqual(expect.stringMatching(/USING gin \(search_tokens\)/));
    expect(sql).toContainEqual(expect.stringMatching(/\(created_at, id\)/));
    // tags are not indexable: no index even though `indexed` is set
    expect(sql.some((s) => s.includes("'tags'"))).toBe(false);
  });

  it('keeps index names within PostgreSQL limits and unique per definition', () => {
    const long: EntityDefinition = {
      key: 'e'.repeat(48),
      fields: [{ key: `f${'x'.repeat(62)}`, type: 'number', indexed: true, unique: true }],
    };
    const idx = entityIndexes('w', long);
    for (const i of idx) expect(i.name.length).toBeLessThanOrEqual(63);
    expect(new Set(idx.map((i) => i.name)).size).toBe(idx.length);
  });

  it('computes the indexes to drop and create when a definition changes', () => {
    const before = entityIndexes('acme', customer).map((i) => i.name);
    const next: EntityDefinition = {
      ...customer,
      fields: customer.fields.map((f) =>
        f.key === 'amount' ? { ...f, type: 'text' } : f.key === 'phone' ? { ...f, unique: false } : f,
      ),
    };
    const { drop, create } = indexChanges('acme', next, [...before, 'e_customer_pkey']);
    expect(drop).toHaveLength(2);
    expect(drop.join()).not.toContain('pkey');
    // phone loses its unique index but, being a dedupe field, gets a plain one
    expect(create.map((c) => `${c.kind}:${c.field}`).sort()).toEqual(['dedupe:phone', 'indexed:amount']);
    expect(indexChanges('acme', customer, before)).toEqual({ drop: [], create: [] });
  });

  it('maps a unique index name back to its field', () => {
    const u = entityIndexes('acme', customer).find((i) => i.kind === 'unique');
    expect(uniqueFieldOfIndex('acme', customer, u?.name)?.key).toBe('phone');
    expect(uniqueFieldOfIndex('acme', customer, 'other')).toBeUndefined();
  });

  it('refuses identifiers that are not valid keys', () => {
    expect(() => createEntityTableSql('acme', { key: 'bad"; drop', fields: [] })).toThrow();
    expect(() => createEntityTableSql('Bad', customer)).toThrow();
    expect(() =>
      entityIndexes('acme', { key: 'x', fields: [{ key: "a'b", type: 'text', indexed: true }] }),
    ).toThrow();
  });
});
