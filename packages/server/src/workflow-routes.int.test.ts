import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalFlow, orderDef } from './jobs/workflow-support.js';
import { startTestApp, type TestApp } from './test-app.js';

describe('workflow API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    expect((await t.api('POST', '/api/entities', { body: orderDef })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates, validates and publishes a flow; refuses bad definitions naming the problem', async () => {
    const empty = await t.api('POST', '/api/flows', { body: { key: 'x' } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.fields.map((i: { field: string }) => i.field)).toEqual(
      expect.arrayContaining(['entity', 'nodes', 'edges']),
    );
    const notAdmin = await t.api('POST', '/api/flows', {
      body: approvalFlow('f0', [t.user.id]),
      token: t.userToken,
    });
    expect(notAdmin.status).toBe(403);
    const bad = approvalFlow('f1', [t.user.id], { fields: { nope: 'editable' } });
    expect((await t.api('POST', '/api/flows', { body: bad })).status).toBe(201);
    const check = await t.api('POST', '/api/flows/validate', { body: bad });
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect(JSON.stringify(check.body.issues)).toContain('nope');
    const refused = await t.api('POST', '/api/flows/f1/publish');
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/\S/);
    const zh = await t.api('POST', '/api/flows/f1/publish', { headers: { 'accept-language': 'zh-CN' } });
    expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const missing = await t.api('GET', '/api/flows/none');
    expect(missing.status).toBe(404);
  });

  it('starts a flow, lists tasks by view, acts on a task and shows the history and notifications', async () => {
    expect((await t.api('POST', '/api/flows', { body: approvalFlow('buy', [t.user.id]) })).status).toBe(201);
    const pub = await t.api('POST', '/api/flows/buy/publish');
    expect(pub.status).toBe(200);
    expect(pub.body.publishedVersion).toBe(1);
    const rec = await t.api('POST', '/api/entities/order/records', { body: { title: 'Desk', amount: 300 } });
    const started = await t.api('POST', '/api/flows/buy/instances', { body: { recordId: rec.body.id } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ flow: 'buy', version: 1, status: 'active', activeNodes: ['a'] });

    const badView = await t.api('GET', '/api/tasks?view=later', { token: t.userToken });
    expect(badView.status).toBe(400);
    expect(JSON.stringify(badView.body.error.details.fields)).toContain('view');
    const todo = await t.api('GET', '/api/tasks?view=todo', { token: t.userToken });
    expect(todo.status).toBe(200);
    expect(todo.body.items).toHaveLength(1);
    const task = todo.body.items[0];
    expect(task).toMatchObject({
      instanceId: started.body.id,
      nodeId: 'a',
      status: 'open',
      recordId: rec.body.id,
    });

    const badAction = await t.api('POST', `/api/tasks/${task.id}/actions`, {
      body: { type: 'explode' },
      token: t.userToken,
    });
    expect(badAction.status).toBe(422);
    expect(JSON.stringify(badAction.body.error.details.fields)).toContain('type');
    const notMine = await t.api('POST', `/api/tasks/${task.id}/actions`, { body: { type: 'approve' } });
    expect(notMine.status).toBe(403);
    const stranger = await t.api('POST', `/api/tasks/${task.id}/actions`, {
      body: { type: 'transfer', to: 'bob' },
      token: t.userToken,
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.error.details.fields[0]).toMatchObject({ field: 'to', code: 'unknownMember' });
    const unknownTask = await t.api('POST', '/api/tasks/nope/actions', {
      body: { type: 'approve' },
      token: t.userToken,
    });
    expect(unknownTask.status).toBe(404);
    const ok = await t.api('POST', `/api/tasks/${task.id}/actions`, {
      body: { type: 'approve', comment: 'fine', idempotencyKey: 'once' },
      token: t.userToken,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    const again = await t.api('POST', `/api/tasks/${task.id}/actions`, {
      body: { type: 'approve', idempotencyKey: 'once' },
      token: t.userToken,
    });
    expect(again.body.replayed).toBe(true);
    const closed = await t.api('POST', `/api/tasks/${task.id}/actions`, {
      body: { type: 'approve' },
      token: t.userToken,
    });
    expect(closed.status).toBe(409);

    const done = await t.api('GET', '/api/tasks?view=done', { token: t.userToken });
    expect(done.body.items.map((x: { id: string }) => x.id)).toEqual([task.id]);
    const mine = await t.api('GET', '/api/tasks?view=startedByMe');
    expect(mine.body.items.map((x: { instanceId: string }) => x.instanceId)).toContain(started.body.id);

    const history = await t.api('GET', `/api/instances/${started.body.id}/history`);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['start', 'approve', 'end']),
    );
    expect(history.body.items.find((h: { action: string }) => h.action === 'approve')).toMatchObject({
      actor: t.user.id,
      comment: 'fine',
    });

    const inbox = await t.api('GET', '/api/notifications?unread=true', { token: t.userToken });
    expect(inbox.body.unread).toBeGreaterThan(0);
    expect(inbox.body.items[0].title.en).toMatch(/\S/);
    expect(inbox.body.items[0].title['zh-CN']).toMatch(/\S/);
    const read = await t.api('POST', '/api/notifications/read', { body: {}, token: t.userToken });
    expect(read.body.updated).toBe(inbox.body.unread);
    expect((await t.api('GET', '/api/notifications', { token: t.userToken })).body.unread).toBe(0);
  });

  it('names a running instance’s version on its tasks and answers that version as it was published', async () => {
    const v1 = approvalFlow('renamed', [t.user.id], {
      label: { 'zh-CN': '主管审批', en: 'Manager approval' },
    });
    expect((await t.api('POST', '/api/flows', { body: v1 })).status).toBe(201);
    expect((await t.api('POST', '/api/flows/renamed/publish')).status).toBe(200);
    const rec = await t.api('POST', '/api/entities/order/records', { body: { title: 'Lamp', amount: 80 } });
    const started = await t.api('POST', '/api/flows/renamed/instances', { body: { recordId: rec.body.id } });
    expect(started.status).toBe(201);
    // Version 2 renames the node; the running instance stays on version 1.
    const v2 = {
      ...v1,
      nodes: v1.nodes.map((n) => (n.id === 'a' ? { ...n, data: { ...n.data, label: 'Finance' } } : n)),
    };
    expect((await t.api('PUT', '/api/flows/renamed', { body: v2 })).status).toBe(200);
    expect((await t.api('POST', '/api/flows/renamed/publish')).body.publishedVersion).toBe(2);

    const todo = await t.api('GET', '/api/tasks?view=todo', { token: t.userToken });
    expect(
      todo.body.items.find((i: { instanceId: string }) => i.instanceId === started.body.id),
    ).toMatchObject({
      flow: 'renamed',
      version: 1,
      nodeId: 'a',
    });
    const label = (r: {
      body: { definition: { nodes: Array<{ id: string; data: { label?: unknown } }> } };
    }) => r.body.definition.nodes.find((n) => n.id === 'a')?.data.label;
    const first = await t.api('GET', '/api/flows/renamed/versions/1', { token: t.userToken });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'flow', key: 'renamed', version: 1 });
    expect(label(first)).toEqual({ 'zh-CN': '主管审批', en: 'Manager approval' });
    expect(label(await t.api('GET', '/api/flows/renamed/versions/2', { token: t.userToken }))).toBe(
      'Finance',
    );

    expect((await t.api('GET', '/api/flows/renamed/versions/3')).status).toBe(404);
    expect((await t.api('GET', '/api/flows/nope/versions/1')).status).toBe(404);
    for (const bad of ['0', 'latest', '1.5']) {
      const r = await t.api('GET', `/api/flows/renamed/versions/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(JSON.stringify(r.body.error.details.fields), bad).toContain('version');
    }
  });

  it('refuses a stage move naming the rule and missing fields', async () => {
    const stageEntity = { ...orderDef, key: 'deal' };
    expect((await t.api('POST', '/api/entities', { body: stageEntity })).status).toBe(201);
    const bp = {
      key: 'deals',
      entity: 'deal',
      field: 'stage',
      stages: [{ key: 'new' }, { key: 'won', final: true }, { key: 'lost', final: true }],
      transitions: [
        { key: 'lose', from: 'new', to: 'lost', requiredFields: ['lostReason'] },
        { key: 'win', from: 'new', to: 'won', allowed: { roles: ['admin'] } },
      ],
    };
    expect((await t.api('POST', '/api/blueprints', { body: bp })).status).toBe(201);
    const pub = await t.api('POST', '/api/blueprints/deals/publish');
    expect(pub.status, pub.text).toBe(200);
    const rec = await t.api('POST', '/api/entities/deal/records', { body: { title: 'D', stage: 'new' } });
    const refused = await t.api('POST', '/api/blueprints/deals/move', {
      body: { recordId: rec.body.id, to: 'lost' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toMatchObject({ rule: 'lose', missingFields: ['lostReason'] });
    expect(refused.body.error.details.fields[0]).toMatchObject({ field: 'lostReason' });
    const notAllowed = await t.api('POST', '/api/blueprints/deals/move', {
      body: { recordId: rec.body.id, to: 'won' },
      token: t.userToken,
    });
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.body.error.details).toMatchObject({ refusal: 'notAllowed', rule: 'win' });
    const moved = await t.api('POST', '/api/blueprints/deals/move', {
      body: { recordId: rec.body.id, to: 'lost', fields: { lostReason: 'price' } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.record.stage).toBe('lost');
    // The stage cannot be changed around the blueprint by a plain PATCH; other fields can.
    const bypass = await t.api('PATCH', `/api/entities/deal/records/${rec.body.id}`, {
      body: { stage: 'won' },
    });
    expect(bypass.status).toBe(422);
    expect(bypass.body.error.details.fields[0]).toMatchObject({ field: 'stage', code: 'stageMove' });
    const other = await t.api('PATCH', `/api/entities/deal/records/${rec.body.id}`, {
      body: { title: 'D2' },
    });
    expect(other.status).toBe(200);
    expect(other.body.stage).toBe('lost');
  });

  it('answers malformed workflow input with a 4xx, never a 500', async () => {
    const weird: unknown[] = [
      null,
      [],
      'x',
      { key: 'a', entity: 'order', nodes: 'no', edges: [] },
      { key: 'b', entity: 'order', nodes: [{ id: 's', type: 'start' }], edges: [{}] },
      { key: 'c', entity: 'nope', nodes: [], edges: [] },
      { key: 'd', entity: 'order', trigger: { type: 'schedule', cron: 'every day' }, actions: [] },
      { key: 'e', entity: 'order', field: 'stage', stages: [], transitions: [{ from: 1 }] },
      { type: 'approve', fields: [] },
      { type: 'reject', to: 42 },
      { type: 'addSigner', members: [], position: 'middle' },
      { recordId: 'not-a-uuid', to: 3 },
    ];
    const paths = [
      '/api/flows',
      '/api/flows/validate',
      '/api/automations',
      '/api/automations/validate',
      '/api/blueprints',
      '/api/blueprints/validate',
      '/api/tasks/t1/actions',
      '/api/flows/buy/instances',
      '/api/blueprints/deals/move',
      '/api/automations/none/dry-run',
    ];
    for (const path of paths) {
      for (const body of weird) {
        const r = await t.api('POST', path, {
          raw: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        if (path.endsWith('/validate') && r.status === 200) {
          expect(r.body.ok, `${path} ${JSON.stringify(body)}`).toBe(false);
          continue;
        }
        expect(r.status, `${path} ${JSON.stringify(body)} → ${r.text}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${path} ${JSON.stringify(body)} → ${r.text}`).toBeLessThan(500);
      }
    }
  });

  it('describes every workflow route in the OpenAPI document', async () => {
    const doc = await t.api('GET', '/api/openapi.json');
    for (const p of [
      '/api/flows',
      '/api/flows/{key}/publish',
      '/api/tasks',
      '/api/tasks/{id}/actions',
      '/api/instances/{id}/history',
      '/api/blueprints/{key}/move',
      '/api/automations/{key}/dry-run',
      '/api/notifications',
      '/api/jobs',
    ]) {
      expect(Object.keys(doc.body.paths), p).toContain(p);
    }
  });
});
