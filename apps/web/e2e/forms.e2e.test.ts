/**
 * The end-to-end scenario in real Chromium against the real `formwork` process:
 * an admin builds a form in the designer (≥ 10 field types, a subform with a formula total, a show/hide
 * rule) and saves it; a staff member fills it on a 390×844 phone screen, sees a field error in Chinese,
 * fixes it and submits; the record is in the list, filtered and sorted; it is edited, deleted and
 * restored, and its history shows the change. Screenshots go to e2e/screenshots/ (not committed).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  api,
  buildAll,
  launchChromium,
  loginToken,
  loginUi,
  pick,
  type RunningFormwork,
  shot,
  startFormwork,
} from './harness.js';

const STAFF = { email: 'staff@e2e.test', password: 'staff-password-1', name: '张三' };

let server: RunningFormwork;
let browser: Browser;
let adminToken: string;
let staffToken: string;

beforeAll(async () => {
  buildAll();
  server = await startFormwork();
  adminToken = await loginToken(server.url, ADMIN);
  await api(server.url, 'POST', '/api/users', { ...STAFF }, adminToken);
  // Staff may add records and manage their own (the 新增并管理本人 preset) in every entity.
  const role = await api<{ id: string }>(
    server.url,
    'POST',
    '/api/roles',
    {
      key: 'sales',
      name: { 'zh-CN': '销售', en: 'Sales' },
      permissions: { entities: { '*': { preset: 'submitManageOwn' } } },
    },
    adminToken,
  );
  await api(server.url, 'POST', '/api/members', { email: STAFF.email, roleIds: [role.id] }, adminToken);
  staffToken = await loginToken(server.url, { email: STAFF.email, password: STAFF.password });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Replaces the text of an input the way a person does: select all, type. */
async function retype(page: Page, selector: string, text: string): Promise<void> {
  const input = page.locator(selector);
  await input.click();
  await input.press('ControlOrMeta+A');
  await input.pressSequentially(text);
}

describe('forms end to end', () => {
  let admin: BrowserContext;
  let staff: BrowserContext;
  let phone: Page;

  afterEach(async (ctx) => {
    // A failing step leaves a picture of the phone screen behind.
    if (ctx.task.result?.state === 'fail' && phone && !phone.isClosed())
      await shot(phone, `failed-${ctx.task.name.slice(0, 40)}`);
  });

  it('an admin builds a form with ten field types, a subform total and a show/hide rule', async () => {
    admin = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await admin.newPage();
    await loginUi(page, server.url, ADMIN);
    await page.getByTestId('new-entity').click();
    await page.getByTestId('designer-page').waitFor();
    const props = page.locator('aside.fw-designer-properties');

    await page.getByRole('button', { name: 'Entity', exact: true }).click();
    await props.getByLabel('Entity key', { exact: true }).fill('order');
    await props.getByLabel('Label (Chinese)', { exact: true }).fill('订单');
    await props.getByLabel('Label (English)', { exact: true }).fill('Order');

    const add = async (type: string) =>
      page.getByRole('button', { name: `Add ${type}`, exact: true }).click();
    const label = async (zh: string, en: string) => {
      await props.getByLabel('Label (Chinese)', { exact: true }).fill(zh);
      await props.getByLabel('Label (English)', { exact: true }).fill(en);
    };

    // A new form starts with a text field `title`: it becomes the customer name.
    await page.locator('[data-canvas-field="title"]').click();
    await label('客户名称', 'Customer name');
    await props.getByLabel('Required', { exact: true }).check();
    await add('Phone'); // phone1
    await label('手机号', 'Phone');
    await add('E-mail'); // email1
    await add('Amount'); // amount1
    await label('预算', 'Budget');
    await add('Date'); // date1
    await label('下单日期', 'Order date');
    await add('Single select'); // select1 (options a / b)
    await label('等级', 'Grade');
    await add('Yes/No'); // boolean1
    await add('Rating'); // rating1
    await add('Tags'); // tags1
    await add('Long text'); // longtext1: shown only for large budgets
    await label('大单说明', 'Large deal note');
    await props
      .getByRole('button', { name: /formula/i })
      .first()
      .click();
    await props.getByRole('group', { name: 'Show/hide rule' }).locator('textarea').fill('amount1 > 10000');
    await add('Subform'); // subform1 with a text column `item`
    await label('明细', 'Items');
    const subform = page.locator('[data-canvas-field="subform1"]');
    await pick(page, 'Add column', 'Amount', {
      done: async () => ((await subform.textContent()) ?? '').includes('· 2'),
    }); // subform1.amount1
    await page.getByRole('option', { name: 'subform1' }).or(subform).first().click();
    await add('Formula'); // formula1 = the subform total
    await label('明细合计', 'Items total');
    await props.getByLabel('Formula', { exact: true }).fill('SUM(subform1.amount1)');

    await shot(page, '01-designer');
    await page.getByRole('toolbar').getByRole('button', { name: /Save$/ }).click();
    await page.getByTestId('records-page').waitFor({ timeout: 30_000 });
    expect(page.url()).toMatch(/\/e\/order$/);
    await shot(page, '02-desktop-records');

    const entity = await api<{ fields: Array<{ key: string; type: string; formula?: string }> }>(
      server.url,
      'GET',
      '/api/entities/order',
      undefined,
      adminToken,
    );
    const types = new Set(entity.fields.map((f) => f.type));
    expect(types.size).toBeGreaterThanOrEqual(10);
    expect(entity.fields.find((f) => f.key === 'formula1')?.formula).toBe('SUM(subform1.amount1)');
    await admin.close();
  });

  it('staff fills the form on a phone, sees a Chinese field error, fixes it and submits', async () => {
    staff = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    phone = await staff.newPage();
    await loginUi(phone, server.url, { email: STAFF.email, password: STAFF.password });
    await phone.getByTestId('menu-button').click();
    await phone.getByRole('menuitem', { name: '订单' }).click();
    await phone.getByTestId('records-page').waitFor();
    await phone.getByTestId('new-record').click();
    const form = phone.locator('.ant-drawer-open');
    await form.locator('[data-field="phone1"] input').waitFor();
    // The large-deal note is hidden until the budget is over 10,000.
    expect(await form.locator('[data-field="longtext1"]').count()).toBe(0);

    await form.locator('[data-field="phone1"] input').fill('12345');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const error = form.locator('.fw-error').first();
    await error.waitFor();
    expect(await error.textContent()).toMatch(/[\u4e00-\u9fff]/);
    await shot(phone, '03-phone-field-error');

    await form.locator('[data-field="title"] input').fill('上海华东贸易有限公司');
    await form.locator('[data-field="phone1"] input').fill('13800138000');
    await form.locator('[data-field="amount1"] input').fill('20000');
    await form.locator('[data-field="longtext1"] textarea').waitFor();
    await form.locator('[data-field="longtext1"] textarea').fill('年度框架合同');
    const items = form.locator('[data-field="subform1"]');
    for (const [item, amount] of [
      ['服务器', '100'],
      ['安装服务', '250'],
    ]) {
      await items
        .getByRole('button', { name: /添加|Add/ })
        .first()
        .click();
      const row = items.locator('tbody tr').last();
      await row
        .locator('input')
        .first()
        .fill(item as string);
      await row
        .locator('input')
        .nth(1)
        .fill(amount as string);
    }
    await expect.poll(async () => form.locator('[data-field="formula1"]').textContent()).toMatch(/350/);
    await shot(phone, '04-phone-form-filled');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.waitFor({ state: 'detached' });
    await phone.getByText('上海华东贸易有限公司').first().waitFor();
    await shot(phone, '05-phone-list');
  });

  it('lists the record filtered and sorted', async () => {
    for (const [name, amount] of [
      ['北京远景科技', 5000],
      ['广州南方物流', 30000],
    ] as const) {
      await api(
        server.url,
        'POST',
        '/api/entities/order/records',
        { title: name, amount1: amount },
        staffToken,
      );
    }
    await phone.reload();
    await phone.getByText('广州南方物流').first().waitFor();
    await phone.getByTestId('filter-button').click();
    const drawer = phone.getByTestId('filter-drawer');
    await drawer.getByRole('button', { name: '+ 添加条件', exact: true }).click();
    await pick(phone, '字段', '预算', { search: '预算' });
    await pick(phone, '条件', '大于');
    // The value box follows the operator just picked; on a loaded machine it may be redrawn after the
    // fill, so fill until it holds the value.
    const value = drawer.getByLabel('值', { exact: true });
    await expect
      .poll(async () => {
        if ((await value.inputValue()) !== '10000') await value.fill('10000');
        return value.inputValue();
      })
      .toBe('10000');
    await phone.getByTestId('filter-done').click();
    // Once closed, the drawer hands the focus back to the filter button.
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(async () => phone.getByTestId('record-row').count()).toBe(2);
    await pick(phone, '排序', '预算 ↓', { search: '预算' });
    await expect
      .poll(async () => phone.getByTestId('record-row').first().textContent())
      .toContain('广州南方物流');
    const names = await phone.getByTestId('record-row').allTextContents();
    expect(names[1]).toContain('上海华东贸易有限公司');
    expect(names.join()).not.toContain('北京远景科技');
    await shot(phone, '06-phone-filtered-sorted');

    // Kept as a personal view, it comes back after a reload.
    await phone.getByTestId('save-view').click();
    await phone.getByLabel('视图名称').fill('大单');
    await phone
      .locator('.ant-modal')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await phone.locator('.ant-modal').waitFor({ state: 'detached' });
    await phone.reload();
    await phone.getByTestId('records-page').waitFor();
    await pick(phone, '视图', '大单', { search: '大单' });
    await expect.poll(async () => phone.getByTestId('record-row').count()).toBe(2);
    expect(await phone.getByTestId('record-row').first().textContent()).toContain('广州南方物流');
  });

  it('edits the record, explains a conflict, and shows the change in the history', async () => {
    await phone.getByText('上海华东贸易有限公司').first().click();
    await phone.getByTestId('record-page').waitFor();
    const id = phone.url().split('/').pop() as string;
    await phone.getByTestId('edit-record').click();
    const form = phone.locator('.ant-drawer-open');
    await retype(phone, '.ant-drawer-open [data-field="amount1"] input', '25000');

    // Someone else saves first: the staff member is told who and when.
    await api(
      server.url,
      'PATCH',
      `/api/entities/order/records/${id}`,
      { email1: 'buyer@example.com' },
      adminToken,
    );
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const conflict = phone.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/此记录已被 Admin 于 \d\d:\d\d 修改/);
    await shot(phone, '07-phone-conflict');
    await conflict.getByRole('button').click();
    await retype(phone, '.ant-drawer-open [data-field="amount1"] input', '25000');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.waitFor({ state: 'detached' });

    await phone.getByTestId('history-tab').click();
    const change = phone.getByTestId('history-change').filter({ hasText: '预算' }).first();
    await change.waitFor();
    expect(await change.textContent()).toContain('¥25,000.00');
    expect(await change.textContent()).toContain('¥20,000.00');
    await shot(phone, '08-phone-history');
  });

  it('deletes the record and restores it from the recycle bin', async () => {
    await phone.getByTestId('delete-record').click();
    await phone.getByTestId('confirm-delete').click();
    await phone.getByTestId('records-page').waitFor();
    await expect.poll(async () => phone.getByText('上海华东贸易有限公司').count()).toBe(0);
    await phone.getByTestId('trash-link').click();
    await phone.getByText('上海华东贸易有限公司').first().waitFor();
    await shot(phone, '09-phone-recycle-bin');
    await phone.getByTestId('restore').first().click();
    await expect.poll(async () => phone.getByText('上海华东贸易有限公司').count()).toBe(0);
    await phone.goto(`${server.url}/e/order`);
    await phone.getByText('上海华东贸易有限公司').first().waitFor();
    const history = await api<{ items: Array<{ action: string }> }>(
      server.url,
      'GET',
      `/api/entities/order/records/${(await api<{ items: Array<{ id: string; title: string }> }>(server.url, 'GET', '/api/entities/order/records?q=%E4%B8%8A%E6%B5%B7', undefined, staffToken)).items[0]?.id}/history`,
      undefined,
      staffToken,
    );
    expect(history.items.map((h) => h.action).slice(0, 2)).toEqual(['restore', 'delete']);
    await staff.close();
  });

  it('loads a long list page by page as it is scrolled, each record once', async () => {
    await api(
      server.url,
      'POST',
      '/api/entities',
      { key: 'lead', fields: [{ key: 'name', type: 'text' }] },
      adminToken,
    );
    const records = Array.from({ length: 450 }, (_, i) => ({ name: `Lead ${i}` }));
    await api(server.url, 'POST', '/api/entities/lead/records/bulk', { records }, adminToken);
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await desk.newPage();
    await loginUi(page, server.url, ADMIN);
    // Pages take 400 ms to come (the real server, answering late), so the list is scrolled while one is
    // on its way: it must not ask for the same page again.
    const asked: string[] = [];
    await page.route(
      (url) => url.pathname === '/api/entities/lead/records',
      async (route) => {
        asked.push(new URL(route.request().url()).searchParams.get('cursor') ?? 'first');
        await new Promise((r) => setTimeout(r, 400));
        await route.continue();
      },
    );
    await page.goto(`${server.url}/e/lead`);
    const scroller = page.getByTestId('record-table-scroll');
    const table = page.locator('.fw-record-table');
    await expect.poll(async () => table.getAttribute('aria-rowcount')).toBe('201'); // the first page + header
    // Scrolling to the end asks for the next page (200 records a page), until the last one is in.
    // Each turn scrolls to the end or 300 px above it, so the rows in view change while a page is on its way.
    let turn = 0;
    const nearTheEnd = () =>
      scroller.evaluate(
        (el, up) => {
          el.scrollTop = el.scrollHeight - el.clientHeight - up;
        },
        300 * (turn++ % 2),
      );
    await expect
      .poll(
        async () => {
          await nearTheEnd();
          return table.getAttribute('aria-rowcount');
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe('451');
    // No page came twice: more scrolling asks for nothing more.
    for (let i = 0; i < 6; i++) await nearTheEnd();
    await page.waitForLoadState('networkidle');
    expect(await table.getAttribute('aria-rowcount')).toBe('451');
    expect(asked).toHaveLength(3);
    expect(new Set(asked).size).toBe(3);
    const ids = await page.getByTestId('record-row').evaluateAll((rows) => rows.map((r) => r.dataset.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await page.getByTestId('total').textContent()).toContain('450');
    await desk.close();
  });
});
