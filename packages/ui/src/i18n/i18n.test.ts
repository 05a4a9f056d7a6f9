import { describe, expect, it } from 'vitest';
import { createI18n, uiResources, uiT } from './index.js';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function values(o: object): string[] {
  return Object.values(o).flatMap((v) => (typeof v === 'object' && v !== null ? values(v) : [String(v)]));
}

describe('ui strings', () => {
  it('exist in zh-CN and en with the same keys, none empty', () => {
    expect(keys(uiResources['zh-CN'].ui).sort()).toEqual(keys(uiResources.en.ui).sort());
    for (const v of [...values(uiResources['zh-CN'].ui), ...values(uiResources.en.ui)])
      expect(v.trim()).not.toBe('');
  });

  it('use the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const zh = uiResources['zh-CN'].ui as unknown as Record<string, Record<string, unknown>>;
    const en = uiResources.en.ui as unknown as Record<string, Record<string, unknown>>;
    for (const k of keys(en)) {
      const get = (o: Record<string, unknown>) =>
        k.split('.').reduce<unknown>((a, p) => (a as Record<string, unknown>)[p], o);
      expect(vars(String(get(zh))), k).toEqual(vars(String(get(en))));
    }
  });

  it('translate with the ui namespace in the requested language', () => {
    expect(createI18n('zh-CN').t('form.submit')).toBe('提交');
    expect(createI18n('en').t('ui:widget.rating', { value: 3, max: 5 })).toBe('3 of 5');
    expect(uiT('en')('widget.noMatch')).toBe('No matches');
  });
});
