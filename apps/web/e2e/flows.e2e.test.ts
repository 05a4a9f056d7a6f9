/**
 * The workflow screens end to end, in real Chromium against the real `formwork` process:
 * an administrator draws an approval flow in the designer (start → approval by a role → a condition on the
 * amount → end approved / end rejected), sees the check flag a dangling node, fixes it and publishes; a
 * salesperson submits an order for approval; the manager finds it in 待办 with the badge and rejects it back
 * to the submitter; the salesperson changes the amount and resubmits; the manager approves with a comment;
 * the salesperson sees the result and the 流转记录. Screenshots go to e2e/screenshots/ (not committed).
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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

const STAFF = { email: 'sales@e2e.test', password: 'sales-password-1', name: '张三' };
const MANAGER = { email: 'manager@e2e.test', password: 'manager-password-1', name: '李经理' };

let server: RunningFormwork;
let browser: Browser;
let staffToken: string;
let recordId: string;

beforeAll(async () => {
  buildAll();
  server = await startFormwork();
  const adminToken = await loginToken(server.url, ADMIN);
  await api(
    server.url,
    'POST',
    '/api/entities',
    {
      key: 'order',
      label: { 'zh-CN': '订单', en: 'Order' },
      titleField: 'title',
      fields: [
        { key: 'title', type: 'text', label: { 'zh-CN': '标题', en: 'Title' }, required: true },
        { key: 'amount', type: 'amount', label: { 'zh-CN': '金额', en: 'Amount' } },
        { key: 'note', type: 'longText', label: { 'zh-CN': '备注', en: 'Note' } },
        {
          key: 'stage',
          type: 'select',
          label: { 'zh-CN': '阶段', en: 'Stage' },
          options: [
            { value: 'contact', label: { 'zh-CN': '初步接洽', en: 'Contact' } },
            { value: 'negotiate', label: { 'zh-CN': '商务谈判', en: 'Negotiation' } },
            { value: 'won', label: { 'zh-CN': '赢单', en: 'Won' } },
            { value: 'lost', label: { 'zh-CN': '输单', en: 'Lost' } },
          ],
        },
      ],
    },
    adminToken,
  );
  for (const u of [STAFF, MANAGER]) await api(server.url, 'POST', '/api/users', u, adminToken);
  const sales = await api<{ id: string }>(
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
  const manager = await api<{ id: string }>(
    server.url,
    'POST',
    '/api/roles',
    {
      key: 'manager',
      name: { 'zh-CN': '销售经理', en: 'Sales manager' },
      permissions: { entities: { '*': { preset: 'viewAll' } } },
    },
    adminToken,
  );
  await api(server.url, 'POST', '/api/members', { email: STAFF.email, roleIds: [sales.id] }, adminToken);
  await api(server.url, 'POST', '/api/members', { email: MANAGER.email, roleIds: [manager.id] }, adminToken);
  staffToken = await loginToken(server.url, { email: STAFF.email, password: STAFF.password });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Drags from one React Flow handle to another with the mouse, as a person draws an edge. */
async function drawEdge(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

describe('workflow screens end to end', () => {
  let admin: BrowserContext;
  let staff: BrowserContext;
  let boss: BrowserContext;
  const pages: Page[] = [];

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      for (const [i, p] of pages.entries())
        if (!p.isClosed()) await shot(p, `flows-failed-${i}-${ctx.task.name.slice(0, 30)}`);
    }
  });

  it('an admin draws the approval flow, sees the dangling node flagged, fixes it and publishes', async () => {
    admin = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'en-US' });
    const page = await admin.newPage();
    pages.push(page);
    await loginUi(page, server.url, ADMIN);
    await page.getByTestId('nav-flows').click();
    await page.getByTestId('workflow-admin').waitFor();
    await page.getByTestId('definition-new').click();
    const dialog = page.getByTestId('definition-form');
    await pick(page, 'Form', 'Order', { scope: dialog });
    await dialog.getByLabel('Key', { exact: true }).fill('order.approval');
    await dialog.getByLabel('Name (Chinese)', { exact: true }).fill('订单审批');
    await dialog.getByLabel('Name (English)', { exact: true }).fill('Order approval');
    await page.getByTestId('definition-create').click();
    await page.getByTestId('flow-designer-page').waitFor();
    await node(page, 'approval1').waitFor();
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toContain('No problems');

    // The approval: by the sales manager role, named.
    await page.getByTestId('flow-node-approval1').click();
    const panel = page.getByTestId('node-panel');
    await panel.getByLabel('Name (Chinese)', { exact: true }).fill('经理审批');
    await panel.getByLabel('Name (English)', { exact: true }).fill('Manager approval');
    await pick(page, 'Rule type', 'Role', { scope: panel });
    await pick(page, 'Roles', 'Sales manager', { scope: panel });
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.getByTestId('flow-node-approval1').textContent())
      .toContain('Role: Sales manager');
    // It no longer goes straight to the end.
    await panel.getByTestId('next-steps').getByRole('button', { name: 'Delete edge' }).click();

    // A condition node dragged from the palette onto the canvas, an end (rejected) added with a click.
    const pane = page.locator('.react-flow__pane');
    const box = await pane.boundingBox();
    if (!box) throw new Error('no canvas');
    await page
      .getByRole('button', { name: 'Add Condition', exact: true })
      .dragTo(pane, { targetPosition: { x: box.width / 2 - 120, y: box.height / 2 + 60 } });
    await node(page, 'condition1').waitFor();
    await page.getByRole('button', { name: 'Add End (rejected)', exact: true }).click();
    await node(page, 'rejected1').waitFor();

    // The check flags what is not connected, on the nodes themselves.
    await expect
      .poll(() => page.getByTestId('flow-node-rejected1').getAttribute('data-errors'))
      .not.toBe('0');
    await expect
      .poll(() => page.getByTestId('flow-node-condition1').getAttribute('data-errors'))
      .not.toBe('0');
    expect(await page.getByTestId('problem-count').getAttribute('data-errors')).not.toBe('0');
    await page.getByTestId('flow-node-rejected1').click();
    expect(await page.getByTestId('node-panel').getByTestId('issue-list').textContent()).toContain(
      'cannot be reached from the start',
    );
    await shot(page, 'flows-1-designer-dangling');

    // Approval → condition, drawn with the mouse from the "approved" handle.
    await drawEdge(
      page,
      node(page, 'approval1').locator('.react-flow__handle[data-handleid="approved"]'),
      node(page, 'condition1').locator('.react-flow__handle.target'),
    );
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await page.getByTestId('auto-layout').click();
    await page.waitForTimeout(600); // the view glides to the new layout

    // Condition → approved (the first branch is the default), → rejected through the panel.
    await page.getByTestId('flow-node-condition1').click();
    const cond = page.getByTestId('node-panel');
    await pick(page, 'Connect to', 'End (approved)', { scope: cond });
    await cond.getByTestId('connect-button').click();
    await pick(page, 'Connect to', 'End (rejected)', { scope: cond });
    await cond.getByTestId('connect-button').click();
    // The new branch has no condition yet: the check says so.
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toContain('1 errors');
    await cond
      .getByTestId('branches')
      .getByRole('button', { name: /No condition yet/ })
      .click();

    // Its condition: amount greater than 50,000.
    const edge = page.getByTestId('edge-panel');
    await edge.getByLabel('Branch name (Chinese)', { exact: true }).fill('超过 5 万');
    await edge.getByLabel('Branch name (English)', { exact: true }).fill('Over 50,000');
    await edge.getByRole('button', { name: /Add condition/ }).click();
    await pick(page, 'Field', 'Amount', { scope: edge });
    await pick(page, 'Operator', 'greater than', { scope: edge });
    await edge.getByLabel('Value', { exact: true }).fill('50000');
    await page.getByTestId('flow-title').click();
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toContain('No problems');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
    await page.getByTestId('auto-layout').click();
    await shot(page, 'flows-2-designer-complete');

    // Undo and redo work on the canvas too.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.getByRole('button', { name: 'Redo', exact: true }).click();

    await page.getByTestId('flow-save').click();
    await page.getByText('Draft saved').waitFor();
    await page.getByTestId('flow-validate').click();
    await page.getByText('Valid — ready to publish').waitFor();
    await page.getByTestId('flow-publish').click();
    await page.locator('.ant-popconfirm .ant-btn-primary', { hasText: 'Publish' }).click();
    await page.getByText('Published as v1').waitFor();
    expect(await page.getByTestId('published-version').textContent()).toBe('v1');

    // What the server stored is the drawn flow.
    const adminToken = await loginToken(server.url, ADMIN);
    const stored = await api<{
      published: {
        nodes: Array<{ id: string; type: string; data: Record<string, unknown> }>;
        edges: Array<{ source: string; target: string; data?: Record<string, unknown> }>;
      };
    }>(server.url, 'GET', '/api/flows/order.approval', undefined, adminToken);
    const types = stored.published.nodes.map((n) => n.type).sort();
    expect(types).toEqual(['approval', 'condition', 'end', 'end', 'start']);
    expect(stored.published.nodes.find((n) => n.id === 'approval1')?.data.assignees).toEqual([
      { type: 'role', roles: ['manager'] },
    ]);
    const branch = stored.published.edges.find((e) => e.source === 'condition1' && e.target === 'rejected1');
    expect(branch?.data?.condition).toEqual({ filter: { field: 'amount', op: 'gt', value: 50000 } });
    expect(branch?.data?.label).toEqual({ 'zh-CN': '超过 5 万', en: 'Over 50,000' });
  });

  it('a salesperson submits an order for approval; the manager finds it in 待办 and rejects it back', async () => {
    recordId = (
      await api<{ id: string }>(
        server.url,
        'POST',
        '/api/entities/order/records',
        { title: '办公电脑采购', amount: 80000 },
        staffToken,
      )
    ).id;
    staff = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await staff.newPage();
    pages.push(page);
    await loginUi(page, server.url, STAFF);
    await page.goto(`${server.url}/e/order/r/${recordId}`);
    await page.getByTestId('submit-for-approval').click();
    await page.getByTestId('task-page').waitFor();
    expect(await page.getByTestId('instance-status').textContent()).toBe('审批中');
    // Nobody has acted yet: the submitter may withdraw or urge.
    await page.getByTestId('action-withdraw').waitFor();
    await page.getByTestId('action-urge').waitFor();
    await shot(page, 'flows-3-submitted');

    boss = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const mp = await boss.newPage();
    pages.push(mp);
    await loginUi(mp, server.url, MANAGER);
    await expect.poll(() => mp.getByTestId('nav-tasks-badge').textContent(), { timeout: 15_000 }).toBe('1');
    await mp.getByTestId('nav-tasks').click();
    await mp.getByTestId('tasks-page').waitFor();
    await expect.poll(() => mp.getByTestId('tasks-tab-count').textContent()).toBe('1');
    const item = mp.getByTestId('task-item').first();
    await expect.poll(() => item.textContent()).toContain('办公电脑采购');
    expect(await item.textContent()).toContain('经理审批');
    await shot(mp, 'flows-4-manager-inbox');

    await item.getByTestId('open-task').click();
    await mp.getByTestId('task-page').waitFor();
    expect(await mp.getByTestId('my-task').textContent()).toContain('你的待办：经理审批');
    // The record's fields are read-only at this node.
    await mp.getByTestId('task-form').waitFor();
    await mp.getByTestId('action-reject').click();
    const dlg = mp.getByTestId('action-dialog');
    // A rejection needs a comment.
    await mp.getByTestId('action-confirm').click();
    expect(await dlg.getByTestId('action-error').textContent()).toContain('请填写意见');
    await dlg.getByText('退回发起人').click();
    await dlg.getByTestId('action-comment-text').fill('金额太高，请核实后再提交');
    await mp.getByTestId('action-confirm').click();
    await mp.getByText('已驳回').first().waitFor();
    await expect
      .poll(() => mp.getByTestId('flow-history').textContent())
      .toContain('金额太高，请核实后再提交');
    await expect.poll(() => mp.locator('[data-testid="nav-tasks-badge"]').count()).toBe(0);
  });

  it('the salesperson changes the amount and resubmits; the manager approves with a comment', async () => {
    const page = pages[1] as Page;
    await page.goto(`${server.url}/tasks`);
    await expect.poll(() => page.getByTestId('nav-tasks-badge').textContent(), { timeout: 15_000 }).toBe('1');
    await page.getByTestId('task-item').first().getByTestId('open-task').click();
    await page.getByTestId('task-page').waitFor();
    expect(await page.getByTestId('my-task').textContent()).toContain('流程已退回给你');
    const amount = page.getByTestId('task-form').locator('[data-field="amount"] input').first();
    await amount.click();
    await amount.press('ControlOrMeta+A');
    await amount.pressSequentially('30000');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('action-comment-text').fill('已核实，改为 3 万');
    await page.getByTestId('action-confirm').click();
    await page.getByText('已提交').first().waitFor();
    await shot(page, 'flows-5-resubmitted');

    const mp = pages[2] as Page;
    await mp.goto(`${server.url}/tasks`);
    const item = mp.getByTestId('task-item').first();
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toContain('办公电脑采购');
    await item.getByTestId('open-task').click();
    await mp.getByTestId('task-page').waitFor();
    await mp.getByTestId('action-approve').click();
    await mp.getByTestId('action-comment-text').fill('同意，按 3 万执行');
    await mp.getByTestId('action-confirm').click();
    await expect.poll(() => mp.getByTestId('instance-status').textContent()).toBe('已通过');
  });

  it('the salesperson sees the result, the 流转记录 and a notification', async () => {
    const page = pages[1] as Page;
    await page.goto(`${server.url}/tasks?view=startedByMe`);
    const item = page.getByTestId('task-item').first();
    await expect.poll(() => item.textContent()).toContain('已通过');
    await item.getByTestId('open-task').click();
    await page.getByTestId('task-page').waitFor();
    expect(await page.getByTestId('instance-status').textContent()).toBe('已通过');
    const actions = await page.getByTestId('flow-history-action').allTextContents();
    expect(actions).toEqual(['发起', '驳回', '重新提交', '同意', '流程通过']);
    const history = (await page.getByTestId('flow-history').textContent()) ?? '';
    expect(history).toContain('金额太高，请核实后再提交');
    expect(history).toContain('同意，按 3 万执行');
    expect(history).toContain('李经理');
    // The resubmission carried the changed amount.
    expect(await page.getByTestId('flow-history-changes').first().textContent()).toContain('金额');
    // Nothing is left to do on an ended flow.
    expect(await page.getByTestId('task-actions').count()).toBe(0);
    await shot(page, 'flows-6-result-history');

    // The record page shows the instance and its result.
    await page.goto(`${server.url}/e/order/r/${recordId}`);
    await expect.poll(() => page.getByTestId('record-instance-status').first().textContent()).toBe('已通过');

    // The bell has the news.
    await expect
      .poll(async () => Number(await page.getByTestId('notification-bell').getAttribute('data-unread')))
      .toBeGreaterThan(0);
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-list').waitFor();
    await page.getByTestId('notifications-read-all').click();
    await expect.poll(() => page.getByTestId('notification-bell').getAttribute('data-unread')).toBe('0');

    // On a phone: the inbox is a list of cards and nothing is wider than the screen.
    const phoneCtx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
    });
    const phone = await phoneCtx.newPage();
    pages.push(phone);
    await loginUi(phone, server.url, STAFF);
    await phone.goto(`${server.url}/tasks?view=startedByMe`);
    const card = phone.getByTestId('task-item').first();
    await expect.poll(() => card.textContent()).toContain('已通过');
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await card.click();
    await phone.getByTestId('task-page').waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(phone, 'flows-6b-phone-history');
    await phoneCtx.close();
  });

  it('a blueprint move is refused with its rule and the missing field, then done; an automation is dry-run', async () => {
    const adminToken = await loginToken(server.url, ADMIN);
    const deal = await api<{ id: string }>(
      server.url,
      'POST',
      '/api/entities/order/records',
      { title: '年度维保合同', amount: 12000, stage: 'contact' },
      staffToken,
    );
    await api(
      server.url,
      'POST',
      '/api/blueprints',
      {
        key: 'order.stages',
        name: { 'zh-CN': '订单阶段', en: 'Order stages' },
        entity: 'order',
        field: 'stage',
        stages: [
          { key: 'contact', probability: 10, sla: { after: { days: 7 } } },
          { key: 'negotiate', probability: 60 },
          { key: 'won', probability: 100, final: true },
          { key: 'lost', final: true },
        ],
        transitions: [
          { key: 'qualify', from: 'contact', to: 'negotiate', requiredFields: ['note'] },
          { key: 'win', from: 'negotiate', to: 'won' },
          { key: 'lose', from: '*', to: 'lost' },
        ],
      },
      adminToken,
    );
    await api(server.url, 'POST', '/api/blueprints/order.stages/publish', undefined, adminToken);

    // The salesperson moves the order on: refused until the note is filled, then moved.
    const page = pages[1] as Page;
    await page.goto(`${server.url}/e/order/r/${deal.id}`);
    const bar = page.getByTestId('stage-bar-order.stages');
    await bar.waitFor();
    expect(await bar.getByTestId('stage-contact').getAttribute('data-current')).toBe('true');
    await bar.getByTestId('stage-negotiate').click();
    const refusal = page.getByTestId('stage-refusal');
    await refusal.waitFor();
    expect(await refusal.getByTestId('stage-refusal-rule').textContent()).toContain('qualify');
    expect(await refusal.getByTestId('stage-refusal-missing').textContent()).toContain('备注');
    const fill = page.getByTestId('stage-fill');
    await fill.locator('[data-field="note"] textarea').fill('客户确认了需求，进入报价');
    await shot(page, 'flows-7-stage-refused');
    await fill.getByRole('button', { name: '填写并推进' }).click();
    await page.getByText('已推进到 商务谈判').waitFor();
    await expect.poll(() => bar.getByTestId('stage-negotiate').getAttribute('data-current')).toBe('true');
    const stored = await api<{ stage: string; note: string }>(
      server.url,
      'GET',
      `/api/entities/order/records/${deal.id}`,
      undefined,
      staffToken,
    );
    expect([stored.stage, stored.note]).toEqual(['negotiate', '客户确认了需求，进入报价']);

    // The administrator dry-runs an automation's draft against that record: nothing is written.
    await api(
      server.url,
      'POST',
      '/api/automations',
      {
        key: 'order.big',
        name: { 'zh-CN': '大额订单提醒', en: 'Big order alert' },
        entity: 'order',
        trigger: { type: 'created' },
        condition: { field: 'amount', op: 'gte', value: 10000 },
        actions: [
          {
            type: 'notify',
            to: [{ type: 'role', roles: ['manager'] }],
            channels: ['inApp'],
            title: { 'zh-CN': '大额订单：{{title}}', en: 'Big order: {{title}}' },
          },
        ],
      },
      adminToken,
    );
    const ap = pages[0] as Page;
    await ap.goto(`${server.url}/admin/flows?tab=automations`);
    await ap.getByTestId('definition-name').filter({ hasText: 'Big order alert' }).click();
    await ap.getByTestId('automation-page').waitFor();
    const dry = ap.getByTestId('dry-run');
    await dry.getByLabel('Choose a record', { exact: true }).click();
    await ap.keyboard.type('年度维保');
    await ap
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '年度维保合同' })
      .click();
    await dry.getByTestId('dry-run-go').click();
    const result = dry.getByTestId('dry-run-result');
    await result.waitFor();
    expect(await result.getAttribute('data-matched')).toBe('true');
    // In words: the manager (the role's member) would be notified, titled from the record.
    expect(await result.getByTestId('run-effects').textContent()).toContain(
      'Notify 李经理 in the app: Big order: 年度维保合同',
    );
    await shot(ap, 'flows-8-automation-dry-run');

    // A second action, made in the form rather than in JSON: the owner goes round robin to 李经理.
    const editor = ap.getByTestId('actions-editor');
    await editor.getByTestId('add-action').click();
    const added = editor.getByTestId('action-row').last();
    await pick(ap, 'Actions', 'Assign the owner', { scope: added });
    await pick(ap, 'Members', '李经理', { scope: added });
    await ap.getByTestId('automation-save').click();
    await expect
      .poll(
        async () =>
          (
            await api<{ draft: { actions: Array<{ type: string; strategy?: string; members?: string[] }> } }>(
              server.url,
              'GET',
              '/api/automations/order.big',
              undefined,
              adminToken,
            )
          ).draft.actions[1],
      )
      .toMatchObject({ type: 'assignOwner', strategy: 'roundRobin', members: [expect.any(String)] });
    await dry.getByTestId('dry-run-go').click();
    await expect.poll(() => result.getByTestId('run-effects').textContent()).toContain('Owner = 李经理');
    await shot(ap, 'flows-9-automation-assign-owner');
    const runs = await api<{ items: unknown[] }>(
      server.url,
      'GET',
      '/api/automations/order.big/runs',
      undefined,
      adminToken,
    );
    expect(runs.items.filter((r) => !(r as { dryRun?: boolean }).dryRun)).toEqual([]);
  });
});
