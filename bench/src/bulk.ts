/** Bulk loading of generated deals straight into the entity table (SQL generate_series). */
import type { Db } from '@formwork/store';
import { searchDocument } from '@formwork/store';
import { deal, REGIONS, STATUSES } from './fixtures.js';

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Tops the table up to `rows` records with generated deals, in batches of one statement each. */
export async function bulkLoad(db: Db, rows: number, userId: string) {
  const [have] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ws_default.e_deal');
  const tokens = searchDocument([
    { value: deal(0).notes },
    { value: 'Deal 华东区项目 key-account smb renewal' },
  ]).tokens;
  const batch = 100_000;
  for (let from = (have?.n ?? 0) + 1; from <= rows; from += batch) {
    const to = Math.min(rows, from + batch - 1);
    await db.exec(`INSERT INTO ws_default.e_deal
      (id, created_at, updated_at, created_by, updated_by, owner_id, version, data, norm, search_text, search_tokens)
      SELECT gen_random_uuid(), now() - make_interval(secs => i), now() - make_interval(secs => i),
        '${userId}', '${userId}', '${userId}', 1,
        jsonb_build_object(
          'name', 'Deal ' || i || ' 华东区项目',
          'status', (ARRAY[${STATUSES.map((s) => `'${s}'`).join(',')}])[i % 5 + 1],
          'region', (ARRAY[${REGIONS.map((s) => `'${s}'`).join(',')}])[(i / 5) % 10 + 1],
          'amount', round(((i::bigint * 7919) % 10000000 + 99) / 100.0, 2),
          'probability', (i * 13) % 100,
          'closeDate', '2026-' || lpad((i % 12 + 1)::text, 2, '0') || '-' || lpad((i % 28 + 1)::text, 2, '0'),
          'phone', '138' || lpad((i % 100000000)::text, 8, '0'),
          'email', 'buyer' || i || '@example.com',
          'quantity', i % 50 + 1,
          'priority', i % 3 = 0,
          'tags', CASE WHEN i % 2 = 1 THEN '["key-account"]'::jsonb ELSE '["smb","renewal"]'::jsonb END,
          'notes', ${`'${deal(0).notes}'`}),
        '{}'::jsonb, 'deal ' || i, ARRAY[${tokens.map((t) => `'${t.replace(/'/g, "''")}'`).join(',')}]::text[] || i::text
      FROM generate_series(${from}, ${to}) AS i`);
    log(`  loaded ${to.toLocaleString('en')} / ${rows.toLocaleString('en')}`);
  }
  await db.exec('ANALYZE ws_default.e_deal');
}
