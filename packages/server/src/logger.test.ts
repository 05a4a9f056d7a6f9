import { describe, expect, it } from 'vitest';
import { createJsonLogger, silentLogger } from './logger.js';

describe('loggers', () => {
  it('the default writes one JSON object per line with level and time', () => {
    const lines: string[] = [];
    const log = createJsonLogger(
      (l) => lines.push(l),
      () => new Date('2026-01-02T03:04:05.000Z'),
    );
    log.info({ msg: 'request', status: 200 });
    log.error({ msg: 'boom', stack: 'a\nb' });
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.endsWith('\n') && !l.slice(0, -1).includes('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      level: 'info',
      time: '2026-01-02T03:04:05.000Z',
      msg: 'request',
      status: 200,
    });
    expect(JSON.parse(lines[1] ?? '').level).toBe('error');
  });

  it('survives entries that cannot be serialised', () => {
    const lines: string[] = [];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    createJsonLogger((l) => lines.push(l)).warn({ cyclic });
    expect(JSON.parse(lines[0] ?? '').level).toBe('warn');
  });

  it('the silent logger writes nothing', () => {
    expect(() => silentLogger.info({ a: 1 })).not.toThrow();
  });
});
