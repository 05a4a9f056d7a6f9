import { describe, expect, it } from 'vitest';
import { uiResources } from '../i18n/index.js';
import { designerResources, designerT } from './strings.js';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function get(o: object, path: string): string {
  return String(path.split('.').reduce<unknown>((a, p) => (a as Record<string, unknown>)[p], o));
}

describe('designer strings', () => {
  it('exist in zh-CN and en with the same keys and interpolation variables, none empty', () => {
    const zh = designerResources['zh-CN'].ui;
    const en = designerResources.en.ui;
    expect(keys(zh).sort()).toEqual(keys(en).sort());
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of keys(en)) {
      expect(get(zh, k).trim(), k).not.toBe('');
      expect(vars(get(zh, k)), k).toEqual(vars(get(en, k)));
    }
  });

  it('translate in the requested language', () => {
    expect(designerT('zh-CN')('designer.affected', { count: 7 })).toBe('影响 7 条记录');
    expect(designerT('en')('designer.affected', { count: 7 })).toMatch(/7/);
  });

  it('are not part of the strings every form and list carries', () => {
    expect(Object.keys(uiResources.en.ui)).not.toContain('designer');
    expect(Object.keys(uiResources['zh-CN'].ui)).not.toContain('designer');
  });
});
