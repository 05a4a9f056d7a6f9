/** Runs the built `formwork` command as a child process (CLI and scenario tests). */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appDir = fileURLToPath(new URL('..', import.meta.url));
export const bin = join(appDir, 'dist/formwork.js');
export const onPostgres = process.env.FORMWORK_TEST_DB === 'postgres';

export interface Started {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

export function run(args: string[], env: NodeJS.ProcessEnv): Started {
  const proc = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, FORMWORK_LOG: 'info', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  proc.stderr?.on('data', (d) => {
    out += d;
  });
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, url: `http://127.0.0.1:${env.PORT}`, output: () => out, exit };
}

export async function healthy(s: Started): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (s.proc.exitCode !== null) throw new Error(`formwork exited: ${s.output()}`);
    try {
      const res = await fetch(`${s.url}/api/health`);
      if (res.ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`formwork never became healthy: ${s.output()}`);
}
