import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Db, type Job, workspaceSchema } from '@formwork/store';
import { type ExternalHandler, PermanentJobError } from './runner.js';

/**
 * Webhooks from the outbox (`webhook.send` jobs). Each endpoint URL of a workspace gets a secret (shown
 * to administrators by `GET /api/webhooks`); every delivery is signed:
 *
 *   X-Formwork-Timestamp: <unix seconds>
 *   X-Formwork-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   X-Formwork-Delivery: <job id>          (the same on retries: receivers drop duplicates)
 *
 * A delivery fails on a network error, a timeout or a non-2xx answer and is retried with backoff. After
 * `maxConsecutiveFailures` failed deliveries in a row the endpoint is disabled with the reason; its jobs
 * then fail at once until an administrator re-enables it.
 */

export interface WebhookOptions {
  timeoutMs?: number;
  maxConsecutiveFailures?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Verifies a delivery's signature (for receivers, and the tests); `toleranceS` bounds replay. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowS: number,
  toleranceS = 300,
): boolean {
  const t = Number(headers.timestamp);
  if (!Number.isInteger(t) || Math.abs(nowS - t) > toleranceS || !headers.signature) return false;
  const want = Buffer.from(signWebhook(secret, t, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

interface EndpointRow {
  id: string;
  secret: string;
  consecutive_failures: number;
  disabled_at: Date | null;
  disabled_reason: string | null;
}

export function webhookHandler(db: Db, opts: WebhookOptions = {}): ExternalHandler {
  const doFetch = opts.fetch ?? fetch;
  const maxFailures = opts.maxConsecutiveFailures ?? 10;
  const now = opts.now ?? (() => new Date());
  return async (job: Job) => {
    const ws = String(job.workspace);
    const s = workspaceSchema(ws);
    const { url, method, headers, body } = job.payload as {
      url: string;
      method: string;
      headers: Record<string, string>;
      body: unknown;
    };
    await db.query(`INSERT INTO ${s}._webhooks (url, secret) VALUES ($1, $2) ON CONFLICT (url) DO NOTHING`, [
      url,
      randomBytes(24).toString('base64url'),
    ]);
    const [ep] = await db.query<EndpointRow>(
      `SELECT id::text, secret, consecutive_failures, disabled_at, disabled_reason FROM ${s}._webhooks WHERE url = $1`,
      [url],
    );
    if (!ep) throw new Error('webhook endpoint row missing');
    if (ep.disabled_at) throw new PermanentJobError(`webhook endpoint disabled: ${ep.disabled_reason ?? ''}`);
    const raw = JSON.stringify(body ?? null);
    const ts = Math.floor(now().getTime() / 1000);
    let status = 0;
    let error: string | null = null;
    try {
      const res = await doFetch(url, {
        method,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'user-agent': 'Formwork-Webhook/1',
          'x-formwork-timestamp': String(ts),
          'x-formwork-signature': signWebhook(ep.secret, ts, raw),
          'x-formwork-delivery': String(job.id),
        },
        body: raw,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel();
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error =
        e instanceof Error
          ? e.name === 'TimeoutError'
            ? 'timeout'
            : `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}`
          : String(e);
    }
    if (error === null) {
      await db.query(
        `UPDATE ${s}._webhooks SET consecutive_failures = 0, last_status = $2, last_error = NULL, last_success_at = $3 WHERE id = $1::uuid`,
        [ep.id, status, now().toISOString()],
      );
      return { status };
    }
    const [after] = await db.query<{ consecutive_failures: number }>(
      `UPDATE ${s}._webhooks SET consecutive_failures = consecutive_failures + 1, last_status = $2, last_error = $3,
              disabled_at = CASE WHEN consecutive_failures + 1 >= $4 THEN $5::timestamptz ELSE disabled_at END,
              disabled_reason = CASE WHEN consecutive_failures + 1 >= $4 THEN $6 ELSE disabled_reason END
        WHERE id = $1::uuid RETURNING consecutive_failures`,
      [
        ep.id,
        status || null,
        error,
        maxFailures,
        now().toISOString(),
        `${maxFailures} consecutive failed deliveries; last: ${error}`,
      ],
    );
    if ((after?.consecutive_failures ?? 0) >= maxFailures)
      throw new PermanentJobError(
        `webhook endpoint disabled after ${maxFailures} consecutive failures; last: ${error}`,
      );
    throw new Error(`webhook delivery failed: ${error}`);
  };
}
