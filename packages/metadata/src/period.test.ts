import { describe, expect, it } from 'vitest';
import { isPeriodValue, resolvePeriod } from './period.js';

const SH = 'Asia/Shanghai';

describe('resolvePeriod', () => {
  it('today in Shanghai starts at 16:00 UTC the day before', () => {
    expect(resolvePeriod('today', new Date('2026-11-23T01:00:00Z'), SH)).toEqual({
      start: '2026-11-22T16:00:00.000Z',
      end: '2026-11-23T16:00:00.000Z',
      startDate: '2026-11-23',
      endDate: '2026-11-24',
    });
  });

  it('uses the local date across the day boundary', () => {
    // 2026-11-23T20:00Z is already the 24th in Shanghai but still the 23rd in UTC.
    const now = new Date('2026-11-23T20:00:00Z');
    expect(resolvePeriod('today', now, SH).startDate).toBe('2026-11-24');
    expect(resolvePeriod('today', now, 'UTC').startDate).toBe('2026-11-23');
  });

  it('weeks start on Monday', () => {
    // Sunday 2026-11-29 (Shanghai) belongs to the week of Monday 2026-11-23.
    const r = resolvePeriod('thisWeek', new Date('2026-11-29T10:00:00+08:00'), SH);
    expect(r).toMatchObject({
      startDate: '2026-11-23',
      endDate: '2026-11-30',
      start: '2026-11-22T16:00:00.000Z',
    });
    // Monday itself.
    expect(resolvePeriod('thisWeek', new Date('2026-11-23T00:00:00Z'), 'UTC').startDate).toBe('2026-11-23');
  });

  it('months, including February of a leap year and the year end', () => {
    expect(resolvePeriod('thisMonth', new Date('2024-02-29T12:00:00Z'), 'UTC')).toMatchObject({
      startDate: '2024-02-01',
      endDate: '2024-03-01',
    });
    expect(resolvePeriod('thisMonth', new Date('2026-12-31T23:59:59Z'), 'UTC')).toMatchObject({
      start: '2026-12-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
  });

  it('quarters', () => {
    expect(resolvePeriod('thisQuarter', new Date('2026-05-15T00:00:00Z'), 'UTC')).toMatchObject({
      startDate: '2026-04-01',
      endDate: '2026-07-01',
    });
    // 2026-09-30T17:00Z is already October 1st in Shanghai: Q4.
    expect(resolvePeriod('thisQuarter', new Date('2026-09-30T17:00:00Z'), SH)).toMatchObject({
      startDate: '2026-10-01',
      endDate: '2027-01-01',
      start: '2026-09-30T16:00:00.000Z',
      end: '2026-12-31T16:00:00.000Z',
    });
  });

  it('years', () => {
    expect(resolvePeriod('thisYear', new Date('2024-06-01T00:00:00Z'), SH)).toMatchObject({
      startDate: '2024-01-01',
      endDate: '2025-01-01',
      start: '2023-12-31T16:00:00.000Z',
    });
  });

  it('lastNDays includes today', () => {
    expect(resolvePeriod('lastNDays:7', new Date('2024-03-02T12:00:00Z'), 'UTC')).toMatchObject({
      startDate: '2024-02-25',
      endDate: '2024-03-03',
    });
    expect(resolvePeriod('lastNDays:1', new Date('2024-03-02T12:00:00Z'), 'UTC')).toMatchObject({
      startDate: '2024-03-02',
      endDate: '2024-03-03',
    });
  });

  it('handles a daylight-saving zone', () => {
    // New York switched to EDT on 2026-03-08: the day is 23 hours long.
    const r = resolvePeriod('today', new Date('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(r).toMatchObject({ start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z' });
  });

  it('refuses invalid periods and time zones', () => {
    expect(() => resolvePeriod('nextYear', new Date(0), 'UTC')).toThrow(RangeError);
    expect(() => resolvePeriod('today', new Date(0), 'Mars/Olympus')).toThrow(RangeError);
    expect(isPeriodValue('lastNDays:3650')).toBe(true);
    expect(isPeriodValue('lastNDays:3651')).toBe(false);
    expect(isPeriodValue('lastNDays:07')).toBe(false);
  });
});
