import type { FieldDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatValue } from './format.js';

const zh = { locale: 'zh-CN' as const };
const en = { locale: 'en' as const };

describe('formatValue', () => {
  it('shows amounts with the currency and thousands separators', () => {
    const f: FieldDefinition = { key: 'a', type: 'amount' };
    expect(formatValue(f, 1234567.5, zh)).toBe('¥1,234,567.50');
    expect(formatValue({ ...f, currency: 'USD' }, -3, en)).toBe('-$3.00');
  });

  it('shows option labels in the reader language', () => {
    const f: FieldDefinition = {
      key: 's',
      type: 'multiSelect',
      options: [
        { value: 'a', label: { 'zh-CN': '甲', en: 'Alpha' } },
        { value: 'b', label: { 'zh-CN': '乙', en: 'Beta' } },
      ],
    };
    expect(formatValue(f, ['a', 'b'], zh)).toBe('甲、乙');
    expect(formatValue(f, ['a', 'b'], en)).toBe('Alpha, Beta');
  });

  it('names members from the names map and counts subform rows and files', () => {
    const names = new Map([['11111111-1111-4111-8111-111111111111', '张三']]);
    expect(
      formatValue({ key: 'm', type: 'member' }, '11111111-1111-4111-8111-111111111111', { ...zh, names }),
    ).toBe('张三');
    expect(formatValue({ key: 'i', type: 'subform' }, [{}, {}], zh)).toBe('2 行');
    expect(formatValue({ key: 'i', type: 'subform' }, [{}], en)).toBe('1 row');
    const files = [1, 2, 3].map((i) => ({
      id: String(i),
      name: `f${i}.pdf`,
      size: 1,
      type: 'application/pdf',
    }));
    expect(formatValue({ key: 'f', type: 'attachment' }, files.slice(0, 2), en)).toBe('f1.pdf, f2.pdf');
    expect(formatValue({ key: 'f', type: 'attachment' }, files, en)).toBe('3 files');
  });

  it('shows booleans, ratings, percent, locations and empty values', () => {
    expect(formatValue({ key: 'b', type: 'boolean' }, true, zh)).toBe('是');
    expect(formatValue({ key: 'r', type: 'rating', max: 5 }, 3, zh)).toBe('★★★☆☆');
    expect(formatValue({ key: 'p', type: 'percent' }, 12.5, zh)).toBe('12.5%');
    expect(formatValue({ key: 'l', type: 'location' }, { lat: 31.2, lng: 121.5, address: '上海' }, zh)).toBe(
      '上海',
    );
    expect(formatValue({ key: 't', type: 'text' }, null, zh)).toBe('');
    expect(formatValue({ key: 't', type: 'tags' }, [], zh)).toBe('');
  });

  it('formats date-times in the given time zone', () => {
    expect(formatDateTime('2026-11-23T02:05:00Z', 'Asia/Shanghai')).toBe('2026-11-23 10:05');
    expect(formatDateTime('2026-11-23T02:05:00Z', 'UTC')).toBe('2026-11-23 02:05');
    // Seconds apart in one minute, the same text; a zone 45 minutes off the hour keeps its own.
    expect(formatDateTime('2026-11-23T02:05:10.123Z', 'Asia/Kathmandu')).toBe('2026-11-23 07:50');
    expect(formatDateTime('2026-11-23T02:05:59.999Z', 'Asia/Kathmandu')).toBe('2026-11-23 07:50');
    expect(formatDateTime('2026-11-23T02:06:00Z', 'Asia/Kathmandu')).toBe('2026-11-23 07:51');
    expect(formatDateTime('2026-11-23T02:05:30Z', 'Asia/Shanghai')).toBe('2026-11-23 10:05');
    expect(formatDateTime('not a date', 'UTC')).toBe('not a date');
  });
});
