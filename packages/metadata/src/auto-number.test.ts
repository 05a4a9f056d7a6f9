import { describe, expect, it } from 'vitest';
import { autoNumberPeriod, checkAutoNumberPattern, formatAutoNumber } from './auto-number.js';

const now = new Date('2026-11-23T17:30:00Z'); // 2026-11-24 01:30 in Shanghai

describe('auto numbers', () => {
  it('formats date tokens in the time zone and pads the counter', () => {
    expect(formatAutoNumber('HT-{yyyyMMdd}-{0000}', 7, now, 'Asia/Shanghai')).toBe('HT-20261124-0007');
    expect(formatAutoNumber('HT-{yyyyMMdd}-{0000}', 7, now, 'UTC')).toBe('HT-20261123-0007');
    expect(formatAutoNumber('{yy}{MM}{dd}/{000}', 12345, now, 'UTC')).toBe('261123/12345');
    expect(formatAutoNumber('C{yyyyMM}{00000}', 1, now, 'UTC')).toBe('C20261100001');
    expect(formatAutoNumber('No.{0}', 3, now, 'UTC')).toBe('No.3');
  });

  it('keys the counter by the finest date unit in the pattern', () => {
    expect(autoNumberPeriod('HT-{yyyyMMdd}-{0000}', now, 'Asia/Shanghai')).toBe('20261124');
    expect(autoNumberPeriod('HT-{yyyy}-{MM}-{0000}', now, 'UTC')).toBe('202611');
    expect(autoNumberPeriod('{yy}-{0000}', now, 'UTC')).toBe('2026');
    expect(autoNumberPeriod('KH{000000}', now, 'UTC')).toBe('');
  });

  it('validates patterns', () => {
    expect(checkAutoNumberPattern('HT-{yyyyMMdd}-{0000}')).toBeNull();
    expect(checkAutoNumberPattern('HT-{yyyy}')?.en).toMatch(/exactly one counter/);
    expect(checkAutoNumberPattern('{0000}-{000}')?.en).toMatch(/exactly one counter/);
    expect(checkAutoNumberPattern('{hh}{000}')?.en).toMatch(/Unknown placeholder \{hh\}/);
    expect(checkAutoNumberPattern('A{000')?.en).toMatch(/braces/);
    expect(checkAutoNumberPattern('')).not.toBeNull();
    expect(checkAutoNumberPattern(`{0000}${'x'.repeat(64)}`)).not.toBeNull();
  });

  it('refuses an invalid counter or pattern at format time', () => {
    expect(() => formatAutoNumber('{0000}', 0, now, 'UTC')).toThrow(RangeError);
    expect(() => formatAutoNumber('{yyyy}', 1, now, 'UTC')).toThrow(RangeError);
  });
});
