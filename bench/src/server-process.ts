import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FORMWORK_BIN = fileURLToPath(new URL('../../apps/server/dist/formwork.js', import.meta.url));
export const ADMIN = { email: 'bench@formwork.local', password: 'bench-password-123' };

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  baseUrl: string;
  /** Milliseconds from spawn to the first healthy `/api/health`. */
  startMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

/** Starts `formwork start` as a child process and waits until `/api/health` answers ok. */
export async function startServer(opts: {
  port: number;
  databaseUrl?: string;
  dataDir?: string;
  /** FORMWORK_WORKERS (PostgreSQL only); default one process. */
  workers?: number;
}): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    FORMWORK_ADMIN_EMAIL: ADMIN.email,
    FORMWORK_ADMIN_PASSWORD: ADMIN.password,
    FORMWORK_LOG: 'silent',
  };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  if (opts.dataDir) env.FORMWORK_DATA_DIR = opts.dataDir;
  env.FORMWORK_WORKERS = String(opts.workers ?? 1);
  const t0 = performance.now();
  const proc = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), FORMWORK_BIN, 'start'],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  let exited = false;
  proc.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error('formwork exited before it became healthy');
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const startMs = performance.now() - t0;
  return {
    proc,
    port: opts.port,
    baseUrl,
    startMs,
    // The whole process tree: with FORMWORK_WORKERS the primary forks the servers.
    rssMb: () => {
      const pids = [proc.pid as number, ...childPids(proc.pid as number)];
      let kb = 0;
      for (const pid of pids) {
        try {
          kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        } catch {
          // exited meanwhile
        }
      }
      return kb / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** The direct children of a process (from /proc/<pid>/task/<pid>/children). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
