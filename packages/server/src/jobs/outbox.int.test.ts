import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workspaceSchema } from '@formwork/store';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from './webhook.js';
import { jobCounts, useWorkflow } from './workflow-support.js';

interface Received {
  from: string;
  to: string[];
  data: string;
}

describe('outbox: e-mail and webhooks', () => {
  const env = useWorkflow();
  const mails: Received[] = [];
  let smtp: SMTPServer;
  let smtpPort = 0;
  const hits: Array<{ headers: IncomingHttpHeaders; body: string; path: string }> = [];
  let http: ReturnType<typeof createServer>;
  let base = '';

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => {
          data += c.toString('utf8');
        });
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        hits.push({ headers: req.headers, body, path: req.url ?? '' });
        res.statusCode = req.url === '/broken' ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise<void>((r) => http.close(() => r()));
  });

  async function automation(ws: string, key: string, actions: unknown[]) {
    await env.rt.definitions.create(ws, env.admin, 'automation', {
      key,
      entity: 'order',
      trigger: { type: 'created' },
      actions,
    });
    await env.rt.definitions.publish(ws, env.admin, 'automation', key);
  }

  it('sends an e-mail through SMTP to a member and a plain address', async () => {
    const ws = await env.ws();
    const member = randomUUID();
    await env.db.query(`INSERT INTO formwork.users (id, email, name) VALUES ($1, $2, 'Member')`, [
      member,
      `m-${member.slice(0, 8)}@example.com`,
    ]);
    await automation(ws, 'mail', [
      {
        type: 'notify',
        to: [{ type: 'member', members: [member] }],
        channels: ['email'],
        emails: ['boss@example.com'],
        title: { 'zh-CN': '新订单 {{title}}', en: 'New order {{title}}' },
        body: { 'zh-CN': '金额 {{amount}}', en: 'Amount {{amount}}' },
      },
    ]);
    await env.store.records.create(ws, env.admin, 'order', { title: 'Lamp', amount: 42 });
    const runner = env.runner({
      mail: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'Formwork <noreply@formwork.test>' },
    });
    await runner.drain();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.from).toBe('noreply@formwork.test');
    expect(mails[0]?.to.sort()).toEqual(['boss@example.com', `m-${member.slice(0, 8)}@example.com`].sort());
    expect(mails[0]?.data).toContain('Subject: =?UTF-8?Q?=E6=96=B0=E8=AE=A2=E5=8D=95_Lamp?=');
    expect(mails[0]?.data).toContain('Amount 42');
    // A stable Message-ID: a retried delivery is recognisably the same message.
    expect(mails[0]?.data).toMatch(/Message-ID: <formwork-job-\d+@formwork\.test>/);
    expect(await jobCounts(env.db, ws)).toEqual({ done: 2 }); // the automation run and the mail
  });

  it('fails mail jobs at once with the reason when SMTP is not configured', async () => {
    const ws = await env.ws();
    await automation(ws, 'mail', [
      { type: 'notify', channels: ['email'], emails: ['a@example.com'], title: 'Hi' },
    ]);
    await env.store.records.create(ws, env.admin, 'order', { title: 'X' });
    await env.runner({ mail: null }).drain();
    const failed = await env.rt.jobs.list(ws, { status: 'failed' });
    expect(failed.map((j) => j.kind)).toEqual(['mail.send']);
    expect(failed[0]?.lastError).toMatch(/FORMWORK_SMTP_URL/);
  });

  it('signs webhooks with HMAC-SHA256 and the receiver verifies the signature', async () => {
    const ws = await env.ws();
    await automation(ws, 'hook', [{ type: 'webhook', url: `${base}/ok` }]);
    const rec = await env.store.records.create(ws, env.admin, 'order', { title: 'Signed' });
    await env.runner().drain();
    const hit = hits.find((h) => h.path === '/ok' && h.body.includes(String(rec.id)));
    expect(hit).toBeDefined();
    const [ep] = await env.db.query<{ secret: string }>(
      `SELECT secret FROM ${workspaceSchema(ws)}._webhooks WHERE url = $1`,
      [`${base}/ok`],
    );
    const headers = {
      timestamp: hit?.headers['x-formwork-timestamp'] as string,
      signature: hit?.headers['x-formwork-signature'] as string,
    };
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(ep?.secret as string, headers, hit?.body as string, now)).toBe(true);
    expect(verifyWebhook('wrong-secret', headers, hit?.body as string, now)).toBe(false);
    expect(verifyWebhook(ep?.secret as string, headers, `${hit?.body} `, now)).toBe(false);
    expect(JSON.parse(hit?.body as string)).toMatchObject({
      event: 'automation.created',
      automation: 'hook',
      recordId: rec.id,
    });
  });

  it('retries a failing webhook, then disables the endpoint with the reason', async () => {
    const ws = await env.ws();
    await automation(ws, 'broken', [{ type: 'webhook', url: `${base}/broken` }]);
    await env.store.records.create(ws, env.admin, 'order', { title: 'A' });
    await env.store.records.create(ws, env.admin, 'order', { title: 'B' });
    const runner = env.runner({ webhook: { maxConsecutiveFailures: 3 } });
    for (let i = 0; i < 6; i++) {
      await runner.drain();
      env.clock.advance(60_000);
    }
    const [ep] = await env.db.query<{ disabled_reason: string | null; consecutive_failures: number }>(
      `SELECT disabled_reason, consecutive_failures FROM ${workspaceSchema(ws)}._webhooks WHERE url = $1`,
      [`${base}/broken`],
    );
    expect(ep?.consecutive_failures).toBe(3);
    expect(ep?.disabled_reason).toMatch(/3 consecutive failed deliveries; last: HTTP 500/);
    const failed = await env.rt.jobs.list(ws, { status: 'failed', kind: 'webhook.send' });
    expect(failed).toHaveLength(2);
    expect(failed.every((j) => /disabled/.test(j.lastError ?? ''))).toBe(true);
    expect(hits.filter((h) => h.path === '/broken')).toHaveLength(3);
  });
});
