/**
 * Browser benchmarks of the web app (issue 5), in Debian's Chromium through playwright-core, against a
 * running `formwork start` that serves the built app (`pnpm --filter @formwork/web build` first):
 *
 * - `staffFormJsGzipKb`: gzipped JavaScript transferred to open a record form as a staff member (login page,
 *   list, then the "new record" drawer) — the designers must not be among it;
 * - `form200RenderMs` / `form200RenderWarmMs`: clicking "new" on a 200-field entity until its last field is
 *   in the DOM (first time includes loading the form chunk), measured with `performance.now()` in the page;
 * - `keystrokeP50Ms` / `keystrokeMaxMs`: from `keydown` to the next frame after the input event, typing
 *   into a text field of that form (Performance API in the page);
 * - `scroll10kFrames`, `scroll10kDroppedFrames`, `scroll10kP95FrameMs`, `scroll10kMaxFrameMs`: scrolling
 *   a list of 10,000 loaded records from top to bottom, one step per animation frame; a frame longer than
 *   25 ms counts as dropped;
 * - `scrollFloorFrames`, `scrollFloorDroppedFrames`, `scrollFloorP95FrameMs`, `scrollFloorMaxFrameMs`: the same
 *   scroll over a bare virtual list of as many records in plain JavaScript (web-floor.ts) — what this machine
 *   and browser drop whatever the app does.
 *
 * Nothing here asserts a threshold: the figures go to bench/results and docs/benchmarks.md.
 */
import { chromium, type Page } from 'playwright-core';
import { floorPage } from './web-floor.js';

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

export interface WebBenchOptions {
  baseUrl: string;
  admin: { email: string; password: string };
  chromiumPath?: string;
  /** Records in the scroll test (default 10,000). */
  rows?: number;
  log?: (msg: string) => void;
}

export type WebBenchResult = Record<string, number>;

// The in-page measurements are plain JavaScript strings: they run in the browser, and a compiled function
// would drag in the compiler's helpers (tsx's `__name`), which do not exist there.

/** Click "new" and wait (frame by frame) until the 200th field is in the DOM; answers the milliseconds. */
const RENDER_200 = `new Promise((resolve) => {
  const t0 = performance.now();
  document.querySelector('[data-testid="new-record"]').click();
  (function poll() {
    if (document.querySelector('[data-field="f199"]')) resolve(performance.now() - t0);
    else requestAnimationFrame(poll);
  })();
})`;

/** From each keydown to the frame after it, into window.__keys. */
const RECORD_KEYSTROKES = `(() => {
  window.__keys = [];
  document.addEventListener('keydown', () => {
    const t0 = performance.now();
    requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - t0), 0));
  }, true);
})()`;

const SCROLL_TO_END = `(() => {
  const el = document.querySelector('[data-testid="record-table-scroll"]');
  el.scrollTop = el.scrollHeight;
  return el.scrollHeight;
})()`;

/** Scrolls from top to bottom, one step per frame (~600 frames); answers each frame's duration. */
const SCROLL_THROUGH = `new Promise((resolve) => {
  const el = document.querySelector('[data-testid="record-table-scroll"]');
  el.scrollTop = 0;
  const times = [];
  let last = performance.now();
  const step = Math.max(200, Math.ceil(el.scrollHeight / 600));
  function tick() {
    const now = performance.now();
    times.push(now - last);
    last = now;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) resolve(times.slice(1));
    else {
      el.scrollTop += step;
      requestAnimationFrame(tick);
    }
  }
  requestAnimationFrame(tick);
})`;

/** Frame figures of a scroll-through: frames, dropped (over 25 ms), p95 and longest, named `prefix…`. */
function frameFigures(prefix: string, frames: number[]): WebBenchResult {
  const sorted = [...frames].sort((a, b) => a - b);
  const ms = (v: number | undefined) => Math.round((v ?? 0) * 10) / 10;
  return {
    [`${prefix}Frames`]: sorted.length,
    [`${prefix}DroppedFrames`]: sorted.filter((f) => f > 25).length,
    [`${prefix}P95FrameMs`]: ms(sorted[Math.floor(sorted.length * 0.95)]),
    [`${prefix}MaxFrameMs`]: ms(sorted[sorted.length - 1]),
  };
}

async function call<T>(
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

/** 200 fields of the common types (text, number, amount, date, select, boolean, phone, long text). */
export function wideEntity(key: string) {
  const types = ['text', 'number', 'amount', 'date', 'select', 'boolean', 'phone', 'longText'] as const;
  return {
    key,
    label: { 'zh-CN': `宽表单 ${key}`, en: `Wide form ${key}` },
    fields: Array.from({ length: 200 }, (_, i) => {
      const type = types[i % types.length] as (typeof types)[number];
      return {
        key: `f${i}`,
        type,
        label: { 'zh-CN': `字段 ${i}`, en: `Field ${i}` },
        ...(type === 'select' ? { options: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] } : {}),
      };
    }),
  };
}

async function login(page: Page, base: string, who: { email: string; password: string }) {
  await page.goto(`${base}/login`);
  await page.locator('input[type="email"]').fill(who.email);
  await page.locator('input[type="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('logout').waitFor();
}

export async function benchWeb(opts: WebBenchOptions): Promise<WebBenchResult> {
  const log = opts.log ?? (() => {});
  const base = opts.baseUrl;
  const rows = opts.rows ?? 10_000;
  const adminToken = (await call<{ token: string }>(base, 'POST', '/api/auth/login', opts.admin)).token;
  const suffix = Date.now().toString(36);
  const staff = { email: `staff-${suffix}@bench.local`, password: 'staff-password-1' };
  await call(base, 'POST', '/api/users', { ...staff, name: 'Staff' }, adminToken);
  // A staff member who may add records and see everyone's (新增并查看全部).
  const role = await call<{ id: string }>(
    base,
    'POST',
    '/api/roles',
    {
      key: `staff_${suffix}`,
      name: { 'zh-CN': '员工', en: 'Staff' },
      permissions: { entities: { '*': { preset: 'submitViewAll' } } },
    },
    adminToken,
  );
  await call(base, 'POST', '/api/members', { email: staff.email, roleIds: [role.id] }, adminToken);

  // Fixtures: a 200-field entity, and a small entity with `rows` records for the scroll test.
  const wide = wideEntity(`wide_${suffix}`);
  await call(base, 'POST', '/api/entities', wide, adminToken);
  const listKey = `scroll_${suffix}`;
  await call(
    base,
    'POST',
    '/api/entities',
    {
      key: listKey,
      fields: [
        { key: 'name', type: 'text' },
        { key: 'amount', type: 'amount' },
        { key: 'stage', type: 'select', options: [{ value: 'a' }, { value: 'b' }] },
        { key: 'closeOn', type: 'date' },
      ],
    },
    adminToken,
  );
  for (let start = 0; start < rows; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, rows - start) }, (_, j) => ({
      name: `Record ${start + j}`,
      amount: (start + j) * 10,
      stage: (start + j) % 2 ? 'a' : 'b',
      closeOn: '2026-11-23',
    }));
    await call(base, 'POST', `/api/entities/${listKey}/records/bulk`, { records: batch }, adminToken);
  }
  log(`web bench: fixtures ready (${rows} records)`);

  const chrome = await chromium.launch({
    executablePath: opts.chromiumPath ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const out: WebBenchResult = {};
  try {
    // 1. JavaScript needed to open a record form as staff.
    const context = await chrome.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const js = new Map<string, number>(); // URL → bytes on the wire (gzip), each file once
    page.on('response', async (res) => {
      const url = res.url();
      if (!/\.m?js(\?|$)/.test(url) || js.has(url)) return;
      js.set(url, Number((await res.allHeaders())['content-length'] ?? 0));
    });
    await login(page, base, staff);
    await page.goto(`${base}/e/${wide.key}`);
    await page.getByTestId('new-record').click();
    await page.locator('[data-field="f199"]').waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const jsFiles = [...js.keys()].map((u) => u.split('/').pop() ?? u);
    const jsBytes = [...js.values()].reduce((a, b) => a + b, 0);
    out.staffFormJsGzipKb = Math.round((jsBytes / 1024) * 10) / 10;
    out.staffFormJsFiles = jsFiles.length;
    out.staffLoadedDesigner = jsFiles.some((f) => /Designer/i.test(f)) ? 1 : 0;
    log(`web bench: ${out.staffFormJsGzipKb} kB gzipped JS in ${jsFiles.length} files`);

    // 2. 200-field form render time: cold (already loaded chunk now, so this is "warm") and again.
    const renderOnce = async (): Promise<number> => {
      await page.goto(`${base}/e/${wide.key}`);
      await page.getByTestId('new-record').waitFor();
      return page.evaluate<number>(RENDER_200);
    };
    const renders: number[] = [];
    for (let i = 0; i < 5; i++) renders.push(await renderOnce());
    renders.sort((a, b) => a - b);
    out.form200RenderMs = Math.round((renders[Math.floor(renders.length / 2)] ?? 0) * 10) / 10;
    out.form200RenderMaxMs = Math.round((renders[renders.length - 1] ?? 0) * 10) / 10;

    // 3. Keystroke time in the 200-field form.
    await page.evaluate(RECORD_KEYSTROKES);
    const input = page.locator('[data-field="f0"] input').first();
    await input.click();
    // BENCH_WEB_TRACE=<file>: a Chromium performance trace (devtools.timeline: events, style, layout,
    // paint) of the page while it is typed into, to open in DevTools' Performance panel.
    const traceTo = process.env.BENCH_WEB_TRACE;
    if (traceTo) await chrome.startTracing(page, { path: traceTo, categories: ['devtools.timeline'] });
    await page.keyboard.type('Formwork keystroke benchmark', { delay: 60 });
    if (traceTo) {
      await chrome.stopTracing();
      log(`web bench: keystroke trace in ${traceTo}`);
    }
    await page.waitForTimeout(300);
    const keys = (await page.evaluate<number[]>('window.__keys')).sort((a, b) => a - b);
    out.keystrokeP50Ms = Math.round((keys[Math.floor(keys.length / 2)] ?? 0) * 10) / 10;
    out.keystrokeMaxMs = Math.round((keys[keys.length - 1] ?? 0) * 10) / 10;
    log(`web bench: render ${out.form200RenderMs} ms, keystroke p50 ${out.keystrokeP50Ms} ms`);

    // 4. Scrolling 10,000 records.
    await page.goto(`${base}/e/${listKey}`);
    const scroller = page.getByTestId('record-table-scroll');
    await scroller.waitFor();
    // Load every page first (scrolling to the end asks for the next one).
    for (let i = 0; i < rows / 100 + 20; i++) {
      const loaded = await page.evaluate<number>(SCROLL_TO_END);
      await page.waitForTimeout(150);
      if (loaded >= rows * 44) break;
    }
    const frames = await page.evaluate<number[]>(SCROLL_THROUGH);
    Object.assign(out, frameFigures('scroll10k', frames));
    log(`web bench: scroll ${frames.length} frames, ${out.scroll10kDroppedFrames} dropped`);
    const height = await scroller.evaluate((el) => el.clientHeight);
    await context.close();

    // 5. The floor: the same scroll over a bare virtual list of as many records (web-floor.ts).
    const floorContext = await chrome.newContext({ viewport: { width: 1280, height: 900 } });
    const floor = await floorContext.newPage();
    await floor.setContent(floorPage({ rows, height }));
    await floor.waitForTimeout(300);
    const floorFrames = await floor.evaluate<number[]>(SCROLL_THROUGH);
    Object.assign(out, frameFigures('scrollFloor', floorFrames));
    log(`web bench: floor page ${floorFrames.length} frames, ${out.scrollFloorDroppedFrames} dropped`);
    await floorContext.close();
  } finally {
    await chrome.close();
  }
  return out;
}
