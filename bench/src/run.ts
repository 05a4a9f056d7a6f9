/**
 * `pnpm bench`: the platform-core benchmarks on PostgreSQL and on PGlite, load generator and server on
 * this machine over loopback. Writes `bench/results/latest.json`; `docs/benchmarks.md` explains them.
 *
 * Per database: cold start on a new data directory, idle RSS, creates through the API (16 connections)
 * and the same inserts straight through the driver at the same concurrency and behind a bare node:http
 * server (floor-server.ts), gets by id, then a bulk load
 * to BENCH_ROWS records (PostgreSQL 1,000,000; PGlite 200,000), a cold start on the existing data and a
 * filtered, sorted list page.
 *
 * Environment: DATABASE_URL (the PostgreSQL server to create a scratch database on; default the local
 * one), BENCH_DB (`postgres`, `pglite` or both), BENCH_SECONDS (load duration, default 20),
 * BENCH_ROWS_POSTGRES / BENCH_ROWS_PGLITE.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb, uuidv7 } from '@formwork/store';
import postgres from 'postgres';
import { bulkLoad } from './bulk.js';
import { DEAL_ENTITY, deal } from './fixtures.js';
import { type LoadResult, load, loop } from './load.js';
import { benchPermissions, preparePermissionBench } from './permissions.js';
import { quiet } from './quiet.js';
import { dealSearch, RAW_INSERT } from './raw.js';
import { writeResults } from './report.js';
import { ADMIN, type ServerProcess, startServer } from './server-process.js';
import { benchWeb } from './web.js';
import { benchWorkflow } from './workflow.js';

type Kind = 'postgres' | 'pglite';
type Figures = Record<string, number>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 16;
const ROWS: Record<Kind, number> = {
  postgres: Number(process.env.BENCH_ROWS_POSTGRES ?? 1_000_000),
  pglite: Number(process.env.BENCH_ROWS_PGLITE ?? 200_000),
};
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RESULTS = new URL('../results/', import.meta.url).pathname;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** The filtered list: two indexed custom fields, sorted by a third, a page of 20. */
const LIST_FILTER = JSON.stringify({
  and: [
    { field: 'status', op: 'eq', value: 'won' },
    { field: 'region', op: 'in', value: ['east', 'west'] },
  ],
});
const LIST_PATH = `/api/entities/deal/records?filter=${encodeURIComponent(LIST_FILTER)}&sort=-amount&limit=20`;

async function api<T>(base: string, path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** The row the store would write for `deal(i)`, for the driver-level inserts. */
function rawRow(i: number) {
  const data = deal(i);
  return { id: uuidv7(), data, search: dealSearch(data) };
}

/** Inserts `deal(i)` rows straight through the driver from 16 loops. */
async function rawInserts(kind: Kind, target: { url?: string; dataDir?: string }, userId: string) {
  if (kind === 'postgres') {
    const sql = postgres(target.url as string, { max: CONNECTIONS, onnotice: () => {} });
    try {
      return await loop(CONNECTIONS, SECONDS, async (i) => {
        const r = rawRow(10_000_000 + i);
        await sql.unsafe(RAW_INSERT, [
          r.id,
          userId,
          sql.json(r.data as never),
          r.search.text,
          r.search.tokens,
        ]);
      });
    } finally {
      await sql.end();
    }
  }
  const db = await openDb({ dataDir: target.dataDir });
  try {
    return await loop(CONNECTIONS, SECONDS, async (i) => {
      const r = rawRow(10_000_000 + i);
      await db.query(RAW_INSERT, [r.id, userId, r.data, r.search.text, r.search.tokens]);
    });
  } finally {
    await db.close();
  }
}

/** `create` through bench/src/floor-server.ts: the cost of any Node HTTP front of the same insert. */
async function floorCreates(port: number, userId: string, target: string[]): Promise<LoadResult> {
  const proc = fork(
    fileURLToPath(new URL('./floor-server.ts', import.meta.url)),
    [String(port), userId, ...target],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      proc.once('message', () => resolve());
      proc.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)));
    });
    return await load({
      url: `http://127.0.0.1:${port}`,
      method: 'POST',
      connections: CONNECTIONS,
      seconds: SECONDS,
      headers: {},
      path: () => '/',
      body: (i) => deal(20_000_000 + i),
    });
  } finally {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
}

async function withRss(server: ServerProcess, run: (tick: () => void) => Promise<LoadResult>) {
  let max = server.rssMb();
  const result = await run(() => {
    max = Math.max(max, server.rssMb());
  });
  return { result, rssMax: Math.max(max, server.rssMb()) };
}

async function benchDatabase(kind: Kind, port: number): Promise<Figures> {
  const f: Figures = {};
  let url: string | undefined;
  let dataDir: string | undefined;
  let dbName: string | undefined;
  if (kind === 'postgres') {
    dbName = `fw_bench_${process.pid}_${Date.now()}`;
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    url = u.toString();
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'fw-bench-'));
  }
  const target = kind === 'postgres' ? { databaseUrl: url } : { dataDir };

  try {
    log(`${kind}: cold start on a new database`);
    let server = await startServer({ port, ...target });
    f['coldstart.new_ms'] = round(server.startMs, 0);
    const { token } = await api<{ token: string }>(server.baseUrl, '/api/auth/login', {
      method: 'POST',
      body: JSON.stringify(ADMIN),
    });
    const { user: me } = await api<{ user: { id: string } }>(server.baseUrl, '/api/auth/me', { token });
    await api(server.baseUrl, '/api/entities', { method: 'POST', token, body: JSON.stringify(DEAL_ENTITY) });
    await new Promise((r) => setTimeout(r, 2000));
    f['rss.idle_mb'] = round(server.rssMb());

    log(`${kind}: create through the API, ${CONNECTIONS} connections, ${SECONDS} s`);
    const headers = { authorization: `Bearer ${token}` };
    const create = await withRss(server, (onTick) =>
      load({
        url: server.baseUrl,
        method: 'POST',
        connections: CONNECTIONS,
        seconds: SECONDS,
        headers,
        path: () => '/api/entities/deal/records',
        body: (i) => deal(i),
        onTick,
      }),
    );
    f['create.api.rps'] = round(create.result.rps);
    f['create.p50_ms'] = create.result.p50;
    f['create.p99_ms'] = create.result.p99;
    f['create.api.errors'] = create.result.errors + create.result.non2xx;

    const page = await api<{ items: { id: string }[] }>(
      server.baseUrl,
      '/api/entities/deal/records?limit=100',
      { token },
    );
    const ids = page.items.map((r) => r.id);
    log(`${kind}: get by id, ${CONNECTIONS} connections, ${SECONDS} s`);
    const get = await withRss(server, (onTick) =>
      load({
        url: server.baseUrl,
        method: 'GET',
        connections: CONNECTIONS,
        seconds: SECONDS,
        headers,
        path: (i) => `/api/entities/deal/records/${ids[i % ids.length]}`,
        onTick,
      }),
    );
    f['get.rps'] = round(get.result.rps);
    f['get.p50_ms'] = get.result.p50;
    f['get.p99_ms'] = get.result.p99;
    f['get.errors'] = get.result.errors + get.result.non2xx;
    f['rss.load_mb'] = round(Math.max(create.rssMax, get.rssMax));
    await server.stop();

    log(`${kind}: the same inserts through the driver, ${CONNECTIONS} concurrent, ${SECONDS} s`);
    const raw = await rawInserts(kind, { url, dataDir }, me.id);
    f['create.raw.rps'] = round(raw.rps);
    f['create.raw.p50_ms'] = round(raw.p50, 2);
    f['create.raw.p99_ms'] = round(raw.p99, 2);
    f['create.ratio'] = round(f['create.api.rps'] / raw.rps, 2);

    log(`${kind}: the same inserts behind a bare node:http server, ${CONNECTIONS} connections, ${SECONDS} s`);
    const floor = await floorCreates(
      port,
      me.id,
      kind === 'postgres' ? [url as string] : ['--data-dir', dataDir as string],
    );
    f['create.floor.rps'] = round(floor.rps);
    f['create.floor.p50_ms'] = floor.p50;
    f['create.floor.errors'] = floor.errors + floor.non2xx;
    f['create.floor.ratio'] = round(floor.rps / raw.rps, 2);

    log(`${kind}: bulk load to ${ROWS[kind].toLocaleString('en')} records`);
    const db = await openDb(kind === 'postgres' ? { databaseUrl: url } : { dataDir });
    try {
      await bulkLoad(db, ROWS[kind], me.id);
      await preparePermissionBench(db);
    } finally {
      await db.close();
    }
    f['list.rows'] = ROWS[kind];

    log(`${kind}: cold start on the existing database`);
    server = await startServer({ port, ...target });
    f['coldstart.existing_ms'] = round(server.startMs, 0);
    const { token: token2 } = await api<{ token: string }>(server.baseUrl, '/api/auth/login', {
      method: 'POST',
      body: JSON.stringify(ADMIN),
    });
    const listed = await api<{ total: number; items: unknown[] }>(server.baseUrl, LIST_PATH, {
      token: token2,
    });
    if (listed.items.length !== 20) throw new Error(`filtered list returned ${listed.items.length} items`);
    f['list.filtered.total'] = listed.total;
    log(`${kind}: filtered list (${listed.total.toLocaleString('en')} matches), 1 connection, ${SECONDS} s`);
    const list1 = await load({
      url: server.baseUrl,
      method: 'GET',
      connections: 1,
      seconds: SECONDS,
      headers: { authorization: `Bearer ${token2}` },
      path: () => LIST_PATH,
    });
    f['list.filtered.p50_ms'] = list1.p50;
    f['list.filtered.p99_ms'] = list1.p99;
    const listN = await load({
      url: server.baseUrl,
      method: 'GET',
      connections: CONNECTIONS,
      seconds: SECONDS,
      headers: { authorization: `Bearer ${token2}` },
      path: () => LIST_PATH,
    });
    f['list.filtered.rps'] = round(listN.rps);
    f['list.errors'] = list1.errors + list1.non2xx + listN.errors + listN.non2xx;
    // Issue 3: the same lists and gets as a member with a department-and-below scope (permissions.ts).
    Object.assign(f, await benchPermissions(server.baseUrl, SECONDS, CONNECTIONS));
    if (kind === 'postgres' && process.env.BENCH_WEB !== 'off') {
      // Issue 5: the browser figures do not depend on the database; measured once, in Chromium.
      const qdb = await openDb({ databaseUrl: url });
      try {
        f['web.quietWaitS'] = await quiet(qdb, log);
      } finally {
        await qdb.close();
      }
      log('web: staff form weight, 200-field form, 10,000-row scroll (Chromium)');
      const web = await benchWeb({ baseUrl: server.baseUrl, admin: ADMIN, log });
      for (const [k, v] of Object.entries(web)) if (typeof v === 'number') f[`web.${k}`] = v;
    }
    await server.stop();
    if (kind === 'postgres') {
      // Issue 4: the workflow runtime straight on the database.
      log('postgres: approvals, timer precision, automation overhead');
      const wdb = await openDb({ databaseUrl: url });
      try {
        for (const [k, v] of Object.entries(await benchWorkflow(wdb, log))) f[`workflow.${k}`] = v;
      } finally {
        await wdb.close();
      }
    }
  } finally {
    if (dbName) {
      const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  return f;
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

async function main() {
  const only = process.env.BENCH_DB as Kind | undefined;
  const kinds: Kind[] = only ? [only] : ['postgres', 'pglite'];
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, 'latest.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first run
  }
  const out: Record<string, unknown> = { ...previous, date: new Date().toISOString(), machine: machine() };
  let port = 3900;
  for (const kind of kinds) {
    const figures = await benchDatabase(kind, port++);
    out[kind] = { ...((previous[kind] as Figures | undefined) ?? {}), ...figures };
    console.table(figures);
  }
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  log(`wrote ${file}`);
  writeResults(file, new URL('../../docs/benchmarks.md', import.meta.url).pathname);
  log('updated the results in docs/benchmarks.md');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
