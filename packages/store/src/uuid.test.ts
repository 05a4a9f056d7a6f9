import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from './uuid.js';

describe('uuidv7', () => {
  it('makes valid version 7 UUIDs', () => {
    const id = uuidv7();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
  });

  it('sorts ids by creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const later = uuidv7(1_700_000_100_000);
    expect(later > ids[ids.length - 1]!).toBe(true);
  });

  it('draws fresh random bits for every id, across refills of the random pool', () => {
    const tails = Array.from({ length: 1000 }, (_, i) => uuidv7(1_800_000_000_000 + i * 7).slice(19));
    expect(new Set(tails).size).toBe(tails.length);
  });

  it('encodes the timestamp in the first 48 bits', () => {
    const ms = Date.UTC(2030, 0, 1);
    const id = uuidv7(ms);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(ms);
  });

  it('rejects malformed ids', () => {
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid("00000000-0000-0000-0000-000000000000' OR 1=1")).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
