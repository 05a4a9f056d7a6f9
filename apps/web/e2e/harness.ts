/**
 * Test harness of the browser tests: builds the web app and the `formwork` command, starts the real
 * server on a free port with a fresh PGlite data directory, and launches Debian's Chromium through
 * playwright-core (`npx playwright install` cannot download browsers here).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const webDir = fileURLToPath(new URL('..', import.meta.url));
export const serverDir = join(webDir, '../server');
export const screenshotDir = join(webDir, 'e2e/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ADMIN = { email: 'admin@e2e.test', password: 'admin-password-1' };

/** `vite build` of this app and the esbuild bundle of the server (skipped with E2E_SKIP_BUILD=1). */
export function buildAll(): void {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(join(webDir, 'dist/index.html'))) return;
  const vite = join(webDir, 'node_modules/.bin/vite');
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync(vite, ['build', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  execFileSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'inherit' });
}

export function freePort(): Promise<number> {
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

export interface RunningFormwork {
  url: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `formwork start` on PGlite in a temporary data directory and waits until it is healthy. */
export async function startFormwork(): Promise<RunningFormwork> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'formwork-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    FORMWORK_DATA_DIR: dataDir,
    FORMWORK_ADMIN_EMAIL: ADMIN.email,
    FORMWORK_ADMIN_PASSWORD: ADMIN.password,
    FORMWORK_LOG: 'warn',
    FORMWORK_TIMEZONE: 'Asia/Shanghai',
    FORMWORK_WEB_DIR: join(webDir, 'dist'),
  };
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, [join(serverDir, 'dist/formwork.js'), 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  proc.stderr?.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (proc.exitCode !== null) throw new Error(`formwork exited: ${out}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A small JSON API caller (setup steps that are not what the test is about). */
export async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function loginToken(base: string, who: { email: string; password: string }): Promise<string> {
  return (await api<{ token: string }>(base, 'POST', '/api/auth/login', who)).token;
}

/** Logs in through the login page. */
export async function loginUi(
  page: Page,
  base: string,
  who: { email: string; password: string },
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('input[type="email"]').fill(who.email);
  await page.locator('input[type="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('logout').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Picks `option` in the antd Select labelled `label` inside `opts.scope` (the page by default), in that
 * select's own dropdown, typing `opts.search` into it first when given. Then it waits until `opts.done`
 * holds — by default, until the select shows the option — and picks again when it does not: on a loaded
 * machine a click can reach a dropdown that is still opening or closing, or the dropdown can close (the
 * focus moved) before the click, and be lost.
 */
export async function pick(
  page: Page,
  label: string,
  option: string,
  opts: { scope?: Locator; search?: string; done?: () => Promise<boolean> } = {},
): Promise<void> {
  const box = (opts.scope ?? page).getByLabel(label, { exact: true }).last();
  const root = box.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-select ")][1]');
  const done =
    opts.done ??
    (async () => ((await root.locator('.ant-select-content').first().textContent()) ?? '').includes(option));
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await box.getAttribute('aria-expanded')) !== 'true') await box.click();
      if (opts.search !== undefined) {
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.type(opts.search);
      }
      // The open select's input names its listbox.
      let list: string | null = null;
      await expect
        .poll(async () => (list = await box.getAttribute('aria-controls')), { timeout: 5000 })
        .toBeTruthy();
      await page
        .locator('.ant-select-dropdown', { has: page.locator(`[id="${list}"]`) })
        .locator('.ant-select-item-option', { hasText: option })
        .first()
        .click({ timeout: 5000 });
      await expect.poll(done, { timeout: 3000 }).toBe(true);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}
