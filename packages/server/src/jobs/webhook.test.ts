import { backoffMs } from '@formwork/store';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook.js';

describe('webhook signatures', () => {
  const secret = 's3cret';
  const body = '{"event":"automation.created"}';

  it('signs "<timestamp>.<body>" with HMAC-SHA256', () => {
    // echo -n '1700000000.{"event":"automation.created"}' | openssl dgst -sha256 -hmac s3cret
    expect(signWebhook(secret, 1700000000, body)).toBe(
      'v1=3e78352c30bb61caccddfb941e0f53cdfcf1f38cd0bc04f0543259d541717da4',
    );
    expect(signWebhook(secret, 1700000000, body)).not.toBe(signWebhook(secret, 1700000001, body));
  });

  it('verifies a good signature and refuses a wrong secret, a changed body or an old timestamp', () => {
    const ts = 1700000000;
    const headers = { timestamp: String(ts), signature: signWebhook(secret, ts, body) };
    expect(verifyWebhook(secret, headers, body, ts + 10)).toBe(true);
    expect(verifyWebhook('other', headers, body, ts + 10)).toBe(false);
    expect(verifyWebhook(secret, headers, `${body} `, ts + 10)).toBe(false);
    expect(verifyWebhook(secret, headers, body, ts + 301)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: 'x', signature: headers.signature }, body, ts)).toBe(false);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: undefined }, body, ts)).toBe(false);
  });
});

describe('retry backoff', () => {
  it('doubles from the base with at most ±20 % jitter, capped at one hour', () => {
    expect(backoffMs(1, 2000, () => 0.5)).toBe(2000);
    expect(backoffMs(3, 2000, () => 0.5)).toBe(8000);
    expect(backoffMs(1, 2000, () => 0)).toBe(1600);
    expect(backoffMs(1, 2000, () => 1)).toBe(2400);
    expect(backoffMs(40, 2000, () => 0.5)).toBe(3_600_000);
  });
});
