/**
 * The admin screens end to end in real Chromium against the real `formwork` process (issue 3 §6):
 * the administrator signs in with the cookie session (no token in localStorage, the session cookie not
 * readable from script), builds a department tree, creates a role in the permission matrix (view + create
 * on own customers, the cost field hidden), invites a member into a department with that role; the member
 * accepts the invitation, signs in and sees only their own customers without the cost; the administrator
 * finds the member's sign-in in the audit log and runs the hand-over wizard, after which the member's
 * session stops working and the successor owns the records. Screenshots go to e2e/screenshots/.
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

const MEMBER = { email: 'wang@e2e.test', name: '王五', password: 'Wang-Secret-42' };
const SUCCESSOR = { email: 'zhao@e2e.test', name: '赵六', password: 'zhao-password-1' };

const customer = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '客户名称', en: 'Customer name' }, required: true },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' } },
    { key: 'cost', type: 'amount', label: { 'zh-CN': '采购成本', en: 'Purchase cost' } },
  ],
  titleField: 'name',
};

let server: RunningFormwork;
let browser: Browser;
let adminToken: string;
let successorId: string;
let adminRecordId: string;
let memberRecordId: string;
let memberId: string;

beforeAll(async () => {
  buildAll();
  server = await startFormwork();
  adminToken = await loginToken(server.url, ADMIN);
  await api(server.url, 'POST', '/api/entities', customer, adminToken);
  adminRecordId = (
    await api<{ id: string }>(
      server.url,
      'POST',
      '/api/entities/customer/records',
      { name: '总部大客户', phone: '13900000000', cost: 88000 },
      adminToken,
    )
  ).id;
  // The successor already has an account: adding them makes them an active member at once.
  await api(server.url, 'POST', '/api/users', SUCCESSOR, adminToken);
  successorId = (
    await api<{ member: { userId: string; status: string } }>(
      server.url,
      'POST',
      '/api/members',
      { email: SUCCESSOR.email },
      adminToken,
    )
  ).member.userId;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('admin screens end to end', () => {
  let admin: BrowserContext;
  let page: Page;
  let memberContext: BrowserContext;
  let memberPage: Page;
  let invitationLink: string;
  const memberScripts: string[] = [];

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const name = ctx.task.name.slice(0, 40);
    if (page && !page.isClosed()) await shot(page, `failed-admin-${name}`);
    if (memberPage && !memberPage.isClosed()) await shot(memberPage, `failed-member-${name}`);
  });

  it('signs the admin in with an HTTP-only cookie session: no token in localStorage or document.cookie', async () => {
    admin = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await admin.newPage();
    await loginUi(page, server.url, ADMIN);
    const cookies = await admin.cookies();
    const session = cookies.find((c) => c.name === 'fw_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    const visible = await page.evaluate<string>('document.cookie');
    expect(visible).not.toContain('fw_session');
    expect(visible).toContain('fw_csrf=');
    const storage = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(storage).not.toContain(session?.value as string);
    expect(storage).not.toContain('formwork.session');
    // A reload restores the session from the cookie alone.
    await page.reload();
    await page.getByTestId('logout').waitFor();
  });

  it('builds a department tree', async () => {
    await page.getByTestId('nav-admin-people').click();
    await page.getByTestId('people-page').waitFor();
    await page.getByTestId('dept-new').click();
    await page.getByLabel('Department name', { exact: true }).fill('Sales');
    await page.locator('.ant-modal').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('dept-node-Sales').waitFor();
    // The new department is selected: the next one goes below it.
    await expect.poll(async () => page.getByTestId('dept-new').textContent()).toBe('New sub-department');
    await page.getByTestId('dept-new').click();
    await page.getByLabel('Department name', { exact: true }).fill('East');
    await page.locator('.ant-modal').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('dept-node-East').waitFor();
    await expect.poll(async () => page.getByTestId('member-scope').textContent()).toBe('Sales / East');
    const depts = await api<{ items: Array<{ id: string; name: string; parentId: string | null }> }>(
      server.url,
      'GET',
      '/api/departments',
      undefined,
      adminToken,
    );
    const sales = depts.items.find((d) => d.name === 'Sales');
    expect(sales?.parentId).toBeNull();
    expect(depts.items.find((d) => d.name === 'East')?.parentId).toBe(sales?.id);
    await shot(page, 'admin-01-departments');
  });

  it('creates a role in the permission matrix: view + create own customers, the cost hidden', async () => {
    await page.getByTestId('nav-admin-roles').click();
    await page.getByTestId('roles-page').waitFor();
    await page.getByTestId('role-new').click();
    await page.getByLabel('Key', { exact: true }).fill('sales');
    await page.getByLabel('Name (Chinese)', { exact: true }).fill('销售');
    await page.getByLabel('Name (English)', { exact: true }).fill('Sales rep');
    await page.getByLabel('Customer View', { exact: true }).check();
    await page.getByLabel('Customer Create', { exact: true }).check();
    const row = page.getByTestId('matrix-row-customer');
    expect(await row.textContent()).toContain('Own (owner or creator)');
    await row.getByRole('button', { name: 'Fields & limits' }).click();
    await page.getByTestId('field-access-cost').getByText('Hidden', { exact: true }).click();
    await page.waitForTimeout(400); // the segmented control's slide
    await shot(page, 'admin-02-field-permissions');
    await page.locator('.ant-drawer').getByRole('button', { name: 'Close' }).click();
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
    expect(await row.textContent()).toContain('Fields & limits (1)');
    await shot(page, 'admin-02-permission-matrix');
    await page.getByTestId('role-save').click();
    await page.getByText('Role "Sales rep" created').waitFor();
    await page.getByTestId('role-item-sales').waitFor();
    const roles = await api<{ items: Array<{ key: string; permissions: unknown }> }>(
      server.url,
      'GET',
      '/api/roles',
      undefined,
      adminToken,
    );
    expect(roles.items.find((r) => r.key === 'sales')?.permissions).toEqual({
      entities: {
        customer: { actions: ['create', 'read'], scope: { type: 'own' }, fields: { cost: 'hidden' } },
      },
    });
  });

  it('invites a member into the East department with the role and shows the invitation link', async () => {
    await page.getByTestId('nav-admin-people').click();
    await page.getByTestId('dept-node-East').click();
    await page.getByTestId('member-invite').click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('E-mail', { exact: true }).fill(MEMBER.email);
    await modal.getByLabel('Name', { exact: true }).fill(MEMBER.name);
    expect(await modal.textContent()).toContain('East');
    await pick(page, 'Roles', 'Sales rep');
    await modal.locator('.ant-modal-title').click(); // closes the dropdown
    await page.getByTestId('invite-submit').click();
    const link = page.getByTestId('invitation-link');
    await link.waitFor();
    invitationLink = ((await link.textContent()) ?? '').trim();
    expect(invitationLink).toMatch(/\/invite\?token=/);
    await shot(page, 'admin-03-invitation');
    await page.getByTestId('invite-close').click();
    const row = page.getByTestId(`member-${MEMBER.email}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Invited');
    expect(await row.textContent()).toContain('Sales rep');
  });

  it('the member accepts the invitation, signs in and sees only their own customers, without the cost', async () => {
    memberContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    memberPage = await memberContext.newPage();
    memberPage.on('response', (res) => {
      if (/\.m?js(\?|$)/.test(res.url())) memberScripts.push(res.url().split('/').pop() ?? '');
    });
    await memberPage.goto(invitationLink);
    await memberPage.getByTestId('accept-invitation').waitFor();
    // The server's password policy speaks through the form.
    await memberPage.getByLabel('密码', { exact: true }).fill('onlyletters');
    await memberPage.getByLabel('确认密码', { exact: true }).fill('onlyletters');
    await memberPage.getByRole('button', { name: '设置密码' }).click();
    await memberPage.locator('.ant-form-item-explain-error').first().waitFor();
    await memberPage.getByLabel('密码', { exact: true }).fill(MEMBER.password);
    await memberPage.getByLabel('确认密码', { exact: true }).fill(MEMBER.password);
    await memberPage.getByRole('button', { name: '设置密码' }).click();
    await memberPage.getByText(`密码已设置，请用 ${MEMBER.email} 登录。`).waitFor();

    // Their own customer (a hidden field cannot even be written).
    const memberToken = await loginToken(server.url, { email: MEMBER.email, password: MEMBER.password });
    await expect(
      api(server.url, 'POST', '/api/entities/customer/records', { name: 'x', cost: 1 }, memberToken),
    ).rejects.toThrow(/403/);
    memberRecordId = (
      await api<{ id: string }>(
        server.url,
        'POST',
        '/api/entities/customer/records',
        { name: '华东小客户', phone: '13800000000' },
        memberToken,
      )
    ).id;
    // The administrator records the purchase cost on it: the member must never see it.
    await api(
      server.url,
      'PATCH',
      `/api/entities/customer/records/${memberRecordId}`,
      { cost: 4321.5 },
      adminToken,
    );
    memberId = (
      await api<{ user: { id: string } }>(server.url, 'GET', '/api/auth/me', undefined, memberToken)
    ).user.id;

    await memberPage.getByRole('button', { name: '去登录' }).click();
    await loginUi(memberPage, server.url, MEMBER);
    expect(await memberPage.getByTestId('current-user').textContent()).toBe(MEMBER.name);
    // No administration for staff.
    expect(await memberPage.getByTestId('nav-admin-people').count()).toBe(0);
    await memberPage.goto(`${server.url}/e/customer`);
    await memberPage.getByTestId('records-page').waitFor();
    await memberPage.getByText('华东小客户').first().waitFor();
    expect(await memberPage.getByTestId('record-row').count()).toBe(1);
    expect(await memberPage.getByText('总部大客户').count()).toBe(0);
    // The hidden field is neither a column of the list nor a value that reaches the browser.
    const list = (await memberPage.getByTestId('records-page').textContent()) ?? '';
    expect(list).not.toMatch(/4,?321/);
    expect(list).not.toContain('采购成本');
    await shot(memberPage, 'admin-04-member-own-records');
    await memberPage.goto(`${server.url}/e/customer/r/${memberRecordId}`);
    await memberPage.getByTestId('record-page').waitFor();
    await memberPage.getByTestId('record-page').getByText('华东小客户').first().waitFor();
    const detail = (await memberPage.getByTestId('record-page').textContent()) ?? '';
    expect(detail).not.toContain('采购成本');
    expect(detail).not.toMatch(/4,?321/);
    // The admin screens are their own chunk: staff never downloaded it.
    expect(memberScripts.some((f) => /AdminPage/.test(f))).toBe(false);
  });

  it('the admin finds the member’s sign-in in the audit log, with IP and user agent', async () => {
    await page.getByTestId('nav-admin-audit').click();
    await page.getByTestId('audit-page').waitFor();
    await pick(page, 'Action', 'Sign-ins');
    await pick(page, 'Who', MEMBER.email, { search: 'wang' });
    const row = page.getByTestId('audit-row-auth.login').first();
    await row.waitFor();
    expect(await row.textContent()).toContain(MEMBER.name);
    expect(await row.textContent()).toContain('OK');
    await row.click();
    const detail = page.getByTestId('audit-detail');
    await detail.waitFor();
    expect(await detail.getByTestId('audit-ip').textContent()).toBe('127.0.0.1');
    expect(await detail.getByTestId('audit-ua').textContent()).toMatch(/Chrome/);
    await shot(page, 'admin-05-audit-login');
    await page.locator('.ant-drawer').getByRole('button', { name: 'Close' }).click();
  });

  it('hands the member over to a successor: the member’s session stops, the successor owns the records', async () => {
    await page.getByTestId('nav-admin-people').click();
    const row = page.getByTestId(`member-${MEMBER.email}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Active');
    await row.getByTestId('member-handover').click();
    await page.getByTestId('handover-step-successor').waitFor();
    await pick(page, 'Successor', SUCCESSOR.email);
    await page.getByTestId('handover-next').click();
    await page.getByTestId('handover-step-transfer').waitFor();
    expect(await page.getByTestId('handover-row-customer').getByTestId('handover-owned').textContent()).toBe(
      '1',
    );
    await shot(page, 'admin-06-handover-transfer');
    await page.getByTestId('handover-next').click();
    expect(await page.getByTestId('handover-plan-customer').textContent()).toBe('Customer: 1');
    await page.getByTestId('handover-confirm').click();
    const result = page.getByTestId('handover-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(`Records now with ${SUCCESSOR.name}: 1`);
    expect(Number(await page.getByTestId('handover-summary-sessions').textContent())).toBeGreaterThanOrEqual(
      2,
    );
    await shot(page, 'admin-07-handover-result');
    await page.getByTestId('handover-close').click();
    await expect.poll(async () => row.textContent()).toContain('Deactivated');

    // The member's browser session no longer works: back to the sign-in page.
    await memberPage.reload();
    await memberPage.locator('input[type="email"]').waitFor();
    const rec = await api<{ ownerId: string }>(
      server.url,
      'GET',
      `/api/entities/customer/records/${memberRecordId}`,
      undefined,
      adminToken,
    );
    expect(rec.ownerId).toBe(successorId);
    const untouched = await api<{ ownerId: string }>(
      server.url,
      'GET',
      `/api/entities/customer/records/${adminRecordId}`,
      undefined,
      adminToken,
    );
    expect(untouched.ownerId).not.toBe(successorId);
    // The hand-over is audited with the successor and the counts.
    const events = await api<{ items: Array<{ targetId: string; details: Record<string, unknown> }> }>(
      server.url,
      'GET',
      '/api/audit?action=member.deactivate',
      undefined,
      adminToken,
    );
    expect(events.items[0]).toMatchObject({
      targetId: memberId,
      details: { successorId, transferred: [{ entity: 'customer', count: 1 }] },
    });
    await memberContext.close();
  });

  it('signs the admin out through the API: the cookies are gone', async () => {
    await page.getByTestId('logout').click();
    await page.locator('input[type="email"]').waitFor();
    const names = (await admin.cookies()).map((c) => c.name);
    expect(names).not.toContain('fw_session');
    await page.goto(`${server.url}/admin/people`);
    await page.locator('input[type="email"]').waitFor();
    await admin.close();
  });
});
