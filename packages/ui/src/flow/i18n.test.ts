import { describe, expect, it } from 'vitest';
import { flowResources } from './i18n.js';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function get(o: object, path: string): string {
  return String(path.split('.').reduce<unknown>((a, p) => (a as Record<string, unknown>)[p], o));
}

describe('flow designer strings', () => {
  it('exist in zh-CN and en with the same keys and interpolation variables, none empty', () => {
    const zh = flowResources['zh-CN'].flow;
    const en = flowResources.en.flow;
    expect(keys(zh).sort()).toEqual(keys(en).sort());
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of keys(en)) {
      expect(get(zh, k).trim(), k).not.toBe('');
      expect(get(en, k).trim(), k).not.toBe('');
      expect(vars(get(zh, k)), k).toEqual(vars(get(en, k)));
    }
  });
});
