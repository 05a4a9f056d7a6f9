/**
 * `pnpm --filter @formwork/bench workflow`: only the workflow benchmarks (workflow.ts), without the rest of
 * `pnpm bench`. Creates a new database on DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres), migrates it, runs `benchWorkflow`, prints the figures and
 * drops the database. BENCH_WORKFLOW_RUNS repeats the measurement (default 1 — the machine is shared, so
 * repeat when a figure looks noisy). Nothing is recorded: `pnpm bench` writes the results.
 */
import { migrate, openDb } from '@formwork/store';
import postgres from 'postgres';
import { benchWorkflow } from './workflow.js';

const log = (msg: string) => console.log(`[workflow ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `fw_bench_wf_${process.pid}_${Date.now()}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(server);
    url.pathname = `/${name}`;
    const db = await openDb({ databaseUrl: url.toString() });
    try {
      await migrate(db);
      const runs = Math.max(1, Number(process.env.BENCH_WORKFLOW_RUNS ?? 1));
      const results: Array<Record<string, number>> = [];
      for (let i = 0; i < runs; i++) {
        log(`run ${i + 1} of ${runs}`);
        results.push(await benchWorkflow(db, log));
      }
      console.table(results);
    } finally {
      await db.close();
    }
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
