import { describe, expect, it } from 'vitest';
import { localeFromHeader } from './locale.js';

describe('localeFromHeader', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh-TW,zh;q=0.9', 'zh-CN'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr-FR,zh;q=0.5', 'zh-CN'],
    ['en;q=0.1,zh;q=0.9', 'zh-CN'],
    ['de', 'en'],
    ['zh;q=0', 'en'],
  ])('%s → %s', (header, locale) => {
    expect(localeFromHeader(header)).toBe(locale);
  });
});
