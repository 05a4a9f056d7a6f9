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
  const t0 = performance.now();
  const proc = spawn(process.execPath, [FORMWORK_BIN, 'start'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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
    rssMb: () => {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
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
