import { DomainError, type ErrorCode, isDomainError, type Locale } from '@formwork/metadata';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { localeFromHeader } from './locale.js';
import type { Logger } from './logger.js';
import type { AppEnv } from './types.js';

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/** A PostgreSQL error as both drivers report it (`code` = SQLSTATE). */
function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Turns anything thrown into a DomainError. Known errors keep their code; a database "data exception"
 * (SQLSTATE class 22, e.g. a value that does not cast) is the caller's bad input, not a crash, so it is
 * answered 400 — the store should have caught it first, so it is logged as a warning. Everything else is
 * INTERNAL.
 */
export function toDomainError(err: unknown): { error: DomainError; unexpected: boolean } {
  if (isDomainError(err)) return { error: err, unexpected: false };
  if (err instanceof HTTPException) {
    const code = CODE_OF_STATUS[err.status] ?? (err.status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
    return { error: new DomainError(code), unexpected: err.status >= 500 };
  }
  const state = sqlState(err);
  if (state?.startsWith('22'))
    return { error: new DomainError('BAD_REQUEST', { sqlState: state }), unexpected: true };
  if (state === '23505') return { error: new DomainError('UNIQUE_VIOLATION'), unexpected: true };
  return { error: new DomainError('INTERNAL'), unexpected: true };
}

export function localeOf(c: Context<AppEnv>): Locale {
  return c.get('locale') ?? localeFromHeader(c.req.header('accept-language'));
}

/** The single place where errors become responses (`app.onError` and `app.notFound` call it). */
export function errorResponse(c: Context<AppEnv>, err: unknown, logger: Logger): Response {
  const { error, unexpected } = toDomainError(err);
  const locale = localeOf(c);
  if (unexpected) {
    const e = err instanceof Error ? err : new Error(String(err));
    const entry = {
      msg: error.code === 'INTERNAL' ? 'unexpected error' : 'database rejected input',
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      error: e.message,
      sqlState: sqlState(err),
      stack: e.stack,
    };
    if (error.code === 'INTERNAL') logger.error(entry);
    else logger.warn(entry);
  }
  const headers: Record<string, string> = {};
  const retryAfter = error.details.retryAfterSeconds;
  if (error.code === 'TOO_MANY_REQUESTS' && typeof retryAfter === 'number')
    headers['Retry-After'] = String(retryAfter);
  if (error.code === 'UNAUTHENTICATED') headers['WWW-Authenticate'] = 'Bearer';
  return c.json(error.toBody(locale), error.status as 400, headers);
}
