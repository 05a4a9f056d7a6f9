import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEntity, startTestApp, type TestApp } from './test-app.js';

const R = '/api/entities/customer/records';

describe('entities and records over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async () => {
    const rows = await t.db.query<{ n: number | string }>(
      'select count(*) as n from ws_default."e_customer"',
    );
    return Number(rows[0]?.n);
  };

  describe('entities', () => {
    it('creates an entity (201 + Location) and reads it back; only administrators may', async () => {
      const forbidden = await t.api('POST', '/api/entities', { token: t.userToken, body: customerEntity });
      expect(forbidden.status).toBe(403);
      const r = await t.api('POST', '/api/entities', { body: customerEntity });
      expect(r.status).toBe(201);
      expect(r.headers.get('location')).toBe('/api/entities/customer');
      const again = await t.api('POST', '/api/entities', { body: customerEntity });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ENTITY_EXISTS');
      const got = await t.api('GET', '/api/entities/customer', { token: t.userToken });
      expect(got.status).toBe(200);
      expect(got.body.key).toBe('customer');
      const list = await t.api('GET', '/api/entities', { token: t.userToken });
      expect(list.body.items.map((e: { key: string }) => e.key)).toContain('customer');
    });

    it('refuses invalid definitions with field-level issues', async () => {
      const r = await t.api('POST', '/api/entities', {
        body: { key: 'Bad Key', fields: [{ key: 'x', type: 'nope' }] },
      });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details.fields.length).toBeGreaterThan(0);
      const noFields = await t.api('POST', '/api/entities', { body: { key: 'nofields' } });
      expect(noFields.status).toBe(422);
    });

    it('PUT with a body key other than the URL’s is 400', async () => {
      const r = await t.api('PUT', '/api/entities/customer', { body: { ...customerEntity, key: 'other' } });
      expect(r.status).toBe(400);
    });

    it('a destructive PUT is refused with the analysis (409) and changes nothing; analyse says the same; confirm applies it', async () => {
      await t.api('POST', '/api/entities', {
        body: {
          key: 'deal',
          fields: [
            { key: 'title', type: 'text', required: true },
            {
              key: 'stage',
              type: 'select',
              options: [{ value: 'new' }, { value: 'won' }, { value: 'lost' }],
            },
          ],
        },
      });
      for (const stage of ['new', 'won', 'lost', 'lost']) {
        expect(
          (await t.api('POST', '/api/entities/deal/records', { body: { title: stage, stage } })).status,
        ).toBe(201);
      }
      const next = {
        key: 'deal',
        fields: [
          { key: 'title', type: 'text', required: true },
          { key: 'stage', type: 'select', options: [{ value: 'new' }, { value: 'won' }] },
        ],
      };
      const refused = await t.api('PUT', '/api/entities/deal', { body: next });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('DESTRUCTIVE_CHANGE');
      const changes = refused.body.error.details.analysis.changes as Array<{
        field?: string;
        affectedCount?: number;
      }>;
      expect(changes.find((c) => c.field === 'stage')?.affectedCount).toBe(2);
      const unchanged = await t.api('GET', '/api/entities/deal');
      expect(unchanged.body.fields[1].options).toHaveLength(3);

      const analysed = await t.api('POST', '/api/entities/deal/analyse', { body: next });
      expect(analysed.status).toBe(200);
      expect(analysed.body.destructive).toBe(true);

      const applied = await t.api('PUT', '/api/entities/deal?confirm=true', { body: next });
      expect(applied.status).toBe(200);
      const changed = await t.api('GET', '/api/entities/deal');
      expect(changed.body.fields[1].options).toHaveLength(2);
    });

    it('a safe PUT applies without confirmation', async () => {
      const r = await t.api('PUT', '/api/entities/deal', {
        body: {
          key: 'deal',
          fields: [
            { key: 'title', type: 'text', required: true, label: 'Title' },
            { key: 'stage', type: 'select', options: [{ value: 'new' }, { value: 'won' }] },
            { key: 'memo', type: 'longText' },
          ],
        },
      });
      expect(r.status).toBe(200);
    });

    it('DELETE removes an entity (soft) for administrators only', async () => {
      await t.api('POST', '/api/entities', {
        body: { key: 'scratch', fields: [{ key: 'a', type: 'text' }] },
      });
      expect((await t.api('DELETE', '/api/entities/scratch', { token: t.userToken })).status).toBe(403);
      expect((await t.api('DELETE', '/api/entities/scratch')).status).toBe(204);
      expect((await t.api('GET', '/api/entities/scratch')).status).toBe(404);
    });
  });

  describe('records', () => {
    let id = '';

    it('creates a record: 201, Location, system fields', async () => {
      const r = await t.api('POST', R, {
        token: t.userToken,
        body: {
          name: '华为技术',
          phone: '+86 138-0013-8000',
          grade: 'A',
          amount: 1200.5,
          signedOn: '2026-01-15',
        },
      });
      expect(r.status).toBe(201);
      id = r.body.id;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers.get('location')).toBe(`${R}/${id}`);
      expect(r.body).toMatchObject({ name: '华为技术', grade: 'A', version: 1, createdBy: t.user.id });
    });

    it('gets it with an ETag', async () => {
      const r = await t.api('GET', `${R}/${id}`);
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(id);
      expect(r.headers.get('etag')).toBe('"1"');
    });

    it('refuses invalid records with field errors naming the field in the caller’s language', async () => {
      const zh = await t.api('POST', R, {
        body: { grade: 'Z', unknownThing: 1 },
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(zh.status).toBe(422);
      const fields = zh.body.error.details.fields as Array<{ field: string; code: string; message: string }>;
      expect(fields.find((f) => f.field === 'name')).toMatchObject({
        code: 'required',
        message: '客户名称 不能为空',
      });
      expect(fields.find((f) => f.field === 'unknownThing')?.code).toBe('unknownField');
      const en = await t.api('POST', R, { body: { grade: 'A' }, headers: { 'accept-language': 'en' } });
      expect(en.body.error.details.fields.find((f: { field: string }) => f.field === 'name').message).toBe(
        'Customer name is required',
      );
      const wrongTypes = await t.api('POST', R, {
        body: { name: 42, amount: 'lots', vip: 'yes', tags: 'x' },
      });
      expect(wrongTypes.status).toBe(422);
      for (const body of [[], 'x', 1, null]) {
        const r = await t.api('POST', R, { body });
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      }
    });

    it('refuses a second record with the same phone in another format (409 UNIQUE_VIOLATION)', async () => {
      const r = await t.api('POST', R, { body: { name: 'dup', phone: '13800138000' } });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('UNIQUE_VIOLATION');
    });

    it('ten concurrent creates of one phone in different formats: exactly one wins, the others get 409', async () => {
      const formats = [
        '+86 139 0000 0007',
        '13900000007',
        '139-0000-0007',
        '0086 13900000007',
        '+8613900000007',
      ];
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.api('POST', R, { body: { name: `race ${i}`, phone: formats[i % formats.length] } }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(409)]);
      for (const r of results.filter((x) => x.status === 409))
        expect(r.body.error.code).toBe('UNIQUE_VIOLATION');
    });

    it('PATCH with the current version (body or If-Match) updates; a stale one is 409 VERSION_CONFLICT', async () => {
      const ok = await t.api('PATCH', `${R}/${id}`, { body: { grade: 'B', version: 1 } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ grade: 'B', version: 2 });
      const viaHeader = await t.api('PATCH', `${R}/${id}`, {
        body: { grade: 'C' },
        headers: { 'if-match': '"2"' },
      });
      expect(viaHeader.status).toBe(200);
      expect(viaHeader.body.version).toBe(3);
      const stale = await t.api('PATCH', `${R}/${id}`, { body: { grade: 'A', version: 1 } });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('VERSION_CONFLICT');
      const staleHeader = await t.api('PATCH', `${R}/${id}`, {
        body: { grade: 'A' },
        headers: { 'if-match': 'W/"2"' },
      });
      expect(staleHeader.status).toBe(409);
      expect((await t.api('GET', `${R}/${id}`)).body.grade).toBe('C');
    });

    it('PATCH refuses bad versions and bad If-Match headers', async () => {
      expect((await t.api('PATCH', `${R}/${id}`, { body: { version: 'x' } })).status).toBe(422);
      expect(
        (await t.api('PATCH', `${R}/${id}`, { body: { grade: 'A' }, headers: { 'if-match': 'abc' } })).status,
      ).toBe(400);
      const disagree = await t.api('PATCH', `${R}/${id}`, {
        body: { version: 3 },
        headers: { 'if-match': '"2"' },
      });
      expect(disagree.status).toBe(400);
      expect((await t.api('PATCH', `${R}/${id}`, { body: { amount: 'many', version: 3 } })).status).toBe(422);
    });

    it('bad and unknown ids: malformed uuid 400 naming id, unknown uuid 404 RECORD_NOT_FOUND', async () => {
      const bad = await t.api('GET', `${R}/123`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.fields[0]).toMatchObject({ field: 'id', code: 'format' });
      const sqlish = await t.api('GET', `${R}/${encodeURIComponent("1' OR '1'='1")}`);
      expect(sqlish.status).toBe(400);
      const unknown = await t.api('GET', `${R}/00000000-0000-7000-8000-000000000000`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('RECORD_NOT_FOUND');
      expect((await t.api('GET', '/api/entities/nope/records')).body.error.code).toBe('ENTITY_NOT_FOUND');
      expect((await t.api('GET', '/api/entities/NOPE/records')).status).toBe(400);
    });

    it('delete → recycle bin → restore, then history lists every change newest first', async () => {
      expect((await t.api('DELETE', `${R}/${id}`)).status).toBe(204);
      expect((await t.api('GET', `${R}/${id}`)).status).toBe(404);
      const bin = await t.api('GET', `${R}?deleted=true`);
      expect(bin.body.items.map((r: { id: string }) => r.id)).toContain(id);
      const live = await t.api('GET', R);
      expect(live.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
      const restored = await t.api('POST', `${R}/${id}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body.id).toBe(id);
      const again = await t.api('POST', `${R}/${id}/restore`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('RECORD_NOT_DELETED');
      const history = await t.api('GET', `${R}/${id}/history`);
      expect(history.status).toBe(200);
      const actions = history.body.items.map((h: { action: string }) => h.action);
      expect(actions.length).toBeGreaterThanOrEqual(5);
      expect(actions[actions.length - 1]).toMatch(/create/);
      const update = history.body.items.find((h: { changes: Array<{ field: string }> }) =>
        h.changes?.some((c) => c.field === 'grade'),
      );
      expect(update.source).toBe('api');
    });

    it('stores the request id in the audit log', async () => {
      const r = await t.api('POST', R, {
        body: { name: 'audited' },
        headers: { 'x-request-id': 'audit-req-42' },
      });
      const rows = await t.db.query<{ request_id: string }>(
        'select request_id from ws_default._audit where record_id = $1',
        [r.body.id],
      );
      expect(rows[0]?.request_id).toBe('audit-req-42');
    });

    it('bulk: up to 1,000 rows all or nothing with a per-row report', async () => {
      const before = await count();
      const bad = await t.api('POST', `${R}/bulk`, {
        body: { records: [{ name: 'ok 1' }, { grade: 'A' }, { name: 'ok 2' }, { name: 'x', amount: 'no' }] },
      });
      expect(bad.status).toBe(422);
      const rows = bad.body.error.details.rows as Array<{ index: number }>;
      expect(rows.map((r) => r.index)).toEqual([1, 3]);
      expect(await count()).toBe(before);
      const ok = await t.api('POST', `${R}/bulk`, {
        body: { records: Array.from({ length: 20 }, (_, i) => ({ name: `bulk-${i}`, grade: 'B' })) },
      });
      expect(ok.status).toBe(201);
      expect(await count()).toBe(before + 20);
      const tooMany = await t.api('POST', `${R}/bulk`, {
        body: { records: Array.from({ length: 1001 }, () => ({ name: 'x' })) },
      });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.error.details.fields[0]).toMatchObject({ field: 'records', code: 'tooManyItems' });
      expect((await t.api('POST', `${R}/bulk`, { body: { records: [] } })).status).toBe(422);
      expect((await t.api('POST', `${R}/bulk`, { body: [{ name: 'x' }] })).status).toBe(422);
      expect(await count()).toBe(before + 20);
    });

    it('duplicates: finds records by normalised phone', async () => {
      const r = await t.api('POST', '/api/entities/customer/duplicates', {
        body: { phone: '138 0013 8000' },
      });
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(1);
      expect(r.body.items[0]).toMatchObject({ id, matchedOn: ['phone'] });
      const none = await t.api('POST', '/api/entities/customer/duplicates', {
        body: { phone: '13900000000' },
      });
      expect(none.body.items).toHaveLength(0);
    });
  });

  describe('list: filter, sort, page, search', () => {
    beforeAll(async () => {
      await t.api('POST', '/api/entities', {
        body: {
          key: 'lead',
          fields: [
            { key: 'name', type: 'text', required: true, indexed: true },
            { key: 'amount', type: 'amount', indexed: true },
            { key: 'grade', type: 'select', options: [{ value: 'A' }, { value: 'B' }], indexed: true },
          ],
        },
      });
      const records = Array.from({ length: 45 }, (_, i) => ({
        name: i % 2 ? `Acme ${i}` : `上海贸易 ${i}`,
        amount: (i * 37) % 100,
        grade: i % 3 ? 'A' : 'B',
      }));
      expect((await t.api('POST', '/api/entities/lead/records/bulk', { body: { records } })).status).toBe(
        201,
      );
    });
    const L = '/api/entities/lead/records';
    const q = (params: Record<string, string>) => `${L}?${new URLSearchParams(params)}`;

    it('filters with the AST, sorts, and pages with cursors to the same set as one big page', async () => {
      const filter = JSON.stringify({
        and: [
          { field: 'grade', op: 'eq', value: 'A' },
          { field: 'amount', op: 'gte', value: 20 },
        ],
      });
      const all = await t.api('GET', q({ filter, sort: '-amount,name', limit: '500' }));
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(all.body.items.length);
      for (const r of all.body.items) {
        expect(r.grade).toBe('A');
        expect(r.amount).toBeGreaterThanOrEqual(20);
      }
      const amounts = all.body.items.map((r: { amount: number }) => r.amount);
      expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const params: Record<string, string> = { filter, sort: '-amount,name', limit: '7' };
        if (cursor) params.cursor = cursor;
        const page = await t.api('GET', q(params));
        expect(page.status).toBe(200);
        expect(page.body.total).toBe(all.body.total);
        paged.push(...page.body.items.map((r: { id: string }) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.body.items.map((r: { id: string }) => r.id));
    });

    it('searches Chinese and English text with q', async () => {
      const zh = await t.api('GET', q({ q: '上海' }));
      expect(zh.body.total).toBe(23);
      const en = await t.api('GET', q({ q: 'acme' }));
      expect(en.body.total).toBe(22);
    });

    it('refuses bad filters with clear 4xx errors', async () => {
      const badJson = await t.api('GET', q({ filter: '{"field":' }));
      expect(badJson.status).toBe(400);
      expect(badJson.body.error.details.fields[0]).toMatchObject({ field: 'filter', code: 'invalidJson' });
      const proto = await t.api('GET', q({ filter: '{"__proto__":{"field":"x"}}' }));
      expect(proto.status).toBe(400);
      for (const filter of [
        { field: 'nope', op: 'eq', value: 1 },
        { field: 'name', op: 'regex', value: '.*' },
        { field: 'amount', op: 'gt', value: 'abc' },
        { field: 'grade', op: 'in', value: 'A' },
        { or: 'x' },
        [],
        'x',
      ]) {
        const r = await t.api('GET', q({ filter: JSON.stringify(filter) }));
        expect(r.status, JSON.stringify(filter)).toBeGreaterThanOrEqual(400);
        expect(r.status, JSON.stringify(filter)).toBeLessThan(500);
      }
    });

    it('refuses bad sort, limit, cursor and unknown query parameters', async () => {
      expect((await t.api('GET', q({ sort: 'nope' }))).status).toBeLessThan(500);
      expect((await t.api('GET', q({ sort: 'nope' }))).status).toBeGreaterThanOrEqual(400);
      expect((await t.api('GET', q({ limit: '0' }))).status).toBe(400);
      expect((await t.api('GET', q({ limit: '501' }))).status).toBe(400);
      expect((await t.api('GET', q({ limit: 'abc' }))).status).toBe(400);
      expect((await t.api('GET', q({ filters: '{}' }))).status).toBe(400);
      for (const cursor of [
        'garbage',
        Buffer.from('{"v":["x"],"id":"not-a-uuid"}').toString('base64url'),
        Buffer.from('{"v":["1\'; drop table x; --"]}').toString('base64url'),
        Buffer.from('[1,2,3]').toString('base64url'),
      ]) {
        const r = await t.api('GET', q({ cursor, sort: '-amount' }));
        expect(r.status, cursor).toBe(400);
        expect(r.body.error.details.fields?.[0]?.field ?? r.body.error.details.field, cursor).toBe('cursor');
      }
    });

    it('SQL in filter values is only ever a value: nothing breaks, nothing changes', async () => {
      const before = await t.db.query('select id, data, version from ws_default."e_lead" order by id');
      for (const value of ['\'; drop table ws_default."e_lead"; --', "x' or '1'='1", '%', '_', '\\', '$1']) {
        for (const op of ['eq', 'contains', 'startsWith', 'ne']) {
          const r = await t.api('GET', q({ filter: JSON.stringify({ field: 'name', op, value }) }));
          expect(r.status, `${op} ${value}`).toBe(200);
          if (op === 'eq' || op === 'contains' || op === 'startsWith') expect(r.body.total).toBe(0);
        }
      }
      const searched = await t.api('GET', q({ q: '\'; delete from ws_default."e_lead"; --' }));
      expect(searched.status).toBe(200);
      const after = await t.db.query('select id, data, version from ws_default."e_lead" order by id');
      expect(after).toEqual(before);
    });

    it('never answers 500 to random JSON posted as a record', async () => {
      let seed = 42;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const value = (depth: number): unknown => {
        const k = Math.floor(rnd() * (depth > 2 ? 6 : 8));
        switch (k) {
          case 0:
            return null;
          case 1:
            return rnd() > 0.5;
          case 2:
            return [0, -1, 1e308, -1e-308, 2.5, 2 ** 53 + 1][Math.floor(rnd() * 6)];
          case 3:
            return ['', '上海', "'; drop", '\u0000', 'x'.repeat(300), '2026-13-45', '<b>'][
              Math.floor(rnd() * 7)
            ];
          case 4:
            return Math.floor(rnd() * 1000) - 500;
          case 5:
            return 'A';
          case 6:
            return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
          default: {
            const o: Record<string, unknown> = {};
            for (let i = 0; i < Math.floor(rnd() * 4); i++)
              o[['name', 'amount', 'grade', 'x', 'id', 'version'][i] ?? 'y'] = value(depth + 1);
            return o;
          }
        }
      };
      const keys = ['name', 'amount', 'grade', 'id', 'version', 'createdAt', 'ownerId', 'weird key', ''];
      for (let i = 0; i < 150; i++) {
        const body: Record<string, unknown> = {};
        for (const k of keys) if (rnd() < 0.4) body[k] = value(0);
        const r = await t.api('POST', L, { body: rnd() < 0.1 ? value(0) : body });
        expect(r.status, JSON.stringify(body)).toBeLessThan(500);
      }
    });
  });
});
