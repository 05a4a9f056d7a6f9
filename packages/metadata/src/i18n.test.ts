import { describe, expect, it } from 'vitest';
import { localize, resolveLocale } from './i18n.js';

describe('localize', () => {
  it('picks the locale, then the other locale, then the fallback', () => {
    expect(localize({ 'zh-CN': '客户', en: 'Customer' }, 'zh-CN')).toBe('客户');
    expect(localize({ en: 'Customer' }, 'zh-CN')).toBe('Customer');
    expect(localize({ 'zh-CN': '客户' }, 'en')).toBe('客户');
    expect(localize({}, 'en', 'customer')).toBe('customer');
    expect(localize(undefined, 'en', 'k')).toBe('k');
    expect(localize('Same', 'zh-CN')).toBe('Same');
  });
});

describe('resolveLocale', () => {
  it('maps Chinese to zh-CN and everything else to en', () => {
    expect(resolveLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(resolveLocale('zh-TW')).toBe('zh-CN');
    expect(resolveLocale('zh')).toBe('zh-CN');
    expect(resolveLocale('en-US,en;q=0.9')).toBe('en');
    expect(resolveLocale('fr-FR')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
    expect(resolveLocale('')).toBe('en');
  });

  it('honours q values and skips unsupported languages', () => {
    expect(resolveLocale('en;q=0.5, zh;q=0.8')).toBe('zh-CN');
    expect(resolveLocale('fr, zh;q=0.7, en;q=0.6')).toBe('zh-CN');
    expect(resolveLocale('zh;q=0, en')).toBe('en');
  });
});
