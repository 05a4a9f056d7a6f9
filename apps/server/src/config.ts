import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  /** PostgreSQL connections of each process (the store's default when unset). */
  dbPool?: number;
  dataDir: string;
  adminEmail: string;
  adminPassword?: string;
  timeZone: string;
  log: 'info' | 'warn' | 'error' | 'silent';
  /** Server processes sharing the port (node:cluster); more than one needs PostgreSQL. */
  workers: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const LOG_LEVELS = ['info', 'warn', 'error', 'silent'] as const;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads the configuration from the environment; every invalid variable is reported by name. */
export function readConfig(
  env: NodeJS.ProcessEnv,
  cwd: string,
  cpus: () => number = availableParallelism,
): ConfigResult {
  const errors: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    errors.push(`PORT must be 0–65535, got "${env.PORT}"`);
  const log = (env.FORMWORK_LOG ?? 'info') as Config['log'];
  if (!LOG_LEVELS.includes(log)) errors.push(`FORMWORK_LOG must be one of ${LOG_LEVELS.join(', ')}`);
  const timeZone = env.FORMWORK_TIMEZONE || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  if (!isTimeZone(timeZone)) errors.push(`FORMWORK_TIMEZONE is not a known time zone: "${timeZone}"`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    errors.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const rawPool = env.FORMWORK_DB_POOL?.trim();
  const dbPool = rawPool ? Number(rawPool) : undefined;
  if (dbPool !== undefined && (!Number.isInteger(dbPool) || dbPool < 1 || dbPool > 200))
    errors.push(`FORMWORK_DB_POOL must be 1–200, got "${env.FORMWORK_DB_POOL}"`);
  const adminPassword = env.FORMWORK_ADMIN_PASSWORD || undefined;
  if (
    adminPassword !== undefined &&
    (adminPassword.length < 8 ||
      (adminPassword.length < 12 && (!/\p{L}/u.test(adminPassword) || !/\p{Nd}/u.test(adminPassword))))
  ) {
    errors.push('FORMWORK_ADMIN_PASSWORD must have at least 8 characters (below 12: letters and digits)');
  }
  const rawWorkers = env.FORMWORK_WORKERS?.trim() || '1';
  const workers = rawWorkers === 'auto' ? cpus() : Number(rawWorkers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    errors.push(`FORMWORK_WORKERS must be 1–64 or "auto", got "${env.FORMWORK_WORKERS}"`);
  else if (workers > 1 && !databaseUrl)
    errors.push('FORMWORK_WORKERS above 1 needs DATABASE_URL: the embedded database serves one process');
  const adminEmail = (env.FORMWORK_ADMIN_EMAIL || 'admin@formwork.local').trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail)) errors.push('FORMWORK_ADMIN_EMAIL is not an e-mail address');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      port,
      host: env.HOST || '0.0.0.0',
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(dbPool !== undefined ? { dbPool } : {}),
      dataDir: resolve(cwd, env.FORMWORK_DATA_DIR || 'data'),
      adminEmail,
      ...(adminPassword ? { adminPassword } : {}),
      timeZone,
      log,
      workers,
    },
  };
}
