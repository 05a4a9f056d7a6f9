/**
 * `pnpm --filter @formwork/bench web`: only the browser benchmarks of the web app (web.ts), without the
 * database benchmarks of `pnpm bench`. Builds the web app and the `formwork` command, starts
 * `formwork start` on a new PGlite data directory, runs `benchWeb` in Chromium and prints the figures
 * (the browser figures do not depend on the database).
 *
 * Environment: BENCH_WEB_SKIP_BUILD=1 uses the existing builds; BENCH_WEB_ROWS (records in the scroll test,
 * default 10,000); BENCH_WEB_RUNS (repeat the whole measurement, default 1 — the machine is shared, so
 * repeat when a figure looks noisy); FORMWORK_WEB_DIR (the built app to serve, default apps/web/dist).
 * BENCH_WEB_SAVE=1 records the (last run's) figures in bench/results/latest.json as `pnpm bench` does and
 * rewrites the results table of docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './report.js';
import { ADMIN, startServer } from './server-process.js';
import { benchWeb, type WebBenchResult } from './web.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const log = (msg: string) => console.log(`[web ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function build(): void {
  const web = join(root, 'apps/web');
  log('building apps/web and the formwork command');
  execFileSync(join(web, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  execFileSync(process.execPath, ['build.mjs'], { cwd: join(root, 'apps/server'), stdio: 'inherit' });
}

/** A port nobody listens on (other benchmarks and tests may run on this machine at the same time). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  if (process.env.BENCH_WEB_SKIP_BUILD !== '1') build();
  const rows = Number(process.env.BENCH_WEB_ROWS ?? 10_000);
  const runs = Math.max(1, Number(process.env.BENCH_WEB_RUNS ?? 1));
  const dataDir = mkdtempSync(join(tmpdir(), 'fw-bench-web-'));
  const server = await startServer({ port: await freePort(), dataDir });
  const results: WebBenchResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const r = await benchWeb({ baseUrl: server.baseUrl, admin: ADMIN, rows, log });
      results.push(Object.fromEntries(Object.entries(r).map(([k, v]) => [`web.${k}`, v])));
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.table(results);
  const last = results[results.length - 1];
  if (process.env.BENCH_WEB_SAVE === '1' && last) {
    const file = join(root, 'bench/results/latest.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { postgres?: Record<string, number> };
    saved.postgres = { ...(saved.postgres ?? {}), ...last };
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
    writeResults(file, join(root, 'docs/benchmarks.md'));
    log('recorded the figures in bench/results/latest.json and docs/benchmarks.md');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
