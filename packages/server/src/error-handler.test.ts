import { DomainError } from '@formwork/metadata';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { toDomainError } from './error-handler.js';

describe('toDomainError', () => {
  it('keeps domain errors as they are', () => {
    const e = new DomainError('VERSION_CONFLICT', { currentVersion: 3 });
    expect(toDomainError(e)).toEqual({ error: e, unexpected: false });
  });

  it('maps a database data exception (SQLSTATE 22xxx) to 400, flagged for the log', () => {
    const r = toDomainError(
      Object.assign(new Error('invalid input syntax for type numeric'), { code: '22P02' }),
    );
    expect(r.error.code).toBe('BAD_REQUEST');
    expect(r.error.status).toBe(400);
    expect(r.unexpected).toBe(true);
  });

  it('maps a unique violation that escaped the store to 409', () => {
    expect(toDomainError(Object.assign(new Error('dup'), { code: '23505' })).error.code).toBe(
      'UNIQUE_VIOLATION',
    );
  });

  it('maps HTTP exceptions by status', () => {
    expect(toDomainError(new HTTPException(413)).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(toDomainError(new HTTPException(401)).error.code).toBe('UNAUTHENTICATED');
  });

  it('turns anything else into INTERNAL without its message', () => {
    for (const thrown of [
      new Error('secret'),
      'string',
      null,
      { code: 'XX000' },
      Object.assign(new Error(), { code: 42 }),
    ]) {
      const r = toDomainError(thrown);
      expect(r.error.code).toBe('INTERNAL');
      expect(r.unexpected).toBe(true);
      expect(JSON.stringify(r.error.toBody('en'))).not.toContain('secret');
    }
  });
});
