import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '@formwork/metadata';
import {
  createApp,
  createJsonLogger,
  createServer,
  createWorkflowRunner,
  type Logger,
  serveWebApp,
  silentLogger,
} from '@formwork/server';
import { createStore, type Db, migrate, openDb, startCacheBus } from '@formwork/store';
import { type Config, readConfig } from './config.js';

const HELP = `formwork — the Formwork low-code CRM platform

Usage:
  formwork start     migrate the database and serve the API on PORT (default 3000)
  formwork migrate   apply pending database migrations and exit
  formwork --help    show this help

Environment: PORT, HOST, DATABASE_URL (PostgreSQL; default: embedded PGlite in FORMWORK_DATA_DIR=./data),
FORMWORK_ADMIN_EMAIL, FORMWORK_ADMIN_PASSWORD, FORMWORK_TIMEZONE, FORMWORK_LOG (info|warn|error|silent),
FORMWORK_WEB_DIR (the built web app; default apps/web/dist), FORMWORK_JOBS=off (serve without running jobs),
FORMWORK_SMTP_URL, FORMWORK_MAIL_FROM (e-mail from flows and automations), FORMWORK_WORKERS (server
processes sharing the port, a number or "auto"; above 1 needs DATABASE_URL), FORMWORK_DB_POOL (PostgreSQL
connections per process, default 10).`;

function makeLogger(config: Config): Logger {
  if (config.log === 'silent') return silentLogger;
  const base = createJsonLogger();
  if (config.log === 'info') return base;
  const rank = { info: 0, warn: 1, error: 2 };
  const min = rank[config.log];
  return {
    info: (f) => (min <= 0 ? base.info(f) : undefined),
    warn: (f) => (min <= 1 ? base.warn(f) : undefined),
    error: (f) => base.error(f),
  };
}

const dbOptions = (config: Config) =>
  config.databaseUrl
    ? { databaseUrl: config.databaseUrl, poolSize: config.dbPool }
    : { dataDir: config.dataDir };

async function open(config: Config): Promise<Db> {
  const db = await openDb(dbOptions(config));
  await migrate(db);
  return db;
}

/** Creates the first admin when there is no user yet; a generated password is printed once. */
async function ensureAdmin(
  db: Db,
  auth: ReturnType<typeof createApp>['auth'],
  config: Config,
  logger: Logger,
) {
  const [row] = await db.query<{ n: number | string }>('select count(*) as n from formwork.users');
  if (Number(row?.n ?? 0) > 0) return;
  // A generated password always has letters and digits (the password policy).
  const password = config.adminPassword ?? `Fw-${randomBytes(12).toString('base64url')}-7`;
  try {
    await auth.createUser({ email: config.adminEmail, name: 'Admin', password, isAdmin: true });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'UNIQUE_VIOLATION') return; // another process was first
    throw e;
  }
  logger.info({ msg: 'admin created', email: config.adminEmail });
  if (!config.adminPassword) {
    process.stdout.write(
      `\n  Formwork admin account created\n  e-mail:   ${config.adminEmail}\n  password: ${password}\n  (shown once — change it after logging in)\n\n`,
    );
  }
}

/** Migrates, creates the default workspace and the first admin (the cluster primary, before forking). */
async function prepare(config: Config, logger: Logger): Promise<void> {
  const db = await open(config);
  try {
    const store = createStore(db, { timeZone: config.timeZone });
    await store.workspaces.ensureDefault();
    await ensureAdmin(db, createApp({ store, logger }).auth, config, logger);
  } finally {
    await db.close();
  }
}

/**
 * One server process: the API, the web app, the cache bus and the job runner. `role` 'single' also
 * migrates and creates the default workspace and first admin; a cluster worker finds that done by the
 * primary.
 */
async function serve(config: Config, role: 'single' | 'worker'): Promise<void> {
  const t0 = performance.now();
  const logger = makeLogger(config);
  const db = role === 'single' ? await open(config) : await openDb(dbOptions(config));
  // Definitions and credentials are served from memory while the cache bus is live (ADR 0007).
  const cacheBus = await startCacheBus(db);
  const store = createStore(db, { timeZone: config.timeZone, cacheBus });
  if (role === 'single') await store.workspaces.ensureDefault();
  const { app, auth, workflow, warmUp } = createApp({ store, logger, cacheBus });
  // Timers, automations, e-mail and webhooks: every process runs jobs unless FORMWORK_JOBS=off.
  const runner = process.env.FORMWORK_JOBS === 'off' ? null : createWorkflowRunner(workflow, { logger });
  runner?.start();
  if (role === 'single') await ensureAdmin(db, auth, config, logger);
  // The built web app (apps/web/dist next to this bundle's apps/server/dist), on the same port.
  const webDir = process.env.FORMWORK_WEB_DIR
    ? resolve(process.env.FORMWORK_WEB_DIR)
    : resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  if (!serveWebApp(app, { dir: webDir }) && role === 'single')
    logger.warn({ msg: 'web app not built; serving the API only', webDir });
  const server = await createServer(app, config.port, { hostname: config.host });
  // The request validators are compiled once the port is open (each also compiles at its first use).
  warmUp().catch((e: unknown) =>
    logger.error({ msg: 'request validators failed to compile', error: String(e) }),
  );
  if (role === 'single')
    logger.info({
      msg: 'formwork started',
      url: urlOf(config, server.port),
      database: db.kind,
      ...(db.kind === 'pglite' ? { dataDir: config.dataDir } : {}),
      ms: Math.round(performance.now() - t0),
    });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (role === 'single') logger.info({ msg: 'stopping', signal });
    try {
      await server.close();
      await runner?.stop(); // the jobs in progress finish (or roll back) first
      await cacheBus.close();
      await db.close();
      process.exit(0);
    } catch (e) {
      logger.error({ msg: 'shutdown failed', error: String(e) });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

const urlOf = (config: Config, port: number) =>
  `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

/**
 * The cluster primary: prepares the database, forks `config.workers` server processes that share the
 * port (the primary hands out connections), replaces a worker that dies, and stops them all on SIGTERM.
 */
async function primary(config: Config): Promise<void> {
  const t0 = performance.now();
  const logger = makeLogger(config);
  await prepare(config, logger);
  let stopping = false;
  let listening = 0;
  const fork = (): Worker => {
    const w = cluster.fork();
    w.once('listening', (address: AddressInfo) => {
      listening++;
      if (listening === config.workers)
        logger.info({
          msg: 'formwork started',
          url: urlOf(config, address.port),
          database: 'postgres',
          workers: config.workers,
          ms: Math.round(performance.now() - t0),
        });
    });
    return w;
  };
  cluster.on('exit', (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ msg: 'worker died; starting another', pid: w.process.pid, code, signal });
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < config.workers; i++) fork();
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ msg: 'stopping', signal, workers: config.workers });
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(0);
    for (const w of alive) w?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function start(config: Config): Promise<void> {
  if (cluster.isWorker) return serve(config, 'worker');
  if (config.workers > 1) return primary(config);
  return serve(config, 'single');
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'start';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return 0;
  }
  if (command !== 'start' && command !== 'migrate') {
    console.error(`formwork: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const parsed = readConfig(process.env, process.cwd());
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(`formwork: ${e}`);
    return 2;
  }
  if (command === 'migrate') {
    const db = await open(parsed.config);
    await db.close();
    console.log('formwork: database is up to date');
    return 0;
  }
  await start(parsed.config);
  return -1; // keeps running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(`formwork: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
