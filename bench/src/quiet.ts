import type { Db } from '@formwork/store';

/**
 * Waits (at most `maxS` seconds) until no autovacuum worker runs on the PostgreSQL server, then checkpoints,
 * so a benchmark measures what it names rather than the vacuum of the million rows `pnpm bench` loaded and
 * updated before (an insert- and update-triggered vacuum of that table keeps a core busy for minutes).
 * Answers the seconds waited.
 */
export async function quiet(db: Db, log: (msg: string) => void, maxS = 600): Promise<number> {
  const t0 = performance.now();
  const busy = () =>
    db.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
    );
  let workers = await busy();
  if (workers.length > 0) log(`waiting for autovacuum: ${workers.map((w) => w.query).join('; ')}`);
  while (workers.length > 0 && performance.now() - t0 < maxS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    workers = await busy();
  }
  await db.exec('CHECKPOINT');
  return Math.round(performance.now() - t0) / 1000;
}
